import { EngineError, parsingError } from '../../../errors.js';
import type { BucketType } from '../agg-types.js';
import { subset } from '../values-source.js';
import { bucketSubsSteps } from './subs.js';
import { mapSteps, pacedBucket } from '../doc-steps.js';
import { optBoolean, optString, xContentError } from './options.js';
import { aggQuery, matchingPositions } from './query-docs.js';

/**
 * `filter` (one bucket: the docs matching a query) and `filters` (one bucket per named or
 * anonymous query, plus the optional `other_bucket` for docs matching none). Named filters
 * render keyed by name in name order, as FiltersAggregationBuilder sorts them.
 */

export const filterAgg: BucketType = {
  validate(spec) {
    aggQuery(spec.body);
  },
  collect(spec, docs, ctx) {
    const pos = matchingPositions(aggQuery(spec.body), docs, ctx);
    const sub = subset(docs, pos);
    return { typed: 'filter', result: { doc_count: pos.length, ...ctx.runSubs(spec.subs, sub) } };
  },
};

const FILTERS_KEYS = ['filters', 'other_bucket', 'other_bucket_key', 'keyed'];

interface FiltersSpec {
  named: boolean;
  filters: Array<{ key: string; query: unknown }>;
  other: boolean;
  otherKey: string;
  keyed: boolean;
}

function filtersOptions(body: Record<string, unknown>, type: string): FiltersSpec {
  for (const k of Object.keys(body)) if (!FILTERS_KEYS.includes(k)) throw xContentError(`[${type}] unknown field [${k}]`);
  const raw = body.filters;
  let filters: Array<{ key: string; query: unknown }>;
  let named: boolean;
  if (Array.isArray(raw)) {
    named = false;
    filters = raw.map((q, i) => ({ key: String(i), query: q }));
  } else if (typeof raw === 'object' && raw !== null) {
    named = true;
    filters = Object.entries(raw as Record<string, unknown>)
      .map(([key, query]) => ({ key, query }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } else {
    throw parsingError(`[filters] cannot be empty.`);
  }
  if (filters.length === 0) throw new EngineError(400, 'illegal_argument_exception', '[filters] cannot be empty.');
  const spec = { type, body } as { type: string; body: Record<string, unknown>; name: string; subs: []; path: [] };
  const otherKey = optString(spec, 'other_bucket_key');
  const other = optBoolean(spec, 'other_bucket') ?? otherKey !== undefined;
  const keyed = optBoolean(spec, 'keyed') ?? named;
  return { named, filters, other, otherKey: otherKey ?? '_other_', keyed };
}

export const filtersAgg: BucketType = pacedBucket({
  validate(spec) {
    for (const f of filtersOptions(spec.body, spec.type).filters) aggQuery(f.query);
  },
  // pauses between filters (each matched over the docs in one step) and their sub-aggregations
  *steps(spec, docs, ctx) {
    const o = filtersOptions(spec.body, spec.type);
    const matchedAny = o.other ? new Uint8Array(docs.count) : undefined;
    const buckets: Array<Record<string, unknown>> = yield* mapSteps(o.filters, function* (f, i) {
      if (i > 0) yield;
      const pos = matchingPositions(aggQuery(f.query), docs, ctx);
      if (matchedAny) for (let i = 0; i < pos.length; i++) matchedAny[pos[i] as number] = 1;
      const b: Record<string, unknown> = o.named ? { key: f.key } : {};
      b.doc_count = pos.length;
      return Object.assign(b, yield* bucketSubsSteps(spec, docs, pos, ctx));
    });
    if (matchedAny) {
      const rest: number[] = [];
      for (let i = 0; i < docs.count; i++) if (matchedAny[i] === 0) rest.push(i);
      const b: Record<string, unknown> = o.named ? { key: o.otherKey } : {};
      b.doc_count = rest.length;
      buckets.push(Object.assign(b, yield* bucketSubsSteps(spec, docs, rest, ctx)));
    }
    if (!o.keyed || !o.named) return { typed: 'filters', result: {}, buckets };
    return {
      typed: 'filters',
      result: {},
      buckets,
      keyed: (b) => {
        const { key, ...rest } = b;
        return [String(key), rest];
      },
    };
  },
});
