import type { IndexView } from '../../contract.js';
import { parsingError } from '../../errors.js';
import { defaultSpellcheckerSettings, parseSpellcheckerOption, suggestSimilar } from './direct-spell-checker.js';
import type { SpellcheckerSettings } from './direct-spell-checker.js';
import { FieldTerms } from './field-terms.js';
import type { SuggestEntry, TermOption } from './suggest-result.js';
import { parseCommonOption, requireField } from './suggest-options.js';
import type { CommonSpec } from './suggest-options.js';
import { mappedField, suggestAnalyzer } from './suggestion-context.js';

/**
 * The term suggester (TermSuggester): the text is analyzed with the field's search analyzer
 * (or `analyzer`) and each token gets Lucene DirectSpellChecker's corrections from the field's
 * terms, `shard_size` per shard, reduced to `size` by score or frequency.
 */

export interface TermSpec extends CommonSpec {
  settings: SpellcheckerSettings;
}

/** TermSuggestionBuilder.fromXContent. */
export function parseTerm(body: Record<string, unknown>): TermSpec {
  const common: Partial<CommonSpec> = {};
  const settings = defaultSpellcheckerSettings();
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'object' && value !== null) throw parsingError(`suggester[term] parsing failed on [${key}]`);
    if (parseCommonOption(common, 'term', key, value)) continue;
    if (parseSpellcheckerOption(settings, 'term', key, value)) continue;
    throw parsingError(`suggester[term] doesn't support field [${key}]`);
  }
  return { ...common, settings, field: requireField(common) };
}

/** size (default 5) and shard_size (default max(size, 5)). */
const sizes = (spec: CommonSpec): { size: number; shardSize: number } => {
  const size = spec.size ?? 5;
  return { size, shardSize: spec.shardSize ?? Math.max(size, 5) };
};

/** One index's term suggestions: an entry per token, each with up to shard_size options. */
export function termShard(spec: TermSpec, text: string, view: IndexView): Array<SuggestEntry<TermOption>> {
  const info = mappedField(view, spec.field);
  const analyzer = suggestAnalyzer(view, info, spec.analyzer);
  const tokens = analyzer.analyze(text);
  const empty = view.numDocs === 0;
  const terms = new FieldTerms(view, spec.field);
  const { shardSize } = sizes(spec);
  return tokens.map((t) => ({
    text: t.term,
    offset: t.startOffset,
    length: t.endOffset - t.startOffset,
    options: empty ? [] : suggestSimilar(terms, t.term, shardSize, spec.settings).map((w) => ({ text: w.string, score: w.score, freq: w.freq })),
  }));
}

/** TermSuggestion.Score / Frequency comparators. */
function compareOptions(sort: 'score' | 'frequency'): (a: TermOption, b: TermOption) => number {
  const text = (a: TermOption, b: TermOption): number => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
  return sort === 'score' ? (a, b) => b.score - a.score || b.freq - a.freq || text(a, b) : (a, b) => b.freq - a.freq || b.score - a.score || text(a, b);
}

/**
 * Suggestion.reduce: one shard's entries as they are; several shards' options merged by text
 * (frequencies summed, best score kept) and sorted. Then trimmed to `size`.
 */
export function reduceTerm(spec: TermSpec, shards: Array<Array<SuggestEntry<TermOption>>>): Array<SuggestEntry<TermOption>> {
  const { size } = sizes(spec);
  const leader = shards[0] ?? [];
  if (shards.length === 1) return leader.map((e) => ({ ...e, options: e.options.slice(0, size) }));
  return leader.map((entry, i) => {
    const merged = new Map<string, TermOption>();
    for (const shard of shards) {
      for (const o of shard[i]?.options ?? []) {
        const m = merged.get(o.text);
        if (!m) merged.set(o.text, { ...o });
        else {
          m.score = Math.max(m.score, o.score);
          m.freq += o.freq;
        }
      }
    }
    const options = [...merged.values()].sort(compareOptions(spec.settings.sort)).slice(0, size);
    return { ...entry, options };
  });
}
