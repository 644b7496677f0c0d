import { describe, expect, it } from 'vitest';
import type { ControlServer } from '../../src/control/start-control-server.js';
import { toWireDelivery } from '../../src/control/wire-delivery.js';
import type { Reporter } from '../../src/render/reporter.js';
import { createDeliveryPipeline } from '../../src/session/delivery-pipeline.js';
import type { DeliveryRecord } from '../../src/types.js';

const body = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1700000000,"data":{"object":{"id":"pi_1","amount":2000}},"__proto__":{"kept":"as a key"}}';
const record: DeliveryRecord = {
  receivedAt: new Date(0),
  attempt: 1,
  event: JSON.parse(body) as DeliveryRecord['event'],
  status: 200,
  verified: true,
  handler: { outcome: { status: 'ok', value: { ok: true } }, durationMs: 1, logs: [] },
  durationMs: 2,
};

/** A pipeline streaming to a control server that keeps what it was given to publish later. */
function pipelineWithStream() {
  const lazy: Array<() => unknown> = [];
  const shown: DeliveryRecord[] = [];
  const pipeline = createDeliveryPipeline({ reporter: { delivery: (delivered: DeliveryRecord) => shown.push(delivered) } as unknown as Reporter });
  pipeline.streamTo({ publishLazy: (_type: string, make: () => unknown) => void lazy.push(make) } as unknown as ControlServer);
  return { pipeline, lazy, shown };
}

describe('createDeliveryPipeline', () => {
  it('streams a delivery read later exactly as the record it was given, its event parsed again from the body', () => {
    const { pipeline, lazy, shown } = pipelineWithStream();
    pipeline.deliver(record, record, body);
    expect(shown).toEqual([record]);
    const wire = lazy[0]!();
    // Same keys in the same order, the event's odd "__proto__" key included.
    expect(JSON.stringify(wire)).toBe(JSON.stringify(toWireDelivery(record)));
    expect((wire as { record: { event: unknown } }).record.event).not.toBe(record.event);
  });

  it('streams the record itself when it has no event or no body', () => {
    const { pipeline, lazy } = pipelineWithStream();
    const rejected: DeliveryRecord = { receivedAt: new Date(0), attempt: 1, status: 400, verified: false, rejection: { reason: 'invalid_json', message: 'no' }, durationMs: 1 };
    pipeline.deliver(rejected, rejected, 'not json');
    pipeline.deliver(record, record);
    expect(lazy.map((make) => JSON.stringify(make()))).toEqual([JSON.stringify(toWireDelivery(rejected)), JSON.stringify(toWireDelivery(record))]);
  });
});
