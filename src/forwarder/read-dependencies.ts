import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The package names a project's package.json depends on (dev included); none when it has no readable one. */
export async function readDependencies(cwd: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as { dependencies?: unknown; devDependencies?: unknown };
    return [manifest.dependencies, manifest.devDependencies].flatMap((field) => (field !== null && typeof field === 'object' ? Object.keys(field) : []));
  } catch {
    return [];
  }
}
