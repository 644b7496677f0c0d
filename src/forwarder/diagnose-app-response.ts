import type { AttributedLine, ForwardDiagnosis, ForwardOutcome, ForwardRefusal } from '../types.js';
import {
  GENERIC_SIGNATURE,
  matchesAny,
  MISSING_PAYLOAD,
  MISSING_SECRET,
  NO_MATCHING_SIGNATURE,
  PAYLOAD_TYPE,
  SIGNATURE_HEADER,
  TIMESTAMP,
} from './failure-patterns.js';
import { FRAMEWORK_DOCS, FRAMEWORK_NAMES, RAW_BODY_FIXES, type Framework } from './framework-fixes.js';
import { hostAndPort } from './host-and-port.js';

export interface DiagnoseContext {
  /** The session's signing secret, already masked (`whsec_…ykIZ`): diagnosis text is shown as-is. */
  secretMasked: string;
  /** Where the app is expected to read the secret from, e.g. `STRIPE_WEBHOOK_SECRET`. */
  secretEnvName: string;
  /** The --forward-to URL. */
  url: string;
  /** webhook-dev started the app (`-- COMMAND`) with the secret in secretEnvName. */
  secretInjected?: boolean;
  /** The app's framework, when known: its fix instead of every framework's. */
  framework?: Framework;
}

/** What the app said besides its status: its own output lines, and what gave a 2xx away. */
export interface AnswerEvidence {
  appLines?: readonly AttributedLine[];
  refusal?: ForwardRefusal;
}

type AppResponse = Extract<ForwardOutcome, { status: 'response' }>;
type AppFailure = Extract<ForwardOutcome, { status: 'failed' }>;

/** The answer as the rules read it: the body and the app's attributed lines in one text. */
export interface ReadAnswer {
  statusCode: number;
  headers: Record<string, string>;
  /** The response body, then the app's lines, one a line. */
  text: string;
  /** A 2xx that said otherwise (see judgeAnswer). */
  refusal?: ForwardRefusal;
}

export interface ResponseRule {
  name: string;
  applies(answer: ReadAnswer): boolean;
  diagnose(answer: ReadAnswer, context: DiagnoseContext): ForwardDiagnosis;
}

const AUTH_WORDS = /csrf|jwt|JsonWebToken|bearer|unauthori[sz]ed|forbidden|page expired|authenticat|log ?in\b/i;

/**
 * Why an app rejects an event that webhook-dev itself verified. webhook-dev forwards the exact
 * bytes and headers it verified, at once, so a signature failure in the app can only come from the
 * app's side: another secret, a body that was parsed (or never read) before the check, or the app's
 * clock. The evidence is the response body and, when webhook-dev runs the app, the lines it printed
 * for that delivery (the Stripe docs' samples log the library's message and answer a bare 400, or
 * `200 {"success": false}`). The rules read the error messages the Stripe libraries actually
 * produce (see failure-patterns.ts). First match wins, so the specific messages come first:
 *
 * | rule              | matches                                                         | cause                          |
 * |-------------------|-----------------------------------------------------------------|--------------------------------|
 * | redirect          | 3xx                                                             | redirect                       |
 * | missing-secret    | "No webhook secret value was provided", "secret … not set"      | secret-mismatch                |
 * | secret-whitespace | "signing secret contains whitespace" (stripe-node)              | secret-mismatch                |
 * | payload-type      | "must be provided as a string or a Buffer", "parsed … object"   | parsed-body                    |
 * | missing-payload   | "No webhook payload was provided." (stripe-node)                | parsed-body (raw body missing) |
 * | signature-header  | "No stripe-signature header", "Unable to extract timestamp …"   | signature-header               |
 * | timestamp         | "Timestamp outside the tolerance zone", "… within tolerance"    | timestamp                      |
 * | signature         | "No signatures found matching…", "had no valid signature", …    | secret-mismatch-or-parsed-body |
 * | auth              | 401/403/419 with "Unauthorized", "CSRF", "jwt", …               | unknown (auth middleware)      |
 * | signature-words   | "Invalid signature", "signature verification failed", …         | secret-mismatch-or-parsed-body |
 * | raw-body          | "raw body", "body … Buffer" without a signature message         | parsed-body                    |
 * | not-found         | 404, 405                                                        | unknown (wrong path)           |
 * | too-large         | 413                                                             | unknown (body limit)           |
 * | server-error      | other 5xx                                                       | app-error                      |
 * | client-error      | other 4xx                                                       | unknown                        |
 * | refused           | a 2xx that said otherwise, none of the above                    | app-error                      |
 *
 * Message rules apply to 4xx, 5xx and refused 2xx alike: plenty of apps answer 500 when the check
 * throws, and Stripe's Flask sample answers 200.
 */
export const RESPONSE_RULES: readonly ResponseRule[] = [
  {
    name: 'redirect',
    applies: (answer) => answer.statusCode >= 300 && answer.statusCode < 400,
    diagnose: diagnoseRedirect,
  },
  textRule('missing-secret', MISSING_SECRET, (answer, context) => ({
    cause: 'secret-mismatch',
    summary: `The app has no webhook signing secret configured (${answered(answer)}).`,
    hints: [secretHint(context)],
  })),
  textRule('secret-whitespace', [/secret contains whitespace/i], (answer, context) => ({
    cause: 'secret-mismatch',
    summary: `The app's signing secret contains whitespace, so no signature can match (${answered(answer)}).`,
    hints: [
      `Trim the value the app reads from ${context.secretEnvName}: a trailing newline or space from .env or a copy-paste.`,
      secretHint(context),
    ],
  })),
  textRule('payload-type', PAYLOAD_TYPE, (answer, context) => ({
    cause: 'parsed-body',
    summary: `The app verified a parsed object instead of the raw body, so the signature cannot match (${answered(answer)}).`,
    hints: parsedBodyHints(context),
  })),
  textRule('missing-payload', MISSING_PAYLOAD, (answer, context) => ({
    cause: 'parsed-body',
    summary: `The app passed no body to the Stripe library: its raw body was never captured (${answered(answer)}).`,
    hints: [
      'The variable the app verifies is empty: req.rawBody without NestFactory.create(AppModule, { rawBody: true }), request.rawBody on a fastify-raw-body route without config: { rawBody: true }, or a body a parser already consumed.',
      ...parsedBodyHints(context),
    ],
  })),
  textRule('signature-header', SIGNATURE_HEADER, (answer) => ({
    cause: 'signature-header',
    summary: `The app could not read the Stripe-Signature header webhook-dev sent (${answered(answer)}).`,
    hints: [
      "Read it as req.headers['stripe-signature'] (Node lower-cases header names), request.headers.get('stripe-signature') with the Fetch API, or request.headers['Stripe-Signature'] in Flask and Django (request.META['HTTP_STRIPE_SIGNATURE']).",
      'A proxy or middleware in front of the app drops or rewrites the header.',
    ],
  })),
  textRule('timestamp', TIMESTAMP, (answer) => ({
    cause: 'timestamp',
    summary: `The app rejected the signature's timestamp as out of tolerance (${answered(answer)}).`,
    hints: [
      "webhook-dev forwards each event at once, so its timestamp is seconds old: the app's clock is probably off (a container or VM after sleep; compare `date -u` there and here).",
      'Or the app passes a tolerance that is too small; the Stripe libraries default to 300 seconds.',
    ],
  })),
  textRule('signature', NO_MATCHING_SIGNATURE, diagnoseSignatureFailure),
  {
    // Stripe sends no cookie and no Authorization header, so auth or CSRF middleware in front of
    // the route rejects it. Before the generic signature words: jsonwebtoken says "invalid signature".
    name: 'auth',
    applies: (answer) => [401, 403, 419].includes(answer.statusCode) && AUTH_WORDS.test(answer.text),
    diagnose: (answer, context) => ({
      cause: 'unknown',
      summary: `The app refused the event as unauthenticated (${answered(answer)}): probably auth or CSRF middleware in front of the route.`,
      hints: [
        'Stripe sends no cookies and no Authorization header: exempt the webhook route from auth and CSRF middleware (a Next.js middleware matcher, csrf_exempt in Django, the CSRF exceptions in Rails or Laravel).',
        `If it is the app's own signature check that answers ${answer.statusCode}: ${lowerFirst(secretHint(context))}`,
      ],
    }),
  },
  textRule('signature-words', GENERIC_SIGNATURE, diagnoseSignatureFailure),
  textRule('raw-body', [/raw (request )?body/i, /\b(body|payload)\b[^\n]{0,40}\bBuffer\b/i], (answer, context) => ({
    cause: 'parsed-body',
    summary: `The app did not get the raw body it needs to verify the signature (${answered(answer)}).`,
    hints: parsedBodyHints(context),
  })),
  {
    name: 'not-found',
    applies: (answer) => answer.statusCode === 404 || answer.statusCode === 405,
    diagnose: (answer, context) => ({
      cause: 'unknown',
      summary: `The app has no POST route at ${pathOf(context.url)} (HTTP ${answer.statusCode}).`,
      hints: ["Check the path in --forward-to against the app's webhook route, and that the route accepts POST."],
    }),
  },
  {
    name: 'too-large',
    applies: (answer) => answer.statusCode === 413,
    diagnose: () => ({
      cause: 'unknown',
      summary: 'The app refused the event as too large (HTTP 413).',
      hints: ["Raise the body parser's limit on the webhook route, e.g. express.raw({ type: 'application/json', limit: '1mb' })."],
    }),
  },
  {
    name: 'server-error',
    applies: (answer) => answer.statusCode >= 500,
    diagnose: (answer) => ({
      cause: 'app-error',
      summary: `The app failed while handling the event (HTTP ${answer.statusCode}).`,
      hints: ["Its response is shown below; the app's own output should have the stack trace."],
    }),
  },
  {
    name: 'client-error',
    applies: (answer) => answer.statusCode >= 400,
    diagnose: (answer) => ({
      cause: 'unknown',
      summary: `The app rejected the event (HTTP ${answer.statusCode}).`,
      hints: ['webhook-dev verified the signature, so the event itself is genuine; the response is shown below.'],
    }),
  },
  {
    name: 'refused',
    applies: (answer) => answer.refusal !== undefined,
    diagnose: (answer) => ({
      cause: 'app-error',
      summary: `The app answered ${answer.statusCode} but reported a failure: ${answer.refusal!.source === 'body' ? 'its body says' : 'it printed'} ${answer.refusal!.quote}`,
      hints: [
        "A 2xx tells Stripe the event was handled, so Stripe would not retry it: answer 4xx or 5xx when it was not.",
        'If the app answers this way on purpose, pass --status-only to judge forwards by their status alone.',
      ],
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

/** `undefined` when there is nothing to explain: the app answered 2xx (or 1xx) and nothing said otherwise. */
export function diagnoseAppResponse(outcome: ForwardOutcome, context: DiagnoseContext, { appLines = [], refusal }: AnswerEvidence = {}): ForwardDiagnosis | undefined {
  if (outcome.status === 'failed') return FAILURE_RULES[outcome.kind](outcome, context);
  if (outcome.statusCode < 300 && refusal === undefined) return undefined;
  const answer = readAnswer(outcome, appLines, refusal);
  return RESPONSE_RULES.find((rule) => rule.applies(answer))?.diagnose(answer, context);
}

function readAnswer(response: AppResponse, appLines: readonly AttributedLine[], refusal: ForwardRefusal | undefined): ReadAnswer {
  const text = [response.body, ...appLines.map((line) => line.line)].join('\n');
  return { statusCode: response.statusCode, headers: response.headers, text, ...(refusal ? { refusal } : {}) };
}

function textRule(name: string, patterns: readonly RegExp[], diagnose: ResponseRule['diagnose']): ResponseRule {
  return {
    name,
    applies: (answer) => (answer.statusCode >= 400 || answer.refusal !== undefined) && matchesAny(patterns, answer.text),
    diagnose,
  };
}

/** "HTTP 400", or for a 2xx that said otherwise, "HTTP 200, yet it reported a failure". */
function answered(answer: ReadAnswer): string {
  return answer.statusCode < 300 ? `HTTP ${answer.statusCode}, yet it reported a failure` : `HTTP ${answer.statusCode}`;
}

function diagnoseSignatureFailure(answer: ReadAnswer, context: DiagnoseContext): ForwardDiagnosis {
  return {
    cause: 'secret-mismatch-or-parsed-body',
    summary: `The app's signature check failed on an event webhook-dev verified: it uses another secret or changed the body (${answered(answer)}).`,
    hints: [secretHint(context), ...parsedBodyHints(context)],
  };
}

function diagnoseRedirect(answer: ReadAnswer, context: DiagnoseContext): ForwardDiagnosis {
  const location = resolveLocation(answer.headers['location'], context.url);
  return {
    cause: 'redirect',
    summary: `The app redirected (HTTP ${answer.statusCode}${location ? ` to ${location}` : ''}); redirects are not followed, as Stripe does not follow them.`,
    hints: [
      location ? `Forward to the final URL: --forward-to ${location}` : 'Forward to the URL the app finally answers at.',
      'Usual causes: a trailing slash (/webhook vs /webhook/), http:// redirected to https://, or an auth middleware sending the request to a login page (exempt the webhook route).',
    ],
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function secretHint({ secretMasked, secretEnvName, secretInjected = false }: DiagnoseContext): string {
  if (secretInjected) {
    return (
      `The app may verify with a different secret. webhook-dev started it with ${secretEnvName}=${secretMasked}, so something in the app replaces that value: ` +
      `a hard-coded whsec_ secret, dotenv loaded with override: true (load_dotenv(override=True) in Python), or a config file. Have it read ${secretEnvName} from its environment.`
    );
  }
  return (
    `The app may verify with a different secret. webhook-dev signs with ${secretMasked}; the app must read that one from ${secretEnvName} ` +
    '(pass --write-env .env, or run the app with -- <command> to get it injected). ' +
    "A Dashboard endpoint's secret or another `stripe listen` session's secret is a different one."
  );
}

/** The known framework's fix, or every framework's when unsure; then what else changes bytes. */
function parsedBodyHints({ framework }: DiagnoseContext): string[] {
  const fixes = framework === undefined ? Object.values(RAW_BODY_FIXES) : [RAW_BODY_FIXES[framework]];
  const lead = framework === undefined ? 'The app may parse the body before verifying it; the fix for each framework:' : 'The app may parse the body before verifying it.';
  return [
    `${lead} ${fixes[0]}`,
    ...fixes.slice(1),
    'A proxy or middleware that re-serializes JSON changes the bytes: pass the body through untouched.',
    `More in webhook-dev's ${FRAMEWORK_DOCS}${framework === undefined ? '' : ` (${FRAMEWORK_NAMES[framework]})`}.`,
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
