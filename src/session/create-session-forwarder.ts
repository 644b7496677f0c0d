import type { Forwarder } from '../forwarder/create-forwarder.js';
import type { Closers } from './closers.js';

export interface SessionForwarderOptions {
  forwardTo: string;
  forwardTimeoutMs?: number;
  insecure?: boolean;
  secretEnvName?: string;
  statusOnly?: boolean;
  appCommand?: string[];
  cwd: string;
}

/** `--forward-to`: the forwarder, told what it needs to diagnose the app's rejections. */
export async function createSessionForwarder(options: SessionForwarderOptions, secret: () => string | undefined, closers: Closers): Promise<Forwarder> {
  const [{ createForwarder }, { readDependencies }] = await Promise.all([import('../forwarder/create-forwarder.js'), import('../forwarder/read-dependencies.js')]);
  const command = options.appCommand !== undefined && options.appCommand.length > 0 ? options.appCommand : undefined;
  const forwarder = createForwarder({
    url: options.forwardTo,
    ...(options.forwardTimeoutMs !== undefined ? { timeoutMs: options.forwardTimeoutMs } : {}),
    insecure: options.insecure === true,
    secret,
    ...(options.secretEnvName ? { secretEnvName: options.secretEnvName } : {}),
    judge: options.statusOnly === true ? 'status' : 'answer',
    attributeAppOutput: command !== undefined,
    secretInjected: command !== undefined,
    frameworkClues: { dependencies: await readDependencies(options.cwd), ...(command ? { command } : {}) },
  });
  closers.add(() => forwarder.close());
  return forwarder;
}
