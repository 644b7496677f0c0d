/**
 * Customer cash balances, driven through the emulated API's own routes: funding lands in the
 * balance, pays the intents waiting for a transfer oldest first, and what is left is announced.
 */
import { describe, expect, it } from 'vitest';
import { matchRoute, type ApiRequest } from '../../src/emulator/api-router.js';
import type { FormObject } from '../../src/emulator/form-body.js';
import { ObjectStore } from '../../src/emulator/object-store.js';
import { resourceRoutes } from '../../src/emulator/resources/resource-routes.js';
import type { EmittedEvent } from '../../src/emulator/resources/resource-scope.js';
import { testBankAccountFor } from '../../src/emulator/resources/test-cards.js';

type Obj = Record<string, any>;

function emulatedApi() {
  const events: EmittedEvent[] = [];
  const routes = resourceRoutes({ state: { store: new ObjectStore(), cards: new Map() }, now: () => 1_700_000_000_000, publish: (event) => events.push(event) });
  let requests = 0;
  async function call(method: string, path: string, form: FormObject = {}): Promise<{ status: number; body: Obj }> {
    const matched = matchRoute(routes, method, path);
    if (matched === undefined) throw new Error(`no route for ${method} ${path}`);
    const request: ApiRequest = { method, path, params: matched.params, query: new URLSearchParams(), form, apiKey: 'sk_test_x', requestId: `req_${++requests}` };
    const response = await matched.route.handler(request);
    return { status: response.status, body: response.body as Obj };
  }
  return { call, events, typesSince: (index: number) => events.slice(index).map((event) => event.type) };
}

async function customerWithIntent(api: ReturnType<typeof emulatedApi>, amount: number) {
  const customer = (await api.call('POST', '/v1/customers')).body;
  const intent = await api.call('POST', '/v1/payment_intents', {
    amount: String(amount),
    currency: 'jpy',
    customer: customer.id,
    payment_method_types: ['customer_balance'],
    payment_method_data: { type: 'customer_balance' },
    confirm: 'true',
  });
  return { customer, intent: intent.body };
}

describe('fund_cash_balance', () => {
  it('announces the whole amount when no intent waits, and the ledger keeps the running balance', async () => {
    const api = emulatedApi();
    const customer = (await api.call('POST', '/v1/customers')).body;
    const fund = (amount: string) => api.call('POST', `/v1/test_helpers/customers/${customer.id}/fund_cash_balance`, { amount, currency: 'usd' });
    const first = await fund('1000');
    expect(first.body).toMatchObject({ type: 'funded', net_amount: 1000, ending_balance: 1000 });
    const before = api.events.length;
    expect((await fund('500')).body).toMatchObject({ net_amount: 500, ending_balance: 1500 });
    expect(api.typesSince(before)).toEqual(['customer_cash_balance_transaction.created', 'cash_balance.funds_available']);
    expect(api.events.at(-1)!.object).toMatchObject({ object: 'cash_balance', available: { usd: 1500 }, customer: customer.id });
    expect((await api.call('GET', `/v1/customers/${customer.id}/cash_balance`)).body.available).toEqual({ usd: 1500 });
  });

  it('pays a waiting intent in part, then in full, with nothing left over to announce', async () => {
    const api = emulatedApi();
    const { customer, intent } = await customerWithIntent(api, 20000);
    expect(intent).toMatchObject({ status: 'requires_action', next_action: { display_bank_transfer_instructions: { amount_remaining: 20000, type: 'jp_bank_transfer' } } });
    const fund = (amount: string) => api.call('POST', `/v1/test_helpers/customers/${customer.id}/fund_cash_balance`, { amount, currency: 'jpy' });

    let before = api.events.length;
    await fund('5000');
    expect(api.typesSince(before)).toEqual(['customer_cash_balance_transaction.created', 'customer_cash_balance_transaction.created', 'payment_intent.partially_funded']);
    expect(api.events.at(-1)!.object).toMatchObject({ id: intent.id, next_action: { display_bank_transfer_instructions: { amount_remaining: 15000 } } });

    before = api.events.length;
    await fund('16000');
    expect(api.typesSince(before)).toEqual(['customer_cash_balance_transaction.created', 'customer_cash_balance_transaction.created', 'payment_intent.succeeded', 'cash_balance.funds_available']);
    expect(api.events[before + 1]!.object).toMatchObject({ type: 'applied_to_payment', net_amount: -15000, ending_balance: 1000 });
    expect(api.events[before + 2]!.object).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 20000, next_action: null });
    expect(api.events.at(-1)!.object).toMatchObject({ available: { jpy: 1000 } });
  });

  it('applies a balance that is already there when the intent is confirmed', async () => {
    const api = emulatedApi();
    const customer = (await api.call('POST', '/v1/customers')).body;
    await api.call('POST', `/v1/test_helpers/customers/${customer.id}/fund_cash_balance`, { amount: '3000', currency: 'jpy' });
    const before = api.events.length;
    await api.call('POST', '/v1/payment_intents', { amount: '2000', currency: 'jpy', customer: customer.id, payment_method_data: { type: 'customer_balance' }, payment_method_types: ['customer_balance'], confirm: 'true' });
    expect(api.typesSince(before)).toEqual(['payment_intent.created', 'payment_intent.requires_action', 'customer_cash_balance_transaction.created', 'payment_intent.succeeded']);
  });
});

describe('testBankAccountFor', () => {
  it("knows how Stripe's test IBANs end, and treats any other as one that succeeds", () => {
    expect(testBankAccountFor('AT61 1904 3002 3457 3201')).toMatchObject({ outcome: 'succeed', last4: '3201' });
    expect(testBankAccountFor('IT60X0542811101000000123456')).toMatchObject({ outcome: 'decline', declineCode: 'insufficient_funds' });
    expect(testBankAccountFor('AT321904300235473204').outcome).toBe('delayed');
    expect(testBankAccountFor('FR1420041010050500013M02606').outcome).toBe('succeed');
  });
});
