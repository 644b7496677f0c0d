import { Command, Option } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const PROJECT_NAME_HELP = 'Stripe CLI project (config profile) to use';
const STRIPE_BIN_HELP = 'Stripe CLI binary to run (default: $STRIPE_CLI_PATH, stripe on PATH if recent, else the bundled one)';

/** Shared by every command that runs the Stripe CLI; the key then reaches it only through its environment. */
function apiKeyOption(): Option {
  return new Option('--api-key <key>', 'Stripe secret key for the Stripe CLI (prefer the environment variable)').env('STRIPE_API_KEY');
}

/** Defines commands and options only; each command's code is imported when it runs. */
export function createProgram(): Command {
  const program = new Command('webhook-dev')
    .description('Build, test and trust Stripe webhook handlers: one command runs the Stripe CLI, verifies every delivery and runs your handler.')
    .version(version, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run webhook-dev --help for usage)');

  program
    .command('listen')
    .description('Receive Stripe events through the Stripe CLI, verify them and run your handler')
    .option('-H, --handler <file>', 'handler module (.ts, .mts, .cts, .js, .mjs, .cjs) to run for each verified event; reloaded on save')
    .option('-e, --events <types>', 'event types to receive, comma-separated (default: the types the handler declares, else all)')
    .option('--offline', 'run against the built-in Stripe emulator: no account, no network')
    .option('-p, --port <port>', 'receiver port (0 picks a free one)', '4343')
    .option('--host <address>', 'receiver address', '127.0.0.1')
    .option('--path <path>', 'receiver path', '/webhook')
    .option('--tolerance <seconds>', 'signature timestamp tolerance in seconds (0 disables the age check)', '300')
    .option('--handler-timeout <duration>', 'fail a handler that runs longer than this (e.g. 10s, 500ms)', '10s')
    .option('--json', 'one JSON object per line on stdout (ready, event, notice, error, summary)')
    .option('--show-secret', 'show the whsec_ signing secret unmasked')
    .addOption(apiKeyOption())
    .option('--project-name <name>', PROJECT_NAME_HELP)
    .option('--stripe-bin <path>', STRIPE_BIN_HELP)
    .option('--ready-timeout <duration>', 'how long to wait for the Stripe CLI to become ready', '30s')
    .addOption(new Option('--api-base <url>', 'Stripe API base for the Stripe CLI (advanced: a local Stripe emulator)').hideHelp(false))
    .option('--forward-to <url>', "forward every verified delivery, byte for byte, to your app's webhook URL")
    .option('--forward-timeout <duration>', 'fail a forward the app has not answered after this long', '30s')
    .option('--no-timeout', 'never time out a forward (for sitting at a breakpoint in your app)')
    .option('--insecure', 'accept a self-signed certificate on an https --forward-to')
    .option('--secret-env <name>', "the environment variable that gives your app the signing secret", 'STRIPE_WEBHOOK_SECRET')
    .option('--write-env <path>', 'write the signing secret into this dotenv file, created 0600 if missing (other lines kept as they are)')
    // Node itself reads --env-file anywhere on the command line (nodejs/node#54232): never ours.
    .addOption(new Option('--env-file <path>').hideHelp())
    .argument('[command...]', "after --: your app's command, started with the secret in its environment (e.g. -- npm run dev)")
    .action(async (command: string[], options: Record<string, unknown>) => {
      const { runListenCommand } = await import('./listen-command.js');
      process.exitCode = await runListenCommand({ ...options, command });
    });

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('trigger')
    .description('Trigger Stripe events with `stripe trigger` and check how your handler did (exit code for CI)')
    .argument('[events...]', 'events to trigger, in order (e.g. payment_intent.succeeded)')
    .option('--list', 'list the triggers the Stripe CLI in use supports, and which work offline')
    .option('-H, --handler <file>', 'run a session of its own with this handler (standalone, for CI)')
    .option('--offline', 'run a session of its own against the built-in Stripe emulator: no account, no network')
    .option('--expect <types>', "event types each trigger must cause (default: the trigger's own name)")
    .option('--timeout <duration>', 'how long each trigger may take, its events included', '30s')
    .option('--quiet-period <duration>', 'once every expected event is in, wait this long for stragglers', '300ms')
    .option('--json', 'one JSON object per line on stdout (the listen records plus a trigger record per trigger)')
    .option('--junit <file>', 'write a JUnit XML report: one test case per trigger')
    .option('--standalone', 'run a session of its own even when webhook-dev listen is running')
    .option('--attach', 'require a running webhook-dev listen for this project (exit 24 if none)')
    .option('--override <param>', 'passed to stripe trigger (repeatable), e.g. payment_intent:amount=5000', collect)
    .option('--add <param>', 'passed to stripe trigger (repeatable)', collect)
    .option('--remove <param>', 'passed to stripe trigger (repeatable)', collect)
    .option('--skip <step>', 'passed to stripe trigger (repeatable)', collect)
    .option('--stripe-account <id>', 'passed to stripe trigger: act as this connected account')
    .option('--api-version <version>', 'passed to stripe trigger: the API version of its requests')
    .option('--raw <data>', 'passed to stripe trigger: a raw fixture to run')
    .option('-e, --events <types>', 'standalone: event types the session receives (default: every snapshot event)')
    .option('-p, --port <port>', 'standalone: receiver port', '0')
    .option('--tolerance <seconds>', 'standalone: signature timestamp tolerance in seconds', '300')
    .option('--handler-timeout <duration>', 'standalone: fail a handler that runs longer than this', '10s')
    .option('--show-secret', 'standalone: show the whsec_ signing secret unmasked')
    .addOption(apiKeyOption())
    .option('--project-name <name>', PROJECT_NAME_HELP)
    .option('--stripe-bin <path>', STRIPE_BIN_HELP)
    .option('--ready-timeout <duration>', 'standalone: how long to wait for the Stripe CLI to become ready', '30s')
    .addOption(new Option('--api-base <url>', 'standalone: Stripe API base for the Stripe CLI (advanced)'))
    .action(async (events: string[], options: Record<string, unknown>) => {
      const { runTriggerCommand } = await import('./trigger-command.js');
      process.exitCode = await runTriggerCommand(events, options);
    });

  return program;
}
