/**
 * The emulator misbehaving on purpose, so that webhook-dev's watchdog around `stripe listen` can be
 * tested end to end with the real Stripe CLI, without Stripe: stop answering the CLI's pings, drop
 * its websocket without a word, refuse new CLI sessions for a while, and forget events sent while
 * no CLI listens (as Stripe does; its Events API still lists them). Set through start options or
 * `POST /_webhook-dev/faults`, which like every emulator endpoint answers only the session's own
 * key or token (request-guard.ts).
 */
import type { WebSocket } from 'ws';

export interface FaultSettings {
  /** false: pings from the CLI get no pong (its read deadline then expires after 10 s). */
  answerPings?: boolean;
  /** Answer this many more `POST /v1/stripecli/sessions` with HTTP 400 (the CLI exits at once). */
  refuseSessions?: number;
  /** true: an event published while no CLI socket is live is not kept for the next one. */
  loseEventsWhileAway?: boolean;
  /** Another `whsec_` for new sessions and every event from now on, as if the account's secret changed. */
  signingSecret?: string;
}

export interface FaultState {
  answerPings: boolean;
  refuseSessions: number;
  loseEventsWhileAway: boolean;
  /** Masked: whether the secret was changed, not what it is. */
  signingSecretChanged: boolean;
}

export interface EmulatorFaults {
  set(settings: FaultSettings): FaultState;
  state(): FaultState;
  answersPings(): boolean;
  losesEventsWhileAway(): boolean;
  signingSecret(): string | undefined;
  /** Counts one refusal down; true when this session request must be refused. */
  refuseSession(): boolean;
  silence(socket: WebSocket): void;
  isSilenced(socket: WebSocket): boolean;
}

export function createEmulatorFaults(initial: FaultSettings = {}): EmulatorFaults {
  const state: FaultState = { answerPings: true, refuseSessions: 0, loseEventsWhileAway: false, signingSecretChanged: false };
  const silenced = new WeakSet<WebSocket>();
  let signingSecret: string | undefined;
  const faults: EmulatorFaults = {
    set(settings) {
      if (settings.answerPings !== undefined) state.answerPings = settings.answerPings;
      if (settings.refuseSessions !== undefined) state.refuseSessions = settings.refuseSessions;
      if (settings.loseEventsWhileAway !== undefined) state.loseEventsWhileAway = settings.loseEventsWhileAway;
      if (settings.signingSecret !== undefined) {
        signingSecret = settings.signingSecret;
        state.signingSecretChanged = true;
      }
      return { ...state };
    },
    state: () => ({ ...state }),
    answersPings: () => state.answerPings,
    losesEventsWhileAway: () => state.loseEventsWhileAway,
    signingSecret: () => signingSecret,
    refuseSession() {
      if (state.refuseSessions <= 0) return false;
      state.refuseSessions -= 1;
      return true;
    },
    silence: (socket) => void silenced.add(socket),
    isSilenced: (socket) => silenced.has(socket),
  };
  faults.set(initial);
  return faults;
}

/** The body of `POST /_webhook-dev/faults`: known keys of the right kind, plus `dropSockets: true`. */
export function parseFaultRequest(value: unknown): { ok: true; settings: FaultSettings; dropSockets: boolean } | { ok: false; message: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'Send a JSON object, e.g. {"answerPings": false}.' };
  const settings: FaultSettings = {};
  let dropSockets = false;
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'answerPings' || key === 'loseEventsWhileAway') && typeof item === 'boolean') settings[key] = item;
    else if (key === 'refuseSessions' && Number.isInteger(item) && (item as number) >= 0) settings.refuseSessions = item as number;
    else if (key === 'dropSockets' && typeof item === 'boolean') dropSockets = item;
    else if (key === 'signingSecret' && typeof item === 'string' && /^whsec_[A-Za-z0-9]{16,}$/.test(item)) settings.signingSecret = item;
    else return { ok: false, message: `Unknown fault setting "${key}" (or a value of the wrong kind). Known: answerPings, loseEventsWhileAway (booleans), refuseSessions (a count), dropSockets (true), signingSecret (whsec_…).` };
  }
  return { ok: true, settings, dropSockets };
}
