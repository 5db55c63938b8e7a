import type { Token } from '../contract.js';
import type { CharFilter, TokenFilter, Tokenizer } from './analysis-types.js';
import { ChainAnalyzer, applyCharFilters } from './chain-analyzer.js';
import { KEYWORD_TOKENS, KeywordMarkerFilter, TermMapFilter } from './english-stemmers.js';
import { KeywordRepeatFilter, StemmerOverrideFilter } from './keyword-filters.js';
import { WordDelimiterGraphFilter } from './word-delimiter.js';

/**
 * `_analyze` with `explain: true` (TransportAnalyzeAction.detailAnalyze): the tokens after each
 * stage of an ad-hoc chain (each char filter's text, the tokenizer's tokens, then each token
 * filter's, every stage run from the start), or a built-in analyzer's tokens under its name.
 * Tokens carry the extended attributes Lucene's reflection lists (bytes, keyword where a filter
 * of the chain uses the keyword mark, positionLength, termFrequency), sorted by name, or only
 * those `attributes` names.
 */

export interface NamedStage<T> {
  name: string;
  component: T;
}

/** Filters that add Lucene's KeywordAttribute to the stream (so `keyword` is reported). */
const usesKeyword = (f: TokenFilter): boolean =>
  f instanceof KeywordMarkerFilter || f instanceof KeywordRepeatFilter || f instanceof StemmerOverrideFilter || f instanceof TermMapFilter || f instanceof WordDelimiterGraphFilter;

const utf8Hex = (term: string): string => `[${Array.from(Buffer.from(term, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;

type Json = Record<string, unknown>;

/** Token JSON with its attributes; `position`/`offset` shift it past the earlier texts. */
function detailToken(t: Token, position: number, offset: number, keyword: boolean, only: ReadonlySet<string> | undefined): Json {
  const json: Json = { token: t.term, start_offset: t.startOffset + offset, end_offset: t.endOffset + offset, type: t.type, position };
  const length = t.positionLength ?? 1;
  if (length > 1) json.positionLength = length;
  const attributes: Json = { bytes: utf8Hex(t.term) };
  if (keyword) attributes.keyword = KEYWORD_TOKENS.has(t);
  attributes.positionLength = length;
  attributes.termFrequency = 1;
  for (const [k, v] of Object.entries(attributes)) if (!only || only.has(k)) json[k] = v;
  return json;
}

/** Runs `analyzer` over every text, positions and offsets continuing as _analyze does. */
function stageTokens(analyzer: ChainAnalyzer, texts: string[], gap: number, keyword: boolean, only: ReadonlySet<string> | undefined): Json[] {
  const out: Json[] = [];
  let lastPosition = -1;
  let lastOffset = 0;
  for (const text of texts) {
    const run = analyzer.run(text);
    const base = lastPosition + 1;
    for (const t of run.tokens) out.push(detailToken(t, base + t.position, lastOffset, keyword, only));
    lastPosition = base + run.positionCount - 1 + gap;
    lastOffset += run.endOffset + 1;
  }
  return out;
}

/** The detail of an ad-hoc chain (`custom_analyzer: true`). */
export function explainChain(
  tokenizer: NamedStage<Tokenizer>,
  filters: ReadonlyArray<NamedStage<TokenFilter>>,
  charFilters: ReadonlyArray<NamedStage<CharFilter>>,
  texts: string[],
  only: ReadonlySet<string> | undefined,
): Json {
  const cfs = charFilters.map((c) => c.component);
  const detail: Json = { custom_analyzer: true };
  if (charFilters.length > 0) {
    detail.charfilters = charFilters.map((cf, i) => ({
      name: cf.name,
      filtered_text: texts.map((text) => applyCharFilters(cfs.slice(0, i + 1), text).text),
    }));
  }
  detail.tokenizer = { name: tokenizer.name, tokens: stageTokens(new ChainAnalyzer('_custom_', tokenizer.component, [], cfs, 0), texts, 0, false, only) };
  const used: TokenFilter[] = [];
  let keyword = false;
  detail.tokenfilters = filters.map((f) => {
    used.push(f.component);
    keyword ||= usesKeyword(f.component);
    return { name: f.name, tokens: stageTokens(new ChainAnalyzer('_custom_', tokenizer.component, [...used], cfs, 0), texts, 0, keyword, only) };
  });
  return detail;
}

/** The detail of a pre-built analyzer (`custom_analyzer: false`). */
export function explainAnalyzer(analyzer: ChainAnalyzer, texts: string[], only: ReadonlySet<string> | undefined): Json {
  const keyword = analyzer.filters.some(usesKeyword);
  return { custom_analyzer: false, analyzer: { name: analyzer.name, tokens: stageTokens(analyzer, texts, analyzer.positionIncrementGap, keyword, only) } };
}
