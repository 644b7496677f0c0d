import { judgeTrigger, VERDICT_EXIT_CODE, worstVerdict } from '../trigger/trigger-verdict.js';
import type { SendReport, TriggerFailure, TriggerVerdict } from '../types.js';

/** One re-delivery is about to go out. */
export interface ReplayStart {
  eventId: string;
  eventType?: string;
  /** 1…times: which copy of the event this is (`--times`). */
  copy: number;
  times: number;
  target: SendReport['target'];
  url: string;
  edited: boolean;
}

/** One re-delivery and what came of it: the delivery as `send` reports it, plus where it stands in the replay. */
export interface ReplayDelivery extends SendReport {
  eventId: string;
  copy: number;
  times: number;
  /** Changed in the editor (`--edit`) before it was sent. */
  edited: boolean;
  /** The journal had masked a secret in the body: not the original bytes. */
  redacted: boolean;
  /** As `trigger` judges a delivery: what decides the exit code and the JUnit case. */
  verdict: TriggerVerdict;
  failures: TriggerFailure[];
}

export interface ReplayTotals {
  events: number;
  deliveries: number;
  passed: number;
  failed: number;
  verdict: TriggerVerdict;
  exitCode: number;
}

/** The verdict `trigger` would give the one delivery. Pure. */
export function judgeReplayDelivery(report: SendReport, { statusOnly = false }: { statusOnly?: boolean } = {}): Pick<ReplayDelivery, 'verdict' | 'failures'> {
  const { verdict, failures } = judgeTrigger({ stripeOk: true, deliveries: [report.record], missing: [], timeoutMs: 0, statusOnly });
  return { verdict, failures };
}

/** The worst delivery decides, with trigger's exit codes. Pure. */
export function replayTotals(deliveries: readonly ReplayDelivery[]): ReplayTotals {
  const verdict = worstVerdict(deliveries.map((delivery) => delivery.verdict));
  const passed = deliveries.filter((delivery) => delivery.verdict === 'passed').length;
  return {
    events: new Set(deliveries.map((delivery) => delivery.eventId)).size,
    deliveries: deliveries.length,
    passed,
    failed: deliveries.length - passed,
    verdict,
    exitCode: VERDICT_EXIT_CODE[verdict],
  };
}
