import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';

/**
 * The SQL of judgments from the query log (pure builders, every value bound): which logged
 * searches count, how their terms are normalised, the request each term replays, and the grade
 * of each converted hit. src/relevance/judgments.ts runs them.
 */

export interface JudgmentFilters {
  /** The index (or alias) as the searches named it: the query log's `index_name`. */
  index: string;
  since?: Date;
  until?: Date;
  /** A term counts once it was searched at least this many times in the period. */
  minSearches: number;
}

/**
 * How a conversion is graded: `kinds` gives the grade of a kind (default `{ click: 1 }`); any
 * other kind (a purchase, a sign-up, a save) is `otherKinds` (default 2); a conversion carrying a
 * positive `value` gets `valueBonus` more (default 1); no grade exceeds `max` (default 3).
 */
export interface Grading {
  kinds: Record<string, number>;
  otherKinds: number;
  valueBonus: number;
  max: number;
}

export const DEFAULT_GRADING: Grading = { kinds: { click: 1 }, otherKinds: 2, valueBonus: 1, max: 3 };

/**
 * The normalised search term: lower-cased, runs of white space collapsed to one space, trimmed.
 * (`search queries stats` lower-cases and trims; collapsing white space makes "rolling  deploy"
 * and "rolling deploy" one term.)
 */
export const normalizedTermSql = (column: string): string => `lower(btrim(regexp_replace(${column}, '\\s+', ' ', 'g')))`;

/** The same normalisation in TypeScript (for query builders and tests). */
export const normalizeTerm = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The period's searches of the index with a non-empty term: id, term, query, page_from, executed_at. */
function searches(db: Knex, filters: JudgmentFilters): Knex.QueryBuilder {
  const builder = db(SEARCH_QUERIES_TABLE)
    .select('id', 'query', 'page_from', 'executed_at', db.raw(`${normalizedTermSql('search_terms')} as term`))
    .where('query_type', 'search')
    .andWhere('index_name', filters.index)
    .whereRaw(`${normalizedTermSql('search_terms')} <> ''`);
  if (filters.since !== undefined) builder.where('executed_at', '>=', filters.since);
  if (filters.until !== undefined) builder.where('executed_at', '<', filters.until);
  return builder;
}

/**
 * Per term of the period: searches, searches with a conversion, and the request to replay (the
 * latest first-page search's body; the latest of any page when there is none). Terms below
 * `minSearches` are left out; `below_min` counts them (the same on every row).
 */
export function judgedTermsSql(db: Knex, filters: JudgmentFilters): Knex.Raw {
  const s = searches(db, filters).toSQL();
  return db.raw(
    `with s as (${s.sql}),
          t as (select term, count(*) as searches,
                       count(*) filter (where exists (select 1 from ?? c where c.query_id = s.id)) as converted
                  from s group by term)
     select t.term, t.searches, t.converted, r.query,
            (select count(*) from t where t.searches < ?) as below_min
       from t
       join lateral (select s.query from s where s.term = t.term
                      order by (s.page_from = 0) desc, s.executed_at desc, s.id limit 1) r on true
      where t.searches >= ?
      order by t.term`,
    [...s.bindings, SEARCH_CONVERSIONS_TABLE, filters.minSearches, filters.minSearches],
  );
}

/**
 * Per (term, converted hit) of the terms with at least `minSearches` searches: the rating (the
 * highest grade of its conversions, see Grading), its conversions, the searches converted on it,
 * the best (lowest) rank it was converted at, and whether every one of its conversions was at
 * rank 1 (`only_rank1`).
 */
export function judgmentsSql(db: Knex, filters: JudgmentFilters, grading: Grading = DEFAULT_GRADING): Knex.Raw {
  const s = searches(db, filters).toSQL();
  return db.raw(
    `with s as (${s.sql}),
          t as (select term from s group by term having count(*) >= ?)
     select s.term, c.hit_id,
            max(least(?::int, coalesce((?::jsonb ->> c.kind)::int, ?::int) + case when c.value > 0 then ?::int else 0 end)) as rating,
            count(*) as conversions,
            count(distinct c.query_id) as searches,
            min(c.position) as best_position,
            coalesce(bool_and(c.position = 1), false) as only_rank1
       from s join t on t.term = s.term
       join ?? c on c.query_id = s.id
      group by s.term, c.hit_id
      order by s.term, c.hit_id`,
    [...s.bindings, filters.minSearches, grading.max, JSON.stringify(grading.kinds), grading.otherKinds, grading.valueBonus, SEARCH_CONVERSIONS_TABLE],
  );
}
