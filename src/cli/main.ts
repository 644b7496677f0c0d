import { CommanderError } from 'commander';
import { ExitCode, isWebhookDevError } from '../errors.js';
import { createProgram } from './program.js';

/**
 * The one top-level catch. Expected failures already reached the user through a reporter inside the
 * command; anything arriving here is a usage error from commander or a bug, and bugs show a stack.
 */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its own message; --help and --version land here with code 0.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (isWebhookDevError(error)) {
      process.stderr.write(`webhook-dev: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return error.exitCode;
    }
    process.stderr.write(`webhook-dev crashed; this is a bug, please report it with the output below.\n${error instanceof Error ? error.stack : String(error)}\n`);
    return ExitCode.INTERNAL;
  }
}

// `webhook-dev --help | head`: a reader that closed its end ends our output, it is not a crash
// (Node would throw the EPIPE as an unhandled 'error' event). Sessions listen themselves and stop
// cleanly (wait-for-stop.ts); this acts only when nobody else does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (stream.listenerCount('error') === 1) process.exit(error.code === 'EPIPE' ? ExitCode.OK : ExitCode.INTERNAL);
  });
}

const code = await main(process.argv);
process.exitCode = code;
// Everything started has been closed; if a stray handle would keep the process alive, do not hang.
setTimeout(() => process.exit(code), 2_000).unref();
