import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findProjectRoot } from '../control/session-file.js';
import { ConfigError } from '../errors.js';
import { toConfigFlags, type ConfigFlags } from './project-config.js';

/** In this order; the first found wins. */
export const CONFIG_FILES = ['webhook-dev.config.ts', 'webhook-dev.config.mts', 'webhook-dev.config.mjs', 'webhook-dev.config.js', 'webhook-dev.config.json'] as const;

export interface LoadedProjectConfig {
  /** Where it came from, relative to cwd: `webhook-dev.config.ts` or `package.json "webhook-dev"`. */
  source: string;
  flags: ConfigFlags;
  /** Other config files that were found and not used. */
  ignored: string[];
}

/** The project's config, from the nearest folder with a package.json; undefined when there is none. */
export async function loadProjectConfig(cwd: string): Promise<LoadedProjectConfig | undefined> {
  const root = await findProjectRoot(cwd);
  const shown = (file: string) => relative(cwd, file) || file;
  const found = (await Promise.all(CONFIG_FILES.map(async (name) => ((await readText(join(root, name))) === undefined ? undefined : join(root, name))))).filter(
    (file): file is string => file !== undefined,
  );
  const packageJson = join(root, 'package.json');
  const fromPackage = await readPackageKey(packageJson);
  const sources = [...found.map(shown), ...(fromPackage === undefined ? [] : [`${shown(packageJson)} "webhook-dev"`])];
  if (sources.length === 0) return undefined;

  const resolvePath = (path: string) => resolve(root, path);
  if (found.length === 0) return { source: sources[0]!, flags: toConfigFlags(fromPackage, sources[0]!, resolvePath), ignored: [] };
  const file = found[0]!;
  const raw = await importConfig(file, shown(file));
  return { source: sources[0]!, flags: toConfigFlags(raw, sources[0]!, (path) => resolve(dirname(file), path)), ignored: sources.slice(1) };
}

async function importConfig(file: string, shown: string): Promise<unknown> {
  try {
    if (file.endsWith('.json')) return JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    const url = pathToFileURL(file).href;
    // TypeScript configs load through tsx, like handlers; plain JS needs nothing but import().
    const namespace = /\.m?ts$/.test(file) ? await (await import('tsx/esm/api')).tsImport(url, { parentURL: import.meta.url }) : await import(url);
    const value = (namespace as { default?: unknown }).default;
    // A CommonJS config's module.exports may itself come wrapped as { default }.
    return typeof value === 'object' && value !== null && 'default' in value && Object.keys(value).length === 1 ? (value as { default: unknown }).default : value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Could not read ${shown}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `Fix ${shown}, or run with the flags you need and no config file.`,
      cause: error,
    });
  }
}

async function readPackageKey(file: string): Promise<unknown> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>)['webhook-dev'];
  } catch {
    // A broken package.json is npm's to report; it only means there is no config in it.
    return undefined;
  }
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}
