/**
 * Hands over a child's output line by line. node:readline does the splitting: `\n`, `\r\n` and a
 * lone `\r` (a spinner redrawing its line) each end a line, a `\r\n` cut between two chunks is one
 * break (crlfDelay: Infinity), and a last line without a line break is handed over when the stream
 * ends. Unlike the splitter it replaces, it puts no bound on a line that never ends.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * Resolves once the stream has ended (its last line handed over), been destroyed or failed; never
 * rejects. A read error ends the output, not the child: its exit still tells how it went.
 */
export function readLines(stream: Readable | null | undefined, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => {
    lines.once('close', () => resolve());
    // readline passes the stream's error on, and an 'error' nobody listens to would be thrown.
    lines.on('error', () => lines.close());
    // readline waits for 'end', which a destroyed stream never emits (the app's pipes after stop(),
    // when a process that left its group still holds them): an unfinished line is then dropped.
    stream.once('close', () => lines.close());
  });
}
