import { TAGS, WORDS, int, pick, randomText } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * Random Elasticsearch queries of the kinds the differential test judges: term, match (or/and,
 * minimum_should_match), match_phrase with slop, multi_match best_fields/most_fields with boosts
 * and tie_breaker, bool combinations, prefix/wildcard/regexp and fuzzy. Values come mostly from
 * the corpus's own indexed terms (so that queries hit) and sometimes from anywhere.
 */

export type Dsl = Record<string, unknown>;

/** Indexed terms of each field (as Lucene analysed the corpus), and texts to take phrases from. */
export interface TermPools {
  title: string[];
  body: string[];
  tag: string[];
  texts: { title: string[]; body: string[] };
}

const TEXT_FIELDS = ['title', 'body'] as const;
const MSM = ['1', '2', '-1', '75%', '-25%', '2<75%', '3<-1 5<50%', 1, 2, 3, 0] as const;
const BOOSTS = [0.5, 2, 3.7, 1.5] as const;

const maybe = <T>(r: Random, p: number, make: () => T): T | undefined => (r() < p ? make() : undefined);

function withBoost(r: Random, body: Dsl): Dsl {
  const boost = maybe(r, 0.25, () => pick(r, BOOSTS));
  return boost === undefined ? body : { ...body, boost };
}

function termOf(r: Random, pools: TermPools, field: 'title' | 'body' | 'tag'): string {
  const pool = pools[field];
  if (pool.length > 0 && r() < 0.85) return pick(r, pool);
  return field === 'tag' ? pick(r, TAGS) : pick(r, WORDS).toLowerCase();
}

function textOf(r: Random, pools: TermPools, field: 'title' | 'body'): string {
  // query text: words of the field's own texts, sometimes random words (and case, punctuation)
  const source = pools.texts[field];
  if (source.length > 0 && r() < 0.7) {
    const words = pick(r, source).split(/\s+/).filter(Boolean);
    const n = int(r, 1, Math.min(4, Math.max(1, words.length)));
    const at = int(r, 0, Math.max(0, words.length - n));
    return words.slice(at, at + n).join(' ');
  }
  return randomText(r, int(r, 1, 4));
}

function mutate(r: Random, term: string, edits: number): string {
  let t = [...term];
  for (let i = 0; i < edits; i++) {
    const at = int(r, 0, t.length);
    const c = pick(r, [...'abcdefhorstuxé']);
    const op = int(r, 0, 3);
    if (op === 0) t.splice(at, 0, c);
    else if (op === 1 && t.length > 0) t.splice(Math.min(at, t.length - 1), 1);
    else if (op === 2 && t.length > 0) t[Math.min(at, t.length - 1)] = c;
    else if (t.length > 1) {
      const k = Math.min(at, t.length - 2);
      t = [...t.slice(0, k), t[k + 1] as string, t[k] as string, ...t.slice(k + 2)];
    }
  }
  return t.join('');
}

const MULTI_TERM_FIELDS = ['title', 'body', 'tag'] as const;

function leaf(r: Random, pools: TermPools): Dsl {
  const kind = pick(r, ['term', 'term', 'match', 'match', 'match', 'phrase', 'phrase', 'multi', 'multi', 'prefix', 'wildcard', 'regexp', 'fuzzy', 'fuzzy'] as const);
  switch (kind) {
    case 'term': {
      const field = pick(r, MULTI_TERM_FIELDS);
      const value = termOf(r, pools, field);
      return r() < 0.3 ? { term: { [field]: value } } : { term: { [field]: withBoost(r, { value }) } };
    }
    case 'match': {
      const field = pick(r, TEXT_FIELDS);
      const body: Dsl = { query: textOf(r, pools, field) };
      if (r() < 0.4) body.operator = pick(r, ['and', 'or']);
      const msm = maybe(r, 0.4, () => pick(r, MSM));
      if (msm !== undefined) body.minimum_should_match = msm;
      if (r() < 0.2) {
        body.fuzziness = pick(r, ['AUTO', '1', 2, 0]);
        if (r() < 0.3) body.prefix_length = int(r, 0, 2);
        if (r() < 0.3) body.max_expansions = pick(r, [1, 3, 50]);
        if (r() < 0.2) body.fuzzy_transpositions = r() < 0.5;
      }
      return { match: { [field]: withBoost(r, body) } };
    }
    case 'phrase': {
      const field = pick(r, TEXT_FIELDS);
      const body: Dsl = { query: textOf(r, pools, field) };
      if (r() < 0.6) body.slop = int(r, 0, 3);
      return { match_phrase: { [field]: withBoost(r, body) } };
    }
    case 'multi': {
      const fields = [pick(r, ['title', 'title^2', 'title^0.5']), pick(r, ['body', 'body^3', 'body^1.5'])];
      if (r() < 0.2) fields.push('tag');
      const body: Dsl = { query: textOf(r, pools, pick(r, TEXT_FIELDS)), fields, type: pick(r, ['best_fields', 'most_fields']) };
      const tie = maybe(r, 0.5, () => pick(r, [0, 0.3, 0.7, 1]));
      if (tie !== undefined) body.tie_breaker = tie;
      if (r() < 0.3) body.operator = pick(r, ['and', 'or']);
      const msm = maybe(r, 0.3, () => pick(r, MSM));
      if (msm !== undefined) body.minimum_should_match = msm;
      return { multi_match: withBoost(r, body) };
    }
    case 'prefix': {
      const field = pick(r, MULTI_TERM_FIELDS);
      const term = termOf(r, pools, field);
      const cps = [...term];
      return { prefix: { [field]: withBoost(r, { value: cps.slice(0, int(r, 1, Math.min(3, cps.length))).join('') }) } };
    }
    case 'wildcard': {
      const field = pick(r, MULTI_TERM_FIELDS);
      const cps = [...termOf(r, pools, field)];
      const pattern = cps.map((c) => (r() < 0.2 ? '?' : r() < 0.1 ? '*' : c)).join('') + (r() < 0.4 ? '*' : '');
      return { wildcard: { [field]: withBoost(r, { value: pattern.replace(/^\*+/, '') || '*' }) } };
    }
    case 'regexp': {
      const field = pick(r, MULTI_TERM_FIELDS);
      const cps = [...termOf(r, pools, field)].map((c) => (/[a-z0-9]/.test(c) ? c : '.'));
      const parts = cps.map((c) => {
        const x = r();
        if (x < 0.12) return '.';
        if (x < 0.2) return `[${c}-z]`;
        if (x < 0.26) return `${c}+`;
        if (x < 0.3) return `(${c}|q)`;
        if (x < 0.34) return `${c}?`;
        if (x < 0.37) return `${c}{1,2}`;
        return c;
      });
      // Elasticsearch 8's default flags (ALL | COMPLEMENT) also allow ~, &, <n-m>, @ and #
      if (r() < 0.15 && parts.length > 0) {
        const at = int(r, 0, parts.length - 1);
        parts[at] = pick(r, [`~(${parts[at]})`, `(${parts[at]}&.)`, '<1-30>', '@', `(${parts[at]}|#)`]);
      }
      return { regexp: { [field]: withBoost(r, { value: parts.join('') + (r() < 0.3 ? '.*' : '') }) } };
    }
    case 'fuzzy': {
      const field = pick(r, MULTI_TERM_FIELDS);
      const body: Dsl = { value: mutate(r, termOf(r, pools, field), int(r, 0, 2)) };
      if (r() < 0.7) body.fuzziness = pick(r, ['AUTO', '0', '1', '2', 1, 2]);
      if (r() < 0.3) body.prefix_length = int(r, 0, 2);
      if (r() < 0.3) body.max_expansions = pick(r, [1, 2, 5, 50]);
      if (r() < 0.2) body.transpositions = r() < 0.5;
      return { fuzzy: { [field]: withBoost(r, body) } };
    }
  }
}

/** A random query: a leaf, or a bool (sometimes dis_max or constant_score) of leaves and bools (two levels at most). */
export function randomQuery(r: Random, pools: TermPools, depth = 0): Dsl {
  if (depth >= 2 || r() < 0.6) return leaf(r, pools);
  const x = r();
  if (x < 0.1) {
    const body: Dsl = { queries: Array.from({ length: int(r, 1, 3) }, () => randomQuery(r, pools, depth + 1)) };
    const tie = maybe(r, 0.5, () => pick(r, [0, 0.3, 1]));
    if (tie !== undefined) body.tie_breaker = tie;
    return { dis_max: withBoost(r, body) };
  }
  if (x < 0.17) return { constant_score: withBoost(r, { filter: randomQuery(r, pools, depth + 1) }) };
  const body: Dsl = {};
  const clauses = (max: number) => Array.from({ length: int(r, 0, max) }, () => randomQuery(r, pools, depth + 1));
  for (const [key, max] of [['must', 2], ['should', 3], ['filter', 2], ['must_not', 1]] as const) {
    const list = clauses(max);
    if (list.length > 0) body[key] = list;
  }
  const msm = maybe(r, 0.3, () => pick(r, MSM));
  if (msm !== undefined) body.minimum_should_match = msm;
  return { bool: withBoost(r, body) };
}
