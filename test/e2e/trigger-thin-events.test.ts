/**
 * Thin (v2) events through the built binary: the meter-event triggers run offline, the session's
 * `stripe listen` forwards their thin envelopes to the receiver (beside snapshot events, when the
 * handler declares both), the receiver verifies them and the handler gets the envelope.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../helpers/run-cli.js';
import { cleanUpAfterEach, finished, tempProject } from '../helpers/trigger-runs.js';

const handler = join(projectRoot, 'test/fixtures/e2e/thin-handler.ts');
cleanUpAfterEach();

const ENVELOPE = { object: 'v2.core.event', created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), hasData: false };

describe('thin events offline', () => {
  it('trigger --offline runs both meter-event triggers; the handler gets each thin envelope, verified', async () => {
    const run = runCli(['trigger', 'v1.billing.meter.no_meter_found', 'v1.billing.meter.error_report_triggered', '--offline', '--handler', handler, '--json']);
    const { exitCode, triggers, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(0);
    expect(triggers.map((t) => [t.trigger, t.outcome])).toEqual([
      ['v1.billing.meter.no_meter_found', 'passed'],
      ['v1.billing.meter.error_report_triggered', 'passed'],
    ]);
    const noMeter = events.find((e) => e.event.type === 'v1.billing.meter.no_meter_found');
    expect(noMeter).toMatchObject({ outcome: 'ok', event: { id: expect.stringMatching(/^evt_test_/), objectId: null }, value: { ...ENVELOPE, related: null } });
    expect(noMeter!.value.id).toBe(noMeter!.event.id);
    const meterCreated = events.find((e) => e.event.type === 'billing.meter.created');
    const report = events.find((e) => e.event.type === 'v1.billing.meter.error_report_triggered');
    expect(report).toMatchObject({ outcome: 'ok', event: { objectId: meterCreated!.event.objectId }, value: { ...ENVELOPE, related: { id: meterCreated!.event.objectId, type: 'billing.meter' } } });
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 0, rejected: 0 });
  });

  it('a listen whose handler declares snapshot and thin types receives both; attached triggers of each pass', async () => {
    const dir = tempProject();
    const listen = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', handler], { cwd: dir });
    const ready = await listen.waitForRecord((r) => r.type === 'ready');
    expect(ready.events).toEqual(['customer.created', 'v1.billing.meter.error_report_triggered', 'v1.billing.meter.no_meter_found']);

    for (const name of ['v1.billing.meter.no_meter_found', 'customer.created']) {
      const trigger = runCli(['trigger', name, '--json'], { cwd: dir });
      const { exitCode, triggers, events } = await finished(trigger);
      expect(exitCode, trigger.stderr()).toBe(0);
      expect(triggers[0]).toMatchObject({ trigger: name, outcome: 'passed' });
      const id = events.find((e) => e.event.type === name)?.event.id;
      await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === id && r.outcome === 'ok', 5_000, `${name} in the listen terminal`);
    }
    listen.kill('SIGINT');
    expect((await listen.exit()).exitCode).toBe(130);
    expect(listen.records.filter((r) => r.type === 'event' && r.outcome !== 'ok')).toEqual([]);
  });
});
