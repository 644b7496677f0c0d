/**
 * `/v1/billing_portal/configurations` and `/v1/billing_portal/sessions`. The first session of an
 * emulator without a configuration gets a default one, as a Stripe account's portal settings
 * provide; making it sends no event.
 */
import { deepMerge, type PlainObject } from '../deep-merge.js';
import type { FormObject, FormValue } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { portalConfiguration, portalSession } from '../objects/billing-portal.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalObject, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject } from './stored.js';
import { updateObject } from './update-object.js';

export function billingPortalRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/billing_portal/configurations', handle: createConfiguration },
    { method: 'GET', path: '/v1/billing_portal/configurations/:id', handle: (scope) => findConfiguration(scope, scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/billing_portal/configurations/:id', handle: updateConfiguration },
    { method: 'POST', path: '/v1/billing_portal/sessions', handle: createSession },
  ];
}

const TYPE = 'billing_portal.configuration';

function findConfiguration(scope: ResourceScope, id: string, param = 'id'): StoredObject {
  return findObject(scope, TYPE, id, { label: TYPE, param });
}

/**
 * The form's `features` and `business_profile`, as the object's values: `"true"`/`"false"` become
 * booleans and numbers stay numbers where the object has them; keys the object lacks are refused.
 */
function formToSettings(form: FormValue | undefined, shape: unknown, param: string): PlainObject | undefined {
  if (form === undefined || typeof form === 'string' || Array.isArray(form)) return undefined;
  const out: PlainObject = {};
  const known = (shape ?? {}) as PlainObject;
  for (const [key, value] of Object.entries(form)) {
    if (!(key in known)) throw invalidRequest(`Received unknown parameter: ${param}[${key}]`, { param: `${param}[${key}]` });
    out[key] = toSetting(value, known[key], `${param}[${key}]`);
  }
  return out;
}

function toSetting(value: FormValue | undefined, current: unknown, param: string): unknown {
  if (typeof value === 'string') {
    if (typeof current === 'boolean') return value === 'true';
    return value === '' ? null : value;
  }
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return formToSettings(value, current, param);
}

function settingsFrom(form: FormObject, base: StoredObject): PlainObject {
  return {
    business_profile: formToSettings(form.business_profile, base.business_profile, 'business_profile'),
    default_return_url: optionalString(form, 'default_return_url'),
    features: formToSettings(form.features, base.features, 'features'),
    name: optionalString(form, 'name'),
  };
}

function createConfiguration(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  if (optionalObject(form, 'features') === undefined) throw invalidRequest('Missing required param: features.', { code: 'parameter_missing', param: 'features' });
  const isDefault = scope.store.list(TYPE).length === 0;
  const base = portalConfiguration(createObjectContext(scope.created), isDefault) as StoredObject;
  const created = scope.store.put(deepMerge(base, { ...settingsFrom(form, base), metadata: updateMetadata({}, form.metadata).metadata }));
  scope.emit('billing_portal.configuration.created', created);
  return created;
}

function updateConfiguration(scope: ResourceScope): StoredObject {
  const configuration = findConfiguration(scope, scope.request.params.id ?? '');
  const { form } = scope.request;
  const settings = Object.fromEntries(Object.entries(settingsFrom(form, configuration)).filter(([, value]) => value !== undefined));
  const merged = deepMerge(configuration, settings);
  const changes = Object.fromEntries(Object.keys(settings).map((key) => [key, merged[key]]));
  const active = optionalString(form, 'active');
  if (active !== undefined) changes.active = active === 'true';
  // `updated` moves only with a real change; updateObject sends no event for a request that changes nothing.
  const withTime = { ...changes, ...(Object.keys(changes).length > 0 || form.metadata !== undefined ? { updated: scope.created } : {}) };
  return updateObject(scope, configuration, { changes: withTime, metadata: form.metadata, eventType: 'billing_portal.configuration.updated' });
}

function defaultConfiguration(scope: ResourceScope): StoredObject {
  const existing = scope.store.list(TYPE).find((configuration) => configuration.is_default === true);
  return existing ?? scope.store.put(portalConfiguration(createObjectContext(scope.created), true) as StoredObject);
}

function createSession(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  const reference = optionalString(form, 'configuration');
  const configuration = reference === undefined ? defaultConfiguration(scope) : findConfiguration(scope, reference, 'configuration');
  const returnUrl = optionalString(form, 'return_url') ?? (configuration.default_return_url as string | null) ?? null;
  const session = scope.store.put(portalSession(createObjectContext(scope.created, { cus: customer.id }), configuration.id, returnUrl) as StoredObject);
  scope.emit('billing_portal.session.created', session);
  return session;
}
