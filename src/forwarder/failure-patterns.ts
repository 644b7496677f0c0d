/**
 * The words apps use when a webhook did not go through: the official Stripe libraries' verification
 * errors (read in their sources: stripe-node, -python, -ruby, -php and -java share most wording,
 * stripe-go and stripe-dotnet have their own), what hand-written checks say, and how runtimes print
 * an exception. Shared by the verdict (does this line report a failure?) and the diagnosis (which
 * failure?), so that both read the same words.
 */

/** stripe-node's message when the raw body is missing (`req.rawBody` undefined, a route without `config: { rawBody: true }`). */
export const MISSING_PAYLOAD = [/No webhook payload was provided/i];

/** A parsed object handed to the library instead of the bytes (stripe-node). */
export const PAYLOAD_TYPE = [/must be provided as a string or a Buffer/i, /provided as a parsed JavaScript object/i];

/** The Stripe-Signature header did not arrive or could not be read. */
export const SIGNATURE_HEADER = [
  /No stripe-signature header/i,
  /Unable to extract timestamp and signatures/i,
  /No signatures found with expected scheme/i,
  /has (no|invalid) Stripe-Signature header/i,
  /signature header format is unexpected/i,
  /missing stripe-signature/i,
];

export const TIMESTAMP = [
  /Timestamp outside the tolerance zone/i,
  /timestamp wasn't within tolerance/i,
  /timestamp is outside of the allowed tolerance/i,
  /timestamp[^\n]{0,40}(tolerance|too old|expired)/i,
];

/** No signature matched: the libraries' own words (node/python/ruby/php/java, go, dotnet old and new). */
export const NO_MATCHING_SIGNATURE = [
  /No signatures found matching the expected signature/i,
  /had no valid signature/i,
  /signature for the webhook is not present/i,
  /expected signature was not found in the Stripe-Signature header/i,
];

/** What hand-written checks, framework plugins and the Stripe samples' log lines say. */
export const GENERIC_SIGNATURE = [
  /signature verification failed/i,
  /invalid (webhook |stripe )?signature/i,
  /webhook signature/i,
  /SignatureVerification/i,
  /signatures? (mismatch|do(es)? not match|don't match)/i,
  /error while validating signature/i,
];

export const MISSING_SECRET = [/No webhook secret value was provided/i, /(webhook|signing|endpoint) secret\b[^\n.]{0,60}\b(is not set|isn't set|not configured|is missing|undefined)/i];

/** Every verification failure, whatever its cause. */
export const VERIFICATION_FAILURE = [...MISSING_PAYLOAD, ...PAYLOAD_TYPE, ...SIGNATURE_HEADER, ...TIMESTAMP, ...NO_MATCHING_SIGNATURE, ...GENERIC_SIGNATURE, ...MISSING_SECRET];

/**
 * An exception as runtimes and loggers print it: Python's traceback header, a JS error's first line
 * (`TypeError: …`, `Uncaught Error: …`), Nest's and Flask's error log lines. Anchored to the start
 * of the line (after a timestamp or a bracketed tag) so that "no Error: found" in prose does not count.
 */
export const EXCEPTION = [
  /^Traceback \(most recent call last\)/,
  /^(\s*\[[^\]]*\])*\s*(Uncaught |Unhandled )?([A-Z][A-Za-z]*)?(Error|Exception)(: | \[)/,
  /\b(uncaught|unhandled) (exception|error|promise rejection)/i,
  /\bERROR\b.*\b(Exception on|ExceptionsHandler|Traceback)\b/,
];

export function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((pattern) => pattern.test(text));
}

/** Does this line of the app's output report that a webhook failed (verification or an exception)? */
export function isFailureLine(line: string): boolean {
  return matchesAny(VERIFICATION_FAILURE, line) || matchesAny(EXCEPTION, line);
}
