import { ExitCode } from '../errors.js';
import { describeTamper, type Tamper } from '../signature/delivery-headers.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../signature/verify-signature.js';
import { judgeTrigger, VERDICT_EXIT_CODE } from '../trigger/trigger-verdict.js';
import type { DeliveryRecord, SendReport } from '../types.js';

export type SendVerdict = Pick<SendReport, 'expected' | 'passed' | 'exitCode' | 'message' | 'details'>;

export interface JudgeSendInput {
  target: SendReport['target'];
  tamper?: Tamper;
  record: DeliveryRecord;
  /** `--status-only`: a 2xx passes whatever the app's body said. */
  statusOnly?: boolean;
}

/**
 * Whether the target behaved as it should. A well-signed delivery (or one only a little old: Stripe's
 * libraries accept timestamps up to 300 s by default) must be accepted and handled, judged as
 * `trigger` judges its deliveries, with the same exit codes. A tampered one must be refused with a
 * 4xx: a 2xx means the endpoint would act on a forged event (exit 29), and a 5xx or a redirect is a
 * refusal Stripe would retry for days (exit 20). Pure.
 */
export function judgeSend({ target, tamper, record, statusOnly = false }: JudgeSendInput): SendVerdict {
  const expected = tamper === undefined || (tamper.kind === 'stale' && tamper.seconds <= DEFAULT_TOLERANCE_SECONDS) ? 'accept' : 'refuse';
  const who = target === 'app' ? 'the app' : target === 'session' ? 'the session' : undefined;
  // Standalone, the built-in receiver refuses and the handler accepts.
  return expected === 'accept' ? judgeAccepted(record, who ?? 'the handler', tamper, statusOnly) : judgeRefused(record, who ?? "webhook-dev's receiver", tamper!);
}

function judgeAccepted(record: DeliveryRecord, who: string, tamper: Tamper | undefined, statusOnly: boolean): SendVerdict {
  const { verdict, failures } = judgeTrigger({ stripeOk: true, deliveries: [record], missing: [], timeoutMs: 0, statusOnly });
  const recent = tamper?.kind === 'stale' ? ` (${describeTamper(tamper)} is within Stripe's default ${DEFAULT_TOLERANCE_SECONDS} s tolerance, so it should be accepted)` : '';
  if (verdict === 'passed') {
    return { expected: 'accept', passed: true, exitCode: ExitCode.OK, message: `${who} accepted it: ${status(record)}${recent}`, details: [] };
  }
  const [first, ...rest] = failures;
  return {
    expected: 'accept',
    passed: false,
    exitCode: VERDICT_EXIT_CODE[verdict],
    message: `${first?.message ?? verdict}${recent}`,
    details: [...(first?.details ?? []), ...rest.map((failure) => failure.message)],
  };
}

function judgeRefused(record: DeliveryRecord, who: string, tamper: Tamper): SendVerdict {
  const sent = `a delivery with ${describeTamper(tamper)}`;
  const fail = (exitCode: number, message: string, details: string[]): SendVerdict => ({ expected: 'refuse', passed: false, exitCode, message, details });
  const forward = record.forward;
  if (forward?.outcome.status === 'failed') return fail(ExitCode.TRIGGER_HANDLER_FAILED, `the app could not be reached (${forward.outcome.message})`, []);
  // A session refuses in its receiver (a rejection); an app, by its status.
  const code = forward?.outcome.status === 'response' ? forward.outcome.statusCode : record.status;
  const refused = forward === undefined ? record.rejection !== undefined || !record.verified : code >= 400 && code < 500;
  if (refused) {
    const reason = record.rejection?.message ?? (forward?.outcome.status === 'response' ? firstLine(forward.outcome.body) : undefined);
    return { expected: 'refuse', passed: true, exitCode: ExitCode.OK, message: `${who} refused ${sent}, as it should: ${code}${reason ? ` ${reason}` : ''}`, details: [] };
  }
  if (code >= 200 && code < 300) {
    if (forward?.refusal !== undefined) {
      return {
        expected: 'refuse',
        passed: true,
        exitCode: ExitCode.OK,
        message: `${who} refused ${sent}, but answered ${code} (${forward.refusal.quote})`,
        details: [`Stripe counts a ${code} as delivered; answer 400 when verification fails, so that a real failure shows in the dashboard.`],
      };
    }
    return fail(ExitCode.SEND_TAMPERED_ACCEPTED, `${who} accepted ${sent} (${code}): it would act on a forged event`, acceptedDetails(tamper));
  }
  return fail(ExitCode.TRIGGER_HANDLER_FAILED, `${who} answered ${code} to ${sent}: it should refuse it with a 4xx`, [
    code >= 500
      ? 'A 5xx reads as "try again later": Stripe retries it for up to three days. Catch the verification error and answer 400.'
      : 'A redirect is not a refusal: Stripe does not follow it. Verify at this URL and answer 400 when verification fails.',
  ]);
}

function acceptedDetails(tamper: Tamper): string[] {
  const verify = "Verify every delivery before acting on it: stripe.webhooks.constructEvent(rawBody, request.headers['stripe-signature'], endpointSecret), and answer 400 when it throws.";
  switch (tamper.kind) {
    case 'stale':
      return [
        'It does not check how old the signature is, so a captured delivery can be replayed later.',
        "Stripe's libraries reject timestamps older than 300 s unless a tolerance is passed: do not pass 0 or a huge tolerance, and keep the server's clock in sync.",
      ];
    case 'no-signature':
      return ['It does not verify signatures at all: anyone who finds the URL can send it events.', verify];
    case 'bad-signature':
      return ['It does not check the signature against the body: anyone who finds the URL can send it events.', verify];
    case 'wrong-secret':
      return [
        'It accepts a signature made with another secret: it does not verify, or catches the failure and goes on.',
        verify,
        'Use the signing secret of this endpoint (whsec_…), not another endpoint\'s or the API key.',
      ];
  }
}

function status(record: DeliveryRecord): string {
  const forward = record.forward;
  if (forward?.outcome.status === 'response') return `${forward.outcome.statusCode}`;
  const outcome = record.handler?.outcome.status;
  return `${record.status}${outcome === 'ok' ? ', handled' : outcome === 'unhandled' ? ', no handler for this type' : ''}`;
}

function firstLine(body: string): string | undefined {
  const line = body.trim().split('\n')[0]?.trim();
  if (!line) return undefined;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
