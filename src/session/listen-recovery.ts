/**
 * What a session does when its `stripe listen` stalls or dies (supervise-stripe-listen.ts notices
 * and replaces it): tell the user at once, keep the secret in step, and catch up on the gap.
 *
 * Catch-up online: Stripe keeps nothing for a `stripe listen` that was away, but its Events API
 * lists every event for 30 days. After the replacement is ready, the events created since the last
 * delivery that arrived (or the stall, if earlier) are listed with the CLI's own credentials, and
 * those this session never received are signed with the session's secret and POSTed to its own
 * receiver on loopback, marked with a header. So they take the one path every delivery takes
 * (verification, handler, app, reporters, `trigger`'s waiters) and show as "recovered". Each event
 * id is delivered at most once: the ids received are remembered, and checked again just before
 * each POST, because the new CLI may deliver an event of the last second itself.
 *
 * Offline, the emulator keeps what it could not send and hands it to the new CLI's session
 * (session-hub.ts), so there is nothing to list.
 */
import type { Reporter } from '../render/reporter.js';
import { RECOVERED_HEADER } from '../receiver/start-receiver.js';
import { signPayload } from '../signature/sign-payload.js';
import type { ListenRecovery, ListenRestartFailure, ListenStall } from '../stripe-cli/supervise-stripe-listen.js';
import type { CatchUpReport, DeliveryRecord, StripeEventLike } from '../types.js';
import { formatDuration } from '../render/format-duration.js';
import { postToOwnReceiver } from './send-to-receiver.js';

/** Stripe lists events of the last 30 days; a minute less, so the edge never races. */
const EVENTS_KEPT_SECONDS = 30 * 24 * 3600 - 60;
/** Enough ids for any gap a person sits through; older ones fall out first. */
const SEEN_LIMIT = 100_000;

export interface ListenRecoveryOptions {
  reporter: Reporter;
  /** The session's current event selection: listed events of other types are not owed. */
  events: string[] | 'all-snapshot';
  /** Online: lists the events created in [since, until] (unix seconds), oldest first. Absent offline. */
  listEvents?: (since: number, until: number) => Promise<StripeEventLike[]>;
  receiverUrl: () => string;
  secret: () => string;
  /** The replacement CLI has another secret: verify with it, and hand it to the app and the env file. */
  onSecretChanged: (secret: string) => Promise<void>;
  now?: () => number;
  post?: typeof fetch;
}

export interface ListenRecoveryHandle {
  /** Every delivery the session received (to know what the gap really missed). */
  saw(record: DeliveryRecord): void;
  onStall(stall: ListenStall): void;
  onRestartFailed(failure: ListenRestartFailure): void;
  onRecovered(recovery: ListenRecovery): Promise<void>;
  /** Resolves when the catch-up under way (if any) is done; later ones are not started. */
  close(): Promise<void>;
}

export function createListenRecovery({ reporter, events, listEvents, receiverUrl, secret, onSecretChanged, now = Date.now, post = fetch }: ListenRecoveryOptions): ListenRecoveryHandle {
  const seen = new Map<string, number>();
  let lastCreated: number | undefined;
  const startedAt = Math.floor(now() / 1000);
  let catchingUp: Promise<void> = Promise.resolve();
  let closed = false;

  const remember = (event: StripeEventLike): void => {
    seen.delete(event.id);
    seen.set(event.id, event.created);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value!);
    if (typeof event.created === 'number' && (lastCreated === undefined || event.created > lastCreated)) lastCreated = event.created;
  };

  async function catchUp(stall: ListenStall, resumedAtWallMs: number): Promise<void> {
    const until = Math.ceil(resumedAtWallMs / 1000);
    const requested = Math.min(lastCreated ?? startedAt, Math.floor(stall.sinceWallMs / 1000));
    const oldest = Math.floor(now() / 1000) - EVENTS_KEPT_SECONDS;
    const since = Math.max(requested, oldest);
    const report: CatchUpReport = {
      since: new Date(since * 1000),
      until: new Date(until * 1000),
      recovered: 0,
      alreadyReceived: 0,
      failed: [],
      ...(requested < oldest ? { tooOld: { since: new Date(requested * 1000), until: new Date(oldest * 1000) } } : {}),
    };
    let listed: StripeEventLike[];
    try {
      listed = await listEvents!(since, until);
    } catch (error) {
      reporter.catchUp?.({ ...report, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    for (const event of listed) {
      if (closed) return;
      if (events !== 'all-snapshot' && !events.includes(event.type)) continue;
      if (seen.has(event.id)) {
        report.alreadyReceived += 1;
        continue;
      }
      if (await deliver(event)) report.recovered += 1;
      else report.failed.push(event.id);
    }
    reporter.catchUp?.(report);
  }

  /** Signed like Stripe signs, pretty-printed like Stripe sends; true when the receiver took it. */
  async function deliver(event: StripeEventLike): Promise<boolean> {
    const payload = JSON.stringify(event, null, 2);
    try {
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signPayload(payload, { secret: secret() }),
        'user-agent': 'webhook-dev catch-up',
        [RECOVERED_HEADER]: '1',
      };
      const status = await postToOwnReceiver(receiverUrl(), { headers, body: payload }, post);
      // 500: the handler failed on it, which the delivery's own record shows; it still arrived.
      return status !== 400 && status !== 503;
    } catch {
      return false;
    }
  }

  return {
    saw(record) {
      if (record.verified && record.event !== undefined) remember(record.event);
    },
    onStall(stall) {
      reporter.stall?.({ phase: 'started', cause: stall.cause, detail: stall.detail, since: new Date(stall.sinceWallMs), pid: stall.pid, restarting: stall.restarting });
    },
    onRestartFailed({ attempt, error, retryInMs }) {
      const why = error instanceof Error ? error.message : String(error);
      const next = retryInMs === undefined ? 'giving up.' : `trying again in ${formatDuration(retryInMs)}.`;
      reporter.notice(`Restarting the Stripe CLI failed (attempt ${attempt}): ${why} — ${next}`, 'warn');
    },
    async onRecovered({ stall, secret: newSecret, secretChanged, pid, attempts, gapMs, resumedAtWallMs }) {
      if (secretChanged) await onSecretChanged(newSecret);
      reporter.stall?.({ phase: 'ended', cause: stall.cause, detail: stall.detail, since: new Date(stall.sinceWallMs), pid, durationMs: gapMs, attempts, secretChanged });
      if (listEvents === undefined || closed) return;
      // In the background: the supervisor watches the new CLI meanwhile.
      catchingUp = catchingUp.then(() => catchUp(stall, resumedAtWallMs)).catch(() => {});
    },
    async close() {
      closed = true;
      await catchingUp;
    },
  };
}
