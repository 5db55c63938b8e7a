import { closest } from './suggest.js';
import { formatPath, type DataPath } from './source-locator.js';

/**
 * The analysis components Elasticsearch 8 ships (no plugin needed), by kind, as its reference
 * lists them (docs: "Text analysis" > built-in analyzers, tokenizers, token filters, character
 * filters, normalizers). A mapping may name these, or those its own settings.analysis defines.
 */
const LANGUAGE_ANALYZERS = [
  'arabic', 'armenian', 'basque', 'bengali', 'brazilian', 'bulgarian', 'catalan', 'cjk', 'czech', 'danish', 'dutch', 'english', 'estonian', 'finnish',
  'french', 'galician', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish', 'italian', 'latvian', 'lithuanian', 'norwegian', 'persian',
  'portuguese', 'romanian', 'russian', 'serbian', 'sorani', 'spanish', 'swedish', 'turkish', 'thai',
];

export const BUILTIN_ANALYSIS = {
  analyzer: ['standard', 'simple', 'whitespace', 'stop', 'keyword', 'pattern', 'fingerprint', 'snowball', ...LANGUAGE_ANALYZERS],
  tokenizer: [
    'standard', 'letter', 'lowercase', 'whitespace', 'uax_url_email', 'classic', 'thai', 'ngram', 'edge_ngram', 'keyword', 'pattern', 'simple_pattern',
    'simple_pattern_split', 'char_group', 'path_hierarchy',
  ],
  filter: [
    'apostrophe', 'asciifolding', 'cjk_bigram', 'cjk_width', 'classic', 'common_grams', 'condition', 'decimal_digit', 'delimited_payload', 'delimited_term_freq',
    'dictionary_decompounder', 'edge_ngram', 'elision', 'fingerprint', 'flatten_graph', 'hunspell', 'hyphenation_decompounder', 'keep_types', 'keep',
    'keyword_marker', 'keyword_repeat', 'kstem', 'length', 'limit', 'lowercase', 'min_hash', 'multiplexer', 'ngram', 'arabic_normalization',
    'bengali_normalization', 'german_normalization', 'hindi_normalization', 'indic_normalization', 'persian_normalization', 'scandinavian_normalization',
    'scandinavian_folding', 'serbian_normalization', 'sorani_normalization', 'pattern_capture', 'pattern_replace', 'porter_stem', 'predicate_token_filter',
    'remove_duplicates', 'reverse', 'shingle', 'snowball', 'stemmer', 'stemmer_override', 'stop', 'synonym', 'synonym_graph', 'trim', 'truncate', 'unique',
    'uppercase', 'word_delimiter', 'word_delimiter_graph', 'persian_stem', 'brazilian_stem', 'czech_stem', 'dutch_stem', 'french_stem', 'german_stem',
    'russian_stem',
  ],
  char_filter: ['html_strip', 'mapping', 'pattern_replace'],
  normalizer: ['lowercase'],
} as const;

/** Components of Elasticsearch's official analysis plugins: known, but only on clusters that installed them. */
export const PLUGIN_ANALYSIS: Record<string, string> = {
  icu_analyzer: 'analysis-icu', icu_tokenizer: 'analysis-icu', icu_normalizer: 'analysis-icu', icu_folding: 'analysis-icu', icu_collation: 'analysis-icu', icu_transform: 'analysis-icu',
  kuromoji: 'analysis-kuromoji', kuromoji_tokenizer: 'analysis-kuromoji', kuromoji_baseform: 'analysis-kuromoji', kuromoji_part_of_speech: 'analysis-kuromoji',
  kuromoji_readingform: 'analysis-kuromoji', kuromoji_stemmer: 'analysis-kuromoji', ja_stop: 'analysis-kuromoji', kuromoji_iteration_mark: 'analysis-kuromoji',
  nori: 'analysis-nori', nori_tokenizer: 'analysis-nori', nori_part_of_speech: 'analysis-nori', nori_readingform: 'analysis-nori',
  smartcn: 'analysis-smartcn', smartcn_tokenizer: 'analysis-smartcn', phonetic: 'analysis-phonetic', polish: 'analysis-stempel', polish_stem: 'analysis-stempel',
  ukrainian: 'analysis-ukrainian',
};

export type AnalysisKind = keyof typeof BUILTIN_ANALYSIS;

/** One analysis name the mapping uses that neither Elasticsearch nor the mapping defines. */
export interface AnalysisProblem {
  path: DataPath;
  message: (where: string) => string;
}

const FIELD_REFERENCES: Array<[string, AnalysisKind]> = [
  ['analyzer', 'analyzer'],
  ['search_analyzer', 'analyzer'],
  ['search_quote_analyzer', 'analyzer'],
  ['normalizer', 'normalizer'],
];

const KIND_WORDS: Record<AnalysisKind, string> = { analyzer: 'analyzer', tokenizer: 'tokenizer', filter: 'token filter', char_filter: 'character filter', normalizer: 'normalizer' };

/**
 * Every analyzer, tokenizer, token filter, character filter and normalizer a mapping body names
 * (in its fields, multi-fields, dynamic templates and its own analysis settings) that is neither
 * built into Elasticsearch nor defined by the mapping's `settings.analysis`, with its JSON path.
 */
export function analysisProblems(body: Record<string, unknown>): AnalysisProblem[] {
  const settings = record(body.settings);
  const analysisPath: DataPath = record(settings?.analysis) ? ['settings', 'analysis'] : record(record(settings?.index)?.analysis) ? ['settings', 'index', 'analysis'] : ['settings', 'analysis'];
  const analysis = record(analysisPath.reduce<unknown>((node, part) => record(node)?.[part as string], body)) ?? {};
  const defined = (kind: AnalysisKind) => Object.keys(record(analysis[kind]) ?? {});
  const problems: AnalysisProblem[] = [];
  const check = (kind: AnalysisKind, name: unknown, path: DataPath) => {
    if (typeof name !== 'string' || (BUILTIN_ANALYSIS[kind] as readonly string[]).includes(name) || defined(kind).includes(name) || name in PLUGIN_ANALYSIS) return;
    const known = [...BUILTIN_ANALYSIS[kind], ...defined(kind)];
    const hint = closest(name, known);
    const own = defined(kind);
    problems.push({
      path,
      message: (where) =>
        `${formatPath(path)} is ${JSON.stringify(name)}${where}, which is no built-in ${KIND_WORDS[kind]} of Elasticsearch${own.length ? ` nor one this mapping defines (${own.join(', ')})` : ` and this mapping defines none under ${formatPath([...analysisPath, kind])}`}${hint ? `; did you mean "${hint}"?` : ''}`,
    });
  };

  // Components that custom analyzers and normalizers are built from.
  for (const kind of ['analyzer', 'normalizer'] as const) {
    for (const [name, raw] of Object.entries(record(analysis[kind]) ?? {})) {
      const def = record(raw);
      if (!def) continue;
      const at = [...analysisPath, kind, name];
      if (kind === 'analyzer' && def.type !== undefined && def.type !== 'custom') check('analyzer', def.type, [...at, 'type']);
      if (def.tokenizer !== undefined) check('tokenizer', def.tokenizer, [...at, 'tokenizer']);
      for (const [key, component] of [['filter', 'filter'], ['char_filter', 'char_filter']] as const) {
        const list = def[key];
        if (typeof list === 'string') check(component, list, [...at, key]);
        else if (Array.isArray(list)) list.forEach((item, i) => check(component, item, [...at, key, i]));
      }
    }
  }

  const fields = (properties: unknown, path: DataPath) => {
    for (const [name, raw] of Object.entries(record(properties) ?? {})) {
      const field = record(raw);
      if (!field) continue;
      for (const [key, kind] of FIELD_REFERENCES) if (field[key] !== undefined) check(kind, field[key], [...path, name, key]);
      if (field.properties) fields(field.properties, [...path, name, 'properties']);
      if (field.fields) fields(field.fields, [...path, name, 'fields']);
    }
  };
  const mappings = record(body.mappings);
  fields(mappings?.properties, ['mappings', 'properties']);
  const templates = mappings?.dynamic_templates;
  if (Array.isArray(templates)) {
    templates.forEach((entry, i) => {
      for (const [name, template] of Object.entries(record(entry) ?? {})) {
        const mapping = record(record(template)?.mapping);
        if (!mapping) continue;
        const at = ['mappings', 'dynamic_templates', i, name, 'mapping'];
        for (const [key, kind] of FIELD_REFERENCES) if (mapping[key] !== undefined) check(kind, mapping[key], [...at, key]);
      }
    });
  }
  return problems;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
