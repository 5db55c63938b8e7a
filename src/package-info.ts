import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed indexkit package's folder (works from src/ under vitest and from dist/). */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'indexkit') return dir;
    if (dirname(dir) === dir) throw new Error(`indexkit: cannot find the package root above ${start}`);
  }
}

export const packageVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

const shipped = new Map<string, unknown>();

/** Reads a JSON file shipped in the package (schemas), once: callers get the same object. */
export function readPackageJson(relative: string): unknown {
  if (!shipped.has(relative)) shipped.set(relative, JSON.parse(readFileSync(join(packageRoot, relative), 'utf8')));
  return shipped.get(relative);
}
