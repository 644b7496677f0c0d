/**
 * The last few published messages, so that a client that connects slightly late (a `trigger`
 * started right after `listen` printed Ready) can ask for what it missed. Sequence numbers start
 * at 1 and never repeat within a session.
 */
export interface RingEntry<T> {
  seq: number;
  value: T;
}

export class RecordRing<T> {
  readonly #capacity: number;
  #entries: RingEntry<T>[] = [];
  #lastSeq = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be a non-negative integer (got ${capacity})`);
    this.#capacity = capacity;
  }

  /** Stores the value and returns its sequence number. */
  push(value: T): number {
    const seq = ++this.#lastSeq;
    if (this.#capacity === 0) return seq;
    this.#entries.push({ seq, value });
    // Trim in batches: splicing one element off the front of an array on every push is O(n).
    if (this.#entries.length >= this.#capacity * 2) this.#entries = this.#entries.slice(-this.#capacity);
    return seq;
  }

  /** The held entries with a sequence number greater than `seq`, oldest first. */
  after(seq: number): RingEntry<T>[] {
    const held = this.#entries.length > this.#capacity ? this.#entries.slice(-this.#capacity) : this.#entries;
    return held.filter((entry) => entry.seq > seq);
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }
}
