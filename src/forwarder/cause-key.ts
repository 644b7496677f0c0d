import type { ForwardDiagnosis } from '../types.js';

/**
 * Two diagnoses explain the same thing when their cause and their advice agree: the key under which
 * a session (or a trigger report) remembers it already gave the full hints. The cause alone is not
 * enough: 'unknown' covers a 404 and a refused connection alike.
 */
export function causeKey(diagnosis: ForwardDiagnosis): string {
  return [diagnosis.cause, ...diagnosis.hints].join('\n');
}
