import { runSteps } from './paced-run.js';
import type { Analyzer, FieldInfo, IndexView, SegmentView } from '../contract.js';
import { EngineError } from '../errors.js';
import type { ScriptPolicy } from './script/script-spec.js';
import type { DocumentLookup } from './document-lookup.js';

/**
 * What rewriting a query for one index needs: the view (mapping, analysis, terms), `now` frozen
 * for the whole request (date math), and the way to fail as a shard failure would.
 */
export class RewriteContext {
  /** Whether the query being rewritten is in filter context (bool filter/must_not, constant_score, post_filter). */
  inFilter = false;
  /** The path of the enclosing nested query, while rewriting its inner query. */
  nestedPath: string | undefined = undefined;
  /** Stored scripts and the node's allowed script types and contexts. */
  scripts: ScriptPolicy | undefined = undefined;
  /** `search.allow_expensive_queries`: false refuses the queries Elasticsearch calls expensive. */
  allowExpensiveQueries = true;
  /** Other documents a query reads while rewritten (more_like_this items), when the search has a way to them. */
  documents: DocumentLookup | undefined = undefined;
  /** The request's `size`: a knn query's default k. */
  requestSize = 10;

  constructor(
    readonly view: IndexView,
    readonly nowMs: number,
  ) {}

  /** Runs `fn` in filter context. */
  asFilter<T>(fn: () => T): T {
    const was = this.inFilter;
    this.inFilter = true;
    try {
      return fn();
    } finally {
      this.inFilter = was;
    }
  }

  /** A `query_shard_exception` for this index (the executor wraps it in search_phase_execution_exception). */
  fail(reason: string, cause?: { type: string; reason: string }): never {
    throw new EngineError(400, 'query_shard_exception', reason, {
      index_uuid: this.view.uuid,
      index: this.view.index,
      ...(cause ? { caused_by: cause } : {}),
    });
  }

  /**
   * Refuses an expensive query when `search.allow_expensive_queries` is false, with
   * Elasticsearch's message (an ElasticsearchException: `exception`, 500, on every shard).
   */
  checkExpensive(what: string, suffix = ''): void {
    if (this.allowExpensiveQueries) return;
    throw new EngineError(500, 'exception', `[${what}] queries cannot be executed when 'search.allow_expensive_queries' is set to false.${suffix}`);
  }

  field(path: string): FieldInfo | undefined {
    return this.view.mapping.field(path);
  }

  /** The analyzer named in the query, else the field's search (or search-quote) analyzer. */
  analyzer(field: FieldInfo, name: string | undefined, quote: boolean): Analyzer | undefined {
    if (name !== undefined) {
      const a = this.view.analysis.analyzer(name);
      if (!a) this.fail(`[match] analyzer [${name}] not found`);
      return a;
    }
    if (quote && field.searchQuoteAnalyzer) return field.searchQuoteAnalyzer;
    return field.searchAnalyzer ?? field.analyzer ?? this.view.analysis.analyzer('standard') ?? undefined;
  }

  /** Fails unless the field can be searched (indexed, or keyword/numeric with doc values). */
  requireSearchable(field: FieldInfo, what = 'these'): void {
    // DenseVectorFieldType: only exists, knn and scripts read a vector
    if (field.type === 'dense_vector') {
      const reason = `Field [${field.path}] of type [dense_vector] doesn't support ${what} queries`;
      this.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
    }
    if (!field.indexed && !(field.docValues && field.type !== 'text')) {
      this.fail(`failed to create query: Cannot search on field [${field.path}] since it is not indexed.`, {
        type: 'illegal_argument_exception',
        reason: `Cannot search on field [${field.path}] since it is not indexed.`,
      });
    }
  }
}

/** Docs of a segment for which `pred` holds, ascending. */
export function scanDocs(seg: SegmentView, pred: (doc: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let d = 0; d < seg.maxDoc; d++) if (pred(d)) out.push(d);
  return Int32Array.from(out);
}

/** Union of the postings of every term of `field` accepted by `accept`, ascending. */
export function termDocs(seg: SegmentView, field: string, accept: (term: string) => boolean, terms: readonly string[] = seg.terms(field)): Int32Array {
  return runSteps(termDocsSteps(seg, field, accept, terms));
}

/** Terms looked at between two pause points of termDocsSteps. */
const TERMS_PER_STEP = 4096;

/** termDocs as steps that pause every few thousand terms (a segment of 65,536 terms, a set of as many). */
export function* termDocsSteps(seg: SegmentView, field: string, accept: (term: string) => boolean, terms: readonly string[] = seg.terms(field)): Generator<void, Int32Array> {
  const hit = new Uint8Array(seg.maxDoc);
  let n = 0;
  for (let ti = 0; ti < terms.length; ti++) {
    if (ti % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
    const t = terms[ti] as string;
    if (!accept(t)) continue;
    const docs = seg.termDocIds ? seg.termDocIds(field, t) : seg.postings(field, t)?.docs;
    if (!docs) continue;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      if (hit[d] === 0) {
        hit[d] = 1;
        n++;
      }
    }
  }
  const out = new Int32Array(n);
  let k = 0;
  for (let d = 0; d < hit.length; d++) if (hit[d] === 1) out[k++] = d;
  return out;
}

/** First index in sorted `terms` whose term is >= `from` (binary search). */
export function lowerBound(terms: readonly string[], from: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((terms[mid] as string) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The terms of a segment's field starting with `prefix`, found by binary search over the sorted term list. */
export function termsWithPrefix(seg: SegmentView, field: string, prefix: string): readonly string[] {
  const terms = seg.terms(field);
  if (prefix === '') return terms;
  const start = lowerBound(terms, prefix);
  let end = start;
  while (end < terms.length && (terms[end] as string).startsWith(prefix)) end++;
  return terms.slice(start, end);
}

/** Union of the postings of the terms of `field` starting with `prefix`. */
export function prefixDocs(seg: SegmentView, field: string, prefix: string): Int32Array {
  return termDocs(seg, field, () => true, termsWithPrefix(seg, field, prefix));
}
