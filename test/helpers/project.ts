import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

/** A model module that satisfies the contract without importing indexkit (the contract is structural). */
export const VALID_MODEL = `export const Post = {
  table: 'posts',
  getSearchQueryset: (db) => db('posts'),
  asSearchDocument: (row) => ({ title: row.title }),
};
export const Author = {
  table: 'authors',
  getSearchQueryset: (db) => db('authors'),
  asSearchDocument: (row) => ({ name: row.name }),
};
`;

export const VALID_CONFIG = `connections:
  default: embedded:.search/engine
indexes:
  blog:
    models:
      - ./models/post.mjs#Post
settings:
  chunkSize: 100
`;

export const VALID_MAPPING = JSON.stringify({ mappings: { properties: { title: { type: 'text' } } } }, null, 2);

/** A throwaway project folder: files by relative path; removed with `cleanup()`. */
export function makeProject(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'indexkit-project-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The valid baseline project, with some files replaced. */
export function baseline(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'search.config.yaml': VALID_CONFIG,
    'mappings/blog.json': VALID_MAPPING,
    'models/post.mjs': VALID_MODEL,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * A factory of baseline projects (some files replaced) for one test file, each removed after all
 * of its tests (afterAll).
 */
export function baselineProjects(): (files: Record<string, string | undefined>) => { dir: string; cleanup(): void } {
  const projects: Array<{ cleanup(): void }> = [];
  afterAll(() => projects.forEach((p) => p.cleanup()));
  return (files) => {
    const p = makeProject(baseline(files));
    projects.push(p);
    return p;
  };
}
