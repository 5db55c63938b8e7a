import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createKnex } from '../../src/db/knex-factory.js';
import { runCli } from '../helpers/cli.js';
import { ITEM_MODEL, createItems } from '../helpers/lifecycle-project.js';

/**
 * A project on the embedded engine whose index reads a stopwords file from the engine's config
 * directory: once the file is removed, the engine still opens with that index red, and `search
 * status` / `search check --connect` name the index and the cause (exit 5 and 1) instead of crashing.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const MAPPING = {
  settings: { number_of_replicas: 0, analysis: { filter: { stop_file: { type: 'stop', stopwords_path: 'analysis/stop.txt' } }, analyzer: { names: { tokenizer: 'standard', filter: ['lowercase', 'stop_file'] } } } },
  mappings: { dynamic: 'strict', properties: { name: { type: 'text', analyzer: 'names' }, price: { type: 'long' } } },
};

describe('a red index in the embedded engine', () => {
  it('is reported by search status and search check --connect with its cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexkit-red-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'mappings'));
    mkdirSync(join(dir, '.search/engine/config/analysis'), { recursive: true });
    writeFileSync(join(dir, '.search/engine/config/analysis/stop.txt'), 'the\n');
    writeFileSync(join(dir, 'search.config.yaml'), stringify({ connections: { default: 'embedded:.search/engine' }, database: { connection: `pglite:${join(dir, 'db')}` }, indexes: { shop: { models: ['./models/item.mjs#Item'] } }, settings: { chunkSize: 100 } }));
    writeFileSync(join(dir, 'models/item.mjs'), ITEM_MODEL);
    writeFileSync(join(dir, 'mappings/shop.json'), JSON.stringify(MAPPING));
    const db = await createKnex({ client: 'pg', connection: `pglite:${join(dir, 'db')}` }, { baseDir: dir });
    try {
      await createItems(db, 5);
    } finally {
      await db.destroy();
    }
    const search = (...args: string[]) => runCli(args, { cwd: dir });
    expect((await search('create-index', 'shop')).code).toBe(0);
    expect((await search('update-index', 'shop')).code).toBe(0);
    const green = await search('status');
    expect(green.code, green.stderr).toBe(0);

    rmSync(join(dir, '.search/engine/config/analysis/stop.txt'));
    const status = await search('status');
    expect(status.code, status.stderr).toBe(5);
    expect(status.stdout).toMatch(/^ {2}RED {7}index shop-\d+ is red \(its shards failed to open\): failed shard on node \[[^\]]+\]: failed to create index, failure IllegalArgumentException\[IOException while reading stopwords_path: .*stop\.txt\]$/m);
    expect(status.stdout).toMatch(/documents unknown \(red\) \/ rows 5/);
    const json = JSON.parse((await search('status', '--json')).stdout) as { red: boolean; indexes: Array<{ red?: Array<{ index: string; cause?: string }> }> };
    expect(json.red).toBe(true);
    expect(json.indexes[0]!.red![0]!.cause).toContain('stop.txt');

    const check = await search('check', '--connect');
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^error: index shop-\d+ is red \(its shards failed to open\): .*stop\.txt\]; searches and writes to shop fail until it opens/m);

    // restored: the engine opens the index again at its next start (each CLI run starts it)
    writeFileSync(join(dir, '.search/engine/config/analysis/stop.txt'), 'the\n');
    const back = await search('status');
    expect(back.code, back.stdout).toBe(0);
    expect(back.stdout).toMatch(/documents 5 \/ rows 5/);
  }, 120_000);
});
