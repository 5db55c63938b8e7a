import type { Knex } from 'knex';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Row } from '../models/search-model.js';

export interface KeysetOptions {
  index: string;
  /** Rows per page. */
  pageSize: number;
  /** Start after this primary key (resume). */
  after?: unknown;
  /** Only rows whose updated-at column is at or after this time. */
  since?: Date;
}

/** The model's queryset for `index`, narrowed by `since` (the model must name its updated-at column). */
export function querysetOf(db: Knex, model: RegisteredModel, index: string, since?: Date): Knex.QueryBuilder {
  const query = model.model.getSearchQueryset(db, index).clone().clearOrder();
  const updatedAt = model.keys.updatedAtColumn;
  if (since && updatedAt) query.where(updatedAt, '>=', since);
  return query;
}

/** Rows in the model's queryset (with `since` applied), for progress and status. */
export async function countRows(db: Knex, model: RegisteredModel, index: string, since?: Date): Promise<number> {
  const inner = querysetOf(db, model, index, since).clearSelect().select(db.raw('1')).as('q');
  const result = (await db.count('* as n').from(inner).first()) as { n: number | string } | undefined;
  return Number(result?.n ?? 0);
}

/**
 * Pages of the model's queryset in primary-key order, by keyset (`where key > last order by
 * key limit n`): each page is one indexed range scan, never an OFFSET that rereads what came
 * before, and only one page is in memory at a time.
 */
export async function* keysetPages(db: Knex, model: RegisteredModel, options: KeysetOptions): AsyncGenerator<Row[]> {
  const { keyColumn: column, keyProperty: property } = model.keys;
  let last = options.after;
  for (;;) {
    const query = querysetOf(db, model, options.index, options.since).orderBy(column, 'asc').limit(options.pageSize);
    if (last !== undefined) query.where(column, '>', last as Knex.Value);
    const rows = (await query) as Row[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < options.pageSize) return;
    last = rows[rows.length - 1]![property];
    if (last === undefined) throw new TypeError(`the queryset of ${model.name} does not select its primary key "${property}"`);
  }
}
