import { Command, Option } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const PROJECT_NAME_HELP = 'Stripe CLI project (config profile) to use';
const STRIPE_BIN_HELP = 'Stripe CLI binary to run (default: $STRIPE_CLI_PATH, stripe on PATH if recent, else the bundled one)';

/** Shared by every command that runs the Stripe CLI; the key then reaches it only through its environment. */
function apiKeyOption(): Option {
  return new Option('--api-key <key>', 'Stripe secret key for the Stripe CLI (prefer the environment variable)').env('STRIPE_API_KEY');
}

/** What the project config may fill in for a command: its own options that the command line did not set. */
function configContext(cmd: Command, extra: string[], excluded: string[] = []) {
  const names = new Set([...cmd.options.map((option) => option.attributeName()), ...extra]);
  for (const name of excluded) names.delete(name);
  return { accepts: (name: string) => names.has(name), source: (name: string) => cmd.getOptionValueSource(name) };
}

/** The journal's options, shared by listen and trigger (both journal their sessions). */
function addJournalOptions(command: Command): Command {
  return command
    .optionsGroup('Journal (every delivery, kept in .webhook-dev/journal/ for webhook-dev events):')
    .option('--no-journal', 'do not keep this session\'s deliveries')
    .option('--journal-max-size <size>', 'delete the oldest deliveries past this total size (e.g. 100MB, 1GB)', '100MB')
    .option('--journal-max-age <age>', 'delete deliveries older than this (e.g. 14d, 12h)', '14d');
}

/** The options `send` and `replay` share for their targets: a handler of their own, or the app. */
function addDirectTargetOptions(command: Command): Command {
  return command
    .option('--handler-timeout <duration>', 'with --handler: fail a handler that runs longer than this', '10s')
    .addOption(new Option('--secret <whsec>', "your app's signing secret for --forward-to (prefer the environment variable: argv shows in ps)").env('STRIPE_WEBHOOK_SECRET'))
    .option('--timeout <duration>', 'how long the app (or the session) may take to answer', '30s')
    .option('--insecure', 'accept a self-signed certificate on an https --forward-to')
    .option('--status-only', "judge your app's answer by its HTTP status alone, not by an error in a 2xx body");
}

/** Stripe's delivery quirks on demand (docs/quirks.md), shared by listen, trigger, send and replay; no defaults here, so that given ones can be told apart. */
function addQuirkOptions(command: Command): Command {
  return command
    .optionsGroup("Delivery quirks (Stripe's duplicates, disorder, delays and retries, on demand; see docs/quirks.md):")
    .option('--duplicate <probability>', 'deliver each event a second time with this probability, 0 to 1 (a fresh signature, the same bytes)')
    .option('--shuffle <window>', 'hand deliveries that arrive within this window to the handler out of order (e.g. 2s)')
    .option('--delay <duration|min-max>', 'hold each delivery this long before handing it over (e.g. 300ms, or a range 100ms-2s)')
    .option('--retry', "re-deliver a failed delivery (handler error or timeout, app non-2xx) on Stripe's retry schedule, compressed")
    .option('--retry-speed <factor>', "how many times faster than Stripe's schedule (default 7200: its first hour takes 0.5 s)")
    .option('--max-attempts <n>', 'attempts per event, the first included (default 4, as in a Stripe sandbox; at most 7)')
    .option('--seed <n>', 'repeat the same quirk decisions (default: a random seed, shown in the ready line and the summary)');
}

/** Defines commands and options only; each command's code is imported when it runs. */
export function createProgram(): Command {
  const program = new Command('webhook-dev')
    .description('Build, test and trust Stripe webhook handlers: one command runs the Stripe CLI, verifies every delivery and runs your handler.')
    .version(version, '-v, --version')
    .addHelpText(
      'after',
      `
Start here:
  webhook-dev init                                  write a typed handler, a config and npm scripts
  webhook-dev listen                                receive events (offline when you have no Stripe login)
  webhook-dev trigger payment_intent.succeeded      send one and see how your handler did

Docs: README.md and docs/ in the package (handlers, forwarding, CI, offline mode, exit codes).`,
    )
    .exitOverride()
    .showHelpAfterError('(run webhook-dev --help for usage)');

  const listen = program
    .command('listen')
    .description('Receive Stripe events through the Stripe CLI, verify them and run your handler')
    .optionsGroup('Handler:')
    .option('-H, --handler <file>', 'handler module (.ts, .mts, .cts, .js, .mjs, .cjs) to run for each verified event; reloaded on save')
    .option('-e, --events <types>', 'event types to receive, comma-separated (default: the types the handler declares, else all)')
    .option('--handler-timeout <duration>', 'fail a handler that runs longer than this (e.g. 10s, 500ms)', '10s')
    .optionsGroup('Your app:')
    .option('--forward-to <url>', "forward every verified delivery, byte for byte, to your app's webhook URL")
    .argument('[command...]', "after --: your app's command, started with the secret in its environment (e.g. -- npm run dev)")
    .option('--secret-env <name>', 'the environment variable that gives your app the signing secret', 'STRIPE_WEBHOOK_SECRET')
    .option('--write-env <path>', 'write the signing secret into this dotenv file, created 0600 if missing (other lines kept as they are)')
    // Node itself reads --env-file anywhere on the command line (nodejs/node#54232): never ours.
    .addOption(new Option('--env-file <path>').hideHelp())
    .option('--forward-timeout <duration>', 'fail a forward the app has not answered after this long', '30s')
    .option('--no-timeout', 'never time out a forward (for sitting at a breakpoint in your app)')
    .option('--insecure', 'accept a self-signed certificate on an https --forward-to')
    .option('--status-only', "judge your app's answers by their HTTP status alone, not by an error in a 2xx body or its output")
    .optionsGroup('Stripe:')
    .option('--offline', 'run against the built-in Stripe emulator: no account, no network (the default when no Stripe API key is found)')
    .option('--online', 'use your Stripe test account, and fail if no API key is found (stripe login or STRIPE_API_KEY)')
    .addOption(apiKeyOption())
    .option('--project-name <name>', PROJECT_NAME_HELP)
    .option('--stripe-bin <path>', STRIPE_BIN_HELP)
    .option('--ready-timeout <duration>', 'how long to wait for the Stripe CLI to become ready', '30s')
    .addOption(new Option('--api-base <url>', 'Stripe API base for the Stripe CLI (advanced: a local Stripe emulator)'))
    .optionsGroup('Receiver:')
    .option('-p, --port <port>', 'receiver port (0 picks a free one)', '4343')
    .option('--host <address>', 'receiver address', '127.0.0.1')
    .option('--path <path>', 'receiver path', '/webhook')
    .option('--tolerance <seconds>', 'signature timestamp tolerance in seconds (0 disables the age check)', '300')
    .optionsGroup('Output:')
    .option('--json', 'one JSON object per line on stdout (ready, event, notice, error, summary)')
    .option('--show-secret', 'show the whsec_ signing secret unmasked')
    .option('--debug', "also show the Stripe CLI's own output, start-up timings and error stacks (or WEBHOOK_DEV_DEBUG=1)")
    .addHelpText(
      'after',
      `
Examples:
  webhook-dev listen --handler src/webhooks.ts        run your handler for every event it declares
  webhook-dev listen --forward-to localhost:3000/api/webhooks -- npm run dev
                                                      start your app with the secret, forward to it
  webhook-dev listen --offline --json | jq .          no account needed; one record per line

Settings can live in webhook-dev.config.json or package.json "webhook-dev" (webhook-dev init writes one).`,
    )
    .action(async (command: string[], options: Record<string, unknown>, cmd: Command) => {
      const { runListenCommand } = await import('./listen-command.js');
      process.exitCode = await runListenCommand({ ...options, command }, configContext(cmd, ['command']));
    });
  addQuirkOptions(listen);
  addJournalOptions(listen);

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const trigger = program
    .command('trigger')
    .description('Trigger Stripe events with `stripe trigger` and check how your handler did (exit code for CI)')
    .argument('[events...]', 'events to trigger, in order (e.g. payment_intent.succeeded)')
    .optionsGroup('Triggers:')
    .option('--list', 'list the triggers the Stripe CLI in use supports, and which work offline')
    .option('--expect <types>', 'event types each trigger must cause (default: the event the trigger is named after)')
    .option('--timeout <duration>', 'how long each trigger may take, its events included', '30s')
    .option('--quiet-period <duration>', 'once every expected event is in, wait this long for stragglers', '300ms')
    .optionsGroup('Session (attached to a running webhook-dev listen of this project, else one of its own):')
    .option('-H, --handler <file>', 'run a session of its own with this handler (standalone, for CI)')
    .option('--offline', 'run a session of its own against the built-in Stripe emulator: no account, no network (the default when no Stripe API key is found)')
    .option('--online', 'use your Stripe test account, and fail if no API key is found (stripe login or STRIPE_API_KEY)')
    .option('--standalone', 'run a session of its own even when webhook-dev listen is running')
    .option('--attach', 'require a running webhook-dev listen for this project (exit 24 if none)')
    .option('--status-only', 'pass a 2xx from your app (--forward-to) even when its body or output reports a failure')
    .option('-e, --events <types>', 'event types a session of its own receives (default: every snapshot event)')
    .option('--handler-timeout <duration>', 'fail a handler that runs longer than this', '10s')
    .option('-p, --port <port>', 'receiver port of a session of its own', '0')
    .option('--tolerance <seconds>', 'signature timestamp tolerance in seconds', '300')
    .option('--ready-timeout <duration>', 'how long to wait for the Stripe CLI to become ready', '30s')
    .optionsGroup('Passed to stripe trigger:')
    .option('--override <param>', 'repeatable, e.g. payment_intent:amount=5000', collect)
    .option('--add <param>', 'repeatable', collect)
    .option('--remove <param>', 'repeatable', collect)
    .option('--skip <step>', 'repeatable', collect)
    .option('--stripe-account <id>', 'act as this connected account')
    .option('--api-version <version>', 'the API version of its requests')
    .option('--raw <data>', 'a raw fixture to run')
    .optionsGroup('Stripe:')
    .addOption(apiKeyOption())
    .option('--project-name <name>', PROJECT_NAME_HELP)
    .option('--stripe-bin <path>', STRIPE_BIN_HELP)
    .addOption(new Option('--api-base <url>', 'Stripe API base for the Stripe CLI (advanced)'))
    .optionsGroup('Output:')
    .option('--json', 'one JSON object per line on stdout (the listen records plus a trigger record per trigger)')
    .option('--junit <file>', 'write a JUnit XML report: one test case per trigger')
    .option('--show-secret', 'show the whsec_ signing secret unmasked')
    .option('--debug', "also show the Stripe CLI's own output, start-up timings and error stacks (or WEBHOOK_DEV_DEBUG=1)")
    .addHelpText(
      'after',
      `
Exit codes: 0 passed, 20 a handler failed, 21 a delivery failed verification, 22 an expected event
never came, 23 the trigger failed (see docs/exit-codes.md for all).

Examples:
  webhook-dev trigger payment_intent.succeeded                     in a project running webhook-dev listen
  webhook-dev trigger checkout.session.completed --handler src/webhooks.ts --junit report.xml
                                                                   a CI check, offline without an API key
  webhook-dev trigger --list                                       every trigger, and which work offline`,
    )
    .action(async (events: string[], options: Record<string, unknown>, cmd: Command) => {
      const { runTriggerCommand } = await import('./trigger-command.js');
      // A standalone trigger picks its own port: the project's listen may be using the configured one.
      process.exitCode = await runTriggerCommand(events, options, configContext(cmd, [], ['port', 'host', 'path']));
    });
  addQuirkOptions(trigger);
  addJournalOptions(trigger);

  const events = program
    .command('events')
    .description('List the deliveries kept in the journal, newest first, across sessions (`events show <evt_id>` for one)')
    .option('-t, --type <types>', 'event types or globs, comma-separated (e.g. "invoice.*,charge.failed")')
    .option('--failed', 'only deliveries that failed: rejected, handler failed or timed out, app failed')
    .option('--since <when>', 'only deliveries since a duration ago (10m, 2h, 3d) or a date (2026-11-30)')
    .option('--session <id>', 'only deliveries of this session (the id in the --json records)')
    .option('-n, --limit <count>', 'how many to show', '20')
    .option('--json', 'one JSON record per line on stdout')
    .addHelpText(
      'after',
      `
Examples:
  webhook-dev events --failed --since 1h              what failed in the last hour
  webhook-dev events --type 'invoice.*' --json | jq .
  webhook-dev events show evt_1NtB8f2eZvKYlo2C        the payload and every delivery of that event

The journal lives in .webhook-dev/journal/ (delete the folder to clear it).`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runEventsCommand } = await import('./events-command.js');
      process.exitCode = await runEventsCommand(options);
    });
  events
    .command('show')
    .description('Print an event\'s payload and every delivery of it with its results')
    .argument('<evt_id>', 'the event id (evt_…)')
    .option('--raw', 'print the body exactly as received, and nothing else')
    .option('--json', 'one JSON record: the payload and the deliveries')
    .action(async (eventId: string, options: Record<string, unknown>, cmd: Command) => {
      const { runEventsShowCommand } = await import('./events-command.js');
      // `events show ID --json`: commander gives --json to `events`, which defines it too.
      process.exitCode = await runEventsShowCommand(eventId, { ...options, json: options.json === true || cmd.parent?.opts().json === true });
    });

  const send = program
    .command('send')
    .description('Send a payload of your own, signed the way Stripe signs, to your app or through the running session')
    .argument('<payload>', 'an event type built from a template (e.g. payment_intent.succeeded), a JSON file, or - for stdin')
    .option('--set <path=value>', 'repeatable: change a field, e.g. data.object.amount=5000 or data.object.items[0].price=\'"price_1"\' (the value is JSON if it parses, else a string)', collect)
    .optionsGroup('Target (default: the webhook-dev listen running in this project):')
    .option('--forward-to <url>', 'send to your app instead, with no Stripe CLI, account or session')
    .option('-H, --handler <file>', 'run this handler in a session of its own (no Stripe CLI) and send to it');
  addQuirkOptions(addDirectTargetOptions(send))
    .optionsGroup('Check your verification (one per send; your endpoint should refuse each with a 4xx):')
    .option('--stale <seconds>', "sign with a timestamp this old (Stripe's libraries refuse more than 300 s)")
    .option('--bad-signature', 'a well-formed signature that does not match the body')
    .option('--no-signature', 'no Stripe-Signature header at all')
    .option('--wrong-secret', 'a valid signature made with another secret')
    .optionsGroup('Output:')
    .option('--json', 'one JSON object per line on stdout: a send record (see docs/json-output.md)')
    .option('--debug', 'also show error stacks (or WEBHOOK_DEV_DEBUG=1)')
    .addHelpText(
      'after',
      `
Exit codes: 0 the target did the right thing (accepted a good delivery, refused a tampered one),
20 it failed a good delivery (or answered a tampered one with a 5xx), 21 the session rejected it,
24 no session to send through, 29 it accepted a tampered delivery, 30 the payload is invalid.

Examples:
  webhook-dev send payment_intent.succeeded --set data.object.amount=5000
                                                 through the running webhook-dev listen
  export STRIPE_WEBHOOK_SECRET=whsec_…
  webhook-dev send order-paid.json --forward-to http://localhost:3000/api/webhooks
  webhook-dev send payment_intent.succeeded --forward-to localhost:3000/api/webhooks --no-signature
                                                 passes only if your app refuses it
  webhook-dev send invoice.paid --handler src/webhooks.ts
                                                 your handler alone, no listen running
  webhook-dev send invoice.paid --handler src/webhooks.ts --duplicate 1 --retry
                                                 delivered twice, and again while it fails
  stripe events retrieve evt_123 | webhook-dev send - --forward-to localhost:3000/api/webhooks`,
    )
    .action(async (payload: string, options: Record<string, unknown>, cmd: Command) => {
      const { runSendCommand } = await import('./send-command.js');
      process.exitCode = await runSendCommand(payload, options, { secretSource: cmd.getOptionValueSource('secret') });
    });

  const replay = program
    .command('replay')
    .description('Deliver journaled events again, re-signed with a fresh timestamp: through the running session, or to your handler or app')
    .argument('[evt_ids...]', 'the events to replay (evt_…; webhook-dev events lists them)')
    .optionsGroup('Which events (instead of ids):')
    .option('--last [count]', 'the newest events the journal kept (default 1)')
    .option('--failed', 'events whose last delivery failed (all of them, or the newest --last N)')
    .option('--since <when>', 'with --last or --failed: only deliveries since a duration ago (10m, 2h) or a date')
    .option('-t, --type <types>', 'with --last or --failed: event types or globs, comma-separated (e.g. "invoice.*")')
    .option('--times <count>', 'deliver each event this many times, as Stripe\'s at-least-once delivery can', '1')
    .option('--edit', 'open each payload in $VISUAL or $EDITOR before sending it')
    .optionsGroup('Target (default: the webhook-dev listen running in this project):')
    .option('--attach', 'require a running webhook-dev listen for this project (exit 24 if none)')
    .option('--standalone', 'do not use the running session, even if there is one (with --handler or --forward-to)')
    .option('--offline', 'with --handler: replay through a session of its own, the real Stripe CLI against the built-in emulator delivering each event')
    .option('--forward-to <url>', 'replay to your app, signed with its secret (STRIPE_WEBHOOK_SECRET)')
    .option('-H, --handler <file>', 'run this handler in a session of its own (no Stripe CLI) and replay to it');
  addQuirkOptions(addDirectTargetOptions(replay))
    .optionsGroup('Output:')
    .option('--json', 'one JSON object per line on stdout: a replay record per delivery, then a replay-summary')
    .option('--junit <file>', 'write a JUnit XML report: one test case per delivery')
    .option('--debug', 'also show error stacks (or WEBHOOK_DEV_DEBUG=1)')
    .addHelpText(
      'after',
      `
No account or network is needed in any mode (--offline runs the bundled Stripe CLI against the emulator).
Exit codes: 0 every delivery was handled, 20 a handler (or your app) failed one, 21 one failed
verification, 24 no session to replay through, 30 an edited payload is not valid JSON, 31 no such
event in the journal (or nothing matches --last/--failed).
Examples:
  webhook-dev replay evt_1NtB8f2eZvKYlo2C          through the running webhook-dev listen
  webhook-dev replay --failed --since 1h           what failed in the last hour, again
  webhook-dev replay --last --times 3              is your handler idempotent?
  webhook-dev replay --last 10 --handler src/webhooks.ts --shuffle 1s --seed 7
                                                   the same ten, out of order (repeatable)
  webhook-dev replay --last --edit                 change the payload first
  webhook-dev replay --last 5 --handler src/webhooks.ts --junit replay.xml
                                                   no listen running: your handler alone
  webhook-dev replay --failed --offline --handler src/webhooks.ts
                                                   delivered by the Stripe CLI, as listen gets them
  STRIPE_WEBHOOK_SECRET=whsec_… webhook-dev replay evt_1NtB8f2eZvKYlo2C --forward-to localhost:3000/api/webhooks`,
    )
    .action(async (ids: string[], options: Record<string, unknown>, cmd: Command) => {
      const { runReplayCommand } = await import('./replay-command.js');
      process.exitCode = await runReplayCommand(ids, options, { secretSource: cmd.getOptionValueSource('secret') });
    });
  program
    .command('init')
    .description('Write a typed handler for the common events, a webhook-dev.config.json and npm scripts, then say what to run')
    .option('-H, --handler <file>', 'where to write the handler (default: src/webhooks.ts if there is a src/ folder, else webhooks.ts)')
    .option('--force', 'replace files that already exist (default: keep them)')
    .action(async (options: Record<string, unknown>) => {
      const { runInitCommand } = await import('./init-command.js');
      process.exitCode = await runInitCommand(options);
    });

  return program;
}
