export type Closer = () => Promise<void> | void;

/**
 * What a session started, to stop in reverse order. Each closer runs once; one that fails does not
 * keep the others from running, so a child process is never left behind by an earlier error.
 */
export interface Closers {
  add(closer: Closer): void;
  closeAll(): Promise<void>;
}

export function createClosers(): Closers {
  const closers: Closer[] = [];
  let closed = false;
  return {
    add(closer) {
      // Something that finished starting after the session was closed (a failure elsewhere cut
      // start-up short) is closed at once instead of being left running.
      if (closed) void Promise.resolve().then(closer).catch(() => {});
      else closers.push(closer);
    },
    async closeAll() {
      closed = true;
      for (const close of closers.splice(0).reverse()) {
        await Promise.resolve()
          .then(close)
          .catch(() => {});
      }
    },
  };
}
