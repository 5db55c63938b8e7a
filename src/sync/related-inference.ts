import type { Knex } from 'knex';
import type { RelatedDependency } from '../config/settings-types.js';
import { SyncError } from '../errors.js';
import type { ModelRegistry, RegisteredModel } from '../models/model-registry.js';
import type { RelatedTable } from '../models/search-model.js';

/**
 * The related tables models declare themselves (`relatedTables`), as `settings.sync.related`
 * entries: an entry that names its link (foreignKey, keyColumn or select) is taken as written;
 * one that does not is resolved against the database's single-column foreign keys, the way a
 * reader of the schema would:
 *
 *   1. the model's table references the table (posts.author_id -> authors.id): foreignKey;
 *   2. the table references the model's key (comments.post_id -> posts.id): keyColumn;
 *   3. a join table references both (post_tags.post_id -> posts.id, post_tags.tag_id -> tags.id):
 *      a select through it, and the join table itself becomes related too (keyColumn), since
 *      adding or removing a row there changes the document as much as renaming the tag.
 *
 * Exactly one way must exist; none or several is an error that names them and says what to
 * write instead.
 */

export interface ModelDependency {
  dep: RelatedDependency;
  /** Where the entry comes from, for error messages (`model Post relatedTables[0] (tags)`). */
  where: string;
}

interface ForeignKey {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const quoteTable = (qualified: string): string => qualified.split('.').map(quote).join('.');

/** Single-column foreign keys from or to any of `tables` (schema-qualified names). */
async function foreignKeys(db: Knex, tables: string[]): Promise<ForeignKey[]> {
  if (tables.length === 0) return [];
  const result = await db.raw(
    `SELECT fn.nspname || '.' || fc.relname AS from_table, fa.attname AS from_column,
            tn.nspname || '.' || tc.relname AS to_table, ta.attname AS to_column
       FROM pg_constraint c
       JOIN pg_class fc ON fc.oid = c.conrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
       JOIN pg_class tc ON tc.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
       JOIN pg_attribute fa ON fa.attrelid = c.conrelid AND fa.attnum = c.conkey[1]
       JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
        AND (c.conrelid = ANY(?::regclass[]) OR c.confrelid = ANY(?::regclass[]))
      ORDER BY 1, 2, 3, 4`,
    [tables, tables],
  );
  return (result.rows as Array<{ from_table: string; from_column: string; to_table: string; to_column: string }>).map((r) => ({
    fromTable: r.from_table,
    fromColumn: r.from_column,
    toTable: r.to_table,
    toColumn: r.to_column,
  }));
}

const namesLink = (r: RelatedTable): boolean => r.foreignKey !== undefined || r.keyColumn !== undefined || r.select !== undefined;

type Candidate = { describe: string; deps: RelatedDependency[] };

function candidates(model: string, modelTable: string, modelKey: string, related: RelatedTable, relatedTable: string, fks: ForeignKey[]): Candidate[] {
  const columns = related.columns ? { columns: related.columns } : {};
  const out: Candidate[] = [];
  for (const fk of fks) {
    if (fk.fromTable === modelTable && fk.toTable === relatedTable) {
      out.push({
        describe: `${modelTable}.${fk.fromColumn} references ${relatedTable}.${fk.toColumn} (foreignKey: ${fk.fromColumn})`,
        deps: [{ model, table: related.table, ...columns, foreignKey: fk.fromColumn, references: fk.toColumn }],
      });
    }
    if (fk.fromTable === relatedTable && fk.toTable === modelTable && fk.toColumn === modelKey) {
      out.push({ describe: `${relatedTable}.${fk.fromColumn} references ${modelTable}.${modelKey} (keyColumn: ${fk.fromColumn})`, deps: [{ model, table: related.table, ...columns, keyColumn: fk.fromColumn }] });
    }
  }
  // join tables: one foreign key to the model's key and one to the related table
  for (const toModel of fks) {
    if (toModel.toTable !== modelTable || toModel.toColumn !== modelKey || toModel.fromTable === modelTable || toModel.fromTable === relatedTable) continue;
    for (const toRelated of fks) {
      if (toRelated.fromTable !== toModel.fromTable || toRelated.toTable !== relatedTable || toRelated.fromColumn === toModel.fromColumn) continue;
      const join = toModel.fromTable;
      out.push({
        describe: `join table ${join} (${toModel.fromColumn} -> ${modelTable}, ${toRelated.fromColumn} -> ${relatedTable})`,
        deps: [
          { model, table: related.table, ...columns, select: `select ${quote(toModel.fromColumn)} from ${quoteTable(join)} where ${quote(toRelated.fromColumn)} = ?`, param: toRelated.toColumn },
          { model, table: join, keyColumn: toModel.fromColumn },
        ],
      });
    }
  }
  return out;
}

/**
 * The `relatedTables` of every registered model with a table, as dependencies; `qualify` turns
 * a table name into its schema-qualified name. Throws SyncError (exit 2) when a link cannot be
 * inferred.
 */
export async function modelDependencies(db: Knex, registry: ModelRegistry, qualify: (table: string) => string, fileOf: (m: RegisteredModel) => string | undefined = () => undefined): Promise<ModelDependency[]> {
  const declared = registry.models().flatMap((m) => (m.model.table ? (m.model.relatedTables ?? []).map((related, i) => ({ m, related, i })) : []));
  const toInfer = declared.filter(({ related }) => !namesLink(related));
  const fks = await foreignKeys(db, [...new Set(toInfer.flatMap(({ m, related }) => [qualify(m.model.table!), qualify(related.table)]))]);
  const out: ModelDependency[] = [];
  for (const { m, related, i } of declared) {
    const file = fileOf(m);
    const where = `model ${m.name} relatedTables[${i}] (${related.table})${file ? ` in ${file}` : ''}`;
    if (namesLink(related)) {
      out.push({ dep: { ...related, model: m.name }, where });
      continue;
    }
    const modelTable = qualify(m.model.table!);
    const found = candidates(m.name, modelTable, m.keys.keyProperty, related, qualify(related.table), fks);
    if (found.length !== 1) {
      const how = found.length === 0 ? `no foreign key links ${modelTable} and ${qualify(related.table)}, directly or through a join table` : `${found.length} ways link them: ${found.map((c) => c.describe).join('; ')}`;
      throw new SyncError('SYNC_RELATED_INVALID', `${where}: ${how}; give one of foreignKey, keyColumn or select in the entry`, { exitCode: 2 });
    }
    for (const dep of found[0]!.deps) out.push({ dep, where: `${where}, inferred: ${found[0]!.describe}` });
  }
  return out;
}
