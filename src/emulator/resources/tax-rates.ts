/** `/v1/tax_rates`: create, retrieve, update (display fields, `active` and metadata; the percentage is fixed). */
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { taxRate } from '../objects/tax-rates.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalBoolean, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject } from './stored.js';
import { updateObject } from './update-object.js';

export function taxRateRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/tax_rates', handle: createTaxRate },
    { method: 'GET', path: '/v1/tax_rates/:id', handle: (scope) => findObject(scope, 'tax_rate', scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/tax_rates/:id', handle: updateTaxRate },
  ];
}

function createTaxRate(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const percentage = Number(requiredString(form, 'percentage'));
  if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100) throw invalidRequest('percentage must be between 0 and 100.', { param: 'percentage' });
  const inclusive = optionalBoolean(form, 'inclusive');
  if (inclusive === undefined) throw missingParam('inclusive');
  const created = scope.store.put(
    taxRate(createObjectContext(scope.created), {
      displayName: requiredString(form, 'display_name'),
      percentage,
      inclusive,
      description: optionalString(form, 'description') ?? null,
      country: optionalString(form, 'country') ?? null,
      state: optionalString(form, 'state') ?? null,
      jurisdiction: optionalString(form, 'jurisdiction') ?? null,
      taxType: optionalString(form, 'tax_type') ?? null,
      active: optionalBoolean(form, 'active') ?? true,
      metadata: updateMetadata({}, form.metadata).metadata,
    }) as StoredObject,
  );
  scope.emit('tax_rate.created', created);
  return created;
}

function updateTaxRate(scope: ResourceScope): StoredObject {
  const rate = findObject(scope, 'tax_rate', scope.request.params.id ?? '');
  const { form } = scope.request;
  const text = (name: string) => {
    const value = optionalString(form, name);
    return value === undefined ? undefined : value === '' ? null : value;
  };
  return updateObject(scope, rate, {
    changes: { active: optionalBoolean(form, 'active'), description: text('description'), display_name: optionalString(form, 'display_name'), jurisdiction: text('jurisdiction'), state: text('state') },
    metadata: form.metadata,
    eventType: 'tax_rate.updated',
  });
}
