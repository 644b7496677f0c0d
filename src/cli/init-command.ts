/**
 * `webhook-dev init`: a typed handler for the common events, the project config that names it,
 * and npm scripts, so that the next two commands show an event handled. Existing files are kept
 * unless --force.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { findProjectRoot } from '../control/session-file.js';
import { ExitCode, UsageError } from '../errors.js';

export interface InitFlags {
  handler?: string;
  force?: boolean;
}

interface Written {
  file: string;
  action: 'created' | 'replaced' | 'kept' | 'updated';
}

export async function runInitCommand(flags: InitFlags, { cwd = process.cwd(), out = process.stdout }: { cwd?: string; out?: NodeJS.WritableStream } = {}): Promise<number> {
  const root = await findProjectRoot(cwd);
  const handler = flags.handler ?? ((await exists(join(root, 'src'))) ? 'src/webhooks.ts' : 'webhooks.ts');
  if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(handler)) {
    throw new UsageError(`--handler takes a .ts or .js file name (got "${handler}").`, { hint: 'For example: webhook-dev init --handler src/webhooks.ts' });
  }
  const written = [
    await writeFresh(join(root, handler), handlerTemplate(handler), flags.force === true),
    await writeFresh(join(root, 'webhook-dev.config.json'), `${JSON.stringify({ handler }, null, 2)}\n`, flags.force === true),
    await addScripts(join(root, 'package.json')),
  ];
  const shown = (file: string) => relative(cwd, file) || basename(file);
  out.write(written.map(({ file, action }) => `  ${action.padEnd(8)} ${shown(file)}`).join('\n') + '\n\n');
  out.write(
    [
      'Try it (no Stripe account needed: without one it runs offline):',
      '  npm run webhooks                               # terminal 1: receive events and run the handler',
      '  npx webhook-dev trigger payment_intent.succeeded  # terminal 2: send one, see how the handler did',
      '',
      `Then edit ${handler}: it reloads on save.`,
      '',
    ].join('\n'),
  );
  return ExitCode.OK;
}

async function writeFresh(file: string, content: string, force: boolean): Promise<Written> {
  const present = await exists(file);
  if (present && !force) return { file, action: 'kept' };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  return { file, action: present ? 'replaced' : 'created' };
}

const SCRIPTS = {
  webhooks: 'webhook-dev listen',
  'webhooks:test': 'webhook-dev trigger payment_intent.succeeded checkout.session.completed',
};

/** Adds the scripts that are missing, keeping the file's indentation; makes a package.json if there is none. */
async function addScripts(file: string): Promise<Written> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    const pkg = { name: toPackageName(basename(dirname(file))), private: true, type: 'module', scripts: SCRIPTS };
    await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`);
    return { file, action: 'created' };
  }
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON, so no scripts were added to it.`, { hint: 'Fix it (npm would refuse it too) and run webhook-dev init again.', cause: error });
  }
  const scripts = { ...((pkg.scripts as Record<string, string> | undefined) ?? {}) };
  const missing = Object.entries(SCRIPTS).filter(([name]) => scripts[name] === undefined);
  if (missing.length === 0) return { file, action: 'kept' };
  for (const [name, command] of missing) scripts[name] = command;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  await writeFile(file, `${JSON.stringify({ ...pkg, scripts }, null, indent)}\n`);
  return { file, action: 'updated' };
}

function toPackageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'my-app';
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Only a type is imported from webhook-dev, so the handler also runs where webhook-dev is not
 * installed in the project (`npx webhook-dev`); with it installed, the editor checks every event.
 */
export function handlerTemplate(file: string): string {
  const typed = /\.(ts|mts|cts)$/.test(file);
  const header = typed ? "import type { HandlerMap } from 'webhook-dev';\n\n" : "/** @type {import('webhook-dev').HandlerMap} */\n";
  const exported = typed ? 'export default {' : 'export default {';
  const closing = typed ? '} satisfies HandlerMap;' : '};';
  return `// Your Stripe webhook handlers: one function per event type. webhook-dev subscribes to exactly
// these types, runs the function for each verified event, shows what it returned or threw, and
// reloads this file when you save it. Stripe may deliver an event more than once, in any order.
${header}${exported}
  'payment_intent.succeeded': async (event, { log }) => {
    const intent = event.data.object;
    log.info(\`payment of \${intent.amount} \${intent.currency} succeeded\`);
    return { fulfil: intent.id };
  },

  'payment_intent.payment_failed': (event) => {
    const intent = event.data.object;
    return { failed: intent.id, reason: intent.last_payment_error?.message ?? 'unknown' };
  },

  'checkout.session.completed': (event) => {
    const session = event.data.object;
    if (session.payment_status !== 'paid') return { waiting: session.payment_status };
    return { order: session.client_reference_id ?? session.id };
  },

  'customer.subscription.created': (event) => {
    const subscription = event.data.object;
    return { subscription: subscription.id, status: subscription.status };
  },

  'customer.subscription.deleted': (event) => {
    return { ended: event.data.object.id };
  },

  'invoice.payment_failed': (event) => {
    const invoice = event.data.object;
    return { dunning: invoice.id, attempt: invoice.attempt_count };
  },
${closing}
`;
}
