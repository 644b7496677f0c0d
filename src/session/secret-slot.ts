/**
 * The signing secret, learnt after the receiver is listening: offline from the emulator at once,
 * online from `stripe listen`'s output. A delivery that arrives before it is known waits for it
 * (the CLI may forward before it prints the line), or gets undefined if it never comes.
 */
export interface SecretSlot {
  /** The secret, or a promise of it while it is not known yet. */
  get(): string | undefined | Promise<string | undefined>;
  /** The secret if known; never waits. */
  current(): string | undefined;
  set(secret: string): void;
  /** Releases waiters with undefined (the session is closing). */
  close(): void;
}

export function createSecretSlot(): SecretSlot {
  let secret: string | undefined;
  let settle!: (value: string | undefined) => void;
  const known = new Promise<string | undefined>((resolve) => (settle = resolve));
  return {
    get: () => secret ?? known,
    current: () => secret,
    set(value) {
      secret = value;
      settle(value);
    },
    close: () => settle(undefined),
  };
}
