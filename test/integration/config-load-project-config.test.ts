import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/config/load-project-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-config-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('loadProjectConfig', () => {
  it('finds nothing in a project without a config', async () => {
    expect(await loadProjectConfig(project({ 'package.json': '{"name":"a"}' }))).toBeUndefined();
  });

  it('reads the "webhook-dev" key of package.json, from a sub-folder too, paths relative to the project', async () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'a', 'webhook-dev': { handler: 'src/webhooks.ts', port: 5000 } }), 'src/x': '' });
    const config = await loadProjectConfig(join(dir, 'src'));
    expect(config).toEqual({ source: '../package.json "webhook-dev"', flags: { handler: join(dir, 'src/webhooks.ts'), port: '5000' }, ignored: [] });
  });

  it('reads webhook-dev.config.json', async () => {
    const dir = project({ 'package.json': '{}', 'webhook-dev.config.json': '{ "events": "charge.refunded" }' });
    expect((await loadProjectConfig(dir))?.flags).toEqual({ events: 'charge.refunded' });
  });

  it('reads a TypeScript config through tsx, and says which other configs it ignores', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'a', 'webhook-dev': { port: 1 } }),
      'webhook-dev.config.ts': "const port: number = 4100;\nexport default { port, offline: true as boolean };\n",
      'webhook-dev.config.json': '{}',
    });
    const config = await loadProjectConfig(dir);
    expect(config).toMatchObject({ source: 'webhook-dev.config.ts', flags: { port: '4100', offline: true }, ignored: ['webhook-dev.config.json', 'package.json "webhook-dev"'] });
  });

  it('reads an ES module config in a CommonJS project (.mjs) and a CommonJS one (.js)', async () => {
    expect((await loadProjectConfig(project({ 'package.json': '{}', 'webhook-dev.config.mjs': 'export default { host: "127.0.0.1" };' })))?.flags).toEqual({ host: '127.0.0.1' });
    expect((await loadProjectConfig(project({ 'package.json': '{}', 'webhook-dev.config.js': 'module.exports = { host: "::1" };' })))?.flags).toEqual({ host: '::1' });
  });

  it('a config that does not parse is a config error naming the file', async () => {
    const dir = project({ 'package.json': '{}', 'webhook-dev.config.json': '{ handler: x }' });
    await expect(loadProjectConfig(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('webhook-dev.config.json') });
  });
});
