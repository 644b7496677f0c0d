/**
 * The session's control interface (what `trigger` attaches to) answers only the session's token
 * holders on a loopback Host; a real server on an ephemeral loopback port.
 */
import { afterEach, expect, it } from 'vitest';
import type { ControlSessionInfo } from '../../src/control/control-session-info.js';
import { startControlServer, type ControlServer } from '../../src/control/start-control-server.js';
import { sendRequest } from '../helpers/raw-http.js';

const session: ControlSessionInfo = {
  pid: process.pid,
  startedAt: '2026-01-01T00:00:00.000Z',
  receiverUrl: 'http://127.0.0.1:4343/webhook',
  offline: true,
  apiBase: 'http://127.0.0.1:5000',
  publishUrl: 'http://127.0.0.1:5000/_webhook-dev/events',
  offlineApiKey: 'sk_test_offlineABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
  events: 'all-snapshot',
  eventsSource: 'all',
  handler: null,
  stripeCli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
  apiVersion: null,
};

let server: ControlServer | undefined;
afterEach(() => server?.close());

it('refuses a missing, wrong or query-guessed token and a foreign Host; answers the token on loopback', async () => {
  server = await startControlServer({ getSession: () => session });
  const url = `${server.url}/session`;
  const refusals: Array<[string, Record<string, string>, number, string?]> = [
    ['no token', {}, 401],
    ['a wrong token', { authorization: 'Bearer not-the-token' }, 401],
    ['a token of another scheme', { authorization: `Basic ${server.token}` }, 401],
    ['a wrong ?token=', {}, 401, '?token=guess'],
    ['the right token for a rebinding Host', { authorization: `Bearer ${server.token}`, host: 'evil.example' }, 403],
    ['the right token for another port', { authorization: `Bearer ${server.token}`, host: '127.0.0.1:1' }, 403],
  ];
  for (const [name, headers, status, query = ''] of refusals) {
    const response = await sendRequest(`${url}${query}`, { method: 'GET', headers });
    expect(response.status, name).toBe(status);
    expect(response.body, name).not.toContain('sk_test_');
  }
  for (const path of ['/session', '/events']) {
    expect((await sendRequest(`${server.url}${path}`, { method: 'GET', headers: { host: 'evil.example' } })).status).toBe(403);
  }
  const granted = await sendRequest(url, { method: 'GET', headers: { authorization: `Bearer ${server.token}` } });
  expect(granted.status).toBe(200);
  expect(JSON.parse(granted.body)).toEqual(session);
});
