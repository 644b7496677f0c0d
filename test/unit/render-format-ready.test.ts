import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatReady } from '../../src/render/format-ready.js';
import type { ReadyInfo } from '../../src/types.js';

const colors = new Chalk({ level: 0 });
const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuva1b2';

function sampleInfo(overrides: Partial<ReadyInfo> = {}): ReadyInfo {
  return {
    receiverUrl: 'http://127.0.0.1:54321/webhooks',
    stripeCli: { path: '/home/dev/shop/node_modules/@stripe/cli-linux-x64/bin/stripe', version: '1.52.0', source: 'package' },
    apiVersion: '2025-08-27.basil',
    events: ['payment_intent.succeeded', 'charge.failed'],
    eventsSource: 'handler',
    handlerPath: '/home/dev/shop/src/webhooks.ts',
    secret: SECRET,
    showSecret: false,
    offline: false,
    ...overrides,
  };
}

describe('formatReady', () => {
  it('lists CLI, API version, events, handler and the masked secret', () => {
    const banner = formatReady(sampleInfo(), { colors, cwd: '/home/dev/shop', interactive: true });
    expect(banner.title).toBe('Ready  receiving at http://127.0.0.1:54321/webhooks');
    expect(banner.lines).toEqual([
      '  stripe   node_modules/@stripe/cli-linux-x64/bin/stripe 1.52.0 (bundled @stripe/cli)',
      '  api      2025-08-27.basil',
      "  events   payment_intent.succeeded, charge.failed (from the handler's event types)",
      '  handler  src/webhooks.ts',
      '  secret   whsec_…a1b2 (--show-secret to reveal)',
      '  Ctrl-C to stop',
    ]);
    expect(banner.lines.join('\n')).not.toContain(SECRET);
  });

  it('names the delivery quirks in force and the seed that repeats them', () => {
    const banner = formatReady(sampleInfo({ quirks: { seed: 1234, duplicate: 1, shuffleMs: 2000 } }), { colors, cwd: '/home/dev/shop' });
    expect(banner.lines).toContain('  quirks   duplicate 100%, shuffle within 2000ms (repeat with --seed 1234)');
  });

  it('prints a publish curl that sends the session token from its curl config, never the key', () => {
    const key = 'sk_test_offlineABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    const offline = { offline: true, apiBase: 'http://127.0.0.1:12111', publishUrl: 'http://127.0.0.1:12111/_webhook-dev/events', offlineApiKey: key };
    const withFile = formatReady(sampleInfo({ ...offline, publishCurlConfig: '/home/dev/shop/.webhook-dev/sessions/77.curl' }), { colors, cwd: '/home/dev/shop', interactive: true });
    expect(withFile.lines).toContain(`  publish  curl -sK .webhook-dev/sessions/77.curl http://127.0.0.1:12111/_webhook-dev/events -d '{"type":"payment_intent.succeeded"}'`);
    const spaced = formatReady(sampleInfo({ ...offline, publishCurlConfig: "/home/dev/my shop's/.webhook-dev/sessions/77.curl" }), { colors, cwd: '/home/dev', interactive: true });
    expect(spaced.lines.join('\n')).toContain(`curl -sK 'my shop'\\''s/.webhook-dev/sessions/77.curl' http`);
    const noFile = formatReady(sampleInfo(offline), { colors, cwd: '/home/dev/shop', interactive: true });
    expect(noFile.lines.join('\n')).toContain(`-H 'Authorization: Bearer sk_test_…2345' -H 'Content-Type: application/json'`);
    expect(noFile.lines.join('\n')).toContain('--show-secret to reveal the key');
    expect([...withFile.lines, ...noFile.lines].join('\n')).not.toContain(key);
    expect(formatReady(sampleInfo({ ...offline, showSecret: true }), { colors, cwd: '/home/dev/shop', interactive: true }).lines.join('\n')).toContain(`Bearer ${key}'`);
  });

  it('says where the journal is and how to look back, relative to the project', () => {
    const banner = formatReady(sampleInfo({ journal: { dir: '/home/dev/shop/.webhook-dev/journal', session: '20261130-194201-4821' } }), { colors, cwd: '/home/dev/shop' });
    expect(banner.lines).toContain('  journal  .webhook-dev/journal (webhook-dev events to look back)');
    expect(formatReady(sampleInfo(), { colors, cwd: '/home/dev/shop' }).lines.join('\n')).not.toContain('journal');
  });

  it('shows the secret when asked to', () => {
    const banner = formatReady(sampleInfo({ showSecret: true }), { colors, cwd: '/home/dev/shop' });
    expect(banner.lines).toContain(`  secret   ${SECRET}`);
  });

  it('marks offline mode, inspect mode, all events and where the binary came from', () => {
    const { handlerPath: _none, apiVersion: _nov, ...rest } = sampleInfo();
    const banner = formatReady(
      { ...rest, offline: true, apiBase: 'http://127.0.0.1:12111', events: 'all-snapshot', eventsSource: 'all', stripeCli: { path: '/usr/bin/stripe', version: '1.30.0', source: 'path' } },
      { colors, cwd: '/home/dev/shop' },
    );
    expect(banner.lines).toEqual([
      '  stripe   /usr/bin/stripe 1.30.0 (from PATH)',
      '  mode     offline emulator at http://127.0.0.1:12111',
      '  events   all snapshot events (no filter given)',
      '  handler  none — inspect mode: events are verified and shown',
      '  secret   whsec_…a1b2 (--show-secret to reveal)',
    ]);
  });

  it('offers the publish command and Ctrl-C only to a person at a terminal', () => {
    const info = sampleInfo({ offline: true, publishUrl: 'http://127.0.0.1:12111/_webhook-dev/events' });
    const atTerminal = formatReady(info, { colors, cwd: '/home/dev/shop', interactive: true }).lines.join('\n');
    expect(atTerminal).toMatch(/publish {2}curl -s http:\/\/127\.0\.0\.1:12111\/_webhook-dev\/events /);
    expect(atTerminal).toContain('Ctrl-C to stop');
    const piped = formatReady(info, { colors, cwd: '/home/dev/shop' }).lines.join('\n');
    expect(piped).not.toContain('publish');
    expect(piped).not.toContain('Ctrl-C');
  });

  it.each([
    ['flag', '--stripe-bin'],
    ['env', 'STRIPE_CLI_PATH'],
  ] as const)('names the %s source as %s', (source, label) => {
    const banner = formatReady(sampleInfo({ stripeCli: { path: '/opt/stripe', version: '1.52.0', source }, eventsSource: 'flag' }), { colors, cwd: '/home/dev' });
    expect(banner.lines[0]).toBe(`  stripe   /opt/stripe 1.52.0 (${label})`);
    expect(banner.lines[2]).toContain('(from --events)');
  });
});
