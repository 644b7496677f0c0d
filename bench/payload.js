/**
 * The body every receiver is loaded with: a payment_intent.succeeded event shaped like the ones
 * Stripe sends (pretty-printed, two-space indent), padded with order metadata to about 3.5 KB,
 * which is a typical size for this event type once an integration adds its own metadata.
 */
import { randomBytes } from 'node:crypto';

export const TARGET_BYTES = 3584;

/** A fresh secret per run: it never leaves this machine and is never printed. */
export function randomSecret() {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * @param {{ created?: number, targetBytes?: number }} [options]
 * @returns {Buffer} the exact bytes sent (and signed)
 */
export function buildEventPayload({ created = Math.floor(Date.now() / 1000), targetBytes = TARGET_BYTES } = {}) {
  const event = eventSkeleton(created);
  const metadata = event.data.object.metadata;
  // One ASCII filler string absorbs the difference, so the size is exact whatever the skeleton weighs.
  metadata.gift_message = '';
  const room = targetBytes - serialize(event).length;
  metadata.gift_message = filler(Math.max(0, room));
  return serialize(event);
}

function serialize(event) {
  return Buffer.from(JSON.stringify(event, null, 2), 'utf8');
}

function filler(length) {
  const words = 'Happy birthday Sam, enjoy the new espresso grinder and the beans from the roastery around the corner. ';
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

function eventSkeleton(created) {
  const pi = 'pi_3QkXbVLkdIwHu7ix0mWqZr5T';
  const charge = 'ch_3QkXbVLkdIwHu7ix0ffR2cQe';
  return {
    id: 'evt_3QkXbVLkdIwHu7ix0XoAPf1c',
    object: 'event',
    api_version: '2025-08-27.basil',
    created,
    data: {
      object: {
        id: pi,
        object: 'payment_intent',
        amount: 4599,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: 4599,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: { allow_redirects: 'always', enabled: true },
        canceled_at: null,
        cancellation_reason: null,
        capture_method: 'automatic_async',
        client_secret: null,
        confirmation_method: 'automatic',
        created,
        currency: 'eur',
        customer: 'cus_RdHXkUu5zGmZ8q',
        description: 'Order #10482: espresso grinder, 1 kg house blend',
        last_payment_error: null,
        latest_charge: charge,
        livemode: false,
        metadata: {
          order_id: '10482',
          cart_id: 'cart_01JHX3T7Q2W8E9R4Y6U1I5O0P',
          customer_email_hash: 'b1946ac92492d2347c6235b4d2611184',
          fulfillment_center: 'ams-2',
          sku_list: 'GRD-ESP-200,BEAN-HB-1000',
          campaign: 'winter-sale-2025',
          shipping_method: 'express',
        },
        next_action: null,
        on_behalf_of: null,
        payment_method: 'pm_1QkXbULkdIwHu7ixq2VnZ0aS',
        payment_method_configuration_details: { id: 'pmc_1PQhJALkdIwHu7ixU1cF0v3p', parent: null },
        payment_method_options: {
          card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
          link: { persistent_token: null },
        },
        payment_method_types: ['card', 'link'],
        processing: null,
        receipt_email: 'sam@example.com',
        review: null,
        setup_future_usage: null,
        shipping: {
          address: { city: 'Amsterdam', country: 'NL', line1: 'Keizersgracht 123', line2: null, postal_code: '1015 CJ', state: null },
          carrier: 'PostNL',
          name: 'Sam de Vries',
          phone: '+31 20 123 4567',
          tracking_number: null,
        },
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: 'ORDER 10482',
        status: 'succeeded',
        transfer_data: null,
        transfer_group: null,
      },
    },
    livemode: false,
    pending_webhooks: 2,
    request: { id: 'req_9sLq0vXbZ1yT4m', idempotency_key: '8d0c7c4e-5a7b-4f0e-9a3e-2f1b6c9d4e21' },
    type: 'payment_intent.succeeded',
  };
}
