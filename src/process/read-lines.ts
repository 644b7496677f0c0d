/**
 * Hands over a child's output line by line. node:readline does the splitting: `\n`, `\r\n` and a
 * lone `\r` (a spinner redrawing its line) each end a line, a `\r\n` cut between two chunks is one
 * break (crlfDelay: Infinity), and a last line without a line break is handed over when the stream
 * ends. readline keeps a line that never ends whole, so what it reads is first cut into lines of at
 * most MAX_LINE_BYTES: an app that prints without line breaks must not grow webhook-dev's memory.
 */
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';

export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Resolves once the stream has ended (its last line handed over), been destroyed or failed; never
 * rejects. A read error ends the output, not the child: its exit still tells how it went.
 */
export function readLines(stream: Readable | null | undefined, onLine: (line: string) => void, { maxLineBytes = MAX_LINE_BYTES } = {}): Promise<void> {
  if (!stream) return Promise.resolve();
  const bounded = stream.pipe(boundLineLength(maxLineBytes));
  const lines = createInterface({ input: bounded, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => {
    lines.once('close', () => resolve());
    // An 'error' nobody listens to would be thrown; pipe() does not pass it on.
    stream.on('error', () => lines.close());
    // readline waits for 'end', which a destroyed stream never emits (the app's pipes after stop(),
    // when a process that left its group still holds them): an unfinished line is then dropped.
    stream.once('close', () => {
      if (!stream.readableEnded) lines.close();
    });
  });
}

/** Inserts a line break after maxBytes without one, never inside a UTF-8 character. */
function boundLineLength(maxBytes: number): Transform {
  let sinceBreak = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let start = 0;
      while (start < chunk.length) {
        const room = maxBytes - sinceBreak;
        // One byte past the room still counts: a break there ends the line just in time.
        const lastBreak = lastLineBreak(chunk, start, Math.min(chunk.length, start + room + 1));
        if (lastBreak !== -1) {
          this.push(chunk.subarray(start, lastBreak + 1));
          sinceBreak = 0;
          start = lastBreak + 1;
        } else if (chunk.length - start <= room) {
          this.push(chunk.subarray(start));
          sinceBreak += chunk.length - start;
          start = chunk.length;
        } else {
          let cut = start + room;
          // Back off to the start of a UTF-8 character (continuation bytes are 0b10xxxxxx).
          while (cut > start && (chunk[cut]! & 0xc0) === 0x80) cut--;
          if (cut === start) cut = start + room;
          this.push(chunk.subarray(start, cut));
          this.push(LINE_BREAK);
          sinceBreak = 0;
          start = cut;
        }
      }
      done();
    },
  });
}

const LINE_BREAK = Buffer.from('\n');

function lastLineBreak(chunk: Buffer, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (chunk[i] === 0x0a || chunk[i] === 0x0d) return i;
  return -1;
}
