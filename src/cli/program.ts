import { Command, Option } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

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
    .addOption(new Option('--api-key <key>', 'Stripe secret key for the Stripe CLI (prefer the environment variable)').env('STRIPE_API_KEY'))
    .option('--project-name <name>', 'Stripe CLI project (config profile) to use')
    .option('--stripe-bin <path>', 'Stripe CLI binary to run (default: $STRIPE_CLI_PATH, stripe on PATH if recent, else the bundled one)')
    .option('--ready-timeout <duration>', 'how long to wait for the Stripe CLI to become ready', '30s')
    .addOption(new Option('--api-base <url>', 'Stripe API base for the Stripe CLI (advanced: a local Stripe emulator)').hideHelp(false))
    .action(async (options: Record<string, unknown>) => {
      const { runListenCommand } = await import('./listen-command.js');
      process.exitCode = await runListenCommand(options);
    });

  return program;
}
