import { createHash } from 'node:crypto';
import type { RelatedLink } from '../config/related-dependency.js';

/**
 * The change-capture DDL, as pure functions returning `{ sql, bindings }` (`??` identifiers, `?`
 * values): one row-level trigger function per captured table that inserts one outbox row per
 * affected model row, in the transaction of the change. src/sync/change-capture.ts runs it.
 */
export interface SqlStatement {
  sql: string;
  bindings: unknown[];
}

/** A model whose own table is captured: every insert, update and delete enqueues the row's key. */
export interface ModelCapture {
  /** The outbox `source`: the model's table as the model names it. */
  source: string;
  /** The primary key column (unqualified). */
  keyColumn: string;
}

/** How a related row leads to the model rows whose documents depend on it (read by src/config/related-dependency.ts). */
export type { RelatedLink };

/** A model whose documents depend on the captured (related) table. */
export interface RelatedCapture {
  source: string;
  /** The model's table, schema-qualified for use inside the trigger function. */
  modelTable: string;
  modelKey: string;
  /** The related columns whose change matters (undefined: every column). */
  columns?: string[];
  link: RelatedLink;
}

export interface TableCapture {
  /** The captured table, as written in the settings or the model. */
  table: string;
  models: ModelCapture[];
  related: RelatedCapture[];
}

const MAX_IDENTIFIER = 63;

/** The function (and trigger) name for a table: readable, unique per table, within PostgreSQL's 63 bytes. */
export function captureName(table: string): string {
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 8);
  const readable = table.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return `indexkit_sync_${readable}`.slice(0, MAX_IDENTIFIER - 9) + `_${hash}`;
}

class Builder {
  readonly parts: string[] = [];
  readonly bindings: unknown[] = [];
  add(sql: string, ...bindings: unknown[]): this {
    this.parts.push(sql);
    this.bindings.push(...bindings);
    return this;
  }
}

/** `OLD.a IS DISTINCT FROM NEW.a OR ...` over `columns` (null: the whole row, compared as jsonb). */
function changedCondition(b: Builder, columns: readonly string[] | undefined): void {
  if (!columns) {
    b.add('to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW)');
    return;
  }
  columns.forEach((column, i) => b.add(`${i > 0 ? ' OR ' : ''}OLD.?? IS DISTINCT FROM NEW.??`, column, column));
}

/** The column of the related row that links it to model rows. */
function linkColumn(link: RelatedLink): string {
  if (link.kind === 'foreignKey') return link.references;
  if (link.kind === 'keyColumn') return link.column;
  return link.param;
}

/** Enqueues the model rows linked to the related row `rec` (OLD or NEW). */
function enqueueRelated(b: Builder, outbox: string, capture: RelatedCapture, rec: 'OLD' | 'NEW'): void {
  const { link } = capture;
  if (link.kind === 'foreignKey') {
    b.add(`    INSERT INTO ?? (source, row_key) SELECT ?, m.??::text FROM ?? AS m WHERE m.?? = ${rec}.??;\n`, outbox, capture.source, capture.modelKey, capture.modelTable, link.foreignKey, link.references);
  } else if (link.kind === 'keyColumn') {
    b.add(`    IF ${rec}.?? IS NOT NULL THEN INSERT INTO ?? (source, row_key) VALUES (?, ${rec}.??::text); END IF;\n`, link.column, outbox, capture.source, link.column);
  } else {
    // The select's `?` becomes a reference to the related row's column (an identifier, not a value); `\?` stays a literal `?`.
    const pieces = link.sql.split(/(?<!\\)\?/);
    if (pieces.length !== 2) throw new Error(`select must contain exactly one ? placeholder, found ${pieces.length - 1}`);
    b.add(`    INSERT INTO ?? (source, row_key) SELECT DISTINCT ?, s.k::text FROM (${pieces[0]!}${rec}.??${pieces[1]!}) AS s(k) WHERE s.k IS NOT NULL;\n`, outbox, capture.source, link.param);
  }
}

/**
 * The statement a trigger runs to find the model rows of a related row, as an EXPLAIN with the
 * related row's linking column replaced by a NULL of its type (`linkType`, from the catalog):
 * planning it checks the names, the types and the select without running anything. `modelTable`
 * is schema-qualified.
 */
export function relatedProbeSql(link: RelatedLink, modelTable: string, modelKey: string, linkType: string): SqlStatement {
  const value = `(NULL::${linkType})`;
  if (link.kind === 'foreignKey') return { sql: `EXPLAIN SELECT m.??::text FROM ?? AS m WHERE m.?? = ${value}`, bindings: [modelKey, modelTable, link.foreignKey] };
  if (link.kind === 'keyColumn') return { sql: `EXPLAIN SELECT ${value}::text`, bindings: [] };
  const pieces = link.sql.split(/(?<!\\)\?/);
  return { sql: `EXPLAIN SELECT DISTINCT s.k::text FROM (${pieces[0]!}${value}${pieces[1]!}) AS s(k) WHERE s.k IS NOT NULL`, bindings: [] };
}

/**
 * CREATE OR REPLACE FUNCTION for one captured table. For the model's own table: a delete (or a
 * key change) enqueues the old key, an insert or update the new one. For a related table: an
 * insert or delete always enqueues the linked model rows; an update only when one of the listed
 * columns (or the linking column) IS DISTINCT FROM before, and the old links only when the
 * linking column itself changed. `outbox` is the schema-qualified outbox table. An error inside
 * the function becomes a WARNING: capture never fails the application's write.
 */
export function captureFunctionSql(capture: TableCapture, outbox: string, options: { guard?: boolean } = {}): SqlStatement {
  const b = new Builder();
  b.add('CREATE OR REPLACE FUNCTION ??() RETURNS trigger LANGUAGE plpgsql AS $indexkit$\nBEGIN\n', captureName(capture.table));
  for (const model of capture.models) {
    b.add("  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.?? IS DISTINCT FROM NEW.??) THEN\n", model.keyColumn, model.keyColumn);
    b.add('    INSERT INTO ?? (source, row_key) VALUES (?, OLD.??::text);\n  END IF;\n', outbox, model.source, model.keyColumn);
    b.add("  IF TG_OP <> 'DELETE' THEN\n    INSERT INTO ?? (source, row_key) VALUES (?, NEW.??::text);\n  END IF;\n", outbox, model.source, model.keyColumn);
  }
  for (const related of capture.related) {
    const link = linkColumn(related.link);
    const watched = related.columns ? [...new Set([...related.columns, link])] : undefined;
    b.add("  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.?? IS DISTINCT FROM NEW.??) THEN\n", link, link);
    enqueueRelated(b, outbox, related, 'OLD');
    b.add("  END IF;\n  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (");
    changedCondition(b, watched);
    b.add(')) THEN\n');
    enqueueRelated(b, outbox, related, 'NEW');
    b.add('  END IF;\n');
  }
  // Defence in depth: whatever fails in here (a column the application dropped or renamed after
  // the install, the outbox gone) must not fail the application's write. The change is then not
  // captured: a WARNING (PostgreSQL's server log keeps warnings by default, and the client gets it
  // as a notice) says so and what to do. Errors of the transaction itself (serialization failure,
  // deadlock, lock timeout, out of resources) are raised as they are: the application's write
  // would fail on them anyway, and its retry captures the change. The block costs one
  // subtransaction per row: a full-table UPDATE of 100,000 rows took 1.04x as long as without it
  // (median of 9, `npm run bench:capture`; 1.03x to 1.44x across runs on a loaded 2-core machine).
  // `guard: false` (the benchmark's baseline) leaves the block out.
  if (options.guard === false) {
    b.add('  RETURN NULL;\nEND\n$indexkit$');
    return { sql: b.parts.join(''), bindings: b.bindings };
  }
  b.add("  RETURN NULL;\nEXCEPTION\n  WHEN transaction_rollback OR lock_not_available OR insufficient_resources THEN RAISE;\n  WHEN OTHERS THEN\n  RAISE WARNING 'indexkit: change capture on %.% skipped this change: % (SQLSTATE %); run search check and search sync install, then search update-index', TG_TABLE_SCHEMA, TG_TABLE_NAME, SQLERRM, SQLSTATE;\n  RETURN NULL;\nEND\n$indexkit$");
  return { sql: b.parts.join(''), bindings: b.bindings };
}

/** The row-level AFTER trigger that calls the table's capture function (idempotent: OR REPLACE, PostgreSQL 14+). */
export function captureTriggerSql(table: string): SqlStatement {
  const name = captureName(table);
  return { sql: 'CREATE OR REPLACE TRIGGER ?? AFTER INSERT OR UPDATE OR DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION ??()', bindings: [name, table, name] };
}

export function dropCaptureSql(table: string, triggerName: string, functionName: string): SqlStatement[] {
  return [
    { sql: 'DROP TRIGGER IF EXISTS ?? ON ??', bindings: [triggerName, table] },
    { sql: 'DROP FUNCTION IF EXISTS ??()', bindings: [functionName] },
  ];
}

/** A stable hash of what a table's capture does, recorded in indexkit_sync_triggers. */
export function captureHash(statement: SqlStatement): string {
  return createHash('sha256').update(JSON.stringify(statement)).digest('hex').slice(0, 16);
}
