import type { FieldInfo, IndexView } from '../../contract.js';
import { leafValues } from '../doc-fields.js';
import { isObject } from '../parse-util.js';
import { VALUE_SEPARATOR } from './break-iterators.js';

/**
 * The text a field is highlighted in, as Elasticsearch's unified highlighter builds it: the
 * field's values from `_source` (a multi-field reads its parent's), joined with `\0`, analysed
 * value by value with the field's index analyzer (positions continue across values with the
 * analyzer's position increment gap). Keyword and other untokenized fields are one token per value.
 */

export interface ContentToken {
  term: string;
  position: number;
  /** Offsets into the joined content. */
  start: number;
  end: number;
}

export interface FieldContent {
  text: string;
  tokens: ContentToken[];
  /** Whether the field is tokenized (text): untokenized fields get one passage per value. */
  tokenized: boolean;
}

/** A field's display values: multi-fields (`title.raw`) read their parent's (`title`). */
export function fieldValues(view: IndexView, source: Record<string, unknown>, field: FieldInfo): string[] {
  const values = leafValues(view, source, field.path.split('.'));
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined || isObject(v) || Array.isArray(v)) continue;
    let s = String(v);
    if (field.type === 'keyword') {
      // the keyword value fetcher skips values over ignore_above and applies the normalizer
      if (field.ignoreAbove !== undefined && s.length > field.ignoreAbove) continue;
      if (field.normalizer) s = field.normalizer.normalize(s);
    }
    out.push(s);
  }
  return out;
}

/** Joins the values and analyses them; tokens starting past `maxAnalyzedOffset` are dropped (LimitTokenOffsetAnalyzer). */
export function fieldContent(view: IndexView, field: FieldInfo, values: string[], maxAnalyzedOffset?: number): FieldContent {
  const text = values.join(VALUE_SEPARATOR);
  const tokens: ContentToken[] = [];
  const analyzer = field.type === 'text' ? (field.analyzer ?? view.analysis.analyzer('standard')) : undefined;
  let base = 0;
  let positionBase = 0;
  for (const value of values) {
    if (analyzer) {
      let last = -1;
      for (const t of analyzer.analyze(value)) {
        tokens.push({ term: t.term, position: positionBase + t.position, start: base + t.startOffset, end: base + t.endOffset });
        if (t.position > last) last = t.position;
      }
      positionBase += last + 1 + analyzer.positionIncrementGap;
    } else if (value.length > 0) {
      tokens.push({ term: value, position: positionBase, start: base, end: base + value.length });
      positionBase += 1;
    }
    base += value.length + 1;
  }
  const kept = maxAnalyzedOffset === undefined ? tokens : tokens.filter((t) => t.start <= maxAnalyzedOffset);
  return { text, tokens: kept, tokenized: analyzer !== undefined };
}
