/**
 * Every sample below was printed by the real Stripe CLI 1.52.0 (secrets replaced by fake ones):
 * on a pipe, as webhook-dev runs it, and under `script` for the TTY forms.
 */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { debugLineKind, parseListenLine, plainListenText, type ListenLine } from '../../src/stripe-cli/parse-listen-output.js';

const SECRET = 'whsec_FAKEfakeFAKEfake1234567890abcdef';
const ESC = '\u001b';

const pipeSamples: Array<[string, ListenLine]> = [
  ['Getting ready...', { kind: 'getting-ready' }],
  [
    `Ready! You are using Stripe API Version [2026-10-28.endive]. Your webhook signing secret is ${SECRET} (^C to quit)`,
    { kind: 'ready', secret: SECRET, apiVersion: '2026-10-28.endive' },
  ],
  [`Ready! Your webhook signing secret is ${SECRET} (^C to quit)`, { kind: 'ready', secret: SECRET }],
  [
    '2026-11-25 09:12:46   --> payment_intent.created [evt_1AAA]',
    { kind: 'event', time: '2026-11-25 09:12:46', eventType: 'payment_intent.created', eventId: 'evt_1AAA', connect: false },
  ],
  [
    '2026-11-25 09:12:46   --> connect account.updated [evt_2BBB]',
    { kind: 'event', time: '2026-11-25 09:12:46', eventType: 'account.updated', eventId: 'evt_2BBB', connect: true },
  ],
  [
    '2026-11-25 09:12:46  <--  [200] POST http://127.0.0.1:39957/webhook [evt_1AAA]',
    { kind: 'delivery', time: '2026-11-25 09:12:46', status: 200, method: 'POST', url: 'http://127.0.0.1:39957/webhook', eventId: 'evt_1AAA' },
  ],
  [
    '2026-11-25 09:12:46  <--  [500] POST http://127.0.0.1:39957/webhook [evt_1AAA]',
    { kind: 'delivery', time: '2026-11-25 09:12:46', status: 500, method: 'POST', url: 'http://127.0.0.1:39957/webhook', eventId: 'evt_1AAA' },
  ],
  [
    '2026-11-25 09:13:03            [ERROR] Failed to POST: Post "http://127.0.0.1:38599/webhook": dial tcp 127.0.0.1:38599: connect: connection refused',
    {
      kind: 'forward-error',
      message: 'Failed to POST: Post "http://127.0.0.1:38599/webhook": dial tcp 127.0.0.1:38599: connect: connection refused',
    },
  ],
  [
    'time="Wed, 25 Nov 2026 09:13:06 UTC" level=fatal msg="Error while authenticating with Stripe: Authorization failed, status=401, body={"error":{"message":"Invalid API Key provided: sk_test_****line","type":"invalid_request_error"}}"',
    { kind: 'auth-failed', status: 401 },
  ],
  [
    'time="Wed, 25 Nov 2026 09:13:12 UTC" level=fatal msg="Error while authenticating with Stripe: Post "http://127.0.0.1:38599/v1/stripecli/sessions": dial tcp 127.0.0.1:38599: connect: connection refused"',
    {
      kind: 'unreachable',
      message: 'Post "http://127.0.0.1:38599/v1/stripecli/sessions": dial tcp 127.0.0.1:38599: connect: connection refused',
    },
  ],
  [
    'time="Wed, 25 Nov 2026 09:13:35 UTC" level=fatal msg="Error while authenticating with Stripe: Post "https://api.stripe.com/v1/stripecli/sessions": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused"',
    {
      kind: 'unreachable',
      message: 'Post "https://api.stripe.com/v1/stripecli/sessions": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused',
    },
  ],
  [
    'time="Wed, 25 Nov 2026 09:13:43 UTC" level=fatal msg="Error while authenticating with Stripe: Post "https://api.stripe.com/v1/stripecli/sessions": dial tcp: lookup api.stripe.com on 10.255.255.53:53: no such host"',
    {
      kind: 'unreachable',
      message: 'Post "https://api.stripe.com/v1/stripecli/sessions": dial tcp: lookup api.stripe.com on 10.255.255.53:53: no such host',
    },
  ],
  ['You have not configured API keys yet', { kind: 'not-configured' }],
  ['  If you already have a key: set STRIPE_API_KEY or pass --api-key <key>.', { kind: 'other', text: 'If you already have a key: set STRIPE_API_KEY or pass --api-key <key>.' }],
  [
    'time="Wed, 25 Nov 2026 09:14:23 UTC" level=warning msg="You\'re attempting to listen for "payment_intent.creatd", which isn\'t a valid event',
    { kind: 'unknown-event', eventType: 'payment_intent.creatd' },
  ],
  // That warning's message ends in a newline, which leaves its closing quote alone on a line.
  ['"', { kind: 'other', text: '' }],
  ['must specify events to forward using --events, --all-snapshot, or --all-thin', { kind: 'other', text: 'must specify events to forward using --events, --all-snapshot, or --all-thin' }],
  ['invalid API base URL', { kind: 'other', text: 'invalid API base URL' }],
  ['Session expired, reconnecting...', { kind: 'reconnecting' }],
  ['', { kind: 'other', text: '' }],
];

const ttySamples: Array<[string, ListenLine]> = [
  [`${ESC}[37m\u28fe${ESC}[0m Getting ready...`, { kind: 'getting-ready' }],
  [
    `${ESC}[K> Ready! You are using Stripe API Version [2026-10-28.endive]. Your webhook signing secret is ${ESC}[1m${SECRET}${ESC}[0m (^C to quit)`,
    { kind: 'ready', secret: SECRET, apiVersion: '2026-10-28.endive' },
  ],
  [
    `${ESC}[2m2026-11-25 09:12:51${ESC}[0m   --> ${ESC}[94m${ESC}[0m${ESC}]8;;https://dashboard.stripe.com/test/events?type=payment_intent.created${ESC}\\${ESC}[1mpayment_intent.created${ESC}[0m${ESC}]8;;${ESC}\\ [${ESC}]8;;https://dashboard.stripe.com/test/events/evt_1AAA${ESC}\\evt_1AAA${ESC}]8;;${ESC}\\]`,
    { kind: 'event', time: '2026-11-25 09:12:51', eventType: 'payment_intent.created', eventId: 'evt_1AAA', connect: false },
  ],
  [
    `${ESC}[2m2026-11-25 09:12:51${ESC}[0m   --> ${ESC}[94mconnect ${ESC}[0m${ESC}]8;;https://dashboard.stripe.com/acct_123/test/events?type=account.updated${ESC}\\${ESC}[1maccount.updated${ESC}[0m${ESC}]8;;${ESC}\\ [${ESC}]8;;https://dashboard.stripe.com/acct_123/test/events/evt_2BBB${ESC}\\evt_2BBB${ESC}]8;;${ESC}\\]`,
    { kind: 'event', time: '2026-11-25 09:12:51', eventType: 'account.updated', eventId: 'evt_2BBB', connect: true },
  ],
  [
    `${ESC}[2m2026-11-25 09:12:51${ESC}[0m  <--  [${ESC}[1;32m200${ESC}[0m] POST http://127.0.0.1:39957/webhook [${ESC}]8;;https://dashboard.stripe.com/test/events/evt_1AAA${ESC}\\evt_1AAA${ESC}]8;;${ESC}\\]`,
    { kind: 'delivery', time: '2026-11-25 09:12:51', status: 200, method: 'POST', url: 'http://127.0.0.1:39957/webhook', eventId: 'evt_1AAA' },
  ],
  [
    `${ESC}[K${ESC}[0;90m[Wed, 25 Nov 2026 09:13:23 UTC]${ESC}[0m ${ESC}[0;31mFATAL${ESC}[0m Error while authenticating with Stripe: Authorization failed, status=401, body={"error":{"message":"Invalid API Key provided: sk_test_****line","type":"invalid_request_error"}}`,
    { kind: 'auth-failed', status: 401 },
  ],
  [
    `${ESC}[K${ESC}[0;90m[Wed, 25 Nov 2026 09:13:29 UTC]${ESC}[0m ${ESC}[0;31mFATAL${ESC}[0m Error while authenticating with Stripe: Post "http://127.0.0.1:37177/v1/stripecli/sessions": dial tcp 127.0.0.1:37177: connect: connection refused`,
    {
      kind: 'unreachable',
      message: 'Post "http://127.0.0.1:37177/v1/stripecli/sessions": dial tcp 127.0.0.1:37177: connect: connection refused',
    },
  ],
  [
    `${ESC}[0;90m[Wed, 25 Nov 2026 09:14:19 UTC]${ESC}[0m ${ESC}[0;33m WARN${ESC}[0m You're attempting to listen for "payment_intent.creatd", which isn't a valid event`,
    { kind: 'unknown-event', eventType: 'payment_intent.creatd' },
  ],
];

describe('parseListenLine, as printed on a pipe', () => {
  it.each(pipeSamples)('%j', (line, expected) => {
    expect(parseListenLine(line)).toEqual(expected);
  });
});

describe('parseListenLine, as printed on a terminal', () => {
  it.each(ttySamples)('%j', (line, expected) => {
    expect(parseListenLine(line)).toEqual(expected);
  });
});

describe('parseListenLine edge cases', () => {
  it('an event id inside a forward error is kept', () => {
    expect(parseListenLine('2026-11-25 09:13:03            [ERROR] Failed to POST: evt_9ZZZ timed out')).toEqual({
      kind: 'forward-error',
      message: 'Failed to POST: evt_9ZZZ timed out',
      eventId: 'evt_9ZZZ',
    });
  });

  it('a status other than 401 is still an authorization failure', () => {
    expect(parseListenLine('Error while authenticating with Stripe: Authorization failed, status=500, body=oops')).toEqual({ kind: 'auth-failed', status: 500 });
  });

  it('does not mistake an event type containing "Ready!" for the Ready line', () => {
    expect(parseListenLine('2026-11-25 09:12:46   --> ready.event [evt_1]').kind).toBe('event');
  });
});

describe('plainListenText', () => {
  it.each([
    [`${ESC}[37m\u28fe${ESC}[0m Getting ready...`, 'Getting ready...'],
    [`${ESC}[K> Ready! x`, 'Ready! x'],
    ['time="t" level=fatal msg="boom"', 'boom'],
    ['time="t" level=error msg="say \\"hi\\""', 'say "hi"'],
    [`${ESC}[0;90m[Wed]${ESC}[0m ${ESC}[0;31mFATAL${ESC}[0m boom`, 'boom'],
    ['"', ''],
    ['plain  ', 'plain'],
  ])('%j → %j', (line, expected) => {
    expect(plainListenText(line)).toBe(expected);
  });
});

// webhook-dev relies on Node's stripVTControlCharacters for what the CLI prints on a TTY (or with
// FORCE_COLOR): these pin that down on each Node version the suite runs on.
describe('stripVTControlCharacters on what the Stripe CLI prints', () => {
  it.each([
    [`${ESC}[1mbold${ESC}[0m`, 'bold'],
    [`${ESC}[1;32m200${ESC}[0m`, '200'],
    [`${ESC}[0;90m[Wed, 25 Nov 2026 09:13:23 UTC]${ESC}[0m ${ESC}[0;31mFATAL${ESC}[0m boom`, '[Wed, 25 Nov 2026 09:13:23 UTC] FATAL boom'],
    [`${ESC}]8;;https://dashboard.stripe.com/test/events?type=payment_intent.created${ESC}\\${ESC}[1mpayment_intent.created${ESC}[0m${ESC}]8;;${ESC}\\`, 'payment_intent.created'],
    [`${ESC}]8;;https://x.test/a\u0007link${ESC}]8;;\u0007`, 'link'],
    [`${ESC}[Kcleared`, 'cleared'],
    [`${ESC}[2K${ESC}[1Gcursor moved`, 'cursor moved'],
    [`${ESC}[?25lhidden cursor${ESC}[?25h`, 'hidden cursor'],
    [`${ESC}[37m\u28fe${ESC}[0m Getting ready...`, '\u28fe Getting ready...'],
    ['no codes', 'no codes'],
  ])('%j → %j', (text, expected) => {
    expect(stripVTControlCharacters(text)).toBe(expected);
  });

  it('the real TTY capture of a start-up and a delivery keeps its words and line breaks', () => {
    const capture = `\r${ESC}[K\r${ESC}[37m\u28fe${ESC}[0m Getting ready...\r${ESC}[K> Ready! You are using Stripe API Version [2026-10-28.endive]. Your webhook signing secret is ${ESC}[1m${SECRET}${ESC}[0m (^C to quit)\r\n${ESC}[2m2026-11-25 09:12:51${ESC}[0m  <--  [${ESC}[1;32m200${ESC}[0m] POST http://127.0.0.1:39957/webhook [${ESC}]8;;https://dashboard.stripe.com/test/events/evt_1AAA${ESC}\\evt_1AAA${ESC}]8;;${ESC}\\]\r\n`;
    expect(stripVTControlCharacters(capture)).toBe(
      `\r\r\u28fe Getting ready...\r> Ready! You are using Stripe API Version [2026-10-28.endive]. Your webhook signing secret is ${SECRET} (^C to quit)\r\n2026-11-25 09:12:51  <--  [200] POST http://127.0.0.1:39957/webhook [evt_1AAA]\r\n`,
    );
  });
});

describe('debugLineKind (--log-level debug, as the real CLI prints it on a pipe)', () => {
  it.each([
    ['time="Mon, 30 Nov 2026 19:07:57 UTC" level=debug msg="Received pong message" prefix=websocket.Client.readPump', 'heartbeat'],
    ['time="Mon, 30 Nov 2026 19:07:57 UTC" level=debug msg="Incoming message" message="{\\"type\\":\\"webhook_event\\"}" prefix=websocket.Client.readPump', 'heartbeat'],
    ['time="Mon, 30 Nov 2026 19:07:57 UTC" level=debug msg="Sending ping message" prefix=websocket.Client.writePump', 'debug'],
    ['time="Mon, 30 Nov 2026 19:07:55 UTC" level=debug msg="Got successful response from Stripe" secret=' + SECRET + ' prefix=stripeauth.Client.Authorize', 'debug'],
  ])('%s → %s', (line, kind) => {
    expect(debugLineKind(line)).toBe(kind);
  });

  it.each([
    'Getting ready...',
    `Ready! Your webhook signing secret is ${SECRET} (^C to quit)`,
    'time="Wed, 25 Nov 2026 09:13:06 UTC" level=fatal msg="Error while authenticating with Stripe: connection refused"',
    '2026-11-25 08:06:42   --> payment_intent.created [evt_123]',
  ])('not a debug line: %s', (line) => {
    expect(debugLineKind(line)).toBeUndefined();
  });
});
