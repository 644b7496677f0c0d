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
    expect(atTerminal).toContain("publish  curl -s -X POST http://127.0.0.1:12111/_webhook-dev/events -d '{\"type\":\"payment_intent.succeeded\"}'");
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
