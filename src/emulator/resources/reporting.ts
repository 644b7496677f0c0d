/**
 * `/v1/reporting/report_runs`: a run is answered pending and finishes a moment later
 * (reporting.report_run.succeeded, with the result file). The file's contents are not emulated.
 */
import type Stripe from 'stripe';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { reportFile, reportRun } from '../objects/reporting.js';
import { optionalInteger, optionalObject, optionalString, requiredString, stringList } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges, storeTyped } from './stored.js';

export function reportingRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/reporting/report_runs', handle: createReportRun },
    { method: 'GET', path: '/v1/reporting/report_runs/:id', handle: (scope) => findObject(scope, 'reporting.report_run', scope.request.params.id ?? '', { label: 'reporting.report_run' }) },
  ];
}

function createReportRun(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const ctx = createObjectContext(scope.created);
  const run = storeTyped(scope, reportRun(ctx, requiredString(form, 'report_type'), toParameters(optionalObject(form, 'parameters') ?? {})));
  const succeeded = saveChanges(scope, run, { result: reportFile(ctx, run.id), status: 'succeeded', succeeded_at: scope.created });
  scope.emitLater('reporting.report_run.succeeded', succeeded);
  return run;
}

function toParameters(form: FormObject): Stripe.Reporting.ReportRun.Parameters {
  const parameters: Stripe.Reporting.ReportRun.Parameters = {};
  const columns = stringList(form, 'columns');
  if (columns !== undefined) parameters.columns = columns;
  for (const name of ['connected_account', 'currency', 'payout', 'reporting_category', 'timezone'] as const) {
    const value = optionalString(form, name);
    if (value !== undefined) parameters[name] = value;
  }
  for (const name of ['interval_end', 'interval_start'] as const) {
    const value = optionalInteger(form, name);
    if (value !== undefined) parameters[name] = value;
  }
  return parameters;
}
