import type { AttributedLine, ForwardOutcome, ForwardRefusal, ForwardResult } from '../types.js';
import { isFailureLine, matchesAny, VERIFICATION_FAILURE } from './failure-patterns.js';

type AppResponse = Extract<ForwardOutcome, { status: 'response' }>;

/** How long a quote may be: enough to recognise the message, short enough for one line. */
const MAX_QUOTE_CHARS = 200;

/**
 * Whether a 2xx answer said otherwise. The Stripe docs' own Flask sample answers
 * `200 {"success": false}` to an event it could not verify, and plenty of apps catch an exception,
 * log it and answer 200: the status alone would call those a success. So a 2xx is a success only
 * when neither its JSON body (`success`, `ok` or `received` false, or an `error`) nor the app's own
 * lines attributed to the delivery (a verification failure or an exception) report a failure.
 *
 * A line printed while other deliveries were at the app too (`shared`) counts only when it reports
 * a verification failure: those come from the app's configuration (its secret, its body parser) and
 * hit every event alike, while an exception may belong to any of them. Pure.
 */
export function judgeAnswer(response: AppResponse, lines: readonly AttributedLine[] = []): ForwardRefusal | undefined {
  if (response.statusCode < 200 || response.statusCode >= 300) return undefined;
  const fromBody = refusalInBody(response);
  const line = lines.find(reportsFailure);
  // The app's words explain more than `{"success": false}` does; the body still decides alone.
  if (line !== undefined) return { source: 'app-output', quote: cut(line.line.trim()) };
  return fromBody;
}

/** Whether one attributed line counts against its delivery (see judgeAnswer on shared lines). */
export function reportsFailure({ line, how }: AttributedLine): boolean {
  return how === 'shared' ? matchesAny(VERIFICATION_FAILURE, line) : isFailureLine(line);
}

/** `{"success": false}`, `{"ok": false}`, `{"received": false}`, `{"error": …}`, at the top level. */
export function refusalInBody(response: AppResponse): ForwardRefusal | undefined {
  const value = parseObject(response.body);
  if (value === undefined) return undefined;
  for (const key of ['success', 'ok', 'received'] as const) {
    if (value[key] === false) return { source: 'body', quote: `{"${key}": false}` };
  }
  const error = value['error'];
  if (error !== undefined && error !== null && error !== false && error !== '') {
    return { source: 'body', quote: cut(`{"error": ${JSON.stringify(error)}}`) };
  }
  return undefined;
}

/** A forward that failed in any way: unreachable, a status over 299, or a 2xx that said otherwise. */
export function forwardFailed(forward: ForwardResult): boolean {
  return forward.outcome.status === 'failed' || forward.outcome.statusCode >= 300 || forward.refusal !== undefined;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function cut(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_QUOTE_CHARS ? text : `${chars.slice(0, MAX_QUOTE_CHARS - 1).join('')}…`;
}
