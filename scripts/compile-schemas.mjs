// Compiles the settings and mapping schemas to validator modules after `tsc` (npm run build), with
// Ajv's standalone code: compiling the settings schema at start-up cost every CLI command more
// CPU than loading the rest of `search check`. src/config/schema-validator.ts loads these from
// dist/ and compiles the schema itself when they are missing (from source, under vitest). Built
// from the schema files in the same build, so never older than them; ignored by git.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { AJV_OPTIONS, SCHEMA_FILES, compiledSchemaModule } = await import(new URL('../dist/src/config/schema-validator.js', import.meta.url).href);
const outDir = join(root, 'dist', 'src', 'config');
for (const file of SCHEMA_FILES) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, file), 'utf8')));
  const target = join(outDir, compiledSchemaModule(file));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `// Compiled from ${file} by scripts/compile-schemas.mjs (npm run build).\n${standaloneCode(ajv, validate)}\n`);
}
