import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, PayloadError, UsageError } from '../errors.js';
import { onProcessExit } from '../process/on-process-exit.js';
import { parseEventJson } from '../send/load-payload.js';

export interface EditPayloadOptions {
  /** Names the file and the messages. */
  eventId: string;
  env?: NodeJS.ProcessEnv;
  /** Where the private folder is made; the OS's temp folder by default. */
  tempRoot?: string;
}

export interface EditedPayload {
  raw: string;
  event: Record<string, unknown>;
  /** false: the file came back unchanged, and the original bytes are sent as they are. */
  changed: boolean;
}

/** `$VISUAL`, else `$EDITOR`, as git and crontab choose. Pure. */
export function chooseEditor(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['VISUAL', 'EDITOR'] as const) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * Opens the payload in the user's editor and reads it back. The file lives in a folder of its own
 * (0700, made by mkdtemp) and is 0600; it holds the payload only. The folder is removed however this
 * ends: a normal return, an error, the editor failing, SIGTERM or SIGHUP meanwhile, or process.exit.
 * Ctrl-C belongs to the editor while it runs (it gets the signal too, and decides).
 */
export async function editPayload(raw: string, { eventId, env = process.env, tempRoot = tmpdir() }: EditPayloadOptions): Promise<EditedPayload> {
  const editor = chooseEditor(env);
  if (editor === undefined) {
    throw new UsageError('--edit needs an editor: neither $VISUAL nor $EDITOR is set.', { hint: 'For example: EDITOR=nano webhook-dev replay --edit …, or EDITOR="code --wait" for VS Code.' });
  }
  const dir = mkdtempSync(join(tempRoot, 'webhook-dev-replay-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const atExit = onProcessExit(remove);
  let editing: ChildProcess | undefined;
  // Stopped while the editor is open: the editor goes too, then the file.
  const stop = (code: number) => () => {
    editing?.kill('SIGTERM');
    remove();
    process.exit(code);
  };
  const onTerm = stop(ExitCode.SIGTERM);
  const onHup = stop(ExitCode.SIGHUP);
  const onInt = () => {};
  process.on('SIGTERM', onTerm).on('SIGHUP', onHup).on('SIGINT', onInt);
  try {
    const file = join(dir, `${eventId}.json`);
    await writeFile(file, raw, { mode: 0o600 });
    const status = await runEditor(editor, file, env, (child) => (editing = child));
    editing = undefined;
    if (status !== 0) {
      throw new UsageError(`The editor (${editor}) ${typeof status === 'string' ? `was stopped by ${status}` : `exited with code ${status}`}; nothing was sent.`, {
        hint: 'Save and quit the editor normally to send the payload (an unchanged file is sent as journaled).',
      });
    }
    const text = await readFile(file, 'utf8');
    if (text === raw) return { raw, event: parseEventJson(raw, 'the journal'), changed: false };
    try {
      return { raw: text, event: parseEventJson(text, `the edited ${eventId}`), changed: true };
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      throw new PayloadError(`${error.message} Nothing was sent.`, {
        hint: 'Run the replay again with --edit and fix the JSON (a Stripe event is one JSON object), or without --edit to send the journaled bytes.',
        cause: error,
      });
    }
  } finally {
    process.off('SIGTERM', onTerm).off('SIGHUP', onHup).off('SIGINT', onInt);
    remove();
    atExit.cancel();
  }
}

/**
 * The editor may carry arguments (`code --wait`): the shell splits it, the file goes as "$1", and
 * `exec` makes the editor the child itself, so that stopping the child stops the editor.
 */
function runEditor(editor: string, file: string, env: NodeJS.ProcessEnv, started: (child: ChildProcess) => void): Promise<number | string> {
  const [command, args] = process.platform === 'win32' ? [`${editor} "${file}"`, []] : ['/bin/sh', ['-c', `exec ${editor} "$1"`, 'editor', file]];
  return new Promise((resolve, reject) => {
    // With stdout piped (`--json | jq`), the editor draws on stderr: the records stay clean.
    const stdio: StdioOptions = ['inherit', process.stdout.isTTY === true ? 'inherit' : 2, 'inherit'];
    const child = spawn(command, args, { stdio, env, shell: process.platform === 'win32' });
    started(child);
    child.once('error', (error) => reject(new UsageError(`Could not start the editor (${editor}): ${error.message}.`, { hint: 'Check $VISUAL / $EDITOR.', cause: error })));
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 1));
  });
}
