import { EngineError } from '../../../errors.js';
import { MAX_CLAUSE_COUNT } from '../../clause-limit.js';
import type { AggSpec, BucketType } from '../agg-types.js';
import { bucketSubs } from './subs.js';
import { checkKeys, optString, xContentError } from './options.js';
import { aggQuery, matchingPositions } from './query-docs.js';

/**
 * `adjacency_matrix` (AdjacencyMatrixAggregationBuilder, AdjacencyMatrixAggregator,
 * InternalAdjacencyMatrix): the named filters sorted by name, one bucket per filter and one per
 * pair of filters (`a&b`, the `separator` between the names) holding the docs that match both;
 * buckets without docs are left out and the rest sorted by key, as the reduce sorts them. At
 * most `indices.query.bool.max_clause_count` filters.
 */

interface KeyedFilter {
  key: string;
  query: unknown;
}

function options(spec: AggSpec): { filters: KeyedFilter[]; separator: string } {
  checkKeys(spec, ['filters', 'separator']);
  const raw = spec.body.filters;
  if (raw === undefined) throw xContentError(`[${spec.type}] Required [filters]`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw xContentError(`[${spec.type}] filters doesn't support values of type: ${Array.isArray(raw) ? 'START_ARRAY' : 'VALUE'}`);
  const filters = Object.entries(raw as Record<string, unknown>)
    .map(([key, query]) => ({ key, query }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (filters.length > MAX_CLAUSE_COUNT) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Number of filters is too large, must be less than or equal to: [${MAX_CLAUSE_COUNT}] but was [${filters.length}].  You can increase this limit by scaling up your java heap`,
    );
  }
  return { filters, separator: optString(spec, 'separator') ?? '&' };
}

export const adjacencyMatrixAgg: BucketType = {
  validate(spec) {
    for (const f of options(spec).filters) aggQuery(f.query);
  },
  collect(spec, docs, ctx) {
    const { filters, separator } = options(spec);
    const matches = filters.map((f) => {
      const bits = new Uint8Array(docs.count);
      for (const p of matchingPositions(aggQuery(f.query), docs, ctx)) bits[p] = 1;
      return bits;
    });
    const buckets: Array<Record<string, unknown>> = [];
    const add = (key: string, pos: number[]): void => {
      if (pos.length > 0) buckets.push({ key, doc_count: pos.length, ...bucketSubs(spec, docs, pos, ctx) });
    };
    const positionsOf = (test: (p: number) => boolean): number[] => {
      const out: number[] = [];
      for (let p = 0; p < docs.count; p++) if (test(p)) out.push(p);
      return out;
    };
    filters.forEach((f, i) => add(f.key, positionsOf((p) => matches[i]?.[p] === 1)));
    for (let i = 0; i < filters.length; i++) {
      for (let j = i + 1; j < filters.length; j++) {
        add(`${(filters[i] as KeyedFilter).key}${separator}${(filters[j] as KeyedFilter).key}`, positionsOf((p) => matches[i]?.[p] === 1 && matches[j]?.[p] === 1));
      }
    }
    buckets.sort((a, b) => (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0));
    return { typed: 'adjacency_matrix', result: {}, buckets };
  },
};
