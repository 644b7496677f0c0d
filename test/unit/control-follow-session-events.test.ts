import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ControlConnectionError } from '../../src/control/control-connection-error.js';
import { followSessionEvents } from '../../src/control/follow-session-events.js';
import { formatSseMessage } from '../../src/control/format-sse-message.js';
import type { JsonRecord } from '../../src/render/json-records.js';
import type { ControlRecord } from '../../src/control/start-control-server.js';

const notice = (message: string): JsonRecord => ({ type: 'notice', level: 'info', message });

/** A fetch that answers one stream made of exactly these byte chunks, and records what it was asked. */
function fakeFetch(chunks: Uint8Array[], init: ResponseInit = { status: 200, headers: { 'content-type': 'text/event-stream' } }) {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetch = (async (url: string, options: RequestInit) => {
    calls.push({ url, headers: new Headers(options.headers) });
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[i++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return new Response(body, init);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function splitBytes(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = offsets.map((o) => o % (bytes.length + 1)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

async function collect(chunks: Uint8Array[], extra: { since?: number } = {}) {
  const records: Array<[ControlRecord, number | undefined]> = [];
  const errors: unknown[] = [];
  const { fetch, calls } = fakeFetch(chunks);
  const follower = await followSessionEvents({
    controlUrl: 'http://127.0.0.1:9/',
    token: 'tok',
    fetch,
    onRecord: (record, { seq }) => records.push([record, seq]),
    onError: (error) => errors.push(error),
    ...extra,
  });
  await follower.closed;
  return { records, errors, calls };
}

describe('followSessionEvents', () => {
  it('asks for /events with the token and since, and hands over each record with its seq', async () => {
    const stream = `: hello\n\n${formatSseMessage({ id: 3, event: 'notice', data: JSON.stringify(notice('a')) })}${formatSseMessage({ id: 4, event: 'notice', data: JSON.stringify(notice('b')) })}`;
    const { records, errors, calls } = await collect([new TextEncoder().encode(stream)], { since: 2 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/events?since=2');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer tok');
    expect(records).toEqual([
      [notice('a'), 3],
      [notice('b'), 4],
    ]);
    expect(errors).toEqual([]);
  });

  it('delivers the same records however the bytes are split, multi-byte characters included', async () => {
    const messages = ['ünïcødé 🎉 €', 'plain', 'line\nbreak', '日本語のテキスト'].map(notice);
    const text = messages.map((m, i) => formatSseMessage({ id: i + 1, event: m.type, data: JSON.stringify(m) }).replaceAll('\n', i % 2 ? '\r\n' : '\n')).join('');
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (offsets) => {
        const { records, errors } = await collect(splitBytes(bytes, offsets));
        expect(errors).toEqual([]);
        expect(records.map(([r]) => r)).toEqual(messages);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a message that is not a JSON record, and goes on', async () => {
    const stream = 'data: not json\n\ndata: {"no":"type"}\n\n' + formatSseMessage({ id: 1, event: 'notice', data: JSON.stringify(notice('ok')) });
    const { records, errors } = await collect([new TextEncoder().encode(stream)]);
    expect(records).toEqual([[notice('ok'), 1]]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(ControlConnectionError);
  });

  it('rejects with reason "unauthorized" on 401, and "bad-response" when it is not an event stream', async () => {
    const unauthorized = fakeFetch([], { status: 401, headers: { 'content-type': 'application/json' } });
    await expect(followSessionEvents({ controlUrl: 'http://127.0.0.1:9', token: 'bad', fetch: unauthorized.fetch, onRecord: () => {} })).rejects.toMatchObject({
      name: 'ControlConnectionError',
      reason: 'unauthorized',
      status: 401,
    });
    const html = fakeFetch([], { status: 200, headers: { 'content-type': 'text/html' } });
    await expect(followSessionEvents({ controlUrl: 'http://127.0.0.1:9', token: 't', fetch: html.fetch, onRecord: () => {} })).rejects.toMatchObject({ reason: 'bad-response' });
  });

  it('rejects with reason "unreachable" when the fetch fails, without the token in the message', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    const error = await followSessionEvents({ controlUrl: 'http://127.0.0.1:9', token: 'secret-token', fetch: failing, onRecord: () => {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'unreachable' });
    expect(String((error as Error).message)).not.toContain('secret-token');
  });

  it('reports a throwing onRecord and keeps delivering', async () => {
    const stream = [notice('a'), notice('b')].map((m, i) => formatSseMessage({ id: i + 1, event: 'notice', data: JSON.stringify(m) })).join('');
    const seen: string[] = [];
    const errors: unknown[] = [];
    const follower = await followSessionEvents({
      controlUrl: 'http://127.0.0.1:9',
      token: 't',
      fetch: fakeFetch([new TextEncoder().encode(stream)]).fetch,
      onRecord: (record) => {
        seen.push((record as { message: string }).message);
        if (seen.length === 1) throw new Error('caller bug');
      },
      onError: (error) => errors.push(error),
    });
    await follower.closed;
    expect(seen).toEqual(['a', 'b']);
    expect(errors).toMatchObject([{ message: 'caller bug' }]);
  });
});
