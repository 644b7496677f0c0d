import { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';

export type Colors = ChalkInstance;

/** The parts of a stream the renderers look at; a PassThrough with `isTTY` set is enough in tests. */
export type OutputStream = NodeJS.WritableStream & {
  isTTY?: boolean;
  getColorDepth?: (env?: Record<string, string | undefined>) => number;
};

export interface CreateColorsOptions {
  stream: OutputStream;
  env?: Record<string, string | undefined>;
}

/**
 * Decides the color level for one stream. Precedence, first match wins:
 * 1. NO_COLOR set and non-empty → no color (https://no-color.org: the user opted out; honoring it
 *    even when FORCE_COLOR is also set is the safer reading of two conflicting requests).
 * 2. FORCE_COLOR → `0`/`false` none, `''`/`1`/`true` basic, `2` 256 colors, `3` truecolor; it wins
 *    over TTY detection so CI logs and tests can ask for color on a pipe.
 * 3. Otherwise color only when the stream is a TTY, at the depth the terminal reports (TERM=dumb → none).
 * Each stream gets its own decision: `webhook-dev listen > events.log` keeps ANSI out of the file
 * while the banner on stderr stays colored.
 */
export function colorLevel({ stream, env = process.env }: CreateColorsOptions): ColorSupportLevel {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return forcedLevel(force);
  if (stream.isTTY !== true) return 0;
  return depthToLevel(stream.getColorDepth?.(env) ?? 4);
}

export function createColors(options: CreateColorsOptions): Colors {
  return new Chalk({ level: colorLevel(options) });
}

function forcedLevel(value: string): ColorSupportLevel {
  const normalized = value.trim().toLowerCase();
  if (normalized === '0' || normalized === 'false') return 0;
  if (normalized === '2') return 2;
  if (normalized === '3') return 3;
  return 1;
}

function depthToLevel(depth: number): ColorSupportLevel {
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  if (depth >= 4) return 1;
  return 0;
}
