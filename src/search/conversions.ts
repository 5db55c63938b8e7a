import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { SearchQueryError } from '../errors.js';

/** What the application says a person did with a hit: clicked it, bought it, ... */
export interface ConversionInput {
  /** The hit's document `_id`. */
  hitId: string | number;
  /** The concrete index of the hit; default: the index the logged hit came from. */
  index?: string;
  /** A value (an order total, a rating), summed by nobody here but kept for the application's own reports. */
  value?: number;
  /** What happened (default `click`); one conversion per (query, hit, kind). */
  kind?: string;
}

/** A conversion as stored. */
export interface Conversion {
  queryId: string;
  hitId: string;
  kind: string;
  index: string | null;
  /** The hit's rank in that search (1-based over all pages); null when the hit was not among the logged hits or the query row is not written yet. */
  position: number | null;
  value: number | null;
  convertedAt: Date;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Checks and normalises `recordConversion`'s arguments; throws SearchQueryError (SEARCH_QUERY_INVALID) naming the bad one. */
export function conversionOf(queryId: string, input: ConversionInput, convertedAt = new Date()): Conversion {
  if (typeof queryId !== 'string' || !UUID.test(queryId)) throw new SearchQueryError('SEARCH_QUERY_INVALID', `recordConversion: queryId is ${JSON.stringify(queryId)}, expected the id (a UUID) of the SearchQuery a search returned`);
  const hitId = typeof input?.hitId === 'number' ? String(input.hitId) : input?.hitId;
  if (typeof hitId !== 'string' || hitId === '' || hitId.length > 512) throw new SearchQueryError('SEARCH_QUERY_INVALID', `recordConversion: hitId is ${JSON.stringify(input?.hitId)}, expected a document id (a non-empty string of at most 512 characters)`);
  const kind = input.kind ?? 'click';
  if (typeof kind !== 'string' || !KIND.test(kind)) throw new SearchQueryError('SEARCH_QUERY_INVALID', `recordConversion: kind is ${JSON.stringify(input.kind)}, expected 1 to 64 letters, digits or _ . : -`);
  if (input.value !== undefined && (typeof input.value !== 'number' || !Number.isFinite(input.value))) throw new SearchQueryError('SEARCH_QUERY_INVALID', `recordConversion: value is ${JSON.stringify(input.value)}, expected a finite number`);
  if (input.index !== undefined && (typeof input.index !== 'string' || input.index === '')) throw new SearchQueryError('SEARCH_QUERY_INVALID', `recordConversion: index is ${JSON.stringify(input.index)}, expected an index name`);
  return { queryId: queryId.toLowerCase(), hitId: hitId.replaceAll('\u0000', ''), kind, index: input.index ?? null, position: null, value: input.value ?? null, convertedAt };
}

/**
 * Inserts conversions, each with the rank of its hit looked up in the logged hits of its query
 * (the lowest rank when a hit appears twice). A conversion already stored for the same (query,
 * hit, kind) is left as it is: recording twice is a no-op. A conversion whose query row is not
 * written yet is stored with position null; `placeConversions` fills it in later.
 */
export function insertConversionsSql(db: Knex, conversions: readonly Conversion[]): Knex.Raw {
  const values = JSON.stringify(conversions.map((c) => ({ query_id: c.queryId, hit_id: c.hitId, kind: c.kind, index_name: c.index, value: c.value, converted_at: c.convertedAt.toISOString() })));
  return db.raw(
    `insert into ?? (query_id, hit_id, kind, index_name, position, query_executed_at, value, converted_at)
     select v.query_id, v.hit_id, v.kind, coalesce(v.index_name, h.hit_index), h.rank, q.executed_at, v.value, v.converted_at
       from jsonb_to_recordset(?::jsonb) as v(query_id uuid, hit_id text, kind text, index_name text, value float8, converted_at timestamptz)
       left join ?? q on q.id = v.query_id
       left join lateral (
         select (e->>'rank')::int as rank, e->>'index' as hit_index
           from jsonb_array_elements(q.hits) e
          where e->>'id' = v.hit_id
          order by (e->>'rank')::int limit 1) h on true
     on conflict (query_id, hit_id, kind) do nothing`,
    [SEARCH_CONVERSIONS_TABLE, values, SEARCH_QUERIES_TABLE],
  );
}

/**
 * Gives the conversions of `queryIds` that came before their query rows the rank of their hit
 * and the query's time, now that the rows are written.
 */
export function placeConversionsSql(db: Knex, queryIds: readonly string[]): Knex.Raw {
  return db.raw(
    `update ?? c set query_executed_at = q.executed_at,
            position = (select min((e->>'rank')::int) from jsonb_array_elements(q.hits) e where e->>'id' = c.hit_id),
            index_name = coalesce(c.index_name, (select min(e->>'index') from jsonb_array_elements(q.hits) e where e->>'id' = c.hit_id))
       from ?? q
      where q.id = any(?::uuid[]) and c.query_id = any(?::uuid[]) and c.query_id = q.id and c.query_executed_at is null`,
    [SEARCH_CONVERSIONS_TABLE, SEARCH_QUERIES_TABLE, [...queryIds], [...queryIds]],
  );
}

const rowToConversion = (r: Record<string, unknown>): Conversion => ({
  queryId: String(r.query_id),
  hitId: String(r.hit_id),
  kind: String(r.kind),
  index: r.index_name === null ? null : String(r.index_name),
  position: r.position === null ? null : Number(r.position),
  value: r.value === null ? null : Number(r.value),
  convertedAt: r.converted_at instanceof Date ? r.converted_at : new Date(String(r.converted_at)),
});

/** The conversions of one logged query, in the order they were recorded. */
export async function listConversions(db: Knex, queryId: string): Promise<Conversion[]> {
  if (!UUID.test(queryId)) return [];
  const rows = (await db(SEARCH_CONVERSIONS_TABLE).where('query_id', queryId).orderBy(['converted_at', 'hit_id', 'kind'])) as Array<Record<string, unknown>>;
  return rows.map(rowToConversion);
}
