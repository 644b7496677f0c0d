import type { Reporter } from '../render/reporter.js';

/** Where commander says an option's value came from: only 'cli' and 'env' beat the config. */
export type OptionSource = (name: string) => string | undefined;

export interface ApplyProjectConfigOptions {
  /** The options this command has; config settings for other commands are left out. */
  accepts: (name: string) => boolean;
  source: OptionSource;
  reporter: Reporter;
  cwd?: string;
}

/**
 * Fills in what the command line did not say from the project config. Returns the flags and the
 * names that came from the config (`trigger` attaches to a running session unless the command
 * line, not the config, asks for a session of its own).
 */
export async function applyProjectConfig<T extends { command?: string[] }>(
  flags: T,
  { accepts, source, reporter, cwd = process.cwd() }: ApplyProjectConfigOptions,
): Promise<{ flags: T; fromConfig: Set<string> }> {
  const fromConfig = new Set<string>();
  const { loadProjectConfig } = await import('../config/load-project-config.js');
  const config = await loadProjectConfig(cwd);
  if (config === undefined) return { flags, fromConfig };
  const merged: Record<string, unknown> = { ...flags };
  for (const [name, value] of Object.entries(config.flags)) {
    if (name === 'command') {
      if (accepts(name) && (flags.command === undefined || flags.command.length === 0)) merged.command = value;
      else continue;
    } else {
      const given = source(name);
      if (!accepts(name) || given === 'cli' || given === 'env') continue;
      merged[name] = value;
    }
    fromConfig.add(name);
  }
  if (config.ignored.length > 0) reporter.notice(`Using ${config.source}; also found ${config.ignored.join(', ')}, which is ignored.`, 'warn');
  return { flags: merged as T, fromConfig };
}
