import type { Analyzer, FieldInfo } from '../../contract.js';
import { SAYT_PREFIX_SUFFIX, SearchAsYouTypeAnalyzer, shingleFieldName } from '../../analysis/search-as-you-type.js';
import type { FieldMapper } from './mapper-types.js';
import { mapperParsing } from './mapping-errors.js';
import { unsupported } from '../../errors.js';

const MAX_SHINGLE_SIZE_DEFAULT = 3;

/**
 * SearchAsYouTypeFieldMapper.Builder's own checks: `doc_values` can only be false, and
 * `max_shingle_size` is an integer from 2 to 4 (default 3).
 */
export function saytRoot(path: string, params: Record<string, unknown>, info: FieldInfo): void {
  if (params.doc_values !== undefined && String(params.doc_values) === 'true') throw mapperParsing(`Cannot set [doc_values] on field of type [search_as_you_type]`);
  const raw = params.max_shingle_size;
  const size = raw === undefined ? MAX_SHINGLE_SIZE_DEFAULT : Number(raw);
  if (!Number.isInteger(size)) throw mapperParsing(`Failed to parse mapping: For input string: "${String(raw)}"`);
  if (size < 2 || size > 4) throw mapperParsing(`[max_shingle_size] must be at least [2] and at most [4], got [${size}]`);
  if (params.norms !== undefined && String(params.norms) === 'false') info.omitNorms = true;
  // the engine indexes text with positions: postings without them (TextParams' docs, freqs) are not built
  if (params.index_options === 'docs' || params.index_options === 'freqs') throw unsupported(`[index_options: ${params.index_options}] on the search_as_you_type field [${path}]`);
  info.sayt = { root: path, maxShingleSize: size };
}

function subfield(name: string, path: string, info: FieldInfo, builtIn: 'shingle' | 'prefix'): FieldMapper {
  return { kind: 'field', name, path, type: 'search_as_you_type', params: {}, info, copyTo: [], multiFields: new Map(), coerce: true, ignoreMalformed: false, nullValue: undefined, indexed: info.indexed, builtIn };
}

/**
 * The subfields SearchAsYouTypeFieldMapper.Builder.build adds: `._2gram` .. `._<max>gram`, each
 * the root's analyzers wrapped with shingles of its size (index options, norms and term vectors as
 * the root's; never stored), and `._index_prefix`, the index analyzer wrapped with the largest
 * shingles and their edge n-grams (no norms), searched with the search analyzer's shingles.
 */
export function saytSubfields(root: FieldInfo): FieldMapper[] {
  const sayt = root.sayt!;
  const index = root.analyzer as Analyzer;
  const search = root.searchAnalyzer ?? index;
  const common: Omit<FieldInfo, 'path'> = {
    type: 'text',
    indexed: root.indexed,
    docValues: false,
    ...(root.offsets ? { offsets: true } : {}),
    ...(root.termVectorOffsets ? { termVectorOffsets: true } : {}),
    ...(root.nestedPath !== undefined ? { nestedPath: root.nestedPath } : {}),
  };
  const out: FieldMapper[] = [];
  for (let size = 2; size <= sayt.maxShingleSize; size++) {
    const path = shingleFieldName(root.path, size);
    const searchShingles = new SearchAsYouTypeAnalyzer(search, size, false);
    out.push(subfield(path.slice(root.path.length + 1), path, {
      ...common,
      path,
      analyzer: new SearchAsYouTypeAnalyzer(index, size, false),
      searchAnalyzer: searchShingles,
      searchQuoteAnalyzer: searchShingles,
      ...(root.omitNorms ? { omitNorms: true } : {}),
      sayt: { root: root.path, maxShingleSize: sayt.maxShingleSize, shingleSize: size },
    }, 'shingle'));
  }
  const path = root.path + SAYT_PREFIX_SUFFIX;
  out.push(subfield(path.slice(root.path.length + 1), path, {
    ...common,
    path,
    analyzer: new SearchAsYouTypeAnalyzer(index, sayt.maxShingleSize, true),
    searchAnalyzer: new SearchAsYouTypeAnalyzer(search, sayt.maxShingleSize, false),
    searchQuoteAnalyzer: search,
    omitNorms: true,
    sayt: { root: root.path, maxShingleSize: sayt.maxShingleSize, prefix: true },
  }, 'prefix'));
  return out;
}
