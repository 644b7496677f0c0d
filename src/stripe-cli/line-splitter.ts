/**
 * Turns a stream's chunks into lines. Chunks end anywhere (mid-line, between `\r` and `\n`), and a
 * spinner redraws its line with bare `\r`, so `\r\n`, `\n` and a lone `\r` all end a line.
 */

const LINE_BREAK = /\r\n|\n|\r/;
/** A "line" that never ends (a binary blob, a runaway spinner) is cut here rather than kept forever. */
const MAX_PENDING = 64 * 1024;

export class LineSplitter {
  #pending = '';

  /** The complete lines this chunk finishes, without their line breaks (empty lines included). */
  push(chunk: string): string[] {
    let text = this.#pending + chunk;
    // A trailing '\r' may be the first half of '\r\n'; wait for the next chunk to tell.
    const heldReturn = text.endsWith('\r');
    if (heldReturn) text = text.slice(0, -1);
    const lines = text.split(LINE_BREAK);
    let rest = lines.pop() ?? '';
    if (rest.length > MAX_PENDING) {
      lines.push(rest);
      rest = '';
    }
    this.#pending = heldReturn ? `${rest}\r` : rest;
    return lines;
  }

  /** The unfinished last line, when the stream has ended. */
  flush(): string[] {
    const rest = this.#pending.replace(/\r$/, '');
    this.#pending = '';
    return rest === '' ? [] : [rest];
  }
}
