import { describe, expect, it } from 'vitest';
import { matchRoute, type ApiRequest } from '../../src/emulator/api-router.js';
import type { FormObject } from '../../src/emulator/form-body.js';
import { ObjectStore, type StoredObject } from '../../src/emulator/object-store.js';
import { resourceRoutes } from '../../src/emulator/resources/resource-routes.js';
import type { EmittedEvent } from '../../src/emulator/resources/resource-scope.js';
import { addInterval } from '../../src/emulator/resources/subscription-schedules.js';
import { computeUpdate } from '../../src/emulator/resources/update-object.js';
import { ApiFailure } from '../../src/emulator/stripe-errors.js';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('addInterval', () => {
  it('steps by calendar months and years, keeping the day where the month has it', () => {
    expect(addInterval(at('2020-01-01T00:00:00Z'), 'month', 1)).toBe(at('2020-02-01T00:00:00Z'));
    expect(addInterval(at('2020-01-31T12:00:00Z'), 'month', 1)).toBe(at('2020-02-29T12:00:00Z'));
    expect(addInterval(at('2021-01-31T00:00:00Z'), 'month', 1)).toBe(at('2021-02-28T00:00:00Z'));
    expect(addInterval(at('2020-02-29T00:00:00Z'), 'year', 1)).toBe(at('2021-02-28T00:00:00Z'));
    expect(addInterval(at('2020-11-15T00:00:00Z'), 'month', 3)).toBe(at('2021-02-15T00:00:00Z'));
  });

  it('steps by weeks and days', () => {
    expect(addInterval(at('2020-12-28T00:00:00Z'), 'week', 1)).toBe(at('2021-01-04T00:00:00Z'));
    expect(addInterval(at('2020-02-28T00:00:00Z'), 'day', 2)).toBe(at('2020-03-01T00:00:00Z'));
  });
});

describe('computeUpdate', () => {
  const object: StoredObject = { id: 'x_1', object: 'thing', name: 'a', active: true, metadata: { keep: '1' } };

  it('reports only what changes, metadata key by key', () => {
    expect(computeUpdate(object, { changes: { name: 'b', active: true, description: undefined }, metadata: { foo: 'bar' } })).toEqual({
      changes: { name: 'b', active: true, metadata: { keep: '1', foo: 'bar' } },
      previous: { name: 'a', metadata: { foo: null } },
    });
  });

  it('is undefined when nothing would change', () => {
    expect(computeUpdate(object, { changes: { name: 'a' }, metadata: { keep: '1' } })).toBeUndefined();
    expect(computeUpdate(object, {})).toBeUndefined();
  });
});

/** The emulated API without HTTP: requests in, answers and events out. */
function emulatedApi() {
  const events: EmittedEvent[] = [];
  const routes = resourceRoutes({ state: { store: new ObjectStore(), cards: new Map() }, now: () => 1_700_000_000_000, publish: (event) => events.push(event) });
  let count = 0;
  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, form: FormObject = {}) {
    const matched = matchRoute(routes, method, path);
    if (matched === undefined) throw new Error(`no route for ${method} ${path}`);
    const request: ApiRequest = { method, path, params: matched.params, query: new URLSearchParams(), form, apiKey: 'sk_test_x', requestId: `req_${(count += 1)}` };
    // Resources throw Stripe's errors; the router answers with them.
    const { status, body } = await Promise.resolve()
      .then(() => matched.route.handler(request))
      .catch((error: unknown) => {
        if (error instanceof ApiFailure) return error.response;
        throw error;
      });
    return { status, body: body as Record<string, any> };
  }
  return { call, events };
}

describe('coupons and customer discounts', () => {
  it('refuses coupons with both or neither of percent_off and amount_off, and repeating ones without a length', async () => {
    const { call } = emulatedApi();
    expect((await call('POST', '/v1/coupons', { percent_off: '10', amount_off: '100', currency: 'usd' })).status).toBe(400);
    expect((await call('POST', '/v1/coupons', {})).status).toBe(400);
    const repeating = await call('POST', '/v1/coupons', { percent_off: '10', duration: 'repeating' });
    expect(repeating.body.error).toMatchObject({ code: 'parameter_missing', param: 'duration_in_months' });
    expect((await call('POST', '/v1/coupons', { amount_off: '100' })).body.error).toMatchObject({ param: 'currency' });
  });

  it('a repeating coupon ends the discount it makes after its months; a second coupon replaces it; an empty one removes it', async () => {
    const { call, events } = emulatedApi();
    const coupon = (await call('POST', '/v1/coupons', { percent_off: '25', duration: 'repeating', duration_in_months: '3' })).body;
    const other = (await call('POST', '/v1/coupons', { id: 'SPRING', amount_off: '500', currency: 'USD' })).body;
    expect(other).toMatchObject({ id: 'SPRING', amount_off: 500, currency: 'usd', percent_off: null });
    const customer = (await call('POST', '/v1/customers', { coupon: coupon.id })).body;
    expect(customer.discount).toMatchObject({ customer: customer.id, end: addInterval(1_700_000_000, 'month', 3), source: { coupon: coupon.id } });
    await call('POST', `/v1/customers/${customer.id}`, { coupon: 'SPRING' });
    await call('POST', `/v1/customers/${customer.id}`, { coupon: 'SPRING' });
    await call('POST', `/v1/customers/${customer.id}`, { coupon: '' });
    expect(events.map((event) => event.type)).toEqual([
      'coupon.created', 'coupon.created', 'customer.created', 'customer.discount.created', 'customer.discount.updated', 'customer.discount.deleted',
    ]);
    expect((await call('GET', `/v1/customers/${customer.id}`)).body.discount).toBeNull();
    expect((await call('POST', '/v1/customers', { coupon: 'NOPE' })).body.error).toMatchObject({ code: 'resource_missing', param: 'coupon' });
  });
});

describe('invoices, credit notes and quotes', () => {
  async function openInvoice(call: ReturnType<typeof emulatedApi>['call']) {
    const customer = (await call('POST', '/v1/customers', {})).body;
    await call('POST', '/v1/invoiceitems', { customer: customer.id, amount: '2000', currency: 'usd' });
    const draft = (await call('POST', '/v1/invoices', { customer: customer.id, pending_invoice_items_behavior: 'include' })).body;
    return (await call('POST', `/v1/invoices/${draft.id}/finalize`)).body;
  }

  it('credits no more than an open invoice still owes, and a void invoice cannot be marked uncollectible', async () => {
    const { call } = emulatedApi();
    const invoice = await openInvoice(call);
    const tooMuch = await call('POST', '/v1/credit_notes', { invoice: invoice.id, amount: '2001' });
    expect(tooMuch.status).toBe(400);
    const second = await call('POST', '/v1/credit_notes', { invoice: invoice.id, amount: '500' });
    expect(second.body).toMatchObject({ amount: 500, number: `${invoice.number}-CN-01`, type: 'pre_payment' });
    expect((await call('POST', `/v1/invoices/${invoice.id}/void`)).body.status).toBe('void');
    expect((await call('POST', `/v1/invoices/${invoice.id}/mark_uncollectible`)).status).toBe(400);
  });

  it('send_invoice invoices need a due date, and only they can be sent', async () => {
    const { call } = emulatedApi();
    const customer = (await call('POST', '/v1/customers', {})).body;
    expect((await call('POST', '/v1/invoices', { customer: customer.id, collection_method: 'send_invoice' })).status).toBe(400);
    const automatic = (await call('POST', '/v1/invoices', { customer: customer.id })).body;
    expect((await call('POST', `/v1/invoices/${automatic.id}/send`)).status).toBe(400);
  });

  it('a quote moves draft → open → canceled, and a canceled quote cannot be accepted', async () => {
    const { call } = emulatedApi();
    const customer = (await call('POST', '/v1/customers', { source: 'tok_visa' })).body;
    const product = (await call('POST', '/v1/products', { name: 'p' })).body;
    const price = (await call('POST', '/v1/prices', { product: product.id, unit_amount: '700', currency: 'usd', recurring: { interval: 'year' } })).body;
    const quote = (await call('POST', '/v1/quotes', { customer: customer.id, line_items: [{ price: price.id, quantity: '2' }] })).body;
    expect(quote).toMatchObject({ status: 'draft', amount_total: 1400, computed: { recurring: { interval: 'year', amount_total: 1400 } } });
    expect((await call('POST', `/v1/quotes/${quote.id}/accept`)).status).toBe(400);
    await call('POST', `/v1/quotes/${quote.id}/finalize`);
    expect((await call('POST', `/v1/quotes/${quote.id}/cancel`)).body.status).toBe('canceled');
    expect((await call('POST', `/v1/quotes/${quote.id}/accept`)).status).toBe(400);
  });
});

describe('subscription schedules', () => {
  it('a schedule that starts later has no subscription until then, and its phases follow each other', async () => {
    const { call, events } = emulatedApi();
    const customer = (await call('POST', '/v1/customers', {})).body;
    const product = (await call('POST', '/v1/products', { name: 'p' })).body;
    const price = (await call('POST', '/v1/prices', { product: product.id, unit_amount: '700', currency: 'usd', recurring: { interval: 'month' } })).body;
    const start = at('2030-01-31T00:00:00Z');
    const schedule = (await call('POST', '/v1/subscription_schedules', { customer: customer.id, start_date: String(start), phases: [{ items: [{ price: price.id }], iterations: '1' }, { items: [{ price: price.id, quantity: '2' }], end_date: String(at('2030-06-01T00:00:00Z')) }] })).body;
    expect(schedule).toMatchObject({ status: 'not_started', subscription: null, current_phase: null });
    expect(schedule.phases.map((phase: { start_date: number; end_date: number }) => [phase.start_date, phase.end_date])).toEqual([
      [start, at('2030-02-28T00:00:00Z')],
      [at('2030-02-28T00:00:00Z'), at('2030-06-01T00:00:00Z')],
    ]);
    expect(events.some((event) => event.type.startsWith('customer.subscription.'))).toBe(false);
    expect((await call('POST', `/v1/subscription_schedules/${schedule.id}/cancel`)).body.status).toBe('canceled');
    expect((await call('POST', `/v1/subscription_schedules/${schedule.id}/release`)).status).toBe(400);
  });
});
