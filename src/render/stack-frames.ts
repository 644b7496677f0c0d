/** The `at …` lines of a V8 stack, trimmed; the first stack line repeats the message. */
export function stackFrames(stack: string | undefined, limit = Number.POSITIVE_INFINITY): string[] {
  if (typeof stack !== 'string') return [];
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, limit)
    .map((line) => line.trim());
}
