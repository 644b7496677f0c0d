/**
 * Understands what `stripe listen` prints, one line at a time. Pure. The forms were captured from
 * the real binary (1.52.0), on a pipe and on a TTY; see test/unit/stripe-cli-parse-listen-output.test.ts.
 */
import { stripVTControlCharacters } from 'node:util';

export type ListenLine =
  | { kind: 'getting-ready' }
  /** The websocket session expired and the CLI is opening a new one. */
  | { kind: 'reconnecting' }
  | { kind: 'ready'; secret: string; apiVersion?: string }
  | { kind: 'event'; time: string; eventType: string; eventId: string; connect: boolean }
  | { kind: 'delivery'; time: string; status: number; method: string; url: string; eventId: string }
  | { kind: 'forward-error'; message: string; eventId?: string }
  /** The CLI's warning for an `--events` name it does not know; it still starts. */
  | { kind: 'unknown-event'; eventType: string }
  | { kind: 'auth-failed'; status: number }
  | { kind: 'not-configured' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'other'; text: string };

const TIME = String.raw`(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})`;
const EVENT = new RegExp(String.raw`^${TIME}\s+-->\s+(connect\s+)?(\S+)\s+\[([^\]]*)\]$`);
const DELIVERY = new RegExp(String.raw`^${TIME}\s+<--\s+\[(\d{3})\]\s+(\S+)\s+(\S+)\s+\[([^\]]*)\]$`);
const READY = /Ready! (?:You are using Stripe API Version \[([^\]]+)\]\. )?Your webhook signing secret is (whsec_\w+)/;
const FORWARD_ERROR = /\[ERROR\]\s+(Failed to (?:POST|read response from endpoint).*)$/;
const UNKNOWN_EVENT = /You're attempting to listen for "(.+?)", which isn't a valid/;
const AUTH_FAILED = /Authorization failed, status=(\d+)/;
const UNREACHABLE = /Error while authenticating with Stripe: (.*)$/;
const EVENT_ID = /\bevt_\w+/;

// Errors and warnings go through logrus: `time="…" level=fatal msg="…"` on a pipe,
// `[Wed, 25 Nov 2026 09:13:23 UTC] FATAL …` on a TTY. A message ending in "\n" leaves its closing
// quote alone on the next line.
const LOGRUS_TEXT = /^time="[^"]*" level=\w+ msg="(.*)$/;
const LOGRUS_TTY = /^\[[^\]]*\]\s+(?:PANIC|FATAL|ERROR|WARN|WARNING|INFO|DEBUG|TRACE)\s+(.*)$/;

/** The words of a line: no colours or links, no spinner frame, no `> ` prompt, no logrus wrapper. */
export function plainListenText(line: string): string {
  // Colours, cursor codes and OSC 8 links (`ESC ] 8 ;; url ESC \`): on a TTY, or with FORCE_COLOR.
  const text = stripVTControlCharacters(line)
    .replace(/^[\s\u2800-\u28ff]*(?:> )?/, '')
    .trimEnd();
  const logfmt = LOGRUS_TEXT.exec(text);
  if (logfmt) return logfmt[1]!.replace(/"$/, '').replace(/\\"/g, '"').trim();
  const tty = LOGRUS_TTY.exec(text);
  if (tty) return tty[1]!.trim();
  return text === '"' ? '' : text;
}

/**
 * `--log-level debug` lines (logrus on a pipe: `time="…" level=debug msg="…" prefix=…`), told apart
 * before any other parsing: some carry a whole event payload, and none is for the user. A
 * `heartbeat` is one that proves the CLI's websocket made a round trip just now: the pong to its
 * own ping (every 2 s, pkg/websocket/client.go writePump), or a message arriving from the server.
 */
export function debugLineKind(line: string): 'heartbeat' | 'debug' | undefined {
  if (!line.startsWith('time="')) return undefined;
  const level = line.indexOf(' level=debug msg="');
  if (level === -1) return undefined;
  const message = line.slice(level + 18, level + 40);
  return message.startsWith('Received pong message') || message.startsWith('Incoming message') ? 'heartbeat' : 'debug';
}

export function parseListenLine(line: string): ListenLine {
  const text = plainListenText(line);
  return parseDataLine(text) ?? parseStatusLine(text) ?? { kind: 'other', text };
}

function parseDataLine(text: string): ListenLine | undefined {
  const event = EVENT.exec(text);
  if (event) {
    return { kind: 'event', time: event[1]!, connect: event[2] !== undefined, eventType: event[3]!, eventId: event[4]! };
  }
  const delivery = DELIVERY.exec(text);
  if (delivery) {
    return {
      kind: 'delivery',
      time: delivery[1]!,
      status: Number(delivery[2]),
      method: delivery[3]!,
      url: delivery[4]!,
      eventId: delivery[5]!,
    };
  }
  const forwardError = FORWARD_ERROR.exec(text);
  if (forwardError) {
    const eventId = EVENT_ID.exec(text)?.[0];
    return { kind: 'forward-error', message: forwardError[1]!, ...(eventId ? { eventId } : {}) };
  }
  return undefined;
}

function parseStatusLine(text: string): ListenLine | undefined {
  const ready = READY.exec(text);
  if (ready) return { kind: 'ready', secret: ready[2]!, ...(ready[1] ? { apiVersion: ready[1] } : {}) };
  if (text.includes('Getting ready...')) return { kind: 'getting-ready' };
  if (text.includes('Session expired, reconnecting...')) return { kind: 'reconnecting' };
  const unknownEvent = UNKNOWN_EVENT.exec(text);
  if (unknownEvent) return { kind: 'unknown-event', eventType: unknownEvent[1]! };
  // A 401 is reported inside "Error while authenticating…", so test for it first.
  const authFailed = AUTH_FAILED.exec(text);
  if (authFailed) return { kind: 'auth-failed', status: Number(authFailed[1]) };
  if (text.includes('You have not configured API keys yet')) return { kind: 'not-configured' };
  const unreachable = UNREACHABLE.exec(text);
  if (unreachable) return { kind: 'unreachable', message: unreachable[1]! };
  return undefined;
}
