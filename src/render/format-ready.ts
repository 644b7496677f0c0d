import { describeQuirks } from '../quirks/quirk-settings.js';
import { maskSecret } from '../secrets.js';
import type { ReadyInfo, StripeCliSource } from '../types.js';
import type { Colors } from './color.js';
import { displayPath } from './display-path.js';

const CLI_SOURCES: Record<StripeCliSource, string> = {
  flag: '--stripe-bin',
  env: 'STRIPE_CLI_PATH',
  path: 'from PATH',
  package: 'bundled @stripe/cli',
};

const EVENT_SOURCES: Record<ReadyInfo['eventsSource'], string> = {
  flag: 'from --events',
  handler: "from the handler's event types",
  all: 'no filter given',
};

export interface FormatReadyOptions {
  colors: Colors;
  cwd?: string;
  /** Adds what only a person at a terminal needs: how to publish an event by hand, and Ctrl-C. */
  interactive?: boolean;
}

export interface ReadyBanner {
  /** The headline, without a symbol: the spinner's success symbol or the reporter adds one. */
  title: string;
  lines: string[];
}

/**
 * The banner printed once the Stripe CLI is forwarding: everything a user needs to trust the
 * session (which binary, which events, which handler, which secret) in one glance.
 */
export function formatReady(info: ReadyInfo, { colors, cwd = process.cwd(), interactive = false }: FormatReadyOptions): ReadyBanner {
  const rows: Array<[string, string]> = [
    ['stripe', `${displayPath(info.stripeCli.path, cwd)} ${info.stripeCli.version} ${colors.dim(`(${CLI_SOURCES[info.stripeCli.source]})`)}`],
  ];
  if (info.apiVersion !== undefined) rows.push(['api', info.apiVersion]);
  if (info.offline) rows.push(['mode', `${colors.yellow('offline emulator')}${info.apiBase === undefined ? '' : colors.dim(` at ${info.apiBase}`)}`]);
  rows.push(['events', `${describeEvents(info.events)} ${colors.dim(`(${EVENT_SOURCES[info.eventsSource]})`)}`]);
  rows.push([
    'handler',
    info.handlerPath !== undefined
      ? displayPath(info.handlerPath, cwd)
      : info.forwardTo !== undefined
        ? colors.dim('none (events go to your app)')
        : colors.yellow('none — inspect mode: events are verified and shown'),
  ]);
  if (info.forwardTo !== undefined) rows.push(['forward', `${colors.cyan(info.forwardTo)} ${colors.dim('(every verified delivery, byte for byte)')}`]);
  if (info.quirks !== undefined) rows.push(['quirks', `${colors.yellow(describeQuirks(info.quirks))} ${colors.dim(`(repeat with --seed ${info.quirks.seed})`)}`]);
  rows.push(['secret', describeSecret(info, colors)]);
  if (info.journal !== undefined) rows.push(['journal', `${displayPath(info.journal.dir, cwd)} ${colors.dim('(webhook-dev events to look back)')}`]);
  if (interactive && info.publishUrl !== undefined) rows.push(['publish', describePublish(info, info.publishUrl, colors, cwd)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return {
    title: `${colors.bold('Ready')}  receiving at ${colors.cyan(info.receiverUrl)}`,
    lines: [...rows.map(([label, value]) => `  ${colors.dim(label.padEnd(width))}  ${value}`), ...(interactive ? [colors.dim('  Ctrl-C to stop')] : [])],
  };
}

function describeEvents(events: ReadyInfo['events']): string {
  if (events === 'all-snapshot') return 'all snapshot events';
  return events.length === 0 ? 'none' : events.join(', ');
}

function describeSecret(info: ReadyInfo, colors: Colors): string {
  if (info.showSecret) return info.secret;
  return `${maskSecret(info.secret)} ${colors.dim('(--show-secret to reveal)')}`;
}

const PUBLISH_BODY = `-d '{"type":"payment_intent.succeeded"}'`;

/**
 * A curl that works as printed, without printing the session's key: it reads the token from the
 * session's curl config. Without one (no session file), the key is shown the way the secret is.
 */
function describePublish(info: ReadyInfo, url: string, colors: Colors, cwd: string): string {
  if (info.publishCurlConfig !== undefined) return `curl -sK ${shellWord(displayPath(info.publishCurlConfig, cwd))} ${url} ${PUBLISH_BODY}`;
  const key = info.offlineApiKey === undefined ? '<key>' : info.showSecret ? info.offlineApiKey : maskSecret(info.offlineApiKey);
  const command = `curl -s ${url} -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' ${PUBLISH_BODY}`;
  return info.showSecret || info.offlineApiKey === undefined ? command : `${command} ${colors.dim('(--show-secret to reveal the key)')}`;
}

/** Quoted for a POSIX shell only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
