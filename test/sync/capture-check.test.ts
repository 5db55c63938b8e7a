import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_OUTBOX_TABLE } from '../../src/db/migrations/0002-sync-outbox.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import { ProjectInvalidError } from '../../src/models/project-invalid-error.js';
import type { Project } from '../../src/project.js';
import { captureProblems, captureProblemsIfReachable } from '../../src/sync/capture-check.js';
import { installSync } from '../../src/sync/change-capture.js';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';
import { createSyncTables, SYNC_ITEM_MAPPING, SYNC_ITEM_MODEL, syncProject } from './sync-fixtures.js';

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

/** notes (keyColumn item_id) and tags through item_tags (a select), next to items and categories. */
async function relatedTables(t: TestProject): Promise<void> {
  await t.db.schema.createTable('notes', (n) => {
    n.increments('id');
    n.integer('item_id');
    n.text('body');
  });
  await t.db.schema.createTable('tags', (n) => {
    n.increments('id');
    n.text('name');
  });
  await t.db.schema.createTable('item_tags', (n) => {
    n.integer('item_id');
    n.integer('tag_id');
  });
}

/** The 1-based line of the first line of `file` (in the project) containing `text`. */
const lineOf = (t: TestProject, file: string, text: string) => readFileSync(join(t.dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

/** The application's own writes on every table involved: each must succeed. */
async function applicationWrites(t: TestProject): Promise<void> {
  const [item] = (await t.db('items').insert({ name: 'new', price: 1, category_id: 1 }).returning('id')) as Array<{ id: number }>;
  await t.db('items').where('id', item!.id).update({ name: 'newer', price: 2 });
  await t.db('categories').where('id', 1).update({ name: 'renamed', color: 'blue' });
  await t.db('categories').insert({ name: 'another' });
  await t.db('notes').insert({ item_id: item!.id, body: 'x' });
  await t.db('notes').update({ body: 'y' });
  await t.db('tags').insert({ name: 'a' });
  await t.db('tags').update({ name: 'b' });
  await t.db('notes').delete();
  await t.db('items').where('id', item!.id).delete();
}

/** Triggers on the application's tables (of this test's schema: the database is shared). */
const APP_TRIGGERS = "select tgname from pg_trigger where not tgisinternal and tgrelid in (select to_regclass(t) from unnest(array['items', 'categories', 'notes', 'tags', 'item_tags']) as t)";

/** No capture trigger on any table, and not even the outbox table: nothing was installed. */
async function nothingInstalled(t: TestProject): Promise<void> {
  const triggers = await t.db.raw(APP_TRIGGERS);
  expect(triggers.rows).toEqual([]);
  expect(await t.db.schema.hasTable(SYNC_OUTBOX_TABLE)).toBe(false);
}

async function refusedInstall(t: TestProject): Promise<string[]> {
  const error = await installSync(t.project).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProjectInvalidError);
  expect((error as ProjectInvalidError).exitCode).toBe(2);
  return (error as ProjectInvalidError).problems.map((p) => p.message);
}

describe('search sync install checks every name against the catalog first', () => {
  const cases: Array<{ kind: string; entry: Record<string, unknown>; wrong: string; expected: RegExp }> = [
    { kind: 'a column in columns', entry: { model: 'Item', table: 'categories', columns: ['nmae'], foreignKey: 'category_id' }, wrong: 'nmae', expected: /^settings\.sync\.related\[0\]\.columns\[0\] in search\.config\.yaml:(\d+): columns is "nmae", but table categories has no column "nmae" \(did you mean "name"\?\); its columns: id, name, color$/ },
    { kind: 'a foreignKey', entry: { model: 'Item', table: 'categories', foreignKey: 'categry_id' }, wrong: 'categry_id', expected: /^settings\.sync\.related\[0\]\.foreignKey in search\.config\.yaml:(\d+): foreignKey is "categry_id", but table items has no column "categry_id" \(did you mean "category_id"\?\); its columns: id, name, price, v, active, category_id$/ },
    { kind: 'a keyColumn', entry: { model: 'Item', table: 'notes', keyColumn: 'itemid' }, wrong: 'itemid', expected: /^settings\.sync\.related\[0\]\.keyColumn in search\.config\.yaml:(\d+): keyColumn is "itemid", but table notes has no column "itemid" \(did you mean "item_id"\?\); its columns: id, item_id, body$/ },
    { kind: 'a select', entry: { model: 'Item', table: 'tags', select: 'select item_id from item_tags where tagid = ?' }, wrong: 'select item_id', expected: /^settings\.sync\.related\[0\]\.select in search\.config\.yaml:(\d+) fails against the database: column "tagid" does not exist/ },
    { kind: 'a table', entry: { model: 'Item', table: 'categorys', foreignKey: 'category_id' }, wrong: 'categorys', expected: /^settings\.sync\.related\[0\]\.table is "categorys" in search\.config\.yaml:(\d+): no table "categorys" exists in the database \(did you mean "categories"\? tables: .*categories/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.kind} that does not exist, names entry, file, line and what exists, installs nothing, and the app's writes still succeed`, async () => {
      const t = (current = await syncProject({ items: 5, categories: 2, settings: { sync: { related: [c.entry] } } }));
      await relatedTables(t);
      const messages = await refusedInstall(t);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(c.expected);
      // the tables it lists are the app's, never PostgreSQL's own catalogs
      expect(messages[0]).not.toMatch(/\bpg_[a-z]|information_schema/);
      expect(Number(c.expected.exec(messages[0]!)![1])).toBe(lineOf(t, 'search.config.yaml', c.wrong));
      await nothingInstalled(t);
      await applicationWrites(t);
      // search check runs the same checks: the same problem.
      expect((await captureProblems(t.db, t.project)).map((p) => p.message)).toEqual(messages);
    });
  }

  it("refuses a wrong name in a model's relatedTables, naming the model file and line", async () => {
    const model = SYNC_ITEM_MODEL.replace("table: 'items',", "table: 'items',\n  relatedTables: [\n    { table: 'categories', columns: ['name', 'colour'], foreignKey: 'category_id' },\n  ],");
    const t = (current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': model, 'mappings/items.json': JSON.stringify(SYNC_ITEM_MAPPING) },
    }));
    await createSyncTables(t.db, 5, 2);
    await relatedTables(t);
    const messages = await refusedInstall(t);
    expect(messages).toEqual([`model Item relatedTables[0].columns[1] in models/item.mjs:${lineOf(t, 'models/item.mjs', "'colour'")}: columns is "colour", but table categories has no column "colour" (did you mean "color"?); its columns: id, name, color`]);
    await nothingInstalled(t);
    await applicationWrites(t);
  });

  it('installs when every name exists, and a foreignKey whose type cannot match is refused', async () => {
    const t = (current = await syncProject({ items: 5, categories: 2, settings: { sync: { related: [{ model: 'Item', table: 'tags', foreignKey: 'category_id', references: 'name' }] } } }));
    await relatedTables(t);
    const messages = await refusedInstall(t);
    expect(messages[0]).toMatch(/^settings\.sync\.related\[0\]\.foreignKey in search\.config\.yaml:\d+ fails against the database: operator does not exist: integer = text/);
    await nothingInstalled(t);
    await t.write('search.config.yaml', readFileSync(join(t.dir, 'search.config.yaml'), 'utf8').replace('references: name', 'references: id'));
    const result = await installSync(t.project);
    expect(result.installed.map((i) => i.table.split('.').pop())).toEqual(['items', 'tags']);
    await applicationWrites(t);
  });

  it('exits 2 when no model has a table, saying what to add, and installs nothing', async () => {
    const t = (current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': SYNC_ITEM_MODEL.replace("table: 'items',\n", ''), 'mappings/items.json': JSON.stringify(SYNC_ITEM_MAPPING) },
      settings: { sync: { related: [] } },
    }));
    await createSyncTables(t.db, 5, 2);
    const error = await installSync(t.project).catch((e: unknown) => e as { code: string; exitCode: number; message: string });
    expect(error).toMatchObject({ code: 'SYNC_MODEL_NO_TABLE', exitCode: 2 });
    expect((error as { message: string }).message).toBe("nothing to install: model Item (models/item.mjs) names no table, so its changes are not captured: add `table: 'items'` to it (the table its queryset reads)");
    expect(await t.db.schema.hasTable(SYNC_OUTBOX_TABLE)).toBe(false);
  });

  it('a trigger whose column the application drops after the install does not fail the write: it warns, and search check names the column', async () => {
    const t = (current = await syncProject({ items: 5, categories: 2 }));
    await relatedTables(t);
    await installSync(t.project);
    await t.db.raw('alter table categories drop column name');
    // The trigger reads OLD.name / NEW.name: before the guard this UPDATE failed with 'record "old" has no field "name"'.
    await t.db('categories').where('id', 1).update({ color: 'blue' });
    await t.db('categories').insert({ color: 'green' });
    await t.db('categories').where('id', 2).delete();
    expect((await t.db('categories').where('id', 1).first()) as { color: string }).toMatchObject({ color: 'blue' });
    // The model's own table is still captured.
    await t.db('items').where('id', 1).update({ v: 7 });
    expect(((await t.db(SYNC_OUTBOX_TABLE).select('source', 'row_key')) as Array<{ source: string; row_key: string }>).filter((r) => r.source === 'items' && r.row_key === '1')).toHaveLength(1);
    const problems = (await captureProblems(t.db, t.project)).map((p) => p.message);
    expect(problems).toEqual([expect.stringMatching(/^settings\.sync\.related\[0\]\.columns\[0\] in search\.config\.yaml:\d+: columns is "name", but table categories has no column "name"; its columns: id, color$/)]);
  });

  it('refuses a view as a related table: a row trigger cannot go there', async () => {
    const t = (current = await syncProject({ items: 5, categories: 2, settings: { sync: { related: [{ model: 'Item', table: 'category_names', keyColumn: 'id' }] } } }));
    await t.db.raw('create view category_names as select id, name from categories');
    const messages = await refusedInstall(t);
    expect(messages).toEqual([expect.stringMatching(/^settings\.sync\.related\[0\]\.table is "category_names" in search\.config\.yaml:\d+: category_names is a view, and change capture needs a table/)]);
    await nothingInstalled(t);
  });

  it('installs all triggers or none: a failure on the second table leaves the first without its trigger', async () => {
    const t = (current = await syncProject({ items: 5, categories: 2 }));
    await migrateLatest(t.db);
    // A real failure inside the install transaction: the record of the second trigger is refused.
    await t.db.raw(`create function refuse_second() returns trigger language plpgsql as $$ begin if (select count(*) from indexkit_sync_triggers) >= 1 then raise exception 'disk quota exceeded (injected)'; end if; return new; end $$`);
    await t.db.raw('create trigger refuse_second before insert on indexkit_sync_triggers for each row execute function refuse_second()');
    const error = await installSync(t.project).catch((e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'SYNC_FAILED' });
    expect((error as { message: string }).message).toMatch(/^installing change capture on \S*categories failed: disk quota exceeded \(injected\); nothing was installed/);
    const triggers = await t.db.raw(APP_TRIGGERS);
    expect(triggers.rows).toEqual([]);
    expect(Number(((await t.db('indexkit_sync_triggers').count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(0);
    await t.db('items').where('id', 1).update({ v: 3 });
    expect(Number(((await t.db(SYNC_OUTBOX_TABLE).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(0);
  });

  it('search check runs these checks when the database answers, and skips them quickly when it does not', async () => {
    const t = (current = await syncProject({ items: 5, categories: 2, settings: { sync: { related: [{ model: 'Item', table: 'categories', columns: ['nmae'], foreignKey: 'category_id' }] } } }));
    const reachable = await captureProblemsIfReachable(t.project);
    expect(reachable.checked).toBe(t.dbKind === 'pg');
    if (t.dbKind === 'pg') expect(reachable.problems.map((p) => p.path)).toEqual(['settings.sync.related[0].columns[0]']);
    const down = Object.create(t.project) as Project;
    Object.defineProperty(down, 'config', { value: { ...t.project.config, database: { client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/nowhere' } } });
    // Found unreachable by the TCP probe, without opening knex (whose pool waits and logs to stdout).
    let opened = false;
    Object.defineProperty(down, 'db', { value: () => ((opened = true), t.project.db()) });
    expect(await captureProblemsIfReachable(down)).toEqual({ checked: false, problems: [] });
    expect(opened).toBe(false);
  });
});
