/**
 * Steps 1 to 3 of the demo, shared by `npm run demo` and `npm run demo:web`: indexkit's own
 * tables, the seeded blog, and the indexes created and filled through the built `search` CLI,
 * as a user runs them. On the embedded defaults the demo folder (.search/) starts empty.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject } from '../src/project.js';
import { seedDemo } from './seed.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'run.js');
export const heading = (text: string) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

/** Runs the built `search` CLI as a user would, and stops the demo if it fails. */
export function search(...args: string[]): void {
  console.log(`$ search ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`search ${args.join(' ')} exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

export async function prepareDemo({ posts = 200 } = {}): Promise<void> {
  const embedded = !process.env.ELASTICSEARCH_URL && !process.env.DEMO_DATABASE_URL;
  if (embedded) {
    heading('starting from an empty demo folder (.search/)');
    rmSync(join(root, '.search'), { recursive: true, force: true });
  }

  heading('1. indexkit tables in the application database');
  search('migrate');

  heading('2. a blog to search: authors, posts, tags');
  const project = await openProject({ cwd: root });
  try {
    const counts = await seedDemo(await project.db(), { posts });
    console.log(`seeded ${counts.posts} posts by ${counts.authors} authors with ${counts.tags} tags`);
  } finally {
    await project.close();
  }

  heading('3. create and fill the indexes');
  search('check');
  search('create-index');
  search('update-index');
}
