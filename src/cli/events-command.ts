import { relative } from 'node:path';
import { EventNotFoundError, ExitCode, UsageError } from '../errors.js';
import { findProjectRoot } from '../control/session-file.js';
import { journalDir } from '../journal/journal-files.js';
import { findEventDeliveries, listDeliveries, type JournalQuery } from '../journal/query-journal.js';
import { parseTypePattern } from '../journal/type-pattern.js';
import { formatJournalEntry, journalColumnWidths, toJournalEntryRecord } from '../render/format-journal.js';
import { toJsonLine } from '../render/record-schema.js';
import { redactSecrets } from '../secrets.js';
import { parseSince } from './parse-options.js';

// `events` should start as fast as `--help`: chalk and the delivery formatting load only when used.
const createColors = async (stream: NodeJS.WritableStream) => (await import('../render/color.js')).createColors({ stream: stream as never });

export interface EventsFlags {
  type?: string;
  failed?: boolean;
  since?: string;
  session?: string;
  limit?: string;
  json?: boolean;
}

export interface EventsIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
}

function defaultIo(): EventsIo {
  // `webhook-dev events | head`: the reader closing its end is the end of the listing, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    process.exit(error.code === 'EPIPE' ? ExitCode.OK : ExitCode.INTERNAL);
  });
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** `webhook-dev events`: the newest journaled deliveries, across sessions, newest first. */
export async function runEventsCommand(flags: EventsFlags, io: EventsIo = defaultIo()): Promise<number> {
  const query = toQuery(flags);
  const dir = journalDir(await findProjectRoot(io.cwd));
  const { found, segments, torn } = await listDeliveries(dir, query);
  warnTorn(torn, flags.json === true, io);
  if (flags.json) {
    for (const entry of found) io.stdout.write(`${toJsonLine(toJournalEntryRecord(entry))}\n`);
  } else {
    const colors = await createColors(io.stdout);
    const widths = journalColumnWidths(found);
    for (const entry of found) io.stdout.write(`${formatJournalEntry(entry, colors, widths)}\n`);
  }
  if (found.length === 0) say(segments === 0 ? emptyJournal(dir, io.cwd) : 'No journaled delivery matches these filters.', flags.json === true, io);
  else if (!flags.json && found.length === query.limit) io.stderr.write(`The ${query.limit} newest shown; --limit shows more, webhook-dev events show <evt_id> shows one.\n`);
  return ExitCode.OK;
}

export interface ShowFlags {
  raw?: boolean;
  json?: boolean;
}

/** `webhook-dev events show <evt_id>`: the payload, and every delivery of it with its results. */
export async function runEventsShowCommand(eventId: string, flags: ShowFlags, io: EventsIo = defaultIo()): Promise<number> {
  if (!/^evt_[A-Za-z0-9_]+$/.test(eventId)) {
    throw new UsageError(`"${eventId}" is not an event id; they look like evt_1NtB8f2eZvKYlo2C.`, { hint: 'webhook-dev events lists the journaled ones.' });
  }
  if (flags.raw && flags.json) throw new UsageError('--raw and --json cannot be combined.', { hint: '--raw prints the exact bytes received; --json one record.' });
  const dir = journalDir(await findProjectRoot(io.cwd));
  const { found, segments, torn } = await findEventDeliveries(dir, eventId);
  warnTorn(torn, flags.json === true, io);
  const first = found[0];
  if (first === undefined) {
    throw new EventNotFoundError(`No delivery of ${eventId} is in the journal.`, {
      hint: segments === 0 ? emptyJournal(dir, io.cwd) : 'It may never have reached this project, or was pruned (--journal-max-age, --journal-max-size). webhook-dev events lists what is kept.',
    });
  }
  if (flags.raw) {
    if (first.redacted) io.stderr.write('Note: this body held something secret-looking, which the journal masked: these are not the exact bytes received.\n');
    io.stdout.write(first.body);
    return ExitCode.OK;
  }
  if (flags.json) {
    const [{ toEventRecord }, { toJsonSafe }] = await Promise.all([import('../render/json-records.js'), import('../render/to-json-safe.js')]);
    io.stdout.write(
      `${toJsonLine({
        type: 'journaled-event',
        eventId,
        payload: toJsonSafe(parsePayload(first.body)),
        deliveries: found.map((delivery) => ({ ...toEventRecord(delivery.record), session: delivery.session, seq: delivery.seq, source: delivery.source })),
      })}\n`,
    );
    return ExitCode.OK;
  }
  const [colors, { formatDelivery }] = await Promise.all([createColors(io.stdout), import('../render/format-delivery.js')]);
  const payload = parsePayload(first.body);
  io.stdout.write(`${typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2)}\n\n`);
  io.stdout.write(`${colors.bold(`${found.length} ${found.length === 1 ? 'delivery' : 'deliveries'}`)}\n`);
  for (const delivery of found) {
    io.stdout.write(`${formatDelivery(delivery.record, { colors, cwd: io.cwd }).join('\n')}\n`);
    io.stdout.write(`${colors.dim(`          session ${delivery.session} #${delivery.seq}, from ${delivery.source}`)}\n`);
  }
  return ExitCode.OK;
}

function toQuery(flags: EventsFlags): JournalQuery {
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || !/^\s*\d+\s*$/.test(flags.limit ?? '20')) {
    throw new UsageError(`--limit takes a whole number from 1 (got "${flags.limit}").`, { hint: 'For example: --limit 50' });
  }
  return {
    limit,
    ...(flags.type !== undefined ? { type: parseTypePattern(flags.type) } : {}),
    ...(flags.failed ? { failed: true } : {}),
    ...(flags.since !== undefined ? { since: parseSince(flags.since) } : {}),
    ...(flags.session !== undefined ? { session: flags.session } : {}),
  };
}

function parsePayload(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8');
  }
}

function emptyJournal(dir: string, cwd: string): string {
  return `The journal is empty (${relative(cwd, dir) || dir}): webhook-dev listen and trigger keep every delivery there, unless run with --no-journal.`;
}

function warnTorn(torn: number, json: boolean, io: EventsIo): void {
  if (torn === 0) return;
  say(`Skipped ${torn === 1 ? 'a torn record' : `${torn} torn records`}: a session was killed while writing ${torn === 1 ? 'it' : 'them'}. The rest of the journal is intact.`, json, io, 'warn');
}

function say(message: string, json: boolean, io: EventsIo, level: 'info' | 'warn' = 'info'): void {
  if (json) io.stdout.write(`${toJsonLine({ type: 'notice', level, message: redactSecrets(message) })}\n`);
  else io.stderr.write(`${message}\n`);
}
