import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: unguessable, and base64url so it survives a `?token=` query unescaped. */
export function createControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so that the comparison time does not even
 * reveal the expected token's length (timingSafeEqual itself throws on a length mismatch).
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || presented === '') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request carries: `Authorization: Bearer <token>` first; `?token=` for clients that
 * cannot set headers (a browser's EventSource).
 */
export function presentedToken(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  return query.get('token') ?? undefined;
}
