import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_VERSION } from '../../src/emulator/default-api-version.js';

describe('DEFAULT_API_VERSION', () => {
  it('is the version the installed stripe library pins (update it with the library)', () => {
    expect(DEFAULT_API_VERSION).toBe((Stripe as unknown as { API_VERSION: string }).API_VERSION);
  });
});
