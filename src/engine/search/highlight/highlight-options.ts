import { EngineError, parsingError } from '../../errors.js';
import { isObject } from '../parse-util.js';

/**
 * The `highlight` section parsed as Elasticsearch's HighlightBuilder does: global options, then
 * per-field options that override them (`fields` as an object or as an array of one-field
 * objects), with the unified highlighter's defaults filled in by `resolveOptions`.
 */

export const BOUNDARY_SCANNERS = ['chars', 'word', 'sentence'] as const;
export type BoundaryScanner = (typeof BOUNDARY_SCANNERS)[number];

export const HIGHLIGHTER_TYPES = ['unified', 'plain', 'fvh'] as const;
export type HighlighterType = (typeof HIGHLIGHTER_TYPES)[number];

/** Options as written (any may be absent); a field's override its section's. */
export interface RawOptions {
  /** Field-level `matched_fields`. */
  matchedFields?: string[];
  preTags?: string[];
  postTags?: string[];
  tagsSchema?: 'styled' | 'default';
  order?: 'score' | 'none';
  fragmentSize?: number;
  numberOfFragments?: number;
  encoder?: 'html' | 'default';
  requireFieldMatch?: boolean;
  boundaryScanner?: BoundaryScanner;
  type?: string;
  noMatchSize?: number;
  maxAnalyzedOffset?: number;
  /** Raw DSL: parsed and rewritten per index by the phase. */
  highlightQuery?: Record<string, unknown>;
  /** plain: `span` or `simple` (checked when the field is highlighted, as ES does). */
  fragmenter?: string;
  /** fvh: the chars scanner's boundary characters and scan length, the fragment margin, the phrase cap. */
  boundaryChars?: string;
  boundaryMaxScan?: number;
  fragmentOffset?: number;
  phraseLimit?: number;
}

export interface FieldSpec {
  /** A field name or a `*` pattern. */
  pattern: string;
  options: RawOptions;
}

export interface HighlightRequest {
  global: RawOptions;
  fields: FieldSpec[];
}

/** Options with the unified highlighter's defaults. */
export interface ResolvedOptions {
  preTag: string;
  postTag: string;
  scoreOrdered: boolean;
  fragmentSize: number;
  numberOfFragments: number;
  html: boolean;
  requireFieldMatch: boolean;
  boundaryScanner: BoundaryScanner;
  type: HighlighterType;
  noMatchSize: number;
  maxAnalyzedOffset?: number;
  highlightQuery?: Record<string, unknown>;
  /** Fields whose matches are highlighted in this field's text (multi-fields of the same value). */
  matchedFields?: string[];
  /** How many pre/post tags were given (fvh cycles through them; only one is built). */
  tagCount: number;
  fragmenter?: string;
  boundaryChars: string;
  boundaryMaxScan: number;
  /** -1: SimpleFragListBuilder's default margin. */
  fragmentOffset: number;
  phraseLimit: number;
}

/** HighlightBuilder's DEFAULT_BOUNDARY_CHARS (the fvh's chars boundary scanner). */
const DEFAULT_BOUNDARY_CHARS = '.,!? \t\n';

/** The hard cap on number_of_fragments of Elasticsearch 8.19's highlight parser. */
const MAX_NUMBER_OF_FRAGMENTS = 100_000;

/** HighlightBuilder's `styled` schema (the unified highlighter uses the first tag only). */
const STYLED_PRE_TAGS = Array.from({ length: 10 }, (_, i) => `<em class="hlt${i + 1}">`);

const parseError = (section: string, key: string, cause?: { type: string; reason: string }): EngineError =>
  new EngineError(400, 'x_content_parse_exception', `[${section}] failed to parse field [${key}]`, cause ? { caused_by: cause } : {});

/** An int as XContentParser.intValue reads it: numbers and numeric strings, decimals truncated. */
function intValue(section: string, key: string, v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n)) return Math.trunc(n);
  throw parseError(section, key, { type: 'number_format_exception', reason: `For input string: "${String(v)}"` });
}

function boolValue(section: string, key: string, v: unknown): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw parseError(section, key, {
    type: 'illegal_argument_exception',
    reason: `Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`,
  });
}

function stringValue(section: string, key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw parseError(section, key, { type: 'illegal_state_exception', reason: `Can't get text on a ${Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT'}` });
}

function stringArray(section: string, key: string, v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => stringValue(section, key, x));
}

/** The options every level accepts; `fieldLevel` adds fragment_offset and matched_fields. */
function parseOptions(section: string, body: Record<string, unknown>, fieldLevel: boolean): RawOptions {
  const o: RawOptions = {};
  for (const [key, v] of Object.entries(body)) {
    switch (key) {
      case 'pre_tags':
        o.preTags = stringArray(section, key, v);
        break;
      case 'post_tags':
        o.postTags = stringArray(section, key, v);
        break;
      case 'tags_schema': {
        const s = stringValue(section, key, v);
        if (s !== 'styled' && s !== 'default') throw new EngineError(400, 'illegal_argument_exception', `Unknown tag schema [${s}]`);
        o.tagsSchema = s;
        break;
      }
      case 'order':
        // HighlightBuilder.Order.fromString: anything but "score" is "none"
        o.order = stringValue(section, key, v).toLowerCase() === 'score' ? 'score' : 'none';
        break;
      case 'fragment_size':
        o.fragmentSize = intValue(section, key, v);
        break;
      case 'number_of_fragments': {
        // bounded since 8.19.x (elastic/elasticsearch#155507, backported): a bad value fails the parse
        const n = intValue(section, key, v);
        if (n < 0 || n > MAX_NUMBER_OF_FRAGMENTS) {
          throw parseError(section, key, { type: 'illegal_argument_exception', reason: `[number_of_fragments] must be between [0] and [${MAX_NUMBER_OF_FRAGMENTS}]` });
        }
        o.numberOfFragments = n;
        break;
      }
      case 'encoder':
        o.encoder = stringValue(section, key, v) === 'html' ? 'html' : 'default';
        break;
      case 'require_field_match':
        o.requireFieldMatch = boolValue(section, key, v);
        break;
      case 'boundary_scanner': {
        const s = stringValue(section, key, v).toLowerCase();
        const hit = BOUNDARY_SCANNERS.find((b) => b === s);
        if (!hit) {
          throw parseError(section, key, {
            type: 'illegal_argument_exception',
            reason: `No enum constant org.elasticsearch.search.fetch.subphase.highlight.HighlightBuilder.BoundaryScannerType.${s.toUpperCase()}`,
          });
        }
        o.boundaryScanner = hit;
        break;
      }
      case 'type':
        o.type = stringValue(section, key, v);
        break;
      case 'no_match_size':
        o.noMatchSize = intValue(section, key, v);
        break;
      case 'max_analyzed_offset': {
        // 8.18 (elastic/elasticsearch#118895): -1 means the index's index.highlight.max_analyzed_offset
        const n = intValue(section, key, v);
        if (n === 0 || n < -1) throw parseError(section, key, { type: 'illegal_argument_exception', reason: '[max_analyzed_offset] must be a positive integer, or -1' });
        o.maxAnalyzedOffset = n;
        break;
      }
      case 'highlight_query':
        if (!isObject(v)) throw parseError(section, key);
        o.highlightQuery = v;
        break;
      case 'fragmenter':
        o.fragmenter = stringValue(section, key, v);
        break;
      case 'boundary_chars':
        o.boundaryChars = stringValue(section, key, v);
        break;
      case 'boundary_max_scan':
        o.boundaryMaxScan = intValue(section, key, v);
        break;
      case 'phrase_limit':
        o.phraseLimit = intValue(section, key, v);
        break;
      // the JDK BreakIterator's locale: the boundaries here follow Locale.ROOT's rules
      case 'boundary_scanner_locale':
        stringValue(section, key, v);
        break;
      case 'highlight_filter':
      case 'force_source':
        boolValue(section, key, v);
        break;
      case 'options':
        if (!isObject(v)) throw parseError(section, key);
        break;
      case 'fragment_offset':
        if (!fieldLevel) throw new EngineError(400, 'x_content_parse_exception', `[${section}] unknown field [${key}]`);
        o.fragmentOffset = intValue(section, key, v);
        break;
      case 'matched_fields':
        if (!fieldLevel) throw new EngineError(400, 'x_content_parse_exception', `[${section}] unknown field [${key}]`);
        o.matchedFields = stringArray(section, key, v);
        break;
      default:
        throw new EngineError(400, 'x_content_parse_exception', `[${section}] unknown field [${key}]`);
    }
  }
  if (o.preTags && !o.postTags) throw parsingError('pre_tags are set but post_tags are not set');
  if (o.preTags && o.postTags && (o.preTags.length === 0 || o.postTags.length === 0)) throw parsingError('pre_tags or post_tags must not be empty');
  return o;
}

function parseFields(v: unknown): FieldSpec[] {
  const entries: Array<[string, unknown]> = [];
  if (Array.isArray(v)) {
    // the explicit-order form: [{ "title": {} }, { "body": {} }]
    for (const item of v) {
      if (!isObject(item) || Object.keys(item).length !== 1) {
        throw new EngineError(400, 'x_content_parse_exception', '[highlight] failed to parse field [fields]', {
          caused_by: { type: 'x_content_parse_exception', reason: '[fields] can be a single object with any number of fields or an array where each entry is an object with a single field' },
        });
      }
      entries.push(...Object.entries(item));
    }
  } else if (isObject(v)) {
    entries.push(...Object.entries(v));
  } else {
    throw parseError('highlight', 'fields');
  }
  return entries.map(([pattern, body]) => {
    if (body !== null && !isObject(body)) throw parseError('highlight', 'fields');
    return { pattern, options: parseOptions('highlight_field', body ?? {}, true) };
  });
}

export function parseHighlight(section: unknown): HighlightRequest {
  if (!isObject(section)) throw parsingError(`[highlight] expected an object, found [${JSON.stringify(section)}]`);
  const { fields, ...rest } = section;
  const global = parseOptions('highlight', rest, false);
  return { global, fields: fields === undefined ? [] : parseFields(fields) };
}

/** A field's effective options: its own, else the section's, else the unified highlighter's defaults. */
export function resolveOptions(global: RawOptions, field: RawOptions, fieldName: string): ResolvedOptions {
  const pick = <K extends keyof RawOptions>(k: K): RawOptions[K] => (field[k] !== undefined ? field[k] : global[k]);
  const schema = pick('tagsSchema');
  const preTags = pick('preTags') ?? (schema === 'styled' ? STYLED_PRE_TAGS : ['<em>']);
  const postTags = pick('postTags') ?? ['</em>'];
  const typeName = pick('type') ?? 'unified';
  const type = HIGHLIGHTER_TYPES.find((t) => t === typeName);
  if (!type) throw new EngineError(400, 'illegal_argument_exception', `unknown highlighter type [${typeName}] for the field [${fieldName}]`);
  const matchedFields = pick('matchedFields');
  // UnifiedHighlighter: matches of other fields are mapped onto this one only field by field
  if (matchedFields !== undefined && pick('requireFieldMatch') === false) throw new EngineError(400, 'illegal_argument_exception', 'Matched fields are not supported when [require_field_match] is set to [false]');
  const maxAnalyzedOffset = pick('maxAnalyzedOffset');
  const highlightQuery = pick('highlightQuery');
  return {
    preTag: preTags[0] as string,
    postTag: postTags[0] as string,
    scoreOrdered: pick('order') === 'score',
    fragmentSize: pick('fragmentSize') ?? 100,
    numberOfFragments: pick('numberOfFragments') ?? 5,
    html: pick('encoder') === 'html',
    requireFieldMatch: pick('requireFieldMatch') ?? true,
    // FastVectorHighlighter scans chars by default; the unified highlighter sentences
    boundaryScanner: pick('boundaryScanner') ?? (type === 'fvh' ? 'chars' : 'sentence'),
    type,
    noMatchSize: pick('noMatchSize') ?? 0,
    ...(maxAnalyzedOffset !== undefined ? { maxAnalyzedOffset } : {}),
    ...(highlightQuery !== undefined ? { highlightQuery } : {}),
    ...(matchedFields !== undefined ? { matchedFields } : {}),
    tagCount: Math.max(preTags.length, postTags.length),
    ...(pick('fragmenter') !== undefined ? { fragmenter: pick('fragmenter') } : {}),
    boundaryChars: pick('boundaryChars') ?? DEFAULT_BOUNDARY_CHARS,
    boundaryMaxScan: pick('boundaryMaxScan') ?? 20,
    fragmentOffset: pick('fragmentOffset') ?? -1,
    phraseLimit: pick('phraseLimit') ?? 256,
  };
}
