import type { Knex } from 'knex';
import type { RelatedDependency } from '../config/settings-types.js';

/** A database row as knex returns it. */
export type Row = Record<string, unknown>;

/**
 * A table whose changes must re-index this model's documents (captured by `search sync
 * install`). How a changed row leads to the model's rows is at most one of foreignKey,
 * keyColumn or select, as in `settings.sync.related`; with none, it is inferred from the
 * database's foreign keys: the model's table referencing the table, the table referencing the
 * model's key, or a join table referencing both (whose own changes then re-index too).
 */
export type RelatedTable = Omit<RelatedDependency, 'model'>;

/**
 * The model contract: what indexkit needs to turn database rows into search documents.
 *
 * @example
 * export const Post = defineSearchModel({
 *   table: 'posts',
 *   getSearchQueryset: (db) => db('posts').where('published', true),
 *   asSearchDocument: (row) => ({ title: row.title, body: row.body }),
 * });
 */
export interface SearchModel<R extends object = Row, D extends object = Record<string, unknown>> {
  /** Name used in messages and in `neverAutoSync`; defaults to the export name. */
  name?: string;
  /** The table the rows come from (change capture installs its triggers there). */
  table?: string;
  /** Primary key column, used for keyset paging and document ids. Default `id`. */
  primaryKey?: string;
  /** Column holding the row's last change time, for `update-index --since`. */
  updatedAtColumn?: string;
  /** The rows that belong in `index`: a knex query builder (not awaited; indexkit pages through it). */
  getSearchQueryset(db: Knex, index: string): Knex.QueryBuilder;
  /** The document for `row` in `index`. */
  asSearchDocument(row: R, index: string): D | Promise<D>;
  /** The partial document for a partial update of `updateFields`; needed when those include relation fields. */
  asSearchDocumentUpdate?(row: R, index: string, updateFields: readonly string[]): Partial<D> | Promise<Partial<D>>;
  /** The document `_id`; default: the primary key as a string. */
  searchDocumentId?(row: R): string;
  /**
   * The inverse of searchDocumentId: the primary key a document id stands for, or undefined when
   * the id is not one of this model's (so models sharing an index tell their documents apart).
   * Required by prune-index when searchDocumentId is given.
   */
  parseSearchDocumentId?(id: string): string | number | undefined;
  /** Tables whose changes affect this model's documents. */
  relatedTables?: RelatedTable[];
}

const MODEL_BRAND = Symbol.for('indexkit.searchModel');

/**
 * Defines a search model with full type inference; validates the required functions at once,
 * so a mistake shows up where the model is written, not at the first sync.
 */
export function defineSearchModel<R extends object = Row, D extends object = Record<string, unknown>>(model: SearchModel<R, D>): SearchModel<R, D> {
  for (const method of ['getSearchQueryset', 'asSearchDocument'] as const) {
    if (typeof model[method] !== 'function') {
      throw new TypeError(`defineSearchModel(${model.name ?? model.table ?? ''}): ${method} must be a function, got ${typeof model[method]}`);
    }
  }
  Object.defineProperty(model, MODEL_BRAND, { value: true, enumerable: false });
  return model;
}

/** The primary key column of a model. */
export const primaryKeyOf = (model: SearchModel): string => model.primaryKey ?? 'id';

/**
 * How every SQL path names a model's rows, resolved once when the model is registered
 * (ModelRegistry.add): paging, `--since`, counts, prune and sync reads all add to the user's
 * queryset through these, so none of them re-derives (or forgets to qualify) a column.
 */
export interface ModelKeys {
  /**
   * The table the queryset reads: `model.table`, else the FROM of the builder the model
   * returns (its alias when it has one), so that a queryset joining another table with the
   * same key column stays unambiguous without `table`. Undefined when neither says.
   */
  from?: string;
  /** The primary key as SQL names it inside the queryset (`books.id`). */
  keyColumn: string;
  /** The row property holding the primary key (`id`). */
  keyProperty: string;
  /** The updated-at column as SQL names it inside the queryset, if the model has one. */
  updatedAtColumn?: string;
  /** The document id of a row: `searchDocumentId(row)` or the primary key as a string. */
  documentId(row: Row): string;
}

const qualify = (column: string, from: string | undefined): string => (column.includes('.') || !from ? column : `${from}.${column}`);

/** Resolves a model's keys; `from` is the table (or alias) its queryset's builder reads FROM, when known. */
export function resolveModelKeys(model: SearchModel, from?: string): ModelKeys {
  const key = primaryKeyOf(model);
  const table = model.table ?? from;
  const keyProperty = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
  const documentId = model.searchDocumentId
    ? (row: Row) => model.searchDocumentId!(row)
    : (row: Row) => {
        const value = row[keyProperty];
        if (value === undefined || value === null) throw new TypeError(`row has no value in primary key column "${keyProperty}"`);
        return String(value);
      };
  return {
    ...(table ? { from: table } : {}),
    keyColumn: qualify(key, table),
    keyProperty,
    ...(model.updatedAtColumn ? { updatedAtColumn: qualify(model.updatedAtColumn, table) } : {}),
    documentId,
  };
}

/**
 * The table (or alias) a knex builder reads FROM: `books` for `db('books').join(...)`,
 * `b` for `db('books as b')`; undefined for a subquery or raw FROM.
 */
export function builderSource(builder: unknown): string | undefined {
  const table = (builder as { _single?: { table?: unknown } } | null)?._single?.table;
  if (typeof table !== 'string') return undefined;
  const parts = table.trim().split(/\s+/);
  if (parts.length === 1) return parts[0];
  if (parts.length === 3 && parts[1]!.toLowerCase() === 'as') return parts[2];
  if (parts.length === 2) return parts[1];
  return undefined;
}

/** The document id of a row: `searchDocumentId(row)` or the primary key as a string. */
export function documentIdOf(model: SearchModel, row: Row): string {
  return resolveModelKeys(model).documentId(row);
}

/**
 * The primary key as SQL should name it in the model's queryset: qualified with the table
 * (`posts.id`) when the model names its table. Registered models resolve this once, also from
 * their queryset's FROM: see ModelKeys.
 */
export function keyColumnOf(model: SearchModel): string {
  return resolveModelKeys(model).keyColumn;
}

/** The row property holding the primary key (the column name without its table). */
export function keyPropertyOf(model: SearchModel): string {
  return resolveModelKeys(model).keyProperty;
}
