import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, readLines } from '../../src/process/read-lines.js';
import { parseListenLine } from '../../src/stripe-cli/parse-listen-output.js';

const ESC = '\u001b';
const SECRET = 'whsec_FAKEfakeFAKEfake1234567890abcdef';

/** Writes the chunks one by one, each in its own turn of the event loop, then ends the stream. */
async function split(chunks: Array<string | Buffer>): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  const done = readLines(stream, (line) => lines.push(line));
  for (const chunk of chunks) {
    stream.write(chunk);
    await nextTurn();
  }
  stream.end();
  await done;
  return lines;
}

describe('readLines', () => {
  it.each([
    [['a\nb\n'], ['a', 'b']],
    [['a\r\nb\r\n'], ['a', 'b']],
    [['par', 'tial\n'], ['partial']],
    [['a\r', '\nb\n'], ['a', 'b']],
    [['a\r', 'b\n'], ['a', 'b']],
    [['no newline at end'], ['no newline at end']],
    [['x\n\ny\n'], ['x', '', 'y']],
    [['\r\u001b[K\r\u001b[37m\u28fe\u001b[0m Getting ready...\r\u001b[K> Ready!\r\n'], ['', '\u001b[K', '\u001b[37m\u28fe\u001b[0m Getting ready...', '\u001b[K> Ready!']],
    [['end with return\r'], ['end with return']],
    [[], []],
  ])('%j → %j', async (chunks, expected) => {
    expect(await split(chunks)).toEqual(expected);
  });

  it('hands a line over as soon as it is finished, and the last one when the stream ends', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    const done = readLines(stream, (line) => lines.push(line));
    stream.write('2026-11-25 09:12:46   --> payment_in');
    await nextTurn();
    expect(lines).toEqual([]);
    stream.write('tent.created [evt_1]\n2026');
    await nextTurn();
    expect(lines).toEqual(['2026-11-25 09:12:46   --> payment_intent.created [evt_1]']);
    stream.end();
    await done;
    expect(lines).toEqual(['2026-11-25 09:12:46   --> payment_intent.created [evt_1]', '2026']);
  });

  it('decodes a character cut between two chunks', async () => {
    const bytes = Buffer.from('caf\u00e9 \u28fe\n');
    expect(await split([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)])).toEqual(['caf\u00e9 \u28fe']);
  });

  it('cuts a line that never ends into lines of at most 64 KB, and keeps every byte', async () => {
    const long = 'x'.repeat(200 * 1024);
    const lines = await split([long.slice(0, 70_000), long.slice(70_000), '\nnext\n']);
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES, MAX_LINE_BYTES, 200 * 1024 - 3 * MAX_LINE_BYTES, 4]);
    expect(lines.slice(0, 4).join('')).toBe(long);
    expect(lines[4]).toBe('next');
  });

  it('never cuts inside a UTF-8 character, and a break right at the limit adds no empty line', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    const done = readLines(stream, (line) => lines.push(line), { maxLineBytes: 8 });
    stream.end(Buffer.from('abcdefg\u00e9hij\n12345678\nz'));
    await done;
    expect(lines).toEqual(['abcdefg', '\u00e9hij', '12345678', 'z']);
  });

  it('resolves when the stream is destroyed or fails, without throwing', async () => {
    const destroyed = new PassThrough();
    const lines: string[] = [];
    const reading = readLines(destroyed, (line) => lines.push(line));
    destroyed.write('done\n');
    await nextTurn();
    destroyed.destroy();
    await reading;
    expect(lines).toEqual(['done']);

    const failing = new PassThrough();
    const failed = readLines(failing, () => {});
    failing.destroy(new Error('EIO'));
    await expect(failed).resolves.toBeUndefined();
  });

  it('resolves at once without a stream', async () => {
    await expect(readLines(null, () => {})).resolves.toBeUndefined();
  });

  it('the real TTY capture, cut into every possible pair of chunks, parses the same', async () => {
    const capture = `\r${ESC}[K\r${ESC}[37m\u28fe${ESC}[0m Getting ready...\r${ESC}[K> Ready! You are using Stripe API Version [2026-10-28.endive]. Your webhook signing secret is ${ESC}[1m${SECRET}${ESC}[0m (^C to quit)\r\n${ESC}[2m2026-11-25 09:12:51${ESC}[0m  <--  [${ESC}[1;32m200${ESC}[0m] POST http://127.0.0.1:39957/webhook [evt_1AAA]\r\n`;
    const kinds = async (chunks: string[]): Promise<string[]> =>
      (await split(chunks))
        .map((line) => parseListenLine(line))
        .filter((line) => !(line.kind === 'other' && line.text === ''))
        .map((line) => line.kind);
    const whole = await kinds([capture]);
    expect(whole).toEqual(['getting-ready', 'ready', 'delivery']);
    for (let cut = 1; cut < capture.length; cut += 1) {
      expect(await kinds([capture.slice(0, cut), capture.slice(cut)])).toEqual(whole);
    }
  });
});
