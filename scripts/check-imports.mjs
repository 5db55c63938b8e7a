#!/usr/bin/env node
// Checks the import rules of DESIGN.md that the compiler does not:
// - every relative import ends in `.js` (NodeNext ESM);
// - src/engine imports nothing from the rest of src/ (the toolkit reaches it only through the client);
// - nothing in src/ imports from commands/.
// src/client/embedded-client.ts is the one door into the engine and may import its public barrel.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const problems = [];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const top of ['src', 'commands', 'test', 'bench', 'demo']) {
  let entries;
  try {
    entries = [...files(join(root, top))];
  } catch {
    continue;
  }
  for (const file of entries) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec.startsWith('.')) continue;
      const line = text.slice(0, match.index).split('\n').length;
      if (!spec.endsWith('.js') && !spec.endsWith('.json')) problems.push(`${rel}:${line}: relative import "${spec}" must end in .js`);
      const target = relative(root, resolve(dirname(file), spec));
      if (rel.startsWith('src/engine/') && !target.startsWith('src/engine/')) problems.push(`${rel}:${line}: src/engine must not import ${target}`);
      if (rel.startsWith('src/') && target.startsWith('commands/')) problems.push(`${rel}:${line}: src/ must not import from commands/ (${target})`);
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log('imports ok');
