import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Knex } from 'knex';
import { stringify } from 'yaml';
import { startEngineServer } from '../../src/engine/index.js';
import { openProject, type Project } from '../../src/project.js';
import { isolatedDatabase } from './database.js';
import { TEST_PRODUCT, testConnection } from './search-product.js';

/** Items: the table most lifecycle tests fill an index from. `price` is text so that a test can put 'abc' in a long field. */
export const ITEM_MODEL = `export const Item = {
  table: 'items',
  updatedAtColumn: 'updated_at',
  getSearchQueryset: (db) => db('items').where('active', true).select('id', 'name', 'price', 'updated_at'),
  asSearchDocument: (row) => ({ name: row.name, price: row.price }),
};
`;

export const ITEM_MAPPING = { mappings: { dynamic: 'strict', properties: { name: { type: 'text' }, price: { type: 'long' } } } };

export async function createItems(db: Knex, count: number, price: (i: number) => string = (i) => String(i)): Promise<void> {
  await db.schema.createTable('items', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('price').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({ name: `item ${start + k + 1}`, price: price(start + k + 1) }));
    await db('items').insert(rows);
  }
}

export interface TestProject {
  dir: string;
  db: Knex;
  dbKind: 'pg' | 'pglite';
  project: Project;
  /** Writes a file of the project (a mapping edit, say) and reopens the project so it is read. */
  write(path: string, content: string): Promise<void>;
  reopen(): Promise<Project>;
  cleanup(): Promise<void>;
}

/**
 * A project folder of its own (settings, mappings, models) on an isolated database schema and
 * its own embedded engine folder (or the given connection, e.g. an engine server's URL).
 */
export async function makeLifecycleProject(options: {
  indexes: Record<string, { models: string[] }>;
  files: Record<string, string>;
  connection?: string;
  settings?: Record<string, unknown>;
}): Promise<TestProject> {
  const dir = mkdtempSync(join(tmpdir(), 'indexkit-lifecycle-'));
  const database = await isolatedDatabase();
  // With the OpenSearch client (INDEXKIT_TEST_PRODUCT=opensearch) the engine folder is served over HTTP.
  const server = !options.connection && TEST_PRODUCT === 'opensearch' ? await startEngineServer({ dataDir: join(dir, 'engine'), port: 0 }) : undefined;
  const config = {
    connections: { default: options.connection ? testConnection(options.connection) : server ? testConnection(server.url) : `embedded:${join(dir, 'engine')}` },
    database: database.kind === 'pglite' ? { connection: 'pglite:memory' } : database.settings,
    indexes: options.indexes,
    settings: { chunkSize: 100, ...options.settings },
  };
  const files = { 'search.config.yaml': stringify(config), ...options.files };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const open = () => openProject({ cwd: dir, env: {}, db: database.db });
  const handle: TestProject = {
    dir,
    db: database.db,
    dbKind: database.kind,
    project: await open(),
    async write(path, content) {
      writeFileSync(join(dir, path), content);
      await handle.reopen();
    },
    async reopen() {
      await handle.project.close();
      handle.project = await open();
      return handle.project;
    },
    async cleanup() {
      await handle.project.close();
      await server?.close();
      await database.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
