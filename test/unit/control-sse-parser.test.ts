import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSseMessage } from '../../src/control/format-sse-message.js';
import { SseParser, type SseMessage } from '../../src/control/sse-parser.js';

function parseChunks(chunks: string[]): SseMessage[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** Cuts `text` at the given offsets (any order, duplicates allowed): empty chunks included. */
function splitAt(text: string, offsets: number[]): string[] {
  const cuts = [...offsets.map((o) => o % (text.length + 1))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(text.slice(from, cut));
    from = cut;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('SseParser', () => {
  it('parses id, event and data, and defaults the event to "message"', () => {
    expect(parseChunks(['id: 1\nevent: ready\ndata: {"a":1}\n\ndata: x\n\n'])).toEqual([
      { id: '1', event: 'ready', data: '{"a":1}' },
      { id: '1', event: 'message', data: 'x' },
    ]);
  });

  it('joins multi-line data with \\n and strips only one leading space', () => {
    expect(parseChunks(['data:  two spaces\ndata:none\ndata\n\n'])).toEqual([{ id: undefined, event: 'message', data: ' two spaces\nnone\n' }]);
  });

  it('ignores comments, unknown fields, retry, and blank lines with no data', () => {
    expect(parseChunks([': keepalive\n\nretry: 10\nfoo: bar\n\nevent: lonely\n\ndata: y\n\n'])).toEqual([{ id: undefined, event: 'message', data: 'y' }]);
  });

  it('accepts CRLF, LF and a lone CR, a CRLF split across chunks included', () => {
    expect(parseChunks(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n'])).toEqual([
      { id: undefined, event: 'message', data: 'a' },
      { id: undefined, event: 'message', data: 'b' },
      { id: undefined, event: 'message', data: 'c' },
    ]);
  });

  it('treats CR then LF in the next chunk as one line break, but CR, LF, LF as two', () => {
    expect(parseChunks(['data: a\r', '\n', '\n'])).toEqual([{ id: undefined, event: 'message', data: 'a' }]);
    expect(parseChunks(['data: a\r', '\n'])).toEqual([]);
  });

  it('dispatches a message ended by CR at the end of a chunk without waiting for the next one', () => {
    const parser = new SseParser();
    expect(parser.push('data: now\r\r')).toEqual([{ id: undefined, event: 'message', data: 'now' }]);
  });

  it('drops a leading byte-order mark and an unfinished last message', () => {
    expect(parseChunks(['\uFEFFdata: a\n\ndata: unfinished\n'])).toEqual([{ id: undefined, event: 'message', data: 'a' }]);
  });

  it('keeps the last id for later messages, and ignores an id containing NUL', () => {
    expect(parseChunks(['id: 7\ndata: a\n\nid: 8\u0000\ndata: b\n\n'])).toEqual([
      { id: '7', event: 'message', data: 'a' },
      { id: '7', event: 'message', data: 'b' },
    ]);
  });

  it('reads back what formatSseMessage writes', () => {
    const data = JSON.stringify({ type: 'notice', message: 'line\nbreak and ü 🎉' });
    expect(parseChunks([formatSseMessage({ id: 42, event: 'notice', data })])).toEqual([{ id: '42', event: 'notice', data }]);
  });

  const line = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
  const name = fc.stringMatching(/^[a-z][a-z._]{0,15}$/);
  const message = fc.record({ event: fc.option(name, { nil: undefined }), id: fc.option(fc.nat().map(String), { nil: undefined }), data: fc.array(line, { minLength: 1, maxLength: 4 }) });
  const eol = fc.constantFrom('\n', '\r\n', '\r');

  /** A valid stream of the messages, with the line endings and comments varied. */
  const stream = fc.array(fc.tuple(message, eol, fc.boolean()), { maxLength: 8 }).map((items) => {
    let text = '';
    let lastId: string | undefined;
    const expected: SseMessage[] = [];
    for (const [m, nl, comment] of items) {
      if (comment) text += `: comment${nl}`;
      if (m.id !== undefined) text += `id: ${m.id}${nl}`;
      if (m.event !== undefined) text += `event:${m.event}${nl}`;
      for (const d of m.data) text += `data: ${d}${nl}`;
      text += nl;
      lastId = m.id ?? lastId;
      expected.push({ id: lastId, event: m.event ?? 'message', data: m.data.join('\n') });
    }
    return { text, expected };
  });

  it('yields the same messages however the stream is split into chunks', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), ({ text, expected }, offsets) => {
        expect(parseChunks([text])).toEqual(expected);
        expect(parseChunks(splitAt(text, offsets))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('yields the same messages when fed one UTF-16 unit at a time', () => {
    fc.assert(
      fc.property(stream, ({ text, expected }) => {
        expect(parseChunks(text.split(''))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
