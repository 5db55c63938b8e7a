import type { Analyzer, FieldInfo, IndexView } from '../../contract.js';
import { EngineError } from '../../errors.js';

/** What SuggestionBuilder.populateCommonFields resolves on each shard: the mapped field and the analyzer. */

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** The mapped field (`no mapping found for field [x]` otherwise). */
export function mappedField(view: IndexView, field: string): FieldInfo {
  const info = view.mapping.field(field);
  if (!info || info.type === 'object' || info.type === 'nested') throw illegal(`no mapping found for field [${field}]`);
  return info;
}

/** A keyword field's search analyzer: the whole text as one token, through the normalizer. */
function keywordAnalyzer(info: FieldInfo): Analyzer {
  return {
    name: 'keyword',
    positionIncrementGap: 0,
    analyze: (text) => {
      const term = info.normalizer ? info.normalizer.normalize(text) : text;
      return [{ term, position: 0, startOffset: 0, endOffset: text.length, type: 'word' }];
    },
  };
}

/** The `analyzer` option, else the field's search analyzer. */
export function suggestAnalyzer(view: IndexView, info: FieldInfo, name: string | undefined): Analyzer {
  if (name !== undefined) {
    const analyzer = view.analysis.analyzer(name);
    if (!analyzer) throw illegal(`analyzer [${name}] doesn't exists`);
    return analyzer;
  }
  return info.searchAnalyzer ?? info.analyzer ?? keywordAnalyzer(info);
}
