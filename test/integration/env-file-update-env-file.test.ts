/**
 * updateEnvFile on real files: creating, updating in place (mode and symlinks kept), leaving a
 * file alone when nothing changes, and refusing anything that is not a dotenv file.
 */
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvFileError } from '../../src/errors.js';
import { updateEnvFile } from '../../src/env-file/update-env-file.js';

const NAME = 'STRIPE_WEBHOOK_SECRET';
const SECRET = 'whsec_fileTest0123456789abcdefWXYZ';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'webhook-dev-env-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

describe('updateEnvFile', () => {
  it('creates a missing file with only the variable, readable by the owner only', async () => {
    const result = await updateEnvFile('.env', NAME, SECRET, { cwd: dir });
    const file = path.join(dir, '.env');
    expect(result).toEqual({ action: 'added', created: true, path: file });
    expect(await readFile(file, 'utf8')).toBe(`${NAME}=${SECRET}\n`);
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('updates an existing file in place, keeping every other byte and its mode', async () => {
    const file = path.join(dir, '.env.local');
    const before = `# App\r\nDATABASE_URL="postgres://x"\r\n\r\nexport ${NAME}=whsec_old # stripe\r\nLAST=1`;
    await writeFile(file, before);
    await chmod(file, 0o640);
    const result = await updateEnvFile(file, NAME, SECRET);
    expect(result).toEqual({ action: 'updated', created: false, path: file });
    expect(await readFile(file, 'utf8')).toBe(before.replace('whsec_old', SECRET));
    expect(await modeOf(file)).toBe(0o640);
    // No temporary file left behind.
    expect(await readdir(dir)).toEqual(['.env.local']);
  });

  it('appends to a file that lacks the variable', async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, 'A=1');
    expect(await updateEnvFile(file, 'MY_SECRET', SECRET)).toMatchObject({ action: 'added', created: false });
    expect(await readFile(file, 'utf8')).toBe(`A=1\nMY_SECRET=${SECRET}\n`);
  });

  it('does not write at all when the value is already there', async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, `${NAME}=${SECRET}\n`);
    const before = await stat(file);
    expect(await updateEnvFile(file, NAME, SECRET)).toMatchObject({ action: 'unchanged', created: false });
    const after = await stat(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('writes through a symlink and keeps the link', async () => {
    const target = path.join(dir, 'real.env');
    const link = path.join(dir, '.env');
    await writeFile(target, 'A=1\n');
    await symlink(target, link);
    await updateEnvFile(link, NAME, SECRET);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe(`A=1\n${NAME}=${SECRET}\n`);
  });

  it.each([
    ['JSON', 'config.json', '{\n  "port": 3000\n}\n', 'looks like JSON'],
    ['YAML', 'docker-compose.yml', 'services:\n  app:\n    image: node\n', 'looks like YAML'],
    ['a script', 'app.js', "const express = require('express');\n", 'looks like code'],
  ])('refuses %s and leaves it byte-for-byte as it was', async (_kind, name, content, reason) => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    const error = (await updateEnvFile(file, NAME, SECRET).catch((e: unknown) => e)) as EnvFileError;
    expect(error).toBeInstanceOf(EnvFileError);
    expect(error.exitCode).toBe(26);
    expect(error.message).toContain(reason);
    expect(error.message).toContain('it was not changed');
    expect(error.hint).toContain('--write-env');
    expect(await readFile(file, 'utf8')).toBe(content);
    expect(await readdir(dir)).toEqual([name]);
  });

  it('refuses a binary file (not UTF-8) untouched', async () => {
    const file = path.join(dir, 'image.png');
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]);
    await writeFile(file, bytes);
    await expect(updateEnvFile(file, NAME, SECRET)).rejects.toThrow('it is not UTF-8 text');
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
  });

  it('refuses a folder, and a file in a folder that does not exist', async () => {
    await mkdir(path.join(dir, 'sub'));
    await expect(updateEnvFile(path.join(dir, 'sub'), NAME, SECRET)).rejects.toThrow(/is not a file; it was not changed/);
    await expect(updateEnvFile(path.join(dir, 'missing', '.env'), NAME, SECRET)).rejects.toThrow(/folder .*missing does not exist/);
    expect(await readdir(dir)).toEqual(['sub']);
  });

  it('never puts the secret in an error message', async () => {
    const file = path.join(dir, 'config.json');
    await writeFile(file, '{}\n');
    const error = (await updateEnvFile(file, NAME, SECRET).catch((e: unknown) => e)) as Error;
    expect(`${error.message} ${(error as EnvFileError).hint}`).not.toContain(SECRET);
  });
});
