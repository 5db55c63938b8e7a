// Writes oclif.manifest.json after `tsc` (npm run build). Without it oclif imports every command
// module (and all they import) to list commands on every start: `search --version` took 0.8 s
// instead of 0.25 s, and each command paid the same. The manifest is built from dist/, so it is
// never older than the commands it describes; it is ignored by git and shipped in the package.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest));
