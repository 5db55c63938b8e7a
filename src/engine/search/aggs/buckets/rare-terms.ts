import { EngineError, unsupported } from '../../../errors.js';
import { runSteps } from '../../paced-run.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { byTarget, commonKind, fieldReaders, subset } from '../values-source.js';
import { compileIncludeExclude, validateIncludeExclude } from './include-exclude.js';
import { ipKeyReaders, isIpInLeaves, keyBytes } from './ip-values.js';
import { checkKeysSuggesting, optNumber, optString, requireField, xContentError } from './options.js';
import { readerKeys, requestKey, termRendering } from './significant-terms.js';
import { hasBucketSubs } from './subs.js';

/**
 * `rare_terms` (RareTermsAggregationBuilder, AbstractRareTermsAggregator, InternalMappedRareTerms):
 * each shard counts its terms and keeps those seen in at most `max_doc_count` docs (default 1,
 * at most 100); a term seen more often on a shard goes into that shard's "seen too often" set,
 * which Elasticsearch keeps as a cuckoo filter of `precision` (false positives only drop a rare
 * term on data far larger than the filter's exact phase; the engine keeps the exact set, which is
 * what ES answers on ordinary data). The reduce sums the shards' buckets, drops a term any shard
 * saw too often or whose total exceeds `max_doc_count`, and orders by count then key.
 */

const KEYS = ['field', 'max_doc_count', 'precision', 'include', 'exclude', 'missing', 'value_type', 'format', 'script'];
const MAX_MAX_DOC_COUNT = 100;
const DOUBLE_TYPES = new Set(['double', 'float', 'half_float', 'scaled_float']);

function maxDocCountOf(spec: AggSpec): number {
  const n = optNumber(spec, 'max_doc_count') ?? 1;
  const fail = (reason: string): never => {
    throw xContentError(`[${spec.type}] failed to parse field [max_doc_count]`, new EngineError(400, 'illegal_argument_exception', reason));
  };
  if (n <= 0) fail(`[max_doc_count] must be greater than 0. Found [${n}] in [${spec.name}]`);
  if (n > MAX_MAX_DOC_COUNT) fail(`[max_doc_count] must be smaller than or equal to [${MAX_MAX_DOC_COUNT}]. Found [${n}] in [${spec.name}]`);
  return Math.floor(n);
}

function validate(spec: AggSpec): void {
  checkKeysSuggesting(spec, KEYS);
  maxDocCountOf(spec);
  const precision = optNumber(spec, 'precision');
  if (precision !== undefined && precision < 0.00001) {
    throw xContentError(`[${spec.type}] failed to parse field [precision]`, new EngineError(400, 'illegal_argument_exception', `[precision] must be greater than 0.00001. Found [${precision}] in [${spec.name}]`));
  }
  requireField(spec);
  validateIncludeExclude(spec);
}

type Key = string | number;

interface Merged {
  key: Key;
  count: number;
  pos: number[];
}

function* rareTermsSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  validate(spec);
  const maxDocCount = maxDocCountOf(spec);
  const field = requireField(spec);
  const ip = isIpInLeaves(docs, field);
  const readers = ip ? ipKeyReaders(spec, docs, field) : fieldReaders(docs, field);
  const mappedKind = commonKind(readers);
  if (mappedKind === undefined && spec.body.missing === undefined) return { typed: 'srareterms', result: {}, buckets: [] };
  const kind = mappedKind ?? 'keyword';
  if (readers.some((r) => r !== null && DOUBLE_TYPES.has(r.info.type))) throw unsupported(`rare_terms on the floating point field [${field}]`);
  const regex = typeof spec.body.include === 'string' || typeof spec.body.exclude === 'string';
  if (regex && ip) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Aggregation [${spec.name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of values for include/exclude clauses`,
    );
  }
  const toKey = (v: unknown): Key => requestKey(kind, ip, v);
  const filter = compileIncludeExclude(spec, ip ? 'ip' : kind, toKey, ip ? (key) => keyBytes(String(key)) : undefined);
  const missing = spec.body.missing === undefined ? undefined : toKey(spec.body.missing);
  const keysOf = readerKeys(docs, readers, filter, missing);

  const merged = new Map<Key, Merged>();
  const tooCommon = new Set<Key>();
  for (const [target, positions] of byTarget(docs, ctx.exec.states.length)) {
    const perDoc = yield* keysOf(target, positions);
    const shard = new Map<Key, number[]>();
    for (let i = 0; i < positions.length; i++) {
      for (const k of perDoc[i] ?? []) {
        let list = shard.get(k);
        if (!list) {
          list = [];
          shard.set(k, list);
        }
        list.push(positions[i] as number);
      }
    }
    for (const [k, pos] of shard) {
      if (pos.length > maxDocCount) {
        tooCommon.add(k);
        continue;
      }
      const m = merged.get(k);
      if (m) {
        m.count += pos.length;
        m.pos.push(...pos);
      } else merged.set(k, { key: k, count: pos.length, pos });
    }
    yield;
  }
  const rare = [...merged.values()].filter((m) => m.count <= maxDocCount && !tooCommon.has(m.key));
  // InternalRareTerms: count ascending, then key ascending
  rare.sort((a, b) => a.count - b.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const view = termRendering(kind, ip, optString(spec, 'format'));
  const withSubs = hasBucketSubs(spec.subs);
  const buckets: Array<Record<string, unknown>> = [];
  for (const m of rare) {
    const out: Record<string, unknown> = { ...view.render(m.key), doc_count: m.count };
    if (withSubs) Object.assign(out, yield* ctx.runSubsSteps(spec.subs, subset(docs, Int32Array.from(m.pos).sort())));
    buckets.push(out);
  }
  return { typed: kind === 'keyword' ? 'srareterms' : 'lrareterms', result: {}, buckets };
}

export const rareTermsAgg: BucketType = {
  validate,
  collect(spec, docs, ctx) {
    return runSteps(rareTermsSteps(spec, docs, ctx));
  },
  steps: rareTermsSteps,
};
