/**
 * The fixed query set of the engine benchmark, derived deterministically from the corpus:
 * words are ranked by document frequency (ties by the word), in the body and in the subject.
 * Only plain ASCII words (as Unicode word boundaries cut them) of 3–15 letters are used, so that every library's tokenizer yields the
 * same token, and none of Lunr's stop words, so that Lunr does not drop a whole query.
 */
import lunr from 'lunr';
import type { MailDocument } from './spam-corpus.js';

export const QUERY_KINDS = ['match', 'multi_match', 'bool_should', 'bool_must_not'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/**
 * - `match`: `match` on body (operator or).
 * - `multi_match`: best_fields over `subject^2` and `body`.
 * - `bool_should`: `must: match body <must>`, `should: match subject <should>`.
 * - `bool_must_not`: `must: match body <must>`, `must_not: match body <not>`.
 */
export type BenchQuery =
  | { kind: 'match'; text: string }
  | { kind: 'multi_match'; text: string }
  | { kind: 'bool_should'; must: string; should: string }
  | { kind: 'bool_must_not'; must: string; not: string };

const WORD = /^[a-z]{3,15}$/;

function isLunrStopWord(word: string): boolean {
  return lunr.stopWordFilter(new lunr.Token(word, {})) === undefined;
}

/** Words of `texts` by descending document frequency (then alphabetically), with their df. */
function rankWords(texts: string[]): Array<{ word: string; df: number }> {
  const df = new Map<string, number>();
  for (const text of texts) {
    // Dots, apostrophes and underscores between letters do not split a word in Unicode's word
    // boundaries (Elasticsearch's standard tokenizer): `www.spamassassin.org` is one token there and
    // three in MiniSearch, so such words are kept whole here and then fail WORD.
    const seen = new Set(text.toLowerCase().split(/[^\p{L}\p{N}._']+|[._']+(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[._']+/u));
    for (const word of seen) if (WORD.test(word)) df.set(word, (df.get(word) ?? 0) + 1);
  }
  return [...df]
    .filter(([word]) => !isLunrStopWord(word))
    .map(([word, n]) => ({ word, df: n }))
    .sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1));
}

/** Every `step`-th element of `xs`, `count` of them. */
function spaced<T>(xs: T[], count: number): T[] {
  const step = Math.max(1, Math.floor(xs.length / count));
  return Array.from({ length: Math.min(count, xs.length) }, (_, i) => xs[i * step]!);
}

/**
 * 80 queries: 30 `match` (10 frequent words, 10 mid-frequency words, 10 two-word pairs),
 * 20 `multi_match` (10 frequent subject words, 10 subject + body pairs), 15 `bool_should` and
 * 15 `bool_must_not`.
 */
export function deriveQueries(docs: MailDocument[]): BenchQuery[] {
  const n = docs.length;
  const body = rankWords(docs.map((d) => d.body));
  const subject = rankWords(docs.map((d) => d.subject));
  // Frequent: the top 15 body words (in 25–60% of the mails here). Mid: in 0.5–3% of the mails.
  const frequent = body.slice(0, 15).map((w) => w.word);
  const mid = spaced(
    body.filter((w) => w.df >= n * 0.005 && w.df <= n * 0.03),
    15,
  ).map((w) => w.word);
  const subjects = subject.slice(0, 15).map((w) => w.word);
  const at = (xs: string[], i: number) => xs[i % xs.length]!;

  const queries: BenchQuery[] = [];
  for (let i = 0; i < 10; i++) queries.push({ kind: 'match', text: at(frequent, i) });
  for (let i = 0; i < 10; i++) queries.push({ kind: 'match', text: at(mid, i) });
  for (let i = 0; i < 10; i++) queries.push({ kind: 'match', text: `${at(frequent, i + 5)} ${at(mid, i + 5)}` });
  for (let i = 0; i < 10; i++) queries.push({ kind: 'multi_match', text: at(subjects, i) });
  for (let i = 0; i < 10; i++) queries.push({ kind: 'multi_match', text: `${at(subjects, i + 5)} ${at(mid, i)}` });
  for (let i = 0; i < 15; i++) queries.push({ kind: 'bool_should', must: at(i % 2 ? mid : frequent, i), should: at(subjects, i) });
  for (let i = 0; i < 15; i++) queries.push({ kind: 'bool_must_not', must: at(frequent, i), not: at(frequent, i + 7) });
  return queries;
}

/** One line per query, for the report. */
export function describeQuery(q: BenchQuery): string {
  switch (q.kind) {
    case 'match':
      return `match body "${q.text}"`;
    case 'multi_match':
      return `multi_match subject^2,body "${q.text}"`;
    case 'bool_should':
      return `bool must body "${q.must}" should subject "${q.should}"`;
    case 'bool_must_not':
      return `bool must body "${q.must}" must_not body "${q.not}"`;
  }
}
