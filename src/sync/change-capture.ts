import { relative } from 'node:path';
import type { Knex } from 'knex';
import { readRelatedLink } from '../config/related-dependency.js';
import type { RelatedDependency } from '../config/settings-types.js';
import { SYNC_OUTBOX_TABLE, SYNC_TRIGGERS_TABLE } from '../db/migrations/0002-sync-outbox.js';
import { migrateLatest } from '../db/migration-source.js';
import { SyncError } from '../errors.js';
import type { ModelRegistry, RegisteredModel } from '../models/model-registry.js';
import { ProjectInvalidError } from '../models/project-invalid-error.js';
import type { Project } from '../project.js';
import { captureProblems } from './capture-check.js';
import { captureFunctionSql, captureHash, captureName, captureTriggerSql, dropCaptureSql, type RelatedCapture, type RelatedLink, type SqlStatement, type TableCapture } from './capture-sql.js';
import { modelDependencies, type ModelDependency } from './related-inference.js';
import { syncSettingsOf } from './sync-settings.js';

/** What `search sync install` did to one table. */
export interface InstalledCapture {
  table: string;
  trigger: string;
  /** Model sources (tables) whose own rows this trigger captures. */
  models: string[];
  /** Model sources this table re-indexes as a related table. */
  relatedTo: string[];
  /** false when the same definition was already installed. */
  changed: boolean;
}

export interface InstallResult {
  installed: InstalledCapture[];
  /** Tables whose trigger was removed because the settings no longer name them. */
  removed: string[];
  /** Models that cannot be captured (no `table`). */
  skipped: string[];
  /** What to add to each skipped model, one line each. */
  warnings: string[];
}

/** What to add to a model without `table` so that its changes can be captured. */
export function noTableAdvice(m: RegisteredModel, file: string): string {
  const table = m.keys.from ? `'${m.keys.from}'` : "'<its table>'";
  return `model ${m.name} (${file}) names no table, so its changes are not captured: add \`table: ${table}\` to it${m.keys.from ? ' (the table its queryset reads)' : ''}`;
}

/** The relation of a dependency, checked: exactly one of foreignKey, keyColumn, select. */
export function relatedLink(dep: RelatedDependency, where: string): RelatedLink {
  const read = readRelatedLink(dep, where);
  if ('problem' in read) throw new SyncError('SYNC_RELATED_INVALID', read.problem, { exitCode: 2 });
  return read.link;
}

/**
 * The capture plan of the settings, one entry per table: every model's own table, every
 * related table of `settings.sync.related`, and those the models declare (`fromModels`). `qualify` turns a table name into the
 * schema-qualified name the trigger functions use (resolved against the database).
 */
export function capturePlan(
  registry: ModelRegistry,
  related: readonly RelatedDependency[],
  qualify: (table: string) => string,
  displayFile = 'search.config.yaml',
  fromModels: readonly ModelDependency[] = [],
): { tables: TableCapture[]; skipped: string[] } {
  const tables = new Map<string, TableCapture>();
  const entry = (table: string) => {
    const qualified = qualify(table);
    let t = tables.get(qualified);
    if (!t) tables.set(qualified, (t = { table: qualified, models: [], related: [] }));
    return t;
  };
  const skipped: string[] = [];
  for (const m of registry.models()) {
    if (!m.model.table) {
      skipped.push(m.name);
      continue;
    }
    const t = entry(m.model.table);
    if (!t.models.some((c) => c.source === m.model.table)) t.models.push({ source: m.model.table, keyColumn: m.keys.keyProperty });
  }
  const entries = [...related.map((dep, i) => ({ dep, where: `settings.sync.related[${i}] in ${displayFile}` })), ...fromModels];
  for (const { dep, where } of entries) {
    const registered = registry.find(dep.model);
    if (!registered) throw new SyncError('SYNC_RELATED_INVALID', `${where} names model "${dep.model}", which is not configured (models: ${registry.models().map((m) => m.name).join(', ')})`, { exitCode: 2 });
    if (!registered.model.table) throw new SyncError('SYNC_MODEL_NO_TABLE', `${where} names model ${registered.name}, which has no \`table\`: change capture needs the model's table`, { exitCode: 2 });
    const capture: RelatedCapture = {
      source: registered.model.table,
      modelTable: qualify(registered.model.table),
      modelKey: registered.keys.keyProperty,
      ...(dep.columns ? { columns: dep.columns } : {}),
      link: relatedLink(dep, where),
    };
    // the same dependency declared in the settings and on the model is captured once
    const t = entry(dep.table);
    if (!t.related.some((r) => JSON.stringify(r) === JSON.stringify(capture))) t.related.push(capture);
  }
  return { tables: [...tables.values()], skipped };
}

/** Renders DDL: CREATE FUNCTION takes no bind parameters, so values are inlined by knex's escaping and identifiers quoted by `??`. */
const render = (db: Knex, statement: SqlStatement): string => db.raw(statement.sql, statement.bindings as Knex.RawBinding[]).toQuery();

async function schemaOf(db: Knex, table: string): Promise<string> {
  const result = await db.raw('SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)', [table]);
  const schema = (result.rows as Array<{ schema: string }>)[0]?.schema;
  if (!schema) throw new SyncError('SYNC_RELATED_INVALID', `table "${table}" does not exist in the database (search path: ${String((await db.raw('SHOW search_path')).rows[0]?.search_path)})`, { exitCode: 2 });
  return schema;
}

/**
 * `search sync install`: checks every name change capture uses against the catalog (see
 * captureProblems: a wrong one throws ProjectInvalidError, exit 2, before anything changes),
 * runs the toolkit migrations (the outbox), then creates or replaces one capture trigger per
 * table of the plan, records each in indexkit_sync_triggers, and removes the triggers it
 * installed before on tables the settings no longer name. Idempotent; the triggers are all
 * installed in one transaction. Throws SYNC_MODEL_NO_TABLE when no model names a table (nothing
 * to install).
 */
export async function installSync(project: Project): Promise<InstallResult> {
  const db = await project.db();
  const problems = await captureProblems(db, project);
  if (problems.length > 0) throw new ProjectInvalidError(problems);
  const withoutTable = project.registry.models().filter((m) => !m.model.table);
  const warnings = withoutTable.map((m) => noTableAdvice(m, relative(project.config.baseDir, m.file) || m.file));
  if (withoutTable.length === project.registry.models().length && withoutTable.length > 0) {
    throw new SyncError('SYNC_MODEL_NO_TABLE', `nothing to install: ${warnings.join('; ')}`, { exitCode: 2 });
  }
  await migrateLatest(db);
  const related = syncSettingsOf(project.config.settings).related;
  const names = new Set<string>();
  for (const m of project.registry.models()) if (m.model.table) names.add(m.model.table);
  for (const dep of related) names.add(dep.table);
  for (const m of project.registry.models()) if (m.model.table) for (const r of m.model.relatedTables ?? []) names.add(r.table);
  const schemas = new Map<string, string>();
  for (const name of names) schemas.set(name, name.includes('.') ? name.slice(0, name.indexOf('.')) : await schemaOf(db, name));
  const qualify = (table: string) => (table.includes('.') ? table : `${schemas.get(table)}.${table}`);
  const fromModels = await modelDependencies(db, project.registry, qualify, (m) => relative(project.config.baseDir, m.file) || m.file);
  const { tables, skipped } = capturePlan(project.registry, related, qualify, project.config.displayFile, fromModels);
  const outbox = `${await schemaOf(db, SYNC_OUTBOX_TABLE)}.${SYNC_OUTBOX_TABLE}`;

  let current = '';
  return db.transaction(async (trx) => {
    const before = new Map(((await trx(SYNC_TRIGGERS_TABLE).select('table_name', 'trigger_name', 'function_name', 'definition_hash')) as Array<{ table_name: string; trigger_name: string; function_name: string; definition_hash: string }>).map((r) => [r.table_name, r]));
    const installed: InstalledCapture[] = [];
    for (const capture of tables) {
      const fn = captureFunctionSql(capture, outbox);
      const hash = captureHash(fn);
      const name = captureName(capture.table);
      const changed = before.get(capture.table)?.definition_hash !== hash;
      current = capture.table;
      await trx.raw(render(trx, fn));
      await trx.raw(render(trx, captureTriggerSql(capture.table)));
      const captures = { models: capture.models.map((m) => m.source), relatedTo: capture.related.map((r) => r.source) };
      await trx(SYNC_TRIGGERS_TABLE)
        .insert({ table_name: capture.table, trigger_name: name, function_name: name, definition_hash: hash, captures: JSON.stringify(captures), installed_at: trx.fn.now() })
        .onConflict('table_name')
        .merge();
      installed.push({ table: capture.table, trigger: name, ...captures, changed });
    }
    const removed: string[] = [];
    for (const [table, row] of before) {
      if (tables.some((t) => t.table === table)) continue;
      for (const statement of dropCaptureSql(table, row.trigger_name, row.function_name)) await trx.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
      await trx(SYNC_TRIGGERS_TABLE).where('table_name', table).delete();
      removed.push(table);
    }
    return { installed, removed, skipped, warnings };
  }).catch((error: unknown) => {
    // The transaction rolled back: say so, and what failed, in one line (knex puts the statement, which may span lines, before ` - `).
    const reason = error instanceof Error ? error.message.replace(/^[\s\S]* - /, '').split('\n')[0]! : String(error);
    throw new SyncError('SYNC_FAILED', `installing change capture${current ? ` on ${current}` : ''} failed: ${reason}; nothing was installed (the triggers go in one transaction)`, { cause: error });
  });
}

/** `search sync uninstall`: drops every capture trigger indexkit installed (the outbox and its entries stay). */
export async function uninstallSync(project: Project): Promise<{ removed: string[] }> {
  const db = await project.db();
  if (!(await db.schema.hasTable(SYNC_TRIGGERS_TABLE))) return { removed: [] };
  return db.transaction(async (trx) => {
    const rows = (await trx(SYNC_TRIGGERS_TABLE).select('table_name', 'trigger_name', 'function_name')) as Array<{ table_name: string; trigger_name: string; function_name: string }>;
    for (const row of rows) {
      for (const statement of dropCaptureSql(row.table_name, row.trigger_name, row.function_name)) await trx.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
    }
    await trx(SYNC_TRIGGERS_TABLE).delete();
    return { removed: rows.map((r) => r.table_name) };
  });
}
