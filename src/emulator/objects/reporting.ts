/** Report runs as the API returns them, typed as stripe-node's own type. */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';

export function reportRun(ctx: ObjectContext, reportType: string, parameters: Stripe.Reporting.ReportRun.Parameters): Stripe.Reporting.ReportRun {
  return {
    id: ctx.id('frr'),
    object: 'reporting.report_run',
    created: ctx.created,
    error: null,
    livemode: false,
    parameters,
    report_type: reportType,
    result: null,
    status: 'pending',
    succeeded_at: null,
  };
}

/** The CSV a finished run points at; Stripe keeps it for a week. */
export function reportFile(ctx: ObjectContext, runId: string): NonNullable<Stripe.Reporting.ReportRun['result']> {
  const id = ctx.id('file');
  return {
    id,
    object: 'file',
    created: ctx.created,
    expires_at: ctx.created + 7 * 24 * 60 * 60,
    filename: `${runId}.csv`,
    purpose: 'finance_report_run',
    size: 0,
    title: `FinanceReportRun ${runId}`,
    type: 'csv',
    url: `https://files.stripe.com/v1/files/${id}/contents`,
  };
}
