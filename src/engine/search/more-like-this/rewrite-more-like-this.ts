import type { Analyzer, FieldInfo } from '../../contract.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { LucenePriorityQueue } from '../lucene-priority-queue.js';
import { minimumShouldMatch } from '../minimum-should-match.js';
import { NONE, booleanQuery, boosted } from '../primitive.js';
import type { Primitive } from '../primitive.js';
import { scanDocs } from '../rewrite-context.js';
import type { RewriteContext } from '../rewrite-context.js';
import { JavaHashMap } from '../script/java-collections.js';
import type { JavaValue } from '../script/java-values.js';
import type { MoreLikeThisQuery } from './more-like-this-query.js';
import type { TermVectors } from '../document-lookup.js';

/** XMoreLikeThis.DEFAULT_MAX_NUM_TOKENS_PARSED: tokens read from each like text. */
const MAX_NUM_TOKENS_PARSED = 5000;

/** MoreLikeThisQueryBuilder.SUPPORTED_FIELD_TYPES. */
const SUPPORTED_TYPES: ReadonlySet<string> = new Set(['text', 'keyword']);

interface ScoreTerm {
  word: string;
  topField: string;
  score: number;
}

/** Word -> frequency in the liked texts or documents, iterated in java.util.HashMap's order as XMoreLikeThis's map. */
type WordFreqs = JavaHashMap;

const str = (v: string): JavaValue => ({ t: 'str', v });

function addFreq(words: WordFreqs, word: string, freq: number): void {
  const was = words.get(str(word));
  words.set(str(word), { t: 'int', v: (was?.t === 'int' ? was.v : 0) + freq });
}

/**
 * more_like_this for one shard, as MoreLikeThisQueryBuilder.doToQuery and MoreLikeThisQuery.rewrite
 * build it: XMoreLikeThis selects the liked texts' and documents' most interesting terms by tf-idf
 * (ClassicSimilarity's idf over this shard's statistics), skipping the unliked ones, into bools
 * of term queries that BM25 then scores; liked stored documents are excluded unless `include`.
 */
export function rewriteMoreLikeThis(q: MoreLikeThisQuery, ctx: RewriteContext): Primitive {
  const named = q.analyzer !== undefined ? ctx.view.analysis.analyzer(q.analyzer) : undefined;
  const useDefaultFields = q.fields === undefined;
  const fields = useDefaultFields ? defaultFields(ctx) : supportedFields(q, ctx);
  if (useDefaultFields && fields.length === 1 && fields[0] === '*' && q.likeTexts.length + q.unlikeTexts.length > 0) {
    throw illegalArgument(
      '[more_like_this] query cannot infer the field to analyze the free text, you should update the [index.query.default_field] index setting to a field that exists in the mapping or set the [fields] option in the query.',
    );
  }
  // doToQuery returns null: the clause vanishes from an enclosing bool (which may then match all), not built
  if (fields.length === 0) throw unsupported('more_like_this without a text or keyword field left in [fields]');
  const textField = fields[0] as string;
  const analyzeText = (text: string): string[] => textAnalyzer(named, ctx.field(textField), textField)(text);
  const select = new TermSelection(q, ctx);

  // handleUnlike: every term of the unliked texts (first field) and documents is skipped
  const itemFields = q.fields === undefined ? ['*'] : fields;
  const vectorsOf = (items: MoreLikeThisQuery['likeItems']): TermVectors[] => {
    if (items.length === 0) return [];
    if (!ctx.documents) throw unsupported('more_like_this with documents in this context');
    const lookup = ctx.documents;
    return items.flatMap((item) => lookup.termVectors(item.index ?? ctx.view.index, item, item.fields ?? (item.doc ? undefined : itemFields)) ?? []);
  };
  for (const text of q.unlikeTexts) for (const word of analyzeText(text)) select.skip(textField, word);
  for (const vectors of vectorsOf(q.unlikeItems)) for (const [field, terms] of vectors) for (const word of terms.keys()) select.skip(field, word);

  const should: Primitive[] = [];
  if (q.likeItems.length > 0) should.push(select.likeDocuments(vectorsOf(q.likeItems)));
  if (q.likeTexts.length > 0) should.push(select.likeTexts(q.likeTexts.map(analyzeText), textField, fields));
  let query = booleanQuery({ op: 'bool', must: [], should, filter: [], mustNot: [], msm: 0, boost: 1 });
  const ids = q.likeItems.filter((item) => item.doc === undefined).map((item) => item.id as string);
  if (q.likeItems.length > 0 && !q.include && ids.length > 0) {
    // handleExclude: the liked stored documents, by _id (artificial documents have none)
    const set = new Set(ids);
    const excluded: Primitive = { op: 'docs', boost: 0, label: 'ids', match: (seg) => scanDocs(seg, (d) => seg.nestedPath(d) === undefined && set.has(seg.id(d))) };
    query = booleanQuery({ op: 'bool', must: [], should: [query], filter: [], mustNot: [excluded], msm: 0, boost: 1 });
  }
  return boosted(query, q.boost);
}

/** `index.query.default_field` (SearchExecutionContext.defaultFields): `*` unless set. */
function defaultFields(ctx: RewriteContext): string[] {
  const raw = ctx.view.setting?.('index.query.default_field');
  if (raw === undefined || raw === null) return ['*'];
  return Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
}

/** The `fields` of the query, without (or refusing) the mapped fields that are neither text nor keyword. */
function supportedFields(q: MoreLikeThisQuery, ctx: RewriteContext): string[] {
  const out: string[] = [];
  for (const name of q.fields ?? []) {
    const info = ctx.field(name);
    if (info && !SUPPORTED_TYPES.has(info.type)) {
      if (q.failOnUnsupportedField) throw illegalArgument(`more_like_this only supports text/keyword fields: [${name}]`);
      continue;
    }
    out.push(info ? info.path : name);
  }
  return out;
}

/**
 * The analysis of the like and unlike texts: the named analyzer, else the first field's index
 * analyzer (a keyword field's normalizer over the whole text); a field without one fails as
 * MappingLookup.indexAnalyzer's unmapped-field callback does.
 */
function textAnalyzer(named: Analyzer | undefined, info: FieldInfo | undefined, field: string): (text: string) => string[] {
  if (named) return (text) => named.analyze(text).map((t) => t.term);
  if (info?.type === 'keyword') return (text) => [info.normalizer ? info.normalizer.normalize(text) : text];
  const analyzer = info?.type === 'text' ? info.analyzer : undefined;
  if (!analyzer) throw new EngineError(500, 'unsupported_operation_exception', `No analyzer configured for field ${field}`);
  return (text) => analyzer.analyze(text).map((t) => t.term);
}

/** XMoreLikeThis over one shard: noise and skipped words, the priority queue of tf-idf scores, the term queries. */
class TermSelection {
  private readonly skipped = new Set<string>();
  private readonly numDocs: number;
  private readonly stopWords: ReadonlySet<string> | undefined;

  constructor(
    private readonly q: MoreLikeThisQuery,
    private readonly ctx: RewriteContext,
  ) {
    this.numDocs = readerNumDocs(ctx);
    this.stopWords = q.stopWords ? new Set(q.stopWords) : undefined;
  }

  skip(field: string, word: string): void {
    this.skipped.add(`${field}\u0000${word}`);
  }

  /** isNoiseWord or isSkipTerm. */
  private ignored(field: string, word: string): boolean {
    const len = word.length;
    if (this.q.minWordLength > 0 && len < this.q.minWordLength) return true;
    if (this.q.maxWordLength > 0 && len > this.q.maxWordLength) return true;
    if (this.stopWords?.has(word)) return true;
    return this.skipped.has(`${field}\u0000${word}`);
  }

  /** like(fieldName, readers): the texts' words (5,000 tokens per text at most), scored over every field. */
  likeTexts(analyzed: string[][], textField: string, fields: string[]): Primitive {
    const words: WordFreqs = new JavaHashMap();
    for (const tokens of analyzed) {
      for (const [i, word] of tokens.entries()) {
        if (i >= MAX_NUM_TOKENS_PARSED) break;
        if (!this.ignored(textField, word)) addFreq(words, word, 1);
      }
    }
    return this.withMinimumShouldMatch(this.toQuery(this.queue(words, fields)));
  }

  /** like(Fields...): per field of the liked documents (a HashSet of names), its own queue of terms. */
  likeDocuments(liked: TermVectors[]): Primitive {
    const names: WordFreqs = new JavaHashMap();
    for (const vectors of liked) for (const field of vectors.keys()) names.set(str(field), { t: 'null' });
    const clauses: Primitive[] = [];
    for (const [name] of names) {
      const field = (name as { v: string }).v;
      const words: WordFreqs = new JavaHashMap();
      for (const vectors of liked) {
        for (const [word, freq] of vectors.get(field) ?? []) if (!this.ignored(field, word)) addFreq(words, word, freq);
      }
      clauses.push(...this.toQuery(this.queue(words, [field])));
    }
    return this.withMinimumShouldMatch(clauses);
  }

  /** createQueue: the `max_query_terms` best words by tf * idf, the field of the largest docFreq for each. */
  private queue(words: WordFreqs, fields: readonly string[]): LucenePriorityQueue<ScoreTerm> {
    const q = this.q;
    const limit = Math.min(q.maxQueryTerms, words.size);
    const queue = new LucenePriorityQueue<ScoreTerm>(limit, (a, b) => a.score < b.score);
    for (const [key, value] of words) {
      const word = (key as { v: string }).v;
      const tf = (value as { v: number }).v;
      if (q.minTermFreq > 0 && tf < q.minTermFreq) continue;
      let topField = fields[0] as string;
      let docFreq = 0;
      for (const field of fields) {
        const freq = this.ctx.view.docFreq(field, word);
        if (freq > docFreq) topField = field;
        docFreq = Math.max(freq, docFreq);
      }
      if (q.minDocFreq > 0 && docFreq < q.minDocFreq) continue;
      if (docFreq > q.maxDocFreq || docFreq === 0) continue;
      const score = Math.fround(tf * classicIdf(docFreq, this.numDocs));
      if (queue.size() < limit) queue.add({ word, topField, score });
      else {
        const top = queue.top();
        if (top.score < score) {
          top.word = word;
          top.topField = topField;
          top.score = score;
          queue.updateTop();
        }
      }
    }
    return queue;
  }

  /** addToQuery: the queue popped (lowest first) into term queries, boosted by score / the first popped score. */
  private toQuery(queue: LucenePriorityQueue<ScoreTerm>): Primitive[] {
    const out: Primitive[] = [];
    let best = -1;
    for (let t = queue.pop(); t !== undefined; t = queue.pop()) {
      let boost = 1;
      if (this.q.boostTerms !== 0) {
        if (best === -1) best = t.score;
        boost = Math.fround(Math.fround(this.q.boostTerms * t.score) / best);
      }
      out.push({ op: 'term', field: t.topField, term: t.word, boost });
    }
    return out;
  }

  /** Queries.applyMinimumShouldMatch over the should clauses. */
  private withMinimumShouldMatch(should: Primitive[]): Primitive {
    const msm = minimumShouldMatch(should.length, this.q.minimumShouldMatch);
    if (should.length === 0) return NONE;
    return booleanQuery({ op: 'bool', must: [], should, filter: [], mustNot: [], msm, boost: 1 });
  }
}

/** ClassicSimilarity.idf: `log((docCount + 1) / (docFreq + 1)) + 1`, as a float. */
function classicIdf(docFreq: number, docCount: number): number {
  return Math.fround(Math.log((docCount + 1) / (docFreq + 1)) + 1);
}

/** IndexReader.numDocs: the live documents, nested children included. */
function readerNumDocs(ctx: RewriteContext): number {
  if (ctx.view.mapping.nestedPaths().length === 0) return ctx.view.numDocs;
  let n = 0;
  for (const seg of ctx.view.segments) for (let d = 0; d < seg.maxDoc; d++) if (seg.isLive(d)) n++;
  return n;
}
