import type { Query } from '../../query.js';
import type { AggContext, DocSet } from '../agg-types.js';
import type { FieldReader } from '../values-source.js';
import { aggQuery, matchesOf } from './query-docs.js';

/**
 * The background of significant_terms / significant_text on one shard (Elasticsearch's
 * SignificanceLookup): the superset size and each term's background frequency.
 *
 * Without a `background_filter`, an alias filter or nested mappings, the superset is the shard's
 * `maxDoc` (deleted documents included, as IndexReader.maxDoc) and a term indexed in postings
 * (keyword, text) has its docFreq (deleted documents included); other terms (numbers, dates,
 * booleans, ips: point queries) count the live documents holding them. With a filter (the
 * request's, the alias's, and the non-nested filter of an index with nested mappings), the
 * superset is the count of live top-level documents matching it, and a term counts the
 * documents of that set holding it; a field inside nested objects counts the top-level documents
 * with a nested object holding it (8.19 wraps the term query in a nested query).
 */

export interface Background {
  supersetSize: number;
  freq(key: string | number): number;
}

export interface BackgroundInput {
  ctx: AggContext;
  docs: DocSet;
  target: number;
  field: string;
  /** Reads a leaf's values as the aggregation's keys (null where unmapped). */
  readers: ReadonlyArray<FieldReader | null>;
  filter?: Query;
}

export function shardBackground(input: BackgroundInput): Background {
  const { ctx, docs, target, field, readers } = input;
  const state = ctx.exec.states[target];
  const leaves = docs.leaves.map((leaf, li) => ({ leaf, li })).filter((x) => x.leaf.target === target);
  const aliasFilter = state?.target.aliasFilter !== undefined ? aggQuery(state.target.aliasFilter) : undefined;
  const nested = (state?.view.mapping.nestedPaths().length ?? 0) > 0;
  const filtered = input.filter !== undefined || aliasFilter !== undefined || nested;
  const info = state?.view.mapping.field(field);
  const postingsField = info !== undefined && (info.type === 'keyword' || info.type === 'text') && info.nestedPath === undefined;

  // the background set per leaf (filtered mode only)
  const bits = new Map<number, Uint8Array>();
  let supersetSize = 0;
  for (const { leaf, li } of leaves) {
    const seg = leaf.segment;
    if (!filtered) {
      supersetSize += seg.maxDoc;
      continue;
    }
    const inSet = new Uint8Array(seg.maxDoc);
    const a = aliasFilter ? matchesOf(aliasFilter, li, docs, ctx) : undefined;
    const f = input.filter ? matchesOf(input.filter, li, docs, ctx) : undefined;
    for (let d = 0; d < seg.maxDoc; d++) {
      if (!seg.isLive(d) || seg.nestedPath(d) !== undefined) continue;
      if (a !== undefined && a?.[d] !== 1) continue;
      if (f !== undefined && f?.[d] !== 1) continue;
      inSet[d] = 1;
      supersetSize++;
    }
    bits.set(li, inSet);
  }

  if (postingsField) {
    const memo = new Map<string | number, number>();
    return {
      supersetSize,
      freq(key) {
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
        let n = 0;
        for (const { leaf, li } of leaves) {
          const p = leaf.segment.postings(field, String(key));
          if (!p) continue;
          const set = bits.get(li);
          if (!set) n += p.docFreq;
          else for (const d of p.docs) if (set[d] === 1) n++;
        }
        memo.set(key, n);
        return n;
      },
    };
  }

  // doc values: one pass counting each (top-level) document once per distinct value
  let counts: Map<string | number, number> | undefined;
  const countAll = (): Map<string | number, number> => {
    const out = new Map<string | number, number>();
    for (const { leaf, li } of leaves) {
      const r = readers[li];
      if (!r) continue;
      const seg = leaf.segment;
      const set = bits.get(li);
      const perParent = new Map<number, Set<string | number>>();
      for (let d = 0; d < seg.maxDoc; d++) {
        const vals = r.values(d);
        if (!vals || vals.length === 0) continue;
        const owner = seg.nestedPath(d) !== undefined ? seg.parentOf(d) : d;
        let seen = perParent.get(owner);
        if (!seen) {
          seen = new Set();
          perParent.set(owner, seen);
        }
        for (const v of vals) seen.add(v);
      }
      for (const [owner, seen] of perParent) {
        if (set ? set[owner] !== 1 : !seg.isLive(owner)) continue;
        for (const v of seen) out.set(v, (out.get(v) ?? 0) + 1);
      }
    }
    return out;
  };
  return {
    supersetSize,
    freq(key) {
      counts ??= countAll();
      return counts.get(key) ?? 0;
    },
  };
}
