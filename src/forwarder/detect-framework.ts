import type { Framework } from './framework-fixes.js';

export interface FrameworkClues {
  /** The dependencies and devDependencies of the project's package.json, when it has one. */
  dependencies?: readonly string[];
  /** The app's command after `--`, when webhook-dev runs it. */
  command?: readonly string[];
  /** The app's response headers (lower-cased names). */
  headers?: Readonly<Record<string, string>>;
}

// A framework built on another comes first: a NestJS app depends on express too.
const PACKAGES: ReadonlyArray<[string, Framework]> = [
  ['@nestjs/core', 'nestjs'],
  ['next', 'next'],
  ['fastify', 'fastify'],
  ['hono', 'hono'],
  ['koa', 'koa'],
  ['express', 'express'],
];

/**
 * Which framework the app is written with, to give its fix rather than a list of every framework's.
 * The answer's own headers say it best (`X-Powered-By: Next.js`, Werkzeug's `Server` header for
 * Flask); then the command; then the project's dependencies, but only when they name one
 * framework: a project with several (a monorepo, this repository's tests) gets the whole list.
 * Pure; `undefined` when unsure.
 */
export function detectFramework({ dependencies = [], command = [], headers = {} }: FrameworkClues): Framework | undefined {
  const poweredBy = headers['x-powered-by'] ?? '';
  const server = headers['server'] ?? '';
  if (/next\.js/i.test(poweredBy)) return 'next';
  if (/werkzeug/i.test(server)) return 'flask';
  if (/WSGIServer/i.test(server) && command.some((word) => /manage\.py$/.test(word))) return 'django';

  const words = command.map((word) => word.split('/').at(-1) ?? word);
  if (words.includes('flask')) return 'flask';
  if (words.some((word) => word === 'manage.py' || word === 'django-admin')) return 'django';
  if (words.includes('next')) return 'next';
  if (words.includes('nest')) return 'nestjs';

  const found = PACKAGES.filter(([name]) => dependencies.includes(name)).map(([, framework]) => framework);
  if (found[0] === 'nestjs' || found[0] === 'next') return found[0];
  if (found.length === 1) return found[0];
  if (/express/i.test(poweredBy) && (found.length === 0 || found.includes('express'))) return 'express';
  return undefined;
}
