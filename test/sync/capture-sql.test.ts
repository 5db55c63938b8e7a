import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../src/errors.js';
import { captureFunctionSql, captureName, captureTriggerSql } from '../../src/sync/capture-sql.js';
import { relatedLink } from '../../src/sync/change-capture.js';
import { claimSql } from '../../src/sync/outbox-sql.js';

const db = knex({ client: 'pg' });

describe('capture SQL', () => {
  it('quotes every identifier, binds every value, and compares only the listed columns and the link', () => {
    const fn = captureFunctionSql(
      {
        table: 'public.categories',
        models: [],
        related: [{ source: 'items', modelTable: 'public.items', modelKey: 'id', columns: ['name'], link: { kind: 'foreignKey', foreignKey: 'category_id', references: 'id' } }],
      },
      'public.indexkit_sync_outbox',
    );
    const sql = db.raw(fn.sql, fn.bindings as never[]).toQuery();
    expect(sql).toContain(`CREATE OR REPLACE FUNCTION "${captureName('public.categories')}"()`);
    expect(sql).toContain(`(OLD."name" IS DISTINCT FROM NEW."name" OR OLD."id" IS DISTINCT FROM NEW."id")`);
    expect(sql).toContain(`INSERT INTO "public"."indexkit_sync_outbox" (source, row_key) SELECT 'items', m."id"::text FROM "public"."items" AS m WHERE m."category_id" = NEW."id";`);
    expect(fn.bindings).toContain('items');
    expect(db.raw(captureTriggerSql('public.categories').sql, captureTriggerSql('public.categories').bindings as never[]).toQuery()).toMatch(/AFTER INSERT OR UPDATE OR DELETE ON "public"."categories" FOR EACH ROW/);
  });

  it('turns the ? of a select into the related row column and keeps an escaped \\? literal', () => {
    const fn = captureFunctionSql(
      { table: 'tags', models: [], related: [{ source: 'items', modelTable: 's.items', modelKey: 'id', link: { kind: 'select', sql: "select item_id from item_tags where tag_id = ? and meta \\? 'k'", param: 'id' } }] },
      's.indexkit_sync_outbox',
    );
    const sql = db.raw(fn.sql, fn.bindings as never[]).toQuery();
    expect(sql).toContain(`FROM (select item_id from item_tags where tag_id = NEW."id" and meta ? 'k') AS s(k)`);
    expect(sql).toContain('to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW)');
  });

  it('names the setting and what is allowed when a dependency gives two ways or none', () => {
    const where = 'settings.sync.related[1] in search.config.yaml';
    expect(() => relatedLink({ model: 'Item', table: 'tags', foreignKey: 'x', select: 'select 1 where ?' }, where)).toThrow(
      new SyncError('SYNC_RELATED_INVALID', `${where} gives foreignKey and select, expected exactly one of foreignKey, keyColumn, select`, { exitCode: 2 }),
    );
    expect(() => relatedLink({ model: 'Item', table: 'tags' }, where)).toThrow(/gives none of foreignKey, keyColumn, select/);
    expect(() => relatedLink({ model: 'Item', table: 'tags', select: 'select 1' }, where)).toThrow(/select has 0 \? placeholders, expected exactly one/);
  });

  it('claims with one statement: a SKIP LOCKED CTE and UPDATE ... RETURNING', () => {
    const { sql, bindings } = claimSql('w1', 100);
    expect(sql).toMatch(/^WITH claimed AS \(\s+SELECT id FROM \?\? WHERE status = 'pending' AND available_at <= now\(\) ORDER BY id LIMIT \? FOR UPDATE SKIP LOCKED\s+\)\s+UPDATE/);
    expect(sql).toContain('RETURNING');
    expect(bindings).toEqual(['indexkit_sync_outbox', 100, 'indexkit_sync_outbox', 'w1']);
  });
});
