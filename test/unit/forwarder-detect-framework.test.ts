import { describe, expect, it } from 'vitest';
import { detectFramework } from '../../src/forwarder/detect-framework.js';

describe('detectFramework', () => {
  it('trusts the answer\'s headers first', () => {
    expect(detectFramework({ headers: { 'x-powered-by': 'Next.js' }, dependencies: ['express'] })).toBe('next');
    expect(detectFramework({ headers: { server: 'Werkzeug/2.2.2 Python/3.11.2' } })).toBe('flask');
    expect(detectFramework({ headers: { server: 'WSGIServer/0.2 CPython/3.11.2' }, command: ['python', 'manage.py', 'runserver'] })).toBe('django');
  });

  it('reads the command', () => {
    expect(detectFramework({ command: ['/usr/bin/python3', '-m', 'flask', 'run'] })).toBe('flask');
    expect(detectFramework({ command: ['npx', 'next', 'dev'] })).toBe('next');
    expect(detectFramework({ command: ['nest', 'start', '--watch'] })).toBe('nestjs');
  });

  it('reads the dependencies when they name one framework, or one built on another', () => {
    expect(detectFramework({ dependencies: ['stripe', 'fastify', 'fastify-raw-body'] })).toBe('fastify');
    expect(detectFramework({ dependencies: ['koa', 'koa-bodyparser'] })).toBe('koa');
    expect(detectFramework({ dependencies: ['@nestjs/core', 'express'] })).toBe('nestjs');
    expect(detectFramework({ dependencies: ['hono', '@hono/node-server'] })).toBe('hono');
  });

  it('is unsure with several frameworks and no other clue, or none at all', () => {
    expect(detectFramework({ dependencies: ['express', 'fastify', 'koa'] })).toBeUndefined();
    expect(detectFramework({})).toBeUndefined();
    expect(detectFramework({ dependencies: ['express', 'fastify'], headers: { 'x-powered-by': 'Express' } })).toBe('express');
  });
});
