import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/**
 * The README's TypeScript snippets are what a new user copies first: each one must compile,
 * as it stands, under `tsc --strict` against the package's published types (dist/, built by
 * `npm test`), in an app whose node_modules/indexkit is this package. The model snippet is
 * written where the README puts it (app/models/post.ts), so the snippets that import it compile
 * against it; every other snippet is a file of its own.
 */
function tsSnippets(markdown: string): Array<{ line: number; code: string }> {
  const out: Array<{ line: number; code: string }> = [];
  const fence = /^( *)```ts\n([\s\S]*?)^\1```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const indent = match[1]!.length;
    const code = match[2]!
      .split('\n')
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    out.push({ line: markdown.slice(0, match.index).split('\n').length, code });
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'indexkit-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const snippets = tsSnippets(readme);

  it('has an Install section with npm install indexkit, and no link that leaves the package', () => {
    expect(readme).toMatch(/^## Install\n[\s\S]*?npm install indexkit/m);
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.startsWith('../'))).toEqual([]);
  });

  it('compiles every TypeScript snippet under tsc --strict against the package types', async () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(repoRoot, join(dir, 'node_modules', 'indexkit'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-app', type: 'module', private: true }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        include: ['**/*.ts'],
      }),
    );
    const files: string[] = [];
    snippets.forEach((s, i) => {
      // The README's model lives at app/models/post.ts; other snippets import it from there.
      const isModel = s.code.includes("table: 'posts'") && s.code.includes('primaryKey') && !files.includes('app/models/post.ts');
      const file = isModel ? 'app/models/post.ts' : `snippet-${i + 1}-line-${s.line}.ts`;
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), `${s.code}\nexport {};\n`);
      files.push(file);
    });
    expect(files).toContain('app/models/post.ts');
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: stdout + stderr })),
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  }, 150_000);
});
