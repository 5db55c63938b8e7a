import { errors } from '@elastic/elasticsearch';
import type { Client } from '@elastic/elasticsearch';
import type { Disagreement } from './allowed-differences.js';
import type { LuceneExplanation, LuceneHarness, LuceneHits } from './lucene-harness.js';
import type { Dsl, TermPools } from './random-queries.js';
import type { CorpusDoc } from './random-corpus.js';

/** How the differential tests compare an engine answer with Lucene's. */

/** |a - b| within 5 significant digits. */
export const sameScore = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b));

export type EngineAnswer = LuceneHits | { error: string };

/** A 400 naming a feature the engine declares unsupported: its promise where it does not answer, not a wrong answer. */
export const declaredRefusal = (a: EngineAnswer): boolean => 'error' in a && /^400 .*is not supported by the indexkit embedded engine/.test(a.error);

/** The differences between the engine's answer and Lucene's, as short descriptions. */
export function differences(engine: EngineAnswer, judge: EngineAnswer): Disagreement[] {
  if (declaredRefusal(engine)) return [];
  if ('error' in engine || 'error' in judge) {
    if ('error' in engine && 'error' in judge) return [];
    return [{ kind: 'refusal', detail: `engine: ${'error' in engine ? engine.error : 'answered'}; lucene: ${'error' in judge ? judge.error : 'answered'}` }];
  }
  const out: Disagreement[] = [];
  const want = new Map(judge.hits);
  const got = new Map(engine.hits);
  if (engine.total !== judge.total) out.push({ kind: 'total', detail: `engine ${engine.total}, lucene ${judge.total}` });
  const missing = judge.hits.filter(([id]) => !got.has(id)).map(([id]) => id);
  const extra = engine.hits.filter(([id]) => !want.has(id)).map(([id]) => id);
  if (missing.length > 0 || extra.length > 0) out.push({ kind: 'hits', detail: `missing ${JSON.stringify(missing.slice(0, 8))}, extra ${JSON.stringify(extra.slice(0, 8))}` });
  const wrong = engine.hits.filter(([id, s]) => want.has(id) && !sameScore(s, want.get(id) as number));
  if (wrong.length > 0) out.push({ kind: 'score', detail: wrong.slice(0, 5).map(([id, s]) => `${id}: engine ${s}, lucene ${want.get(id)}`).join('; ') });
  if (out.length === 0) {
    for (let i = 0; i < judge.hits.length; i++) {
      const [lid, lscore] = judge.hits[i] as [string, number];
      const eid = (engine.hits[i] as [string, number])[0];
      if (eid === lid) continue;
      // near-ties (5 significant digits) may come in either order; exact ties break by doc id in both
      const exactTie = want.get(eid) === lscore && got.get(eid) === got.get(lid);
      if (exactTie || !sameScore(want.get(eid) as number, lscore)) {
        out.push({ kind: 'order', detail: `rank ${i}: engine ${eid} (${want.get(eid)}), lucene ${lid} (${lscore})${exactTie ? ', an exact tie broken otherwise' : ''}` });
        break;
      }
    }
  }
  return out;
}

export interface Explanation {
  value: number;
  description: string;
  details: Explanation[];
}

/** Where an engine explanation differs from Lucene's (Elasticsearch names the similarity PerFieldSimilarity). */
export function explanationDifference(got: Explanation, want: LuceneExplanation, path = '$'): string | null {
  // the harness sets one similarity on its searcher; Elasticsearch's is PerFieldSimilarity over the mapping
  const description = want.description.replace(/\[(LegacyBM25|Boolean|DFR|IB|DFI|LMDirichlet|LMJelinekMercer)Similarity\]/, '[PerFieldSimilarity]');
  if (got.description !== description) return `${path}.description: engine ${JSON.stringify(got.description)}, lucene ${JSON.stringify(description)}`;
  if (!sameScore(got.value, want.value)) return `${path}.value (${description}): engine ${got.value}, lucene ${want.value}`;
  if (got.details.length !== want.details.length) {
    return `${path}.details of ${JSON.stringify(description)}: engine ${JSON.stringify(got.details.map((d) => d.description))}, lucene ${JSON.stringify(want.details.map((d) => d.description))}`;
  }
  // details in any order: Lucene's BooleanQuery.rewrite keeps deduplicated clauses in hash order
  const unused = [...got.details];
  for (let i = 0; i < want.details.length; i++) {
    const w = want.details[i] as LuceneExplanation;
    const candidates = unused.map((g) => ({ g, d: explanationDifference(g, w, `${path}.details[${i}]`) }));
    const same = candidates.find((c) => c.d === null);
    if (!same) return candidates[0]?.d ?? `${path}.details[${i}] missing`;
    unused.splice(unused.indexOf(same.g), 1);
  }
  return null;
}


/** The engine's answer over the real client: every hit's id and score in order and the total, or its error (status and root cause). */
export async function engineAnswer(client: Client, index: string, query: Dsl, size: number): Promise<EngineAnswer> {
  try {
    const r = await client.search({ index, query, size, track_total_hits: true, _source: false });
    const total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? -1);
    return { total, hits: r.hits.hits.map((h) => [h._id as string, h._score as number]) };
  } catch (e) {
    if (e instanceof errors.ResponseError) {
      const error = (e.body as { error?: { root_cause?: Array<{ reason?: string }>; reason?: string } }).error;
      return { error: `${e.statusCode} ${error?.root_cause?.[0]?.reason ?? error?.reason ?? JSON.stringify(e.body)}` };
    }
    throw e;
  }
}

/** Lucene's answer to the same query, or the harness's error (a query Lucene cannot build). */
export async function luceneAnswer(lucene: LuceneHarness, corpus: string, query: Dsl): Promise<EngineAnswer> {
  try {
    return await lucene.search(corpus, query);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The engine's `explain: true` for its first `size` hits, each against Lucene's Explanation of the
 * same document: the differences (with the query and doc), and Lucene's explanations.
 */
export async function explainAgainstLucene(client: Client, lucene: LuceneHarness, index: string, query: Dsl, size: number): Promise<{ hits: number; diffs: string[]; wants: LuceneExplanation[] }> {
  const res = await client.search({ index, query, size, explain: true, _source: false });
  const diffs: string[] = [];
  const wants: LuceneExplanation[] = [];
  for (const hit of res.hits.hits) {
    const want = await lucene.explain(index, query, hit._id as string);
    wants.push(want);
    const d = explanationDifference(hit._explanation as unknown as Explanation, want);
    if (d) diffs.push(`${d}\n    query: ${JSON.stringify(query)}, doc ${hit._id}`);
  }
  return { hits: res.hits.hits.length, diffs, wants };
}

/** The terms random queries pick from: each field's terms as Lucene analyses the corpus, and texts for phrases. */
export async function termPools(lucene: LuceneHarness, docs: CorpusDoc[]): Promise<TermPools> {
  const title = new Set<string>();
  const body = new Set<string>();
  const tag = new Set<string>();
  for (const d of docs) {
    if (d.title) for (const [term] of await lucene.analyze('standard', d.title)) title.add(term);
    if (d.body) for (const [term] of await lucene.analyze('english', d.body)) body.add(term);
    for (const v of d.tag === undefined ? [] : Array.isArray(d.tag) ? d.tag : [d.tag]) tag.add(v);
  }
  return {
    title: [...title].sort(),
    body: [...body].sort(),
    tag: [...tag].sort(),
    texts: { title: docs.flatMap((d) => (d.title ? [d.title] : [])), body: docs.flatMap((d) => (d.body ? [d.body.slice(0, 200)] : [])) },
  };
}
