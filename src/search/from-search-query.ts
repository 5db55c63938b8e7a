import type { Knex } from 'knex';
import { canonicalId, hasWindow, hitRowsQuery, hitsToMatch, rerankQuery, ROW_ID_ALIAS, type FromSearchQueryOptions, type KeyType } from './rerank-query.js';
import type { SearchHit, SearchQuery } from './search-query.js';

export type { FromSearchQueryOptions, KeyType };

export interface SearchRows<R> {
  /** The rows in hit order, each with the score, the rank and (if any) the highlight. */
  rows: R[];
  /** Hits with no row: deleted since indexing, filtered out by the builder, or not a valid key. */
  missing: SearchHit[];
}

/**
 * The database rows of a search's hits, in hit order, with `search_score`, `search_rank` and
 * `search_highlight` (names configurable); hits whose rows are gone are listed in `missing`
 * instead of silently dropped. Every id and score is a bound parameter.
 *
 * @example
 * const result = await executeSearch('blog', body, { client, log, searchTerms: q });
 * const { rows, missing } = await fromSearchQuery(db('posts').where('published', true), result, { keyType: 'integer' });
 * for (const post of rows) render(post.title, post.search_rank, post.search_highlight?.title);
 */
export async function fromSearchQuery<R extends Record<string, unknown> = Record<string, unknown>>(
  queryBuilder: Knex.QueryBuilder,
  searchQuery: Pick<SearchQuery, 'hits'>,
  options: FromSearchQueryOptions = {},
): Promise<SearchRows<R & { search_score: number | null; search_rank: number }>> {
  if (options.keyType === undefined && options.documentIdExpression === undefined) {
    const keyType = await detectKeyType(queryBuilder, options.keyColumn);
    if (keyType) options = { ...options, keyType };
  }
  const { hits, invalid } = hitsToMatch(searchQuery, options);
  if (!hits.length) return { rows: [], missing: invalid };
  const scoreColumn = options.scoreColumn ?? 'search_score';
  const rankColumn = options.rankColumn ?? 'search_rank';
  const highlightColumn = options.highlightColumn ?? 'search_highlight';
  let rows: Array<Record<string, unknown>>;
  const found = new Set<SearchHit>();
  if (hasWindow(queryBuilder)) {
    // A limit or offset applies after the ORDER BY: the order must be SQL's.
    rows = (await rerankQuery(queryBuilder, { hits }, options)) as Array<Record<string, unknown>>;
    const byRank = new Map(hits.map((h) => [h.rank, h]));
    for (const row of rows) {
      const rank = Number(row[rankColumn]);
      row[rankColumn] = rank;
      const hit = byRank.get(rank);
      if (!hit) continue;
      found.add(hit);
      if (hit.highlight) row[highlightColumn] = hit.highlight;
    }
  } else {
    const keyType = options.documentIdExpression === undefined ? options.keyType : undefined;
    const byId = new Map(hits.map((h) => [canonicalId(h.id, keyType), h]));
    const matched: Array<{ row: Record<string, unknown>; hit: SearchHit }> = [];
    for (const row of (await hitRowsQuery(queryBuilder, { hits }, options)) as Array<Record<string, unknown>>) {
      const hit = byId.get(String(row[ROW_ID_ALIAS]));
      delete row[ROW_ID_ALIAS];
      if (!hit) continue;
      found.add(hit);
      row[scoreColumn] = hit.score;
      row[rankColumn] = hit.rank;
      if (hit.highlight) row[highlightColumn] = hit.highlight;
      matched.push({ row, hit });
    }
    rows = matched.sort((a, b) => a.hit.rank - b.hit.rank).map((m) => m.row);
  }
  const missing = [...hits.filter((h) => !found.has(h)), ...invalid].sort((a, b) => a.rank - b.rank);
  return { rows: rows as Array<R & { search_score: number | null; search_rank: number }>, missing };
}

const TYPE_NAMES: Record<string, KeyType> = { integer: 'integer', smallint: 'integer', bigint: 'bigint', uuid: 'uuid', text: 'text', 'character varying': 'text' };
const detected = new WeakMap<object, Map<string, Promise<KeyType | undefined>>>();

/** The key column's type from the catalog (once per client, table and column), when it is one fromSearchQuery can bind natively. */
function detectKeyType(queryBuilder: Knex.QueryBuilder, keyColumn: string | undefined): Promise<KeyType | undefined> {
  const internals = queryBuilder as unknown as { client: Knex.Client & object; _single: { table?: unknown } };
  const builderTable = typeof internals._single.table === 'string' ? internals._single.table.trim() : undefined;
  if (!builderTable || /\s/.test(builderTable)) return Promise.resolve(undefined); // aliased or a subquery
  const parts = (keyColumn ?? 'id').split('.');
  const column = parts.pop()!;
  const table = parts.length ? parts.join('.') : builderTable;
  let cache = detected.get(internals.client);
  if (!cache) detected.set(internals.client, (cache = new Map()));
  const key = `${table}\u0000${column}`;
  let type = cache.get(key);
  if (!type) {
    type = (async () => {
      try {
        const result = (await internals.client.raw('select format_type(a.atttypid, null) as type from pg_attribute a where a.attrelid = to_regclass(?) and a.attname = ? and not a.attisdropped', [table, column])) as { rows?: Array<{ type: string }> };
        return TYPE_NAMES[result.rows?.[0]?.type ?? ''];
      } catch {
        return undefined;
      }
    })();
    cache.set(key, type);
  }
  return type;
}
