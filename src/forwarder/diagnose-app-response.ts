import type { ForwardDiagnosis, ForwardOutcome } from '../types.js';
import { hostAndPort } from './host-and-port.js';

export interface DiagnoseContext {
  /** The session's signing secret, already masked (`whsec_…ykIZ`): diagnosis text is shown as-is. */
  secretMasked: string;
  /** Where the app is expected to read the secret from, e.g. `STRIPE_WEBHOOK_SECRET`. */
  secretEnvName: string;
  /** The --forward-to URL. */
  url: string;
}

type AppResponse = Extract<ForwardOutcome, { status: 'response' }>;
type AppFailure = Extract<ForwardOutcome, { status: 'failed' }>;

export interface ResponseRule {
  name: string;
  applies(response: AppResponse): boolean;
  diagnose(response: AppResponse, context: DiagnoseContext): ForwardDiagnosis;
}

// What the Stripe libraries say when no signature matches: stripe-node/python/ruby/php/java share
// the first, stripe-go has the second, stripe-dotnet the third.
const LIBRARY_SIGNATURE_MESSAGES = [
  /No signatures found matching the expected signature/i,
  /had no valid signature/i,
  /signature for the webhook is not present/i,
];
// What hand-written checks and framework plugins tend to say.
const GENERIC_SIGNATURE_WORDS = [
  /signature verification failed/i,
  /invalid (webhook |stripe )?signature/i,
  /webhook signature/i,
  /SignatureVerification/i,
  /signatures? (mismatch|do(es)? not match|don't match)/i,
];
const AUTH_WORDS = /csrf|jwt|JsonWebToken|bearer|unauthori[sz]ed|forbidden|page expired|authenticat|log ?in\b/i;

/**
 * Why an app rejects an event that webhook-dev itself verified. webhook-dev forwards the exact
 * bytes and headers it verified, at once, so a signature failure in the app can only come from the
 * app's side: another secret, a body that was parsed before the check, or the app's clock. The
 * response body is the only evidence, so the rules read the error messages the Stripe libraries
 * actually produce (stripe-node, -python, -ruby, -php and -java share their wording; stripe-go and
 * stripe-dotnet have their own). First match wins, so the specific messages come before the
 * generic ones:
 *
 * | rule              | matches                                                         | cause                          |
 * |-------------------|-----------------------------------------------------------------|--------------------------------|
 * | redirect          | 3xx                                                             | redirect                       |
 * | missing-secret    | "No webhook secret value was provided", "secret … not set"      | secret-mismatch                |
 * | secret-whitespace | "signing secret contains whitespace" (stripe-node)              | secret-mismatch                |
 * | payload-type      | "must be provided as a string or a Buffer", "parsed … object"   | parsed-body                    |
 * | signature-header  | "No stripe-signature header", "Unable to extract timestamp …"   | unknown (header lost)          |
 * | timestamp         | "Timestamp outside the tolerance zone", "… within tolerance"    | timestamp                      |
 * | signature         | "No signatures found matching…", "had no valid signature", …    | secret-mismatch-or-parsed-body |
 * | auth              | 401/403/419 with "Unauthorized", "CSRF", "jwt", …               | unknown (auth middleware)      |
 * | signature-words   | "Invalid signature", "signature verification failed", …         | secret-mismatch-or-parsed-body |
 * | raw-body          | "raw body", "body … Buffer" without a signature message         | parsed-body                    |
 * | not-found         | 404, 405                                                        | unknown (wrong path)           |
 * | too-large         | 413                                                             | unknown (body limit)           |
 * | server-error      | other 5xx                                                       | app-error                      |
 * | client-error      | other 4xx                                                       | unknown                        |
 *
 * Signature rules apply to 4xx and 5xx alike: plenty of apps answer 500 when the check throws.
 */
export const RESPONSE_RULES: readonly ResponseRule[] = [
  {
    name: 'redirect',
    applies: (response) => response.statusCode >= 300 && response.statusCode < 400,
    diagnose: diagnoseRedirect,
  },
  bodyRule('missing-secret', [/No webhook secret value was provided/i, /(webhook|signing|endpoint) secret\b[^\n.]{0,60}\b(is not set|isn't set|not configured|is missing|undefined)/i], (response, context) => ({
    cause: 'secret-mismatch',
    summary: `The app has no webhook signing secret configured (HTTP ${response.statusCode}).`,
    hints: [secretHint(context)],
  })),
  bodyRule('secret-whitespace', [/secret contains whitespace/i], (response, context) => ({
    cause: 'secret-mismatch',
    summary: `The app's signing secret contains whitespace, so no signature can match (HTTP ${response.statusCode}).`,
    hints: [
      `Trim the value the app reads from ${context.secretEnvName}: a trailing newline or space from .env or a copy-paste.`,
      secretHint(context),
    ],
  })),
  bodyRule('payload-type', [/must be provided as a string or a Buffer/i, /provided as a parsed JavaScript object/i], (response) => ({
    cause: 'parsed-body',
    summary: `The app verified a parsed object instead of the raw body, so the signature cannot match (HTTP ${response.statusCode}).`,
    hints: parsedBodyHints(),
  })),
  bodyRule(
    'signature-header',
    [/No stripe-signature header/i, /Unable to extract timestamp and signatures/i, /has (no|invalid) Stripe-Signature header/i, /missing stripe-signature/i],
    (response) => ({
      cause: 'unknown',
      summary: `The app did not get the Stripe-Signature header webhook-dev sent (HTTP ${response.statusCode}).`,
      hints: [
        "Read it as req.headers['stripe-signature'] (Node lower-cases header names), or request.headers.get('stripe-signature') with the Fetch API.",
        'A proxy or middleware in front of the app drops or rewrites the header.',
      ],
    }),
  ),
  bodyRule(
    'timestamp',
    [/Timestamp outside the tolerance zone/i, /timestamp wasn't within tolerance/i, /timestamp is outside of the allowed tolerance/i, /timestamp[^\n]{0,40}(tolerance|too old|expired)/i],
    (response) => ({
      cause: 'timestamp',
      summary: `The app rejected the signature's timestamp as out of tolerance (HTTP ${response.statusCode}).`,
      hints: [
        "webhook-dev forwards each event at once, so its timestamp is seconds old: the app's clock is probably off (a container or VM after sleep; compare `date -u` there and here).",
        'Or the app passes a tolerance that is too small; the Stripe libraries default to 300 seconds.',
      ],
    }),
  ),
  bodyRule('signature', LIBRARY_SIGNATURE_MESSAGES, diagnoseSignatureFailure),
  {
    // Stripe sends no cookie and no Authorization header, so auth or CSRF middleware in front of
    // the route rejects it. Before the generic signature words: jsonwebtoken says "invalid signature".
    name: 'auth',
    applies: (response) => [401, 403, 419].includes(response.statusCode) && AUTH_WORDS.test(response.body),
    diagnose: (response, context) => ({
      cause: 'unknown',
      summary: `The app refused the event as unauthenticated (HTTP ${response.statusCode}): probably auth or CSRF middleware in front of the route.`,
      hints: [
        'Stripe sends no cookies and no Authorization header: exempt the webhook route from auth and CSRF middleware (a Next.js middleware matcher, csrf_exempt in Django, the CSRF exceptions in Rails or Laravel).',
        `If it is the app's own signature check that answers ${response.statusCode}: ${lowerFirst(secretHint(context))}`,
      ],
    }),
  },
  bodyRule('signature-words', GENERIC_SIGNATURE_WORDS, diagnoseSignatureFailure),
  bodyRule('raw-body', [/raw (request )?body/i, /\b(body|payload)\b[^\n]{0,40}\bBuffer\b/i], (response) => ({
    cause: 'parsed-body',
    summary: `The app did not get the raw body it needs to verify the signature (HTTP ${response.statusCode}).`,
    hints: parsedBodyHints(),
  })),
  {
    name: 'not-found',
    applies: (response) => response.statusCode === 404 || response.statusCode === 405,
    diagnose: (response, context) => ({
      cause: 'unknown',
      summary: `The app has no POST route at ${pathOf(context.url)} (HTTP ${response.statusCode}).`,
      hints: ["Check the path in --forward-to against the app's webhook route, and that the route accepts POST."],
    }),
  },
  {
    name: 'too-large',
    applies: (response) => response.statusCode === 413,
    diagnose: () => ({
      cause: 'unknown',
      summary: 'The app refused the event as too large (HTTP 413).',
      hints: ["Raise the body parser's limit on the webhook route, e.g. express.raw({ type: 'application/json', limit: '1mb' })."],
    }),
  },
  {
    name: 'server-error',
    applies: (response) => response.statusCode >= 500,
    diagnose: (response) => ({
      cause: 'app-error',
      summary: `The app failed while handling the event (HTTP ${response.statusCode}).`,
      hints: ["Its response is shown below; the app's own output should have the stack trace."],
    }),
  },
  {
    name: 'client-error',
    applies: (response) => response.statusCode >= 400,
    diagnose: (response) => ({
      cause: 'unknown',
      summary: `The app rejected the event (HTTP ${response.statusCode}).`,
      hints: ['webhook-dev verified the signature, so the event itself is genuine; the response is shown below.'],
    }),
  },
];

export const FAILURE_RULES: Readonly<Record<AppFailure['kind'], (failure: AppFailure, context: DiagnoseContext) => ForwardDiagnosis>> = {
  'connection-refused': (_failure, context) => ({
    cause: 'unknown',
    summary: `Nothing answered at ${hostAndPort(context.url)}.`,
    hints: [
      'Is the app running, and on that port? Start it, or fix the port in --forward-to.',
      'If the app runs in Docker, publish its port (docker run -p 3000:3000) and have it listen on 0.0.0.0 inside the container: 127.0.0.1 there is the container itself.',
      'With a localhost URL, try 127.0.0.1 or [::1]: the app may listen on only one of IPv4 and IPv6.',
    ],
  }),
  timeout: () => ({
    cause: 'unknown',
    summary: 'The app did not answer in time.',
    hints: [
      'The app took longer than --forward-timeout (30 s by default, like the Stripe CLI): raise it (--forward-timeout 2m), or use --no-timeout while you sit at a breakpoint.',
      'Stripe expects a quick 2xx: acknowledge the event first and do slow work afterwards.',
    ],
  }),
  tls: (failure) => ({
    cause: 'unknown',
    summary: 'The TLS connection to the app failed.',
    hints: /plain HTTP/i.test(failure.message)
      ? ['The app serves plain HTTP on that port: use an http:// URL in --forward-to.']
      : [
          "For a self-signed local certificate (mkcert, a dev server's --https), pass --insecure.",
          'Or forward to the plain http:// port of the app, if it has one.',
        ],
  }),
  dns: () => ({
    cause: 'unknown',
    summary: "The app's host name did not resolve.",
    hints: [
      'host.docker.internal resolves only inside Docker containers; from this machine, use 127.0.0.1 or localhost.',
      "A container's name (http://app:3000) resolves only on its Docker network; forward to the port it publishes on this machine instead.",
    ],
  }),
  reset: () => ({
    cause: 'unknown',
    summary: 'The app closed the connection without answering.',
    hints: [
      'It may have crashed or restarted mid-request (a file watcher such as nodemon or tsx watch): check its output.',
      'An app that serves HTTPS behind an http:// URL does this too: try https:// (with --insecure for a self-signed certificate).',
    ],
  }),
  other: () => ({
    cause: 'unknown',
    summary: 'Forwarding the event to the app failed.',
    hints: [],
  }),
};

/** `undefined` when there is nothing to explain: the app answered 2xx (or 1xx). */
export function diagnoseAppResponse(outcome: ForwardOutcome, context: DiagnoseContext): ForwardDiagnosis | undefined {
  if (outcome.status === 'failed') return FAILURE_RULES[outcome.kind](outcome, context);
  if (outcome.statusCode < 300) return undefined;
  return RESPONSE_RULES.find((rule) => rule.applies(outcome))?.diagnose(outcome, context);
}

function bodyRule(name: string, patterns: RegExp[], diagnose: ResponseRule['diagnose']): ResponseRule {
  return {
    name,
    applies: (response) => response.statusCode >= 400 && patterns.some((pattern) => pattern.test(response.body)),
    diagnose,
  };
}

function diagnoseSignatureFailure(response: AppResponse, context: DiagnoseContext): ForwardDiagnosis {
  return {
    cause: 'secret-mismatch-or-parsed-body',
    summary: `The app's signature check failed on an event webhook-dev verified: it uses another secret or changed the body (HTTP ${response.statusCode}).`,
    hints: [secretHint(context), ...parsedBodyHints()],
  };
}

function diagnoseRedirect(response: AppResponse, context: DiagnoseContext): ForwardDiagnosis {
  const location = resolveLocation(response.headers['location'], context.url);
  return {
    cause: 'redirect',
    summary: `The app redirected (HTTP ${response.statusCode}${location ? ` to ${location}` : ''}); redirects are not followed, as Stripe does not follow them.`,
    hints: [
      location ? `Forward to the final URL: --forward-to ${location}` : 'Forward to the URL the app finally answers at.',
      'Usual causes: a trailing slash (/webhook vs /webhook/), http:// redirected to https://, or an auth middleware sending the request to a login page (exempt the webhook route).',
    ],
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function secretHint({ secretMasked, secretEnvName }: DiagnoseContext): string {
  return (
    `The app may verify with a different secret. webhook-dev signs with ${secretMasked}; the app must read that one from ${secretEnvName} ` +
    '(pass --write-env .env, or run the app with -- <command> to get it injected). ' +
    "A Dashboard endpoint's secret or another `stripe listen` session's secret is a different one."
  );
}

function parsedBodyHints(): string[] {
  return [
    "The app may parse the body before verifying it. Express: app.use(express.json()) runs before the webhook route; give that route express.raw({ type: 'application/json' }) and register it before express.json().",
    'Next.js: in the App Router, read await req.text() (not req.json()); in the Pages Router, export const config = { api: { bodyParser: false } } and read the raw body.',
    "Fastify: add a parser that keeps the bytes, addContentTypeParser('application/json', { parseAs: 'buffer' }, …). Hono: await c.req.text().",
    'A proxy or middleware that re-serializes JSON changes the bytes: pass the body through untouched.',
  ];
}

function resolveLocation(location: string | undefined, base: string): string | undefined {
  if (location === undefined || location === '') return undefined;
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
