import { describe, expect, it } from 'vitest';
import { toConfigFlags } from '../../src/config/project-config.js';
import { ExitCode } from '../../src/errors.js';

const resolvePath = (path: string) => `/project/${path}`;

describe('toConfigFlags', () => {
  it('turns each setting into the value its flag would have, paths resolved', () => {
    expect(
      toConfigFlags(
        {
          handler: 'src/webhooks.ts',
          events: ['payment_intent.succeeded', 'charge.refunded'],
          forwardTo: 'http://localhost:3000/api/webhooks',
          command: 'npm run dev',
          port: 4000,
          handlerTimeout: '2s',
          readyTimeout: 45,
          tolerance: 60,
          offline: true,
          writeEnv: '.env.local',
        },
        'webhook-dev.config.json',
        resolvePath,
      ),
    ).toEqual({
      handler: '/project/src/webhooks.ts',
      events: 'payment_intent.succeeded,charge.refunded',
      forwardTo: 'http://localhost:3000/api/webhooks',
      command: ['npm', 'run', 'dev'],
      port: '4000',
      handlerTimeout: '2s',
      readyTimeout: '45',
      tolerance: '60',
      offline: true,
      writeEnv: '/project/.env.local',
    });
  });

  it('keeps a command given as a list of words as it is', () => {
    expect(toConfigFlags({ command: ['node', 'server with space.js'] }, 'c', resolvePath).command).toEqual(['node', 'server with space.js']);
  });

  it('refuses an unknown setting by name, listing the known ones', () => {
    expect(() => toConfigFlags({ forwardto: 'x' }, 'package.json "webhook-dev"', resolvePath)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.CONFIG_INVALID, message: expect.stringContaining('"forwardto"'), hint: expect.stringContaining('forwardTo') }),
    );
  });

  it.each([
    [{ port: 'eighty' }, 'port number'],
    [{ port: 70_000 }, 'port number'],
    [{ offline: 'yes' }, 'true or false'],
    [{ events: [] }, 'list of event types'],
    [{ handler: '' }, 'a path'],
    [{ tolerance: 1.5 }, 'whole number'],
  ])('refuses %j with what it expected', (raw, expected) => {
    expect(() => toConfigFlags(raw, 'webhook-dev.config.json', resolvePath)).toThrow(expect.objectContaining({ exitCode: ExitCode.CONFIG_INVALID, message: expect.stringContaining(expected) }));
  });

  it('refuses a config that is not an object', () => {
    expect(() => toConfigFlags(['handler.ts'], 'webhook-dev.config.json', resolvePath)).toThrow(expect.objectContaining({ message: expect.stringContaining('an array') }));
  });
});
