#!/usr/bin/env node
// The `search` CLI. Commands are compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
