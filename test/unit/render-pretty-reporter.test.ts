import ora from 'ora';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StripeCliNotFoundError } from '../../src/errors.js';
import type { OutputStream } from '../../src/render/color.js';
import { createPrettyReporter } from '../../src/render/pretty-reporter.js';
import type { DeliveryRecord, ReadyInfo } from '../../src/types.js';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuva1b2';

interface Collected {
  stream: OutputStream;
  text: () => string;
}

/** A stream that records writes; as a fake TTY it also offers the cursor methods ora calls. */
function collector(isTTY = false): Collected {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as Writable & OutputStream & Record<string, unknown>;
  stream.isTTY = isTTY;
  if (isTTY) {
    Object.assign(stream, { columns: 80, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, getColorDepth: () => 8 });
  }
  return { stream, text: () => chunks.join('') };
}

function sampleInfo(): ReadyInfo {
  return {
    receiverUrl: 'http://127.0.0.1:54321/webhooks',
    stripeCli: { path: '/opt/stripe', version: '1.52.0', source: 'package' },
    events: ['charge.failed'],
    eventsSource: 'flag',
    secret: SECRET,
    showSecret: false,
    offline: false,
  };
}

function sampleRecord(): DeliveryRecord {
  return {
    receivedAt: new Date('2024-05-06T13:04:05.678Z'),
    status: 200,
    verified: true,
    event: { id: 'evt_1', object: 'event', type: 'charge.failed', created: 1, livemode: false, data: { object: { id: 'ch_1', object: 'charge' } } },
    attempt: 1,
    durationMs: 3,
    handler: { outcome: { status: 'ok', value: 'done' }, durationMs: 2, logs: [] },
  };
}

function setup(options: { tty?: boolean; env?: Record<string, string>; spinner?: boolean } = {}) {
  const stdout = collector(options.tty);
  const stderr = collector(options.tty);
  const reporter = createPrettyReporter({
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
    cwd: '/home/dev',
    timeZone: 'UTC',
    ...(options.spinner === undefined ? {} : { spinner: options.spinner }),
    // A terminal is someone who stops the run with Ctrl-C; a pipe is not.
    interactive: options.tty === true,
    ora,
  });
  return { reporter, stdout, stderr };
}

describe('createPrettyReporter', () => {
  it('puts event blocks on stdout and everything else on stderr', () => {
    const { reporter, stdout, stderr } = setup();
    reporter.starting('Starting the Stripe CLI');
    reporter.ready(sampleInfo());
    reporter.delivery(sampleRecord());
    reporter.notice('handler reloaded');
    reporter.error(new StripeCliNotFoundError('No Stripe CLI found.', { hint: 'Install @stripe/cli.' }));
    reporter.summary({ events: 1, ok: 1, failed: 0, rejected: 0, durationMs: 1500, exitCode: 0, reason: 'closed' });
    reporter.close();

    expect(stdout.text()).toBe("13:04:05  charge.failed  evt_1\n          ch_1\n          ✓ 2 ms  → 'done'\n");
    expect(stderr.text().split('\n')).toEqual([
      '› Starting the Stripe CLI',
      '✔ Ready  receiving at http://127.0.0.1:54321/webhooks',
      '  stripe   /opt/stripe 1.52.0 (bundled @stripe/cli)',
      '  events   charge.failed (from --events)',
      '  handler  none — inspect mode: events are verified and shown',
      '  secret   whsec_…a1b2 (--show-secret to reveal)',
      'ℹ handler reloaded',
      '✗ No Stripe CLI found.',
      '  hint: Install @stripe/cli.',
      '1 event: 1 ok, 0 failed, 0 rejected in 1.5 s',
      '',
    ]);
  });

  it('writes no ANSI to pipes, and colors when FORCE_COLOR asks', () => {
    const plain = setup();
    plain.reporter.delivery(sampleRecord());
    plain.reporter.notice('careful', 'warn');
    expect(plain.stdout.text() + plain.stderr.text()).not.toContain('\u001b[');

    const forced = setup({ env: { FORCE_COLOR: '1' } });
    forced.reporter.delivery(sampleRecord());
    forced.reporter.notice('careful', 'warn');
    expect(forced.stdout.text()).toContain('\u001b[32m✓\u001b[39m');
    expect(forced.stderr.text()).toContain('\u001b[33m');
  });

  it('masks secrets in notices', () => {
    const { reporter, stderr } = setup();
    reporter.notice(`secret is ${SECRET}`);
    expect(stderr.text()).toBe('ℹ secret is whsec_…a1b2\n');
  });

  it('spins on a TTY and ends the spinner with the ready title; close is idempotent', () => {
    const { reporter, stdout, stderr } = setup({ tty: true, env: { NO_COLOR: '1' } });
    reporter.starting('Starting the Stripe CLI');
    expect(stderr.text()).toContain('Starting the Stripe CLI');
    expect(stderr.text()).not.toContain('›');
    reporter.ready(sampleInfo());
    expect(stderr.text()).toContain('✔ Ready  receiving at http://127.0.0.1:54321/webhooks\n');
    expect(stderr.text()).toContain('  Ctrl-C to stop\n');
    reporter.close();
    expect(() => reporter.close()).not.toThrow();
    expect(stdout.text()).toBe('');
  });

  it('stops the spinner on error and prints plain lines after close', () => {
    const { reporter, stderr } = setup({ tty: true, env: { NO_COLOR: '1' } });
    reporter.starting('Starting');
    reporter.error(new Error('kaput'));
    expect(stderr.text()).toContain('✗ Internal error: Error: kaput');
    reporter.close();
    reporter.starting('Restarting');
    expect(stderr.text().endsWith('› Restarting\n')).toBe(true);
  });

  it('falls back to plain lines on a TTY that reports zero columns (ora would loop forever)', () => {
    const stdout = collector(true);
    const stderr = collector(true);
    (stderr.stream as unknown as { columns: number }).columns = 0;
    const reporter = createPrettyReporter({ stdout: stdout.stream, stderr: stderr.stream, env: { NO_COLOR: '1' } });
    reporter.starting('Starting the Stripe CLI');
    reporter.ready(sampleInfo());
    reporter.close();
    expect(stderr.text().startsWith('› Starting the Stripe CLI\n✔ Ready')).toBe(true);
  });

  it('spinner: false prints plain lines even on a TTY', () => {
    const { reporter, stderr } = setup({ tty: true, env: { NO_COLOR: '1' }, spinner: false });
    reporter.starting('Starting the Stripe CLI');
    reporter.close();
    expect(stderr.text()).toBe('› Starting the Stripe CLI\n');
  });

  it('without a spinner library passed in, a TTY gets plain lines too', () => {
    const stderr = collector(true);
    const reporter = createPrettyReporter({ stdout: collector(true).stream, stderr: stderr.stream, env: { NO_COLOR: '1' } });
    reporter.starting('Starting the Stripe CLI');
    reporter.close();
    expect(stderr.text()).toBe('› Starting the Stripe CLI\n');
  });
});
