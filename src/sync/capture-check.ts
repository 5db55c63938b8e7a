import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Knex } from 'knex';
import { tcpAnswers } from '../db/tcp-answers.js';
import { readRelatedLink } from '../config/related-dependency.js';
import type { DatabaseSettings, RelatedDependency } from '../config/settings-types.js';
import { closest } from '../config/suggest.js';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Problem } from '../models/problem.js';
import type { Project } from '../project.js';
import { relatedProbeSql, type RelatedLink } from './capture-sql.js';
import { syncSettingsOf } from './sync-settings.js';

/**
 * The checks `search sync install` makes before it installs anything, and `search check` makes
 * whenever the database answers: every table, column and key that change capture names (a
 * model's table and primary key, and in each `settings.sync.related` entry or model
 * `relatedTables` entry its table, columns, foreignKey, references, keyColumn and param) must
 * exist in the catalog, and every statement a trigger would run for a related row (the
 * foreignKey lookup, the select) must plan: it is EXPLAINed, not run, with the related row's
 * column replaced by a typed NULL, inside a transaction that is rolled back. A trigger that names
 * a missing column fails every write to its table (`record "old" has no field "nmae"`), so a
 * wrong name must stop the install, never reach the application.
 */

/** A related entry as written, with where it was written. */
export interface CaptureEntry {
  dep: RelatedDependency;
  /** `settings.sync.related[0]`, `model Post relatedTables[1]`. */
  where: string;
  /** The file and line of one of its keys (`search.config.yaml:14`). */
  locate(key: ReadonlyArray<string | number>, value: string): { file: string; line?: number };
}

/** One table of the catalog: its schema-qualified name and its columns with their SQL types. */
export interface CatalogTable {
  qualified: string;
  /** pg_class.relkind: `r` a table, `p` a partitioned table, `v` a view, `m` a materialized view, `f` a foreign table. */
  kind: string;
  columns: Map<string, string>;
}

const quoteList = (names: Iterable<string>) => [...names].join(', ');

/** The tables named (as written) with their columns; a name missing from the result does not exist. */
export async function readCatalog(db: Knex, names: readonly string[]): Promise<Map<string, CatalogTable>> {
  const catalog = new Map<string, CatalogTable>();
  if (names.length === 0) return catalog;
  const result = await db.raw(
    `SELECT t.name, n.nspname AS schema, c.relname AS relname, c.relkind AS kind, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
       FROM unnest(?::text[]) AS t(name)
       JOIN pg_class c ON c.oid = to_regclass(t.name)
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY t.name, a.attnum`,
    [[...new Set(names)]],
  );
  for (const row of result.rows as Array<{ name: string; schema: string; relname: string; kind: string; column: string | null; type: string | null }>) {
    let table = catalog.get(row.name);
    if (!table) catalog.set(row.name, (table = { qualified: `${row.schema}.${row.relname}`, kind: row.kind, columns: new Map() }));
    if (row.column) table.columns.set(row.column, row.type!);
  }
  return catalog;
}

async function visibleTables(db: Knex): Promise<string[]> {
  // pg_catalog is always on the search path: its tables are visible but are never the app's.
  const result = await db.raw(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND pg_table_is_visible(c.oid) AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relname NOT LIKE 'indexkit\\_%' ORDER BY 1",
  );
  return (result.rows as Array<{ name: string }>).map((r) => r.name);
}

/** The related entries of the settings and of the models, each with its location. */
export function captureEntries(project: Project): CaptureEntry[] {
  const config = project.config;
  const settingsEntries = syncSettingsOf(config.settings).related.map((dep, i): CaptureEntry => ({
    dep,
    where: `settings.sync.related[${i}]`,
    locate: (key) => ({ file: config.displayFile, line: config.lineOf(['settings', 'sync', 'related', i, ...key]) ?? config.lineOf(['settings', 'sync', 'related', i]) }),
  }));
  const modelEntries = project.registry.models().flatMap((m) =>
    (m.model.relatedTables ?? []).map((related, i): CaptureEntry => ({
      dep: { ...related, model: m.name },
      where: `model ${m.name} relatedTables[${i}]`,
      locate: (_key, value) => modelLocation(project, m, value),
    })),
  );
  return [...settingsEntries, ...modelEntries];
}

/** The model's file and the line where `value` is written as a string literal (the first such line), when it is. */
function modelLocation(project: Project, m: RegisteredModel, value: string): { file: string; line?: number } {
  const file = relative(project.config.baseDir, m.file) || m.file;
  let text: string;
  try {
    text = readFileSync(m.file, 'utf8');
  } catch {
    return { file };
  }
  const lines = text.split('\n');
  const literals = ['"', "'", '`'].map((q) => `${q}${value}${q}`);
  const at = lines.findIndex((line) => literals.some((l) => line.includes(l)));
  return at < 0 ? { file } : { file, line: at + 1 };
}

const keyPath = (key: ReadonlyArray<string | number>) => key.map((k, i) => (typeof k === 'number' ? `[${k}]` : i > 0 ? `.${k}` : k)).join('');
const at = (loc: { file: string; line?: number }) => `${loc.file}${loc.line ? `:${loc.line}` : ''}`;

/**
 * Every wrong name (and every related statement that does not plan) in what change capture
 * would install, as problems naming the entry, the file and line, and the columns or tables
 * that do exist. Empty when `search sync install` can go ahead.
 */
export async function captureProblems(db: Knex, project: Project, entries: readonly CaptureEntry[] = captureEntries(project)): Promise<Problem[]> {
  const problems: Problem[] = [];
  const models = project.registry.models().filter((m) => m.model.table);
  const names = [...models.map((m) => m.model.table!), ...entries.map((e) => e.dep.table)];
  const catalog = await readCatalog(db, names);
  let tables: string[] | undefined;
  const problem = (loc: { file: string; line?: number }, message: string, extra: Partial<Problem> = {}) =>
    problems.push({ severity: 'error', code: 'SYNC_RELATED_INVALID', message, file: loc.file, ...(loc.line ? { line: loc.line } : {}), ...extra });
  const missingTable = async (name: string) => {
    tables ??= await visibleTables(db);
    const guess = closest(name.split('.').pop()!, tables);
    return `no table "${name}" exists in the database${guess ? ` (did you mean "${guess}"?` : ' ('}${guess ? ' ' : ''}tables: ${quoteList(tables.slice(0, 30)) || 'none'}${tables.length > 30 ? ', ...' : ''})`;
  };
  const missingColumn = (what: string, column: string, table: string, t: CatalogTable) => {
    const guess = closest(column, t.columns.keys());
    return `${what} is "${column}", but table ${table} has no column "${column}"${guess ? ` (did you mean "${guess}"?)` : ''}; its columns: ${quoteList(t.columns.keys())}`;
  };

  for (const m of models) {
    const loc = modelLocation(project, m, m.model.table!);
    const table = catalog.get(m.model.table!);
    if (!table) {
      problem(loc, `model ${m.name} table is "${m.model.table}" in ${at(loc)}: ${await missingTable(m.model.table!)}`, { model: m.name });
      continue;
    }
    if (!CAPTURABLE.has(table.kind)) problem(loc, `model ${m.name} table is "${m.model.table}" in ${at(loc)}: ${notATable(m.model.table!, table)}`, { model: m.name });
    if (!table.columns.has(m.keys.keyProperty)) {
      const keyLoc = m.model.primaryKey ? modelLocation(project, m, m.model.primaryKey) : loc;
      problem(keyLoc, `model ${m.name} in ${at(keyLoc)}: ${missingColumn('its primary key', m.keys.keyProperty, m.model.table!, table)}`, { model: m.name });
    }
  }

  for (const entry of entries) {
    const { dep } = entry;
    const link = readRelatedLink(dep, entry.where);
    if ('problem' in link) continue; // the validator reports it
    const registered = project.registry.find(dep.model);
    const modelTable = registered?.model.table ? catalog.get(registered.model.table) : undefined;
    const related = catalog.get(dep.table);
    const check = (key: ReadonlyArray<string | number>, column: string, table: CatalogTable | undefined, tableName: string) => {
      if (!table || table.columns.has(column)) return;
      const loc = entry.locate(key, column);
      const path = `${entry.where}.${keyPath(key)}`;
      problem(loc, `${path} in ${at(loc)}: ${missingColumn(String(key[0]), column, tableName, table)}`, { path });
    };
    if (!related) {
      const loc = entry.locate(['table'], dep.table);
      problem(loc, `${entry.where}.table is "${dep.table}" in ${at(loc)}: ${await missingTable(dep.table)}`, { path: `${entry.where}.table` });
    } else if (!CAPTURABLE.has(related.kind)) {
      const loc = entry.locate(['table'], dep.table);
      problem(loc, `${entry.where}.table is "${dep.table}" in ${at(loc)}: ${notATable(dep.table, related)}`, { path: `${entry.where}.table` });
    }
    (dep.columns ?? []).forEach((column, i) => check(['columns', i], column, related, dep.table));
    const l = link.link;
    if (l.kind === 'foreignKey') {
      check(['foreignKey'], l.foreignKey, modelTable, registered?.model.table ?? '');
      check(['references'], l.references, related, dep.table);
    } else if (l.kind === 'keyColumn') {
      check(['keyColumn'], l.column, related, dep.table);
    } else {
      check(['param'], l.param, related, dep.table);
    }
  }
  if (problems.length > 0) return problems;

  // Every name exists: plan each related statement as the trigger would run it.
  for (const entry of entries) {
    const link = readRelatedLink(entry.dep, entry.where);
    const registered = project.registry.find(entry.dep.model);
    if ('problem' in link || !registered?.model.table) continue;
    const related = catalog.get(entry.dep.table)!;
    const modelTable = catalog.get(registered.model.table)!;
    const failure = await planFailure(db, link.link, related, modelTable.qualified, registered.keys.keyProperty);
    if (failure) {
      const key = link.link.kind === 'select' ? 'select' : link.link.kind === 'foreignKey' ? 'foreignKey' : 'keyColumn';
      const value = link.link.kind === 'select' ? link.link.sql : link.link.kind === 'foreignKey' ? link.link.foreignKey : link.link.column;
      const loc = entry.locate([key], value);
      problem(loc, `${entry.where}.${key} in ${at(loc)} fails against the database: ${failure}`, { path: `${entry.where}.${key}` });
    }
  }
  return problems;
}

/** Relation kinds a row-level trigger can be installed on: tables and partitioned tables. */
const CAPTURABLE = new Set(['r', 'p']);
const KIND_NAMES: Record<string, string> = { v: 'a view', m: 'a materialized view', f: 'a foreign table' };
const notATable = (name: string, t: CatalogTable) => `${name} is ${KIND_NAMES[t.kind] ?? `not a table (relkind ${t.kind})`}, and change capture needs a table (name the tables it reads from instead)`;

const linkColumn = (link: RelatedLink): string => (link.kind === 'foreignKey' ? link.references : link.kind === 'keyColumn' ? link.column : link.param);

/** The database's complaint about the statement the trigger would run for this link (EXPLAINed in a rolled-back transaction), or undefined. */
async function planFailure(db: Knex, link: RelatedLink, related: CatalogTable, modelTable: string, modelKey: string): Promise<string | undefined> {
  const statement = relatedProbeSql(link, modelTable, modelKey, related.columns.get(linkColumn(link))!);
  const ROLLBACK = new Error('rollback');
  try {
    await db.transaction(async (trx) => {
      await trx.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error === ROLLBACK) return undefined;
    // knex prefixes the statement (` - ` between), which may span lines when the select does.
    return (error as Error).message.replace(/^[\s\S]* - /, '').split('\n')[0]!;
  }
  return undefined;
}

/** Host and port of a PostgreSQL server setting (URL or options); undefined for PGlite or a socket path. */
function serverOf(connection: DatabaseSettings['connection']): { host: string; port: number } | undefined {
  let host: string | undefined;
  let port: number | undefined;
  const url = typeof connection === 'string' ? connection : connection.connectionString;
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) return undefined;
    try {
      const parsed = new URL(url);
      host = parsed.hostname || parsed.searchParams.get('host') || undefined;
      port = parsed.port ? Number(parsed.port) : undefined;
    } catch {
      return undefined;
    }
  } else if (typeof connection !== 'string') {
    host = connection.host;
    port = connection.port;
  }
  if (!host || host.startsWith('/')) return undefined;
  return { host: host.replace(/^\[|\]$/g, ''), port: port ?? 5432 };
}

/**
 * captureProblems when the database answers within `timeoutMs` (for `search check`, which must
 * work without one); an empty list when it does not, or when it is an in-memory or not yet
 * created PGlite database (opening one would create it).
 */
export async function captureProblemsIfReachable(project: Project, timeoutMs = 5000): Promise<{ checked: boolean; problems: Problem[] }> {
  const connection = project.config.database.connection;
  const pglite = typeof connection === 'string' && connection.startsWith('pglite:');
  if (pglite) {
    const target = connection.slice('pglite:'.length);
    if (target === 'memory' || !existsSync(resolve(project.config.baseDir, target))) return { checked: false, problems: [] };
  }
  const hasCapture = project.registry.models().some((m) => m.model.table) || captureEntries(project).length > 0;
  if (!hasCapture) return { checked: false, problems: [] };
  // A server that does not answer is found without knex, whose pool would log its failure to stdout.
  const server = serverOf(project.config.database.connection);
  if (server && !(await tcpAnswers(server.host, server.port, Math.min(timeoutMs, 2000)))) return { checked: false, problems: [] };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    // Loading knex and pg (and starting PGlite, which runs in this process and cannot hang on a
    // peer) is this process's own work, slow only when the machine is busy: the deadline is for a
    // server's answer alone. It used to cover the loading too, and a loaded machine (a test suite
    // on two cores) could spend the 5 s on it and skip the check of a server that answered.
    const db = await project.db();
    // A failure after the deadline must not become an unhandled rejection: it reads as no answer.
    const answered = db.raw('select 1').then(
      () => true,
      () => false,
    );
    if (!(await (pglite ? answered : Promise.race([answered, timeout])))) return { checked: false, problems: [] };
    return { checked: true, problems: await captureProblems(db, project) };
  } catch {
    return { checked: false, problems: [] };
  } finally {
    clearTimeout(timer);
  }
}
