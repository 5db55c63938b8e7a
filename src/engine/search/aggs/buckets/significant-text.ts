import { DuplicateByteSequenceSpotter, keepNonDuplicates } from '../../../analysis/duplicate-sequences.js';
import { EngineError } from '../../../errors.js';
import { leafValues } from '../../doc-fields.js';
import { runSteps } from '../../paced-run.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import type { FieldReader } from '../values-source.js';
import { compileIncludeExclude, validateIncludeExclude } from './include-exclude.js';
import { checkKeysSuggesting, optBoolean, optString, xContentError } from './options.js';
import { HEURISTIC_NAMES } from './significance-heuristics.js';
import { significantOptions, significantSteps, termRendering } from './significant-terms.js';
import type { TermSource } from './significant-terms.js';

/**
 * `significant_text` (SignificantTextAggregationBuilder, SignificantTextAggregatorFactory): the
 * significant_terms machinery over terms re-analysed from `_source` at search time. Each doc's
 * values of `source_fields` (default: the field's own source path, a multi-field's parent) run
 * through the field's index analyzer; a doc counts a term once; terms are taken in the order they
 * are first seen (MapStringTermsAggregator). Background frequencies are the field's indexed
 * docFreq, as for significant_terms on a text field.
 *
 * `filter_duplicate_text: true`: each value's tokens pass DeDuplicatingTokenFilter first, with one
 * DuplicateByteSequenceSpotter per shard and parent bucket (SignificantTextCollectorSource keeps
 * one per owning bucket ordinal) whose run restarts at each doc; see duplicate-sequences.ts.
 */

const KEYS = [
  'field',
  'source_fields',
  'filter_duplicate_text',
  'size',
  'shard_size',
  'min_doc_count',
  'shard_min_doc_count',
  'include',
  'exclude',
  'background_filter',
  ...HEURISTIC_NAMES,
];

function validate(spec: AggSpec): void {
  checkKeysSuggesting(spec, KEYS);
  significantOptions(spec);
  validateIncludeExclude(spec);
  if (optString(spec, 'field') === undefined) throw xContentError(`[${spec.type}] Required [field]`);
  const sf = spec.body.source_fields;
  if (sf !== undefined && (!Array.isArray(sf) || sf.some((s) => typeof s !== 'string'))) throw xContentError(`[${spec.type}] failed to parse field [source_fields]`);
}

function* significantTextSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  validate(spec);
  const o = significantOptions(spec);
  const field = optString(spec, 'field') as string;
  const sourceFields = spec.body.source_fields as string[] | undefined;
  const readers: Array<FieldReader | null> = docs.leaves.map((leaf) => {
    const info = leaf.view.mapping.field(field);
    if (!info) return null;
    if (info.type !== 'text') throw new EngineError(400, 'illegal_argument_exception', `Field [${field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
    return { kind: 'keyword', info, values: () => undefined };
  });
  const filter = compileIncludeExclude(spec, 'keyword', String);
  // `profile: true`: what SignificantTextCollectorSource reports (sources extracted, values and chars read, terms collected)
  const fetched: SourceFetchCounters | undefined = ctx.exec.req.profile ? { values_fetched: 0, chars_fetched: 0, extract_ns: 0n, extract_count: 0, collect_analyzed_ns: 0n, collect_analyzed_count: 0, terms: new Set() } : undefined;
  const dedup = optBoolean(spec, 'filter_duplicate_text') === true;
  const keysOf: TermSource['keysOf'] = function* (_target, positions) {
    // keysOf runs once per shard for this parent bucket: the spotter's table spans its docs
    const spotter = dedup ? new DuplicateByteSequenceSpotter() : undefined;
    const out = new Array<readonly string[] | undefined>(positions.length);
    for (let i = 0; i < positions.length; i++) {
      if (i % 256 === 255) yield;
      const p = positions[i] as number;
      const li = docs.leaf[p] as number;
      const info = readers[li]?.info;
      const leaf = docs.leaves[li];
      if (!info || !leaf) continue;
      const paths = sourceFields ?? [info.path];
      const extractStart = fetched ? process.hrtime.bigint() : 0n;
      const source = leaf.segment.source(docs.doc[p] as number);
      const values = source ? paths.map((path) => leafValues(leaf.view, source, path.split('.'))) : [];
      if (fetched) {
        fetched.extract_ns += process.hrtime.bigint() - extractStart;
        fetched.extract_count += values.length;
      }
      if (!source) continue;
      const analyzer = info.analyzer ?? leaf.view.analysis.analyzer('standard');
      const seen = new Set<string>();
      for (const list of values) {
        for (const v of list) {
          if (v === null || v === undefined || typeof v === 'object') continue;
          const text = String(v);
          if (fetched) {
            fetched.values_fetched++;
            fetched.chars_fetched += text.length;
          }
          let tokens = analyzer?.analyze(text) ?? [];
          if (spotter) {
            const keep = keepNonDuplicates(tokens.map((t) => t.term), spotter);
            tokens = tokens.filter((_t, k) => keep[k]);
          }
          for (const t of tokens) {
            if (filter && !filter(t.term)) continue;
            if (!fetched) {
              seen.add(t.term);
              continue;
            }
            const collectStart = process.hrtime.bigint();
            const fresh = !seen.has(t.term);
            seen.add(t.term);
            if (fresh) {
              fetched.terms.add(t.term);
              fetched.collect_analyzed_ns += process.hrtime.bigint() - collectStart;
              fetched.collect_analyzed_count++;
            }
          }
        }
      }
      spotter?.startNewSequence();
      if (seen.size > 0) out[i] = [...seen];
    }
    return out;
  };
  const src: TermSource = { keysOf, readers, field, sortedOrds: false };
  const result = yield* significantSteps(spec, docs, ctx, o, src, termRendering('keyword', false, undefined));
  if (fetched) SOURCE_FETCHES.set(result, fetched);
  return result;
}

export interface SourceFetchCounters {
  values_fetched: number;
  chars_fetched: number;
  extract_ns: bigint;
  extract_count: number;
  collect_analyzed_ns: bigint;
  collect_analyzed_count: number;
  /** The distinct terms collected (the aggregation's buckets). */
  terms: Set<string>;
}

/** The source reads and analysed terms behind a profiled significant_text result. */
export const SOURCE_FETCHES = new WeakMap<BucketResult, SourceFetchCounters>();

export const significantTextAgg: BucketType = {
  validate,
  collect(spec, docs, ctx) {
    return runSteps(significantTextSteps(spec, docs, ctx));
  },
  steps: significantTextSteps,
};
