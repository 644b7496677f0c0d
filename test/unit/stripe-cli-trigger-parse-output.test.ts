/**
 * Every sample is what the real Stripe CLI 1.52.0 printed (`stripe trigger … --api-base
 * http://127.0.0.1:PORT`, stdout and stderr on pipes) against a throwaway node:http server.
 */
import { describe, expect, it } from 'vitest';
import { parseTriggerOutput } from '../../src/stripe-cli/parse-trigger-output.js';

const VERSION_CHECK = 'Checking for new versions...\n\n';

const PAYMENT_INTENT_STEPS = `${VERSION_CHECK}Setting up fixture for: payment_intent\nRunning fixture for: payment_intent\n`;

describe('parseTriggerOutput: success', () => {
  it('reads the steps of a multi-step fixture (checkout.session.completed)', () => {
    const stdout =
      `${VERSION_CHECK}Setting up fixture for: product\nRunning fixture for: product\nSetting up fixture for: price\nRunning fixture for: price\n` +
      'Setting up fixture for: checkout_session\nRunning fixture for: checkout_session\nSetting up fixture for: payment_page\nRunning fixture for: payment_page\n' +
      'Setting up fixture for: payment_method\nRunning fixture for: payment_method\nSetting up fixture for: payment_page_confirm\nRunning fixture for: payment_page_confirm\n' +
      'Trigger succeeded! Check dashboard for event details.\n';
    expect(parseTriggerOutput(stdout, '')).toEqual({
      ok: true,
      fixtureSteps: ['product', 'price', 'checkout_session', 'payment_page', 'payment_method', 'payment_page_confirm'],
      skippedSteps: [],
    });
  });

  it('lists skipped steps apart (--skip customer)', () => {
    const stdout = `${VERSION_CHECK}Skipping fixture for: customer\nTrigger succeeded! Check dashboard for event details.\n`;
    expect(parseTriggerOutput(stdout, '')).toEqual({ ok: true, fixtureSteps: [], skippedSteps: ['customer'] });
  });

  it('tolerates CRLF line ends and colour codes', () => {
    const stdout = 'Setting up fixture for: customer\r\nRunning fixture for: customer\r\n\x1b[1mTrigger succeeded!\x1b[0m Check dashboard for event details.\r\n';
    expect(parseTriggerOutput(stdout, '')).toEqual({ ok: true, fixtureSteps: ['customer'], skippedSteps: [] });
  });
});

describe('parseTriggerOutput: failures', () => {
  it('a 404 with a Stripe-shaped error body', () => {
    const stderr =
      'Trigger failed: Request failed, status=404, body={"error":{"type":"invalid_request_error","message":"Unrecognized request URL (POST: /v1/payment_intents). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."}}\n';
    const parsed = parseTriggerOutput(PAYMENT_INTENT_STEPS, stderr);
    expect(parsed).toEqual({
      ok: false,
      fixtureSteps: ['payment_intent'],
      skippedSteps: [],
      failure: {
        kind: 'http',
        message: stderr.slice('Trigger failed: '.length).trim(),
        step: 'payment_intent',
        status: 404,
        body: {
          error: {
            type: 'invalid_request_error',
            message: 'Unrecognized request URL (POST: /v1/payment_intents). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
          },
        },
        stripeMessage: 'Unrecognized request URL (POST: /v1/payment_intents). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
      },
    });
  });

  it('a pretty-printed body over many lines, as the real API sends it (402 card_error)', () => {
    const stderr =
      'Trigger failed: Request failed, status=402, body={\n  "error": {\n    "code": "card_declined",\n    "decline_code": "generic_decline",\n    "message": "Your card was declined.",\n    "type": "card_error",\n    "request_log_url": "https://dashboard.stripe.com/test/logs/req_x"\n  }\n}\n\n';
    const parsed = parseTriggerOutput(PAYMENT_INTENT_STEPS, stderr);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.failure).toMatchObject({ kind: 'http', status: 402, stripeMessage: 'Your card was declined.', step: 'payment_intent' });
    expect(parsed.failure.body).toMatchObject({ error: { code: 'card_declined', type: 'card_error' } });
    expect(parsed.failure.message.endsWith('}')).toBe(true);
  });

  it('a body that is not JSON is kept as text, with no stripeMessage', () => {
    const stdout = `${VERSION_CHECK}Setting up fixture for: customer\nRunning fixture for: customer\n`;
    const parsed = parseTriggerOutput(stdout, 'Trigger failed: Request failed, status=500, body=:(\n');
    expect(parsed).toEqual({
      ok: false,
      fixtureSteps: ['customer'],
      skippedSteps: [],
      failure: { kind: 'http', message: 'Request failed, status=500, body=:(', step: 'customer', status: 500, body: ':(' },
    });
  });

  it('a refused connection', () => {
    const stderr = 'Trigger failed: Post "http://127.0.0.1:1/v1/payment_intents": dial tcp 127.0.0.1:1: connect: connection refused\n';
    expect(parseTriggerOutput(PAYMENT_INTENT_STEPS, stderr)).toEqual({
      ok: false,
      fixtureSteps: ['payment_intent'],
      skippedSteps: [],
      failure: {
        kind: 'network',
        message: 'Post "http://127.0.0.1:1/v1/payment_intents": dial tcp 127.0.0.1:1: connect: connection refused',
        step: 'payment_intent',
      },
    });
  });

  it('masks a key the server echoed back, in the message and in the parsed body', () => {
    const stdout = `${VERSION_CHECK}Setting up fixture for: customer\nRunning fixture for: customer\n`;
    const stderr = 'Trigger failed: Request failed, status=400, body={"error":{"message":"bad key Bearer sk_test_webhookdevoffline1234","type":"invalid_request_error"}}\n';
    const parsed = parseTriggerOutput(stdout, stderr);
    expect(JSON.stringify(parsed)).not.toContain('sk_test_webhookdevoffline1234');
    expect(parsed.ok ? undefined : parsed.failure.stripeMessage).toBe('bad key Bearer sk_test_…1234');
  });

  it('a later step that needs a skipped one (--skip payment_method)', () => {
    const stdout =
      `${VERSION_CHECK}Setting up fixture for: product\nRunning fixture for: product\nSetting up fixture for: price\nRunning fixture for: price\n` +
      'Setting up fixture for: checkout_session\nRunning fixture for: checkout_session\nSetting up fixture for: payment_page\nRunning fixture for: payment_page\n' +
      'Skipping fixture for: payment_method\nSetting up fixture for: payment_page_confirm\nRunning fixture for: payment_page_confirm\n';
    const stderr = 'Trigger failed: ✘ Validation error - an undeclared fixture name was referenced: payment_method\n';
    expect(parseTriggerOutput(stdout, stderr)).toEqual({
      ok: false,
      fixtureSteps: ['product', 'price', 'checkout_session', 'payment_page', 'payment_page_confirm'],
      skippedSteps: ['payment_method'],
      failure: { kind: 'other', message: '✘ Validation error - an undeclared fixture name was referenced: payment_method', step: 'payment_page_confirm' },
    });
  });

  it('an event the CLI has no fixture for', () => {
    const stderr =
      'The event `not_a.real_event` is not supported by Stripe CLI. To trigger unsupported events, use the Stripe API or Dashboard to perform actions that lead to the event you want to trigger (for example, create a Customer to generate a `customer.created` event). You can also create a custom fixture: https://docs.stripe.com/cli/fixtures\n';
    const parsed = parseTriggerOutput(VERSION_CHECK, stderr);
    expect(parsed).toMatchObject({ ok: false, fixtureSteps: [], failure: { kind: 'unsupported-event', message: stderr.trim() } });
    expect(parsed.ok ? {} : parsed.failure).not.toHaveProperty('step');
  });

  it.each([
    ['a bad --override', 'Invalid value for override flag (nofixturename). The override flag requires a value to set (--override fixtureName:path.to.param=value).\n'],
    ['a key that is too short', 'the API key provided is too short, it must be at least 12 characters long\n'],
    ['localhost as API base', 'invalid API base URL\n'],
    [
      'no API key',
      'You have not configured API keys yet\n  If you already have a key: set STRIPE_API_KEY or pass --api-key <key>.\n  To authenticate to an existing account: run `stripe login` (outputs a browser URL for the user).\n',
    ],
  ])('a refusal before any request: %s', (_name, stderr) => {
    expect(parseTriggerOutput(VERSION_CHECK, stderr)).toEqual({
      ok: false,
      fixtureSteps: [],
      skippedSteps: [],
      failure: { kind: 'other', message: stderr.trim() },
    });
  });

  it('output cut short (a killed CLI) is a failure that says so', () => {
    const parsed = parseTriggerOutput(PAYMENT_INTENT_STEPS, '');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.failure.message).toMatch(/did not report "Trigger succeeded!"/);
    expect(parsed.fixtureSteps).toEqual(['payment_intent']);
  });
});
