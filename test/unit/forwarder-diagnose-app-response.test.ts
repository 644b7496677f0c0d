import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { diagnoseAppResponse, FAILURE_RULES, RESPONSE_RULES, type DiagnoseContext } from '../../src/forwarder/diagnose-app-response.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import type { ForwardOutcome } from '../../src/types.js';

const context: DiagnoseContext = { secretMasked: 'whsec_…ykIZ', secretEnvName: 'STRIPE_WEBHOOK_SECRET', url: 'http://localhost:3000/api/webhooks' };

function response(statusCode: number, body = '', headers: Record<string, string> = {}): ForwardOutcome {
  return { status: 'response', statusCode, headers, body, bodyTruncated: false };
}

/** What stripe-node (the installed version) really throws, so the rules track its wording. */
function stripeNodeMessage(payload: unknown, header: string | undefined, secret: string | undefined): string {
  const stripe = new Stripe('sk_test_unit');
  try {
    stripe.webhooks.constructEvent(payload as string, header as string, secret as string);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('constructEvent accepted the payload');
}

const SECRET = 'whsec_unit0test0secret0value';
const BODY = '{\n  "id": "evt_1",\n  "object": "event"\n}';
const HEADER = signPayload(BODY, { secret: SECRET });

const stripeNode = {
  mismatch: stripeNodeMessage(BODY, HEADER, 'whsec_another0secret0value'),
  parsedObject: stripeNodeMessage(JSON.parse(BODY), HEADER, SECRET),
  noHeader: stripeNodeMessage(BODY, undefined, SECRET),
  badHeader: stripeNodeMessage(BODY, 'garbage', SECRET),
  noSecret: stripeNodeMessage(BODY, HEADER, undefined),
  whitespace: stripeNodeMessage(BODY, HEADER, `${SECRET}\n`),
  stale: stripeNodeMessage(BODY, signPayload(BODY, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 3_600 }), SECRET),
};

describe('the stripe-node messages the fixtures rely on', () => {
  it('are the wording the rules match', () => {
    expect(stripeNode.mismatch).toMatch(/^No signatures found matching the expected signature for payload\. Are you passing the raw request body/);
    expect(stripeNode.parsedObject).toMatch(/^Webhook payload must be provided as a string or a Buffer/);
    expect(stripeNode.noHeader).toBe('No stripe-signature header value was provided.');
    expect(stripeNode.badHeader).toBe('Unable to extract timestamp and signatures from header');
    expect(stripeNode.noSecret).toMatch(/^No webhook secret value was provided/);
    expect(stripeNode.whitespace).toMatch(/The provided signing secret contains whitespace/);
    expect(stripeNode.stale).toBe('Timestamp outside the tolerance zone');
  });
});

describe('diagnoseAppResponse on answers', () => {
  it('has nothing to say about 2xx', () => {
    expect(diagnoseAppResponse(response(200, '{"received":true}'), context)).toBeUndefined();
    expect(diagnoseAppResponse(response(204), context)).toBeUndefined();
  });

  it.each([
    ['Stripe docs sample (Express)', `Webhook Error: ${stripeNode.mismatch}`],
    ['Next.js route returning JSON', JSON.stringify({ error: `Webhook Error: ${stripeNode.mismatch}` })],
    ['stripe-python / ruby / php', 'No signatures found matching the expected signature for payload'],
    ['stripe-go', 'webhook had no valid signature'],
    ['stripe-dotnet', 'The signature for the webhook is not present in the Stripe-Signature header.'],
    ['a hand-written check', 'Invalid signature'],
    ['an error class name', 'StripeSignatureVerificationError: something'],
    ['a generic log line', '⚠️  Webhook signature verification failed.'],
  ])('calls a signature failure (%s) another secret or a parsed body, secret first', (_from, body) => {
    const diagnosis = diagnoseAppResponse(response(400, body), context);
    expect(diagnosis?.cause).toBe('secret-mismatch-or-parsed-body');
    expect(diagnosis?.hints[0]).toContain('different secret');
    expect(diagnosis?.hints[0]).toContain('whsec_…ykIZ');
    expect(diagnosis?.hints[0]).toContain('STRIPE_WEBHOOK_SECRET');
    expect(diagnosis?.hints[0]).toContain('--write-env .env');
    const rest = diagnosis?.hints.slice(1).join('\n') ?? '';
    for (const framework of ['express.json()', 'Next.js', 'bodyParser: false', 'await req.text()', 'Fastify', 'Hono', 'proxy']) {
      expect(rest).toContain(framework);
    }
  });

  it('applies the signature rules to 5xx answers too', () => {
    expect(diagnoseAppResponse(response(500, `Error: ${stripeNode.mismatch}`), context)?.cause).toBe('secret-mismatch-or-parsed-body');
  });

  it('calls a parsed JavaScript object a parsed body (express.json() before the route)', () => {
    const diagnosis = diagnoseAppResponse(response(400, `Webhook Error: ${stripeNode.parsedObject}`), context);
    expect(diagnosis?.cause).toBe('parsed-body');
    expect(diagnosis?.hints[0]).toContain('express.json()');
    expect(diagnosis?.hints.join('\n')).not.toContain('different secret');
  });

  it('calls a message about the raw body, without a signature message, a parsed body', () => {
    expect(diagnoseAppResponse(response(400, 'Raw body not available'), context)?.cause).toBe('parsed-body');
  });

  it('says the app has no secret when it verified with none', () => {
    const diagnosis = diagnoseAppResponse(response(400, `Webhook Error: ${stripeNode.noSecret}`), context);
    expect(diagnosis?.cause).toBe('secret-mismatch');
    expect(diagnosis?.summary).toContain('no webhook signing secret');
    expect(diagnosis?.hints[0]).toContain('STRIPE_WEBHOOK_SECRET');
  });

  it('says to trim a secret with whitespace', () => {
    const diagnosis = diagnoseAppResponse(response(400, `Webhook Error: ${stripeNode.whitespace}`), context);
    expect(diagnosis?.cause).toBe('secret-mismatch');
    expect(diagnosis?.hints[0]).toMatch(/^Trim the value the app reads from STRIPE_WEBHOOK_SECRET/);
  });

  it.each([
    ['stripe-node, missing', stripeNode.noHeader],
    ['stripe-node, unparsable', stripeNode.badHeader],
    ['stripe-go', 'webhook has no Stripe-Signature header'],
  ])('says the header did not reach the app (%s), not the clock', (_from, body) => {
    const diagnosis = diagnoseAppResponse(response(400, `Webhook Error: ${body}`), context);
    expect(diagnosis?.summary).toContain('could not read the Stripe-Signature header');
    expect(diagnosis?.cause).not.toBe('timestamp');
  });

  it.each([
    ['stripe-node / python / ruby / php / java', stripeNode.stale],
    ['stripe-go', 'timestamp wasn\'t within tolerance'],
    ['stripe-dotnet', 'The webhook cannot be processed because the current timestamp is outside of the allowed tolerance.'],
  ])('blames the clock or the tolerance for a stale timestamp (%s)', (_from, body) => {
    const diagnosis = diagnoseAppResponse(response(400, body), context);
    expect(diagnosis?.cause).toBe('timestamp');
    expect(diagnosis?.hints[0]).toContain('clock');
  });

  it.each([
    [401, '{"message":"invalid signature","name":"JsonWebTokenError"}'],
    [403, 'Forbidden (403)\nCSRF verification failed. Request aborted.'],
    [419, 'Page Expired'],
    [401, 'Unauthorized'],
  ])('blames auth or CSRF middleware for %i %s, before the generic signature words', (status, body) => {
    const diagnosis = diagnoseAppResponse(response(status, body), context);
    expect(diagnosis?.summary).toContain('unauthenticated');
    expect(diagnosis?.hints[0]).toContain('exempt the webhook route from auth and CSRF middleware');
    expect(diagnosis?.hints[1]).toContain('whsec_…ykIZ');
  });

  it('still calls a Stripe library message a signature failure when the app answers 401', () => {
    expect(diagnoseAppResponse(response(401, `Unauthorized: ${stripeNode.mismatch}`), context)?.cause).toBe('secret-mismatch-or-parsed-body');
  });

  it('does not take a stack trace that mentions Buffer for a raw-body problem', () => {
    const stack = 'TypeError: Cannot read properties of undefined\n    at Buffer.toString (node:buffer:1)\n    at handler (src/app.js:10:5)';
    expect(diagnoseAppResponse(response(500, stack), context)?.cause).toBe('app-error');
  });

  it('explains a redirect and resolves a relative Location against the URL', () => {
    const diagnosis = diagnoseAppResponse(response(308, '', { location: '/api/webhooks/' }), context);
    expect(diagnosis?.cause).toBe('redirect');
    expect(diagnosis?.summary).toContain('to http://localhost:3000/api/webhooks/');
    expect(diagnosis?.hints[0]).toBe('Forward to the final URL: --forward-to http://localhost:3000/api/webhooks/');
    expect(diagnosis?.hints[1]).toContain('trailing slash');
  });

  it('explains a redirect without a Location', () => {
    expect(diagnoseAppResponse(response(301), context)?.hints[0]).toBe('Forward to the URL the app finally answers at.');
  });

  it("names the path for Express's 404 page", () => {
    const html = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST /api/webhooks</pre>\n</body>\n</html>\n';
    const diagnosis = diagnoseAppResponse(response(404, html, { 'content-type': 'text/html; charset=utf-8' }), context);
    expect(diagnosis?.summary).toBe('The app has no POST route at /api/webhooks (HTTP 404).');
  });

  it('points at the body parser limit for 413', () => {
    expect(diagnoseAppResponse(response(413, 'PayloadTooLargeError: request entity too large'), context)?.hints[0]).toContain("limit: '1mb'");
  });

  it('calls any other 5xx an app error and any other 4xx unknown', () => {
    expect(diagnoseAppResponse(response(500, 'TypeError: Cannot read properties of undefined'), context)).toMatchObject({ cause: 'app-error', summary: 'The app failed while handling the event (HTTP 500).' });
    expect(diagnoseAppResponse(response(422, '{"error":"unknown customer"}'), context)).toMatchObject({ cause: 'unknown', summary: 'The app rejected the event (HTTP 422).' });
  });

  it('keeps the rules in a table, each with a unique name, body rules before status rules', () => {
    const names = RESPONSE_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.indexOf('signature-header')).toBeLessThan(names.indexOf('timestamp'));
    expect(names.indexOf('payload-type')).toBeLessThan(names.indexOf('signature'));
    expect(names.indexOf('signature')).toBeLessThan(names.indexOf('raw-body'));
    expect(names.at(-2)).toBe('client-error');
    expect(names.at(-1)).toBe('refused');
  });
});

describe('diagnoseAppResponse on failures', () => {
  const failure = (kind: Extract<ForwardOutcome, { status: 'failed' }>['kind'], message = 'x'): ForwardOutcome => ({ status: 'failed', kind, message });

  it('has a rule for every kind', () => {
    expect(Object.keys(FAILURE_RULES).sort()).toEqual(['connection-refused', 'dns', 'other', 'reset', 'timeout', 'tls']);
  });

  it('asks whether the app runs, and how Docker changes that, on connection refused', () => {
    const diagnosis = diagnoseAppResponse(failure('connection-refused'), context);
    expect(diagnosis?.summary).toBe('Nothing answered at localhost:3000.');
    expect(diagnosis?.hints.join('\n')).toMatch(/running[\s\S]*0\.0\.0\.0[\s\S]*127\.0\.0\.1 or \[::1\]/);
  });

  it('offers --forward-timeout and --no-timeout on a timeout', () => {
    expect(diagnoseAppResponse(failure('timeout'), context)?.hints[0]).toMatch(/--forward-timeout 2m.*--no-timeout/);
  });

  it('offers --insecure for a certificate error, and http:// for a plain-HTTP port', () => {
    expect(diagnoseAppResponse(failure('tls', 'TLS error: self-signed certificate'), context)?.hints[0]).toContain('--insecure');
    expect(diagnoseAppResponse(failure('tls', 'the app seems to speak plain HTTP on that port'), context)?.hints).toEqual([
      'The app serves plain HTTP on that port: use an http:// URL in --forward-to.',
    ]);
  });

  it('explains host.docker.internal on a DNS failure', () => {
    expect(diagnoseAppResponse(failure('dns'), context)?.hints[0]).toContain('host.docker.internal resolves only inside Docker containers');
  });

  it('suggests a crash, a restart or HTTPS on a reset', () => {
    expect(diagnoseAppResponse(failure('reset'), context)?.hints.join('\n')).toMatch(/crashed or restarted[\s\S]*https:\/\//);
  });

  it('still answers for other failures', () => {
    expect(diagnoseAppResponse(failure('other'), context)).toEqual({ cause: 'unknown', summary: 'Forwarding the event to the app failed.', hints: [] });
  });
});

describe('diagnoseAppResponse with the whole answer', () => {
  const line = (text: string, how: 'event-id' | 'in-flight' | 'shared' = 'in-flight') => ({ stream: 'stdout' as const, line: text, how });

  it("calls stripe-node's missing payload the raw body that was never captured, with the NestJS and fastify-raw-body fixes", () => {
    const diagnosis = diagnoseAppResponse(response(400, 'Webhook Error: No webhook payload was provided.'), context);
    expect(diagnosis?.cause).toBe('parsed-body');
    expect(diagnosis?.summary).toContain('raw body was never captured');
    const hints = diagnosis?.hints.join('\n') ?? '';
    expect(hints).toContain('{ rawBody: true }');
    expect(hints).toContain('config: { rawBody: true }');
  });

  it.each([
    ['stripe-python / ruby / php / java, no v1', 'No signatures found with expected scheme v1', 'signature-header'],
    ['stripe-dotnet, new wording', "The expected signature was not found in the Stripe-Signature header. Make sure you're using the correct webhook secret (whsec_)", 'secret-mismatch-or-parsed-body'],
    ['stripe-dotnet, bad header', 'The signature header format is unexpected.', 'signature-header'],
    ['stripe-python, timestamp', 'Timestamp outside the tolerance zone (1764518400)', 'timestamp'],
    ['stripe-go, bad header', 'webhook has invalid Stripe-Signature header', 'signature-header'],
  ])('maps %s to its cause', (_from, body, cause) => {
    expect(diagnoseAppResponse(response(400, body), context)?.cause).toBe(cause);
  });

  it('reads the app\'s own line when the answer is a bare 400 (the Stripe docs\' Express sample)', () => {
    const diagnosis = diagnoseAppResponse(response(400, 'Bad Request'), context, {
      appLines: [line(`⚠️  Webhook signature verification failed. ${stripeNode.parsedObject}`)],
    });
    expect(diagnosis?.cause).toBe('parsed-body');
  });

  it("diagnoses Stripe's Flask sample: 200 {\"success\": false} and its log line", () => {
    const refusal = { source: 'app-output' as const, quote: '⚠️  Webhook signature verification failed.No signatures found matching the expected signature for payload' };
    const diagnosis = diagnoseAppResponse(response(200, '{"success":false}\n', { server: 'Werkzeug/2.2.2 Python/3.11.2' }), { ...context, framework: 'flask' }, { refusal, appLines: [line(refusal.quote)] });
    expect(diagnosis?.cause).toBe('secret-mismatch-or-parsed-body');
    expect(diagnosis?.summary).toContain('HTTP 200, yet it reported a failure');
    const hints = diagnosis?.hints.join('\n') ?? '';
    expect(hints).toContain('request.get_data()');
    // Only the detected framework's fix, not the list.
    expect(hints).not.toContain('express.raw');
  });

  it('gives every framework its fix when the framework is unknown', () => {
    const hints = diagnoseAppResponse(response(400, stripeNode.mismatch), context)?.hints.join('\n') ?? '';
    for (const fix of ['express.raw', 'fastify-raw-body', 'await c.req.text()', 'ctx.request.rawBody', 'bodyParser: false', 'rawBody: true', 'request.get_data()', 'request.body', 'csrf_exempt']) {
      expect(hints).toContain(fix);
    }
  });

  it('says the app replaced the injected secret when webhook-dev started it', () => {
    const diagnosis = diagnoseAppResponse(response(400, stripeNode.mismatch), { ...context, secretInjected: true });
    expect(diagnosis?.hints[0]).toContain('webhook-dev started it with STRIPE_WEBHOOK_SECRET=whsec_…ykIZ');
    expect(diagnosis?.hints[0]).toContain('override: true');
    expect(diagnosis?.hints[0]).not.toContain('-- <command>');
  });

  it('explains a refused 2xx that no rule knows by quoting it', () => {
    const refusal = { source: 'body' as const, quote: '{"ok": false}' };
    const diagnosis = diagnoseAppResponse(response(200, '{"ok":false}'), context, { refusal });
    expect(diagnosis).toMatchObject({ cause: 'app-error', summary: 'The app answered 200 but reported a failure: its body says {"ok": false}' });
    expect(diagnosis?.hints.join('\n')).toContain('--status-only');
  });

  it('has nothing to say about a 2xx nobody contradicted, whatever the app printed', () => {
    expect(diagnoseAppResponse(response(200, '{"received":true}'), context, { appLines: [line('handled evt_1')] })).toBeUndefined();
  });
});
