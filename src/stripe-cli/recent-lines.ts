/**
 * The last few lines a child printed, so that an early exit or a timeout can explain itself.
 */
export interface RecentLines {
  push(line: string): void;
  /** Oldest first. */
  lines(): string[];
}

export function createRecentLines(limit = 20): RecentLines {
  const kept: string[] = [];
  return {
    push(line) {
      kept.push(line);
      if (kept.length > limit) kept.shift();
    },
    lines: () => [...kept],
  };
}
