import type { RecordedChild } from '../process/stop-leftovers.js';

/**
 * The session file (`.webhook-dev/sessions/<pid>.json`) through which other commands find a running
 * `listen`. Version 1; a reader ignores files of any other version rather than guess.
 */
export interface SessionFileInfo {
  version: 1;
  pid: number;
  /** `http://127.0.0.1:PORT` of the control server. */
  controlUrl: string;
  /** Secret: the file is written 0600 and the folder is git-ignored. */
  token: string;
  /** ISO 8601. */
  startedAt: string;
  offline: boolean;
  apiBase: string | null;
  receiverUrl: string;
  cwd: string;
  /**
   * Optional, added within version 1 (older readers ignore it): the session's own start time and
   * the children it runs, so that whoever finds the file of a killed session can stop them without
   * ever signalling a process that merely reuses a pid (see process/stop-leftovers.ts).
   */
  processStart?: string;
  children?: RecordedChild[];
}

export const SESSION_FILE_VERSION = 1;

/** The file's info, or undefined when it is not a valid version-1 session file. */
export function parseSessionFile(text: string): SessionFileInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const valid =
    v.version === SESSION_FILE_VERSION &&
    // process.kill(0 or a negative pid) would signal a whole process group.
    Number.isSafeInteger(v.pid) &&
    (v.pid as number) > 0 &&
    typeof v.controlUrl === 'string' &&
    isLoopbackHttpUrl(v.controlUrl) &&
    typeof v.token === 'string' &&
    v.token !== '' &&
    typeof v.startedAt === 'string' &&
    !Number.isNaN(Date.parse(v.startedAt)) &&
    typeof v.offline === 'boolean' &&
    (v.apiBase === null || typeof v.apiBase === 'string') &&
    typeof v.receiverUrl === 'string' &&
    typeof v.cwd === 'string';
  if (!valid) return undefined;
  return {
    version: SESSION_FILE_VERSION,
    pid: v.pid as number,
    controlUrl: v.controlUrl as string,
    token: v.token as string,
    startedAt: v.startedAt as string,
    offline: v.offline as boolean,
    apiBase: v.apiBase as string | null,
    receiverUrl: v.receiverUrl as string,
    cwd: v.cwd as string,
    ...(isTicks(v.processStart) ? { processStart: v.processStart } : {}),
    ...(Array.isArray(v.children) ? { children: v.children.filter(isRecordedChild).map(({ pid, group, start }) => ({ pid, group, start })) } : {}),
  };
}

function isTicks(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}

/** pid 1 and below are never a session's child: kill(1), kill(0) or kill(-1) would reach far wider. */
function isRecordedChild(value: unknown): value is RecordedChild {
  if (typeof value !== 'object' || value === null) return false;
  const child = value as Record<string, unknown>;
  return Number.isSafeInteger(child.pid) && (child.pid as number) > 1 && typeof child.group === 'boolean' && isTicks(child.start);
}

/**
 * The control server only ever listens on this machine. Refusing anything else means a crafted
 * session file (say, committed to a repository despite the .gitignore) cannot send the token, or
 * a `trigger`, to another host.
 */
export function isLoopbackHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '') return false;
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}
