import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type Stripe from 'stripe';
import { defineHandler, defineHandlers, type HandlerMap } from '../../src/runner/define-handlers.js';
import type { HandlerContext } from '../../src/runner/handler-context.js';

// The type assertions below are checked by the compiler, not at runtime: `npm run typecheck`
// covers them, and the last test compiles this very file so `vitest run` alone catches a
// regression too (an unused @ts-expect-error is an error).
const handlers = defineHandlers({
  'payment_intent.succeeded': (event, ctx) => {
    expectTypeOf(event).toEqualTypeOf<Stripe.PaymentIntentSucceededEvent>();
    expectTypeOf(event.data.object).toEqualTypeOf<Stripe.PaymentIntent>();
    expectTypeOf(ctx).toEqualTypeOf<HandlerContext>();
    // @ts-expect-error a PaymentIntent has no `email`
    void event.data.object.email;
    return event.data.object.amount;
  },
  'customer.created': (event) => {
    expectTypeOf(event.data.object).toEqualTypeOf<Stripe.Customer>();
    return event.data.object.email;
  },
  '*': (event) => {
    expectTypeOf(event).toEqualTypeOf<Stripe.Event>();
    return event.type;
  },
});

// Thin (v2) events: the envelope as delivered, typed by stripe-node's own notification types.
defineHandlers({
  'v1.billing.meter.error_report_triggered': (event) => {
    expectTypeOf(event.type).toEqualTypeOf<'v1.billing.meter.error_report_triggered'>();
    expectTypeOf(event.related_object).toEqualTypeOf<Stripe.V2.Core.Events.RelatedObject>();
    expectTypeOf(event.created).toEqualTypeOf<string>();
    // @ts-expect-error the envelope has no data: fetch the full event for it
    void event.data;
    // @ts-expect-error fetchEvent() is what stripe-node's parser adds, not part of the JSON
    void event.fetchEvent;
    return event.related_object.id;
  },
  'v1.billing.meter.no_meter_found': (event) => event.id,
});

defineHandlers({
  // @ts-expect-error a misspelt event type is not a key
  'payment_intent.succeded': () => undefined,
});

defineHandlers({
  // @ts-expect-error the value under an event type must be a function
  'charge.refunded': 'refund',
});

const single = defineHandler((event, ctx) => {
  expectTypeOf(event).toEqualTypeOf<Stripe.Event>();
  expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
  if (event.type === 'invoice.paid') expectTypeOf(event.data.object).toEqualTypeOf<Stripe.Invoice>();
  return event.id;
});

describe('defineHandlers / defineHandler', () => {
  it('return what they are given (identity at runtime)', () => {
    const map: HandlerMap = { '*': () => 1 };
    expect(defineHandlers(map)).toBe(map);
    const fn = () => 2;
    expect(defineHandler(fn)).toBe(fn);
    expect(typeof handlers['payment_intent.succeeded']).toBe('function');
    expect(typeof single).toBe('function');
  });

  it('type-check: this file compiles with its @ts-expect-error lines all used', () => {
    const here = fileURLToPath(import.meta.url);
    const root = join(dirname(here), '..', '..');
    const configPath = join(root, 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    expect(config).toBeDefined();
    const program = ts.createProgram([here], { ...config!.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.includes('/src/runner/') || d.file?.fileName === here.replaceAll('\\', '/'));
    const text = diagnostics.map((d) => `${d.file?.fileName}:${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(text).toEqual([]);
  }, 60_000);
});
