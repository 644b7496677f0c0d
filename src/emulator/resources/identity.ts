/**
 * `/v1/identity/verification_sessions`: create, cancel and redact (identity.verification_session.*).
 * No one uploads a document offline, so a session stays in requires_input until canceled.
 */
import type Stripe from 'stripe';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { verificationSession } from '../objects/identity.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalBoolean, optionalObject, optionalString, stringList, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges, storeTyped } from './stored.js';

export function identityRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/identity/verification_sessions', handle: createSession },
    { method: 'GET', path: '/v1/identity/verification_sessions/:id', handle: findSession },
    { method: 'POST', path: '/v1/identity/verification_sessions/:id/cancel', handle: (scope) => cancel(scope, findSession(scope)) },
    { method: 'POST', path: '/v1/identity/verification_sessions/:id/redact', handle: redact },
  ];
}

function findSession(scope: ResourceScope): StoredObject {
  return findObject(scope, 'identity.verification_session', scope.request.params.id ?? '', { label: 'identity.verification_session' });
}

function createSession(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const type = optionalString(form, 'type') ?? 'document';
  if (type !== 'document' && type !== 'id_number') throw invalidRequest('Invalid type: must be one of document or id_number', { param: 'type' });
  const customer = optionalString(form, 'related_customer');
  if (customer !== undefined) findObject(scope, 'customer', customer, { param: 'related_customer' });
  const session = verificationSession(createObjectContext(scope.created), {
    type,
    options: toOptions(optionalObject(form, 'options'), type),
    clientReferenceId: optionalString(form, 'client_reference_id') ?? null,
    relatedCustomer: customer ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
  });
  const stored = storeTyped(scope, session);
  scope.emit('identity.verification_session.created', stored);
  return stored;
}

/** Stripe echoes the document options with its defaults filled in. */
function toOptions(form: FormObject | undefined, type: string): Stripe.Identity.VerificationSession.Options {
  if (type !== 'document') return {};
  const document = optionalObject(form ?? {}, 'document') ?? {};
  return {
    document: {
      ...(stringList(document, 'allowed_types') === undefined ? {} : { allowed_types: stringList(document, 'allowed_types') as Stripe.Identity.VerificationSession.Options.Document.AllowedType[] }),
      require_id_number: optionalBoolean(document, 'require_id_number') ?? false,
      require_live_capture: optionalBoolean(document, 'require_live_capture') ?? false,
      require_matching_selfie: optionalBoolean(document, 'require_matching_selfie') ?? false,
    },
  };
}

/** A canceled session can no longer be used: its secret and hosted page go away. */
function cancel(scope: ResourceScope, session: StoredObject): StoredObject {
  if (session.status !== 'requires_input') {
    throw invalidRequest(`This VerificationSession has a status of ${String(session.status)}; only a session in requires_input can be canceled.`, { code: 'session_invalid_state' });
  }
  const canceled = saveChanges(scope, session, { client_secret: null, status: 'canceled', url: null });
  scope.emit('identity.verification_session.canceled', canceled);
  return canceled;
}

/**
 * Redaction wipes the collected data. A session still waiting for input is canceled first, as
 * Stripe does; the redaction itself finishes a moment later (identity.verification_session.redacted).
 */
function redact(scope: ResourceScope): StoredObject {
  let session = findSession(scope);
  if (session.status === 'processing') throw invalidRequest('A VerificationSession that is processing cannot be redacted.', { code: 'session_invalid_state' });
  if (session.status === 'requires_input') session = cancel(scope, session);
  const processing = saveChanges(scope, session, { redaction: { status: 'processing' } });
  const redacted = saveChanges(scope, processing, { client_reference_id: null, metadata: {}, redaction: { status: 'redacted' } });
  scope.emitLater('identity.verification_session.redacted', redacted);
  return processing;
}
