/** Identity verification sessions as the API returns them, typed as stripe-node's own type. */
import type Stripe from 'stripe';
import { randomAlnum } from '../ids.js';
import type { ObjectContext } from './object-context.js';

export interface NewVerificationSession {
  type: Stripe.Identity.VerificationSession.Type;
  options: Stripe.Identity.VerificationSession.Options;
  clientReferenceId: string | null;
  relatedCustomer: string | null;
  metadata: Record<string, string>;
}

/** A new session waits for the user: `url` is the hosted page to send them to. */
export function verificationSession(ctx: ObjectContext, input: NewVerificationSession): Stripe.Identity.VerificationSession {
  const id = ctx.id('vs');
  return {
    id,
    object: 'identity.verification_session',
    client_reference_id: input.clientReferenceId,
    client_secret: `${id}_secret_test_${randomAlnum(24)}`,
    created: ctx.created,
    last_error: null,
    last_verification_report: null,
    livemode: false,
    metadata: input.metadata,
    options: input.options,
    provided_details: null,
    redaction: null,
    related_customer: input.relatedCustomer,
    related_customer_account: null,
    status: 'requires_input',
    type: input.type,
    url: `https://verify.stripe.com/start/test_${randomAlnum(40)}`,
    verified_outputs: null,
  };
}
