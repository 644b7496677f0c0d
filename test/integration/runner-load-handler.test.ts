import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerLoadError, HandlerNotFoundError, HandlerShapeError, type WebhookDevError } from '../../src/errors.js';
import { loadHandler } from '../../src/runner/load-handler.js';
import { runHandler } from '../../src/runner/run-handler.js';
import type { StripeEventLike } from '../../src/types.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixtures = join(root, 'test/fixtures/handlers');

function event(type: string, object: Record<string, unknown> = {}): StripeEventLike {
  return { id: 'evt_1', object: 'event', type, created: 1, livemode: false, data: { object } };
}

async function loadError(file: string, options?: Parameters<typeof loadHandler>[1]): Promise<WebhookDevError> {
  const error = await loadHandler(file, options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as WebhookDevError;
}

describe('loadHandler: fixtures in every module flavour', () => {
  it('.ts map made with defineHandlers: event types from the keys, path absolute', async () => {
    const handler = await loadHandler('test/fixtures/handlers/map.ts', { cwd: root });
    expect(handler.path).toBe(join(fixtures, 'map.ts'));
    expect(handler.kind).toBe('map');
    expect(handler.eventTypes).toEqual(['payment_intent.succeeded', 'customer.created', 'charge.failed']);
    expect(handler.pick('payment_intent.succeeded')).toBeTypeOf('function');
    expect(handler.pick('invoice.paid')).toBeUndefined();
    // The helper it imports from src/ is a local file too: edits to it reload the handler.
    expect(handler.files).toEqual(expect.arrayContaining([join(fixtures, 'map.ts'), join(root, 'src/runner/define-handlers.ts')]));
  });

  it(".mts map with '*': every event", async () => {
    const handler = await loadHandler(join(fixtures, 'fallback.mts'));
    expect(handler.kind).toBe('map');
    expect(handler.eventTypes).toBeNull();
  });

  it('.js function that declares its events', async () => {
    const handler = await loadHandler(join(fixtures, 'declared.js'));
    expect(handler.kind).toBe('function');
    expect(handler.eventTypes).toEqual(['invoice.paid', 'invoice.payment_failed']);
  });

  it('.mjs function for every event', async () => {
    const handler = await loadHandler(join(fixtures, 'single.mjs'));
    expect(handler).toMatchObject({ kind: 'function', eventTypes: null });
  });
});

describe('loadHandler: CommonJS flavours (tsx wraps `export default` as { default: { default } })', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-dev-cjs-'));
    // No "type": "module": .ts and .js files here are CommonJS.
    await writeFile(join(dir, 'package.json'), '{}\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['handler.ts', "export const events: string[] = ['a.b'];\nexport default (event: { type: string }) => `cjs-ts:${event.type}`;\n"],
    ['handler.cts', "export const events: string[] = ['a.b'];\nexport default (event: { type: string }) => `cjs-ts:${event.type}`;\n"],
    ['handler.js', "export const events = ['a.b'];\nexport default (event) => `cjs-ts:${event.type}`;\n"],
    ['handler.cjs', "module.exports = (event) => `cjs-ts:${event.type}`;\nmodule.exports.events = ['a.b'];\n"],
  ])('%s: a function default export with declared events', async (name, source) => {
    await writeFile(join(dir, name), source);
    const handler = await loadHandler(join(dir, name));
    expect(handler).toMatchObject({ kind: 'function', eventTypes: ['a.b'] });
    const result = await runHandler(handler, event('a.b'));
    expect(result.outcome).toEqual({ status: 'ok', value: 'cjs-ts:a.b' });
  });

  it('handler.ts (CJS) with a map default export', async () => {
    await writeFile(join(dir, 'map.ts'), "export default { 'x.y': () => 1, '*': () => 2 };\n");
    const handler = await loadHandler(join(dir, 'map.ts'));
    expect(handler).toMatchObject({ kind: 'map', eventTypes: null });
  });

  it('handler.ts (CJS) with named exports only is a shape error, not a map of its exports', async () => {
    await writeFile(join(dir, 'named.ts'), 'export const handler = () => 1;\n');
    const error = await loadError(join(dir, 'named.ts'));
    expect(error).toBeInstanceOf(HandlerShapeError);
  });
});

describe('loadHandler: errors that diagnose', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-dev-load-'));
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file names the absolute path and suggests the example', async () => {
    const error = await loadError('nope/webhooks.ts', { cwd: dir });
    expect(error).toBeInstanceOf(HandlerNotFoundError);
    expect(error.exitCode).toBe(10);
    expect(error.message).toContain(join(dir, 'nope/webhooks.ts'));
    expect(error.hint).toContain('examples/webhooks.ts');
    expect(error.hint).toContain('.mts');
  });

  it('a folder is not a handler file', async () => {
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(HandlerNotFoundError);
    expect(error.message).toBe(`The handler path is a folder, not a file: ${dir}`);
  });

  it('an unsupported extension is a load error listing the accepted ones', async () => {
    await writeFile(join(dir, 'hooks.json'), '{}');
    const error = await loadError(join(dir, 'hooks.json'));
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect(error.message).toContain('".json"');
    expect(error.hint).toContain('.ts, .mts, .cts, .js, .mjs, .cjs');
  });

  it('a TypeScript syntax error gives the message, file:line:col and the line', async () => {
    await writeFile(join(dir, 'broken.ts'), 'type A = { a: number };\nexport default (e: A) => {\n  return e.a +;\n};\n');
    const error = await loadError('broken.ts', { cwd: dir });
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect(error.exitCode).toBe(11);
    expect(error.message).toBe('Could not load the handler broken.ts: Unexpected ";"');
    expect(error.details).toEqual(['at broken.ts:3:15', '  return e.a +;']);
    expect(error.hint).toBe('Fix the error in broken.ts and run the command again.');
  });

  it('when watching, the hint says saving a fix reloads it', async () => {
    await writeFile(join(dir, 'broken.ts'), 'export default () => {\n');
    const error = await loadError('broken.ts', { cwd: dir, watching: true });
    expect(error.hint).toBe('Fix the error and save: webhook-dev reloads it.');
  });

  it('a plain ESM JavaScript syntax error is located too (Node gives no location; node --check does)', async () => {
    await writeFile(join(dir, 'broken.mjs'), 'export default function (e) {\n  return e.a +;\n}\n');
    const error = await loadError('broken.mjs', { cwd: dir });
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect(error.message).toBe("Could not load the handler broken.mjs: SyntaxError: Unexpected token ';'");
    expect(error.details).toEqual(['at broken.mjs:2:15', '  return e.a +;']);
  });

  it('an exception at import time points at the throwing line of the .ts source', async () => {
    await writeFile(join(dir, 'throws.ts'), "type A = { a: number };\nconst a: A = { a: 1 };\n\nthrow new Error('no STRIPE_SECRET_KEY ' + a.a);\nexport default () => a;\n");
    const error = await loadError('throws.ts', { cwd: dir });
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect(error.message).toBe('Could not load the handler throws.ts: no STRIPE_SECRET_KEY 1');
    expect(error.details).toEqual(["at throws.ts:4:7", "  throw new Error('no STRIPE_SECRET_KEY ' + a.a);"]);
  });

  it('an import that does not resolve names it', async () => {
    await writeFile(join(dir, 'imports.ts'), "import { x } from './missing.js';\nexport default () => x;\n");
    const error = await loadError('imports.ts', { cwd: dir });
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect(error.message).toContain('missing.js');
  });

  it('named exports only: lists what was found and the accepted shapes', async () => {
    const error = await loadError('test/fixtures/handlers/named-only.ts', { cwd: root });
    expect(error).toBeInstanceOf(HandlerShapeError);
    expect(error.exitCode).toBe(12);
    expect(error.message).toBe('test/fixtures/handlers/named-only.ts does not export a webhook handler: found `handler` (a function), `retries` (a number).');
    expect(error.details.join('\n')).toContain('export default async function (event, ctx)');
    expect(error.details.join('\n')).toContain("'*'");
  });

  it('a map value that is not a function names the key', async () => {
    const error = await loadError(join(fixtures, 'bad-value.ts'), { cwd: root });
    expect(error).toBeInstanceOf(HandlerShapeError);
    expect(error.message).toContain("the handler for 'charge.refunded' is a string, not a function");
  });
});
