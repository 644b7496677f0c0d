import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Marks a delivery the session's quirks made itself: a duplicate copy or a retry. */
export const QUIRK_HEADER = 'webhook-dev-quirk';

export interface QuirkMark {
  kind: 'duplicate' | 'retry';
  attempt: number;
  /** Which planned re-delivery this is (the session counts them down as they arrive). */
  id: number;
}

export interface QuirkMarker {
  /** The header value for a re-delivery signed with `signature` (its Stripe-Signature). */
  header(mark: QuirkMark, signature: string): string;
  /** The mark of a request, only if this session made it for exactly that signed delivery. */
  read(headers: IncomingHttpHeaders): QuirkMark | undefined;
}

const MARK = /^(duplicate|retry);attempt=(\d{1,2});id=(\d{1,15});mac=([0-9a-f]{64})$/;

/**
 * The header alone proves nothing: anyone who can reach the receiver can send it, and the webhook
 * secret is known to the user's app too. So the mark carries an HMAC, keyed with a random key that
 * never leaves this process, over the mark and the delivery's own Stripe-Signature (which binds
 * the body and a fresh timestamp). A mark copied onto another delivery, or made up, is ignored and
 * the delivery counts as an ordinary one.
 */
export function createQuirkMarker(key: Buffer = randomBytes(32)): QuirkMarker {
  const mac = (mark: QuirkMark, signature: string) => createHmac('sha256', key).update(`${mark.kind};attempt=${mark.attempt};id=${mark.id}\n${signature}`).digest();
  return {
    header(mark, signature) {
      return `${mark.kind};attempt=${mark.attempt};id=${mark.id};mac=${mac(mark, signature).toString('hex')}`;
    },
    read(headers) {
      const value = headers[QUIRK_HEADER];
      const signature = headers['stripe-signature'];
      if (typeof value !== 'string' || typeof signature !== 'string') return undefined;
      const match = MARK.exec(value);
      if (!match) return undefined;
      const mark: QuirkMark = { kind: match[1] as QuirkMark['kind'], attempt: Number(match[2]), id: Number(match[3]) };
      return timingSafeEqual(mac(mark, signature), Buffer.from(match[4]!, 'hex')) ? mark : undefined;
    },
  };
}
