/**
 * Understands what one `stripe trigger` run printed. Pure. The forms were captured from the real
 * binary (1.52.0) against local servers; see test/unit/stripe-cli-trigger-parse-output.test.ts.
 *
 * stdout: `Checking for new versions...`, then per fixture step `Setting up fixture for: NAME` and
 * `Running fixture for: NAME` (or `Skipping fixture for: NAME`), then
 * `Trigger succeeded! Check dashboard for event details.`
 * stderr on failure: `Trigger failed: Request failed, status=404, body={…}` (the body as the server
 * sent it, so possibly pretty-printed over many lines), `Trigger failed: Post "…": dial tcp …:
 * connect: connection refused`, or a bare message for failures before any request (an unknown
 * event, a bad --override, a missing API key).
 */
import { stripVTControlCharacters } from 'node:util';
import { redactSecrets } from '../secrets.js';

/**
 * - `http`: the API answered an error status (see `status`, `body`, `stripeMessage`).
 * - `network`: the request never got an answer (connection refused, DNS, proxy).
 * - `unsupported-event`: the CLI has no fixture of that name.
 * - `other`: anything else the CLI refused (bad flags, no API key, invalid API base …).
 */
export type TriggerFailureKind = 'http' | 'network' | 'unsupported-event' | 'other';

export interface TriggerFailure {
  kind: TriggerFailureKind;
  /** The text after `Trigger failed: ` (or the whole error when there is no such prefix), secrets masked. */
  message: string;
  /** The fixture step that was running when a request failed. */
  step?: string;
  status?: number;
  /** The response body, parsed when it is JSON, else its text. Secrets masked. */
  body?: unknown;
  /** `body.error.message`: Stripe's own explanation. */
  stripeMessage?: string;
}

interface TriggerSteps {
  /** Fixture steps started, in order (`Setting up/Running fixture for: NAME`). */
  fixtureSteps: string[];
  /** Steps passed over with --skip (`Skipping fixture for: NAME`). */
  skippedSteps: string[];
}

export type ParsedTriggerOutput = (TriggerSteps & { ok: true }) | (TriggerSteps & { ok: false; failure: TriggerFailure });

const STEP = /^(Setting up|Running|Skipping) fixture for: (.+)$/;
const SUCCEEDED = 'Trigger succeeded!';
const FAILED_PREFIX = 'Trigger failed: ';
const REQUEST_FAILED = /^Request failed, status=(\d{3}), body=([\s\S]*)$/;
// Go's net/http error: `Post "url": <cause>`.
const NETWORK = /^(?:Get|Post|Delete|Put|Patch) "[^"]*": |\bdial tcp\b|\bproxyconnect\b|\bno such host\b/;
const UNSUPPORTED = /is not supported by Stripe CLI/;

export function parseTriggerOutput(stdout: string, stderr: string): ParsedTriggerOutput {
  const steps = parseSteps(stdout);
  const errorText = stripVTControlCharacters(stderr).trim();
  const succeeded = stripVTControlCharacters(stdout).includes(SUCCEEDED);
  if (succeeded && !errorText.includes(FAILED_PREFIX)) return { ok: true, ...steps };
  return { ok: false, ...steps, failure: parseFailure(errorText, steps.fixtureSteps.at(-1)) };
}

function parseSteps(stdout: string): TriggerSteps {
  const fixtureSteps: string[] = [];
  const skippedSteps: string[] = [];
  for (const line of stripVTControlCharacters(stdout).split(/\r\n|\n|\r/)) {
    const match = STEP.exec(line.trim());
    if (!match) continue;
    const [, verb, name] = match as unknown as [string, string, string];
    if (verb === 'Skipping') skippedSteps.push(name);
    // Each step prints "Setting up" then "Running": count it once.
    else if (verb === 'Setting up' || fixtureSteps.at(-1) !== name) fixtureSteps.push(name);
  }
  return { fixtureSteps, skippedSteps };
}

function parseFailure(errorText: string, lastStep: string | undefined): TriggerFailure {
  const at = errorText.indexOf(FAILED_PREFIX);
  if (at === -1) {
    if (errorText === '') return { kind: 'other', message: 'The Stripe CLI did not report "Trigger succeeded!" and printed no error.' };
    return { kind: UNSUPPORTED.test(errorText) ? 'unsupported-event' : 'other', message: redactSecrets(errorText) };
  }
  // Masked before parsing, so a key echoed back in a response body cannot leak through `body`.
  const message = redactSecrets(errorText.slice(at + FAILED_PREFIX.length).trim());
  const step = lastStep === undefined ? {} : { step: lastStep };
  const request = REQUEST_FAILED.exec(message);
  if (request) {
    const body = parseBody(request[2]!.trim());
    const stripeMessage = errorMessageOf(body);
    return {
      kind: 'http',
      message,
      ...step,
      status: Number(request[1]),
      ...(body === '' ? {} : { body }),
      ...(stripeMessage === undefined ? {} : { stripeMessage }),
    };
  }
  return { kind: NETWORK.test(message) ? 'network' : 'other', message, ...step };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
