/**
 * An incremental Server-Sent Events parser following the WHATWG "event stream interpretation"
 * rules: lines end in CRLF, LF or a lone CR; `:` starts a comment; one space after the field's
 * colon is dropped; `data` lines join with "\n"; a blank line dispatches; `id` persists across
 * messages. Chunks may end anywhere, including between the CR and LF of one line break. Decoding
 * bytes to text (and multi-byte characters split across chunks) is the caller's job.
 */
export interface SseMessage {
  /** `message` when the stream named none. */
  event: string;
  data: string;
  /** The last `id` the stream set, if any (as EventSource's lastEventId). */
  id: string | undefined;
}

export class SseParser {
  #line = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  #afterCr = false;
  #started = false;
  #event = '';
  #data: string[] = [];
  #id: string | undefined;

  /** The messages this chunk completes. */
  push(chunk: string): SseMessage[] {
    if (chunk === '') return [];
    let text = chunk;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    if (!this.#started) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    const messages: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char !== 0x0a && char !== 0x0d) continue;
      const message = this.#processLine(this.#line + text.slice(start, i));
      this.#line = '';
      if (message) messages.push(message);
      if (char === 0x0d) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          this.#afterCr = true;
        }
      }
      start = i + 1;
    }
    this.#line += text.slice(start);
    return messages;
  }

  #processLine(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    // `retry` and unknown fields: nothing to do for a client that does not reconnect by itself.
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    // A blank line after only comments or an `event:` line is not a message.
    if (data.length === 0) return undefined;
    return { event: event === '' ? 'message' : event, data: data.join('\n'), id: this.#id };
  }
}
