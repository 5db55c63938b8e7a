import type { IndexView, SegmentView } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { parseInnerHit, xContentError } from './inner-hits.js';
import type { InnerHitSpec } from './inner-hits.js';
import { isObject } from './parse-util.js';

/**
 * Field collapsing (`collapse`): one hit per value of a single-valued keyword or integral field,
 * the best of its group by the search's sort, as Elasticsearch's CollapseBuilder, CollapseContext
 * and CollapsingTopDocsCollector do. Shards collapse their own hits and the coordinator collapses
 * the merged heads again; the engine collapses the merged hits once, which selects the same heads.
 * Each group is expanded by `inner_hits` with a search of its own (ExpandSearchPhase).
 */
export interface CollapseSpec {
  field: string;
  innerHits: Array<InnerHitSpec & { name: string }>;
  maxConcurrentGroupSearches?: number;
}

/** How one index reads the collapse key. */
export interface CollapseSource {
  type: 'numeric' | 'keyword';
  field: string;
}

const INTEGRAL = new Set(['long', 'integer', 'short', 'byte']);
const FLOATING = new Set(['double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);

function named(spec: InnerHitSpec): InnerHitSpec & { name: string } {
  if (spec.name === undefined) {
    throw xContentError(
      '[collapse] failed to parse field [inner_hits]',
      new EngineError(400, 'illegal_argument_exception', 'inner_hits must have a [name]; set the [name] field in the inner_hits definition'),
    );
  }
  return spec as InnerHitSpec & { name: string };
}

/** Parses the `collapse` section of a search body (CollapseBuilder.fromXContent). */
export function parseCollapse(v: unknown): CollapseSpec {
  if (!isObject(v)) throw xContentError('[collapse] collapse doesn\'t support values of its type, expected an object');
  let field: string | undefined;
  const spec: CollapseSpec = { field: '', innerHits: [] };
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'field':
        if (typeof value !== 'string') throw xContentError('[collapse] field doesn\'t support values of its type');
        if (value === '') throw xContentError('[collapse] failed to parse field [field]', new EngineError(400, 'illegal_argument_exception', 'field name is null or empty'));
        field = value;
        break;
      case 'max_concurrent_group_searches': {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n)) throw xContentError('[collapse] failed to parse field [max_concurrent_group_searches]');
        if (n < 1) {
          throw xContentError('[collapse] failed to parse field [max_concurrent_group_searches]', new EngineError(400, 'illegal_argument_exception', 'maxConcurrentGroupRequests` must be positive'));
        }
        // the engine runs the group searches one after the other: any positive bound answers the same
        spec.maxConcurrentGroupSearches = n;
        break;
      }
      case 'inner_hits':
        if (Array.isArray(value)) {
          spec.innerHits = value.map((x) => {
            if (!isObject(x)) throw xContentError('[collapse] failed to parse field [inner_hits]', new EngineError(400, 'parsing_exception', 'Invalid token in inner_hits array'));
            return named(parseInnerHit(x));
          });
        } else {
          spec.innerHits = [named(parseInnerHit(value))];
        }
        break;
      default:
        throw xContentError(`[collapse] unknown field [${key}]`);
    }
  }
  if (field === undefined) throw new EngineError(400, 'illegal_argument_exception', 'no collapse field specified');
  spec.field = field;
  return spec;
}

/** CollapseBuilder.build: the shard-level checks of the collapse field against one index's mapping. */
export function collapseSource(spec: CollapseSpec, view: IndexView): CollapseSource {
  const info = view.mapping.field(spec.field);
  if (!info) throw new EngineError(400, 'illegal_argument_exception', `no mapping found for \`${spec.field}\` in order to collapse on`);
  let type: CollapseSource['type'];
  if (info.type === 'keyword') type = 'keyword';
  else if (INTEGRAL.has(info.type)) type = 'numeric';
  // CollapsingDocValuesSource.Numeric reads floating point doc values as their sortable long bits
  else if (FLOATING.has(info.type)) throw unsupported(`collapse on a [${info.type}] field`);
  else throw new EngineError(400, 'illegal_argument_exception', `collapse is not supported for the field [${spec.field}] of the type [${info.type}]`);
  if (!info.docValues) throw new EngineError(400, 'illegal_argument_exception', `cannot collapse on field \`${spec.field}\` without \`doc_values\``);
  if (!info.indexed && spec.innerHits.length > 0) {
    throw new EngineError(400, 'illegal_argument_exception', `cannot expand \`inner_hits\` for collapse field \`${spec.field}\`, only indexed field can retrieve \`inner_hits\``);
  }
  return { type, field: spec.field };
}

/** The collapse key of one doc: its single value, or null when it has none (one group of its own). */
export function collapseKey(src: CollapseSource, seg: SegmentView, doc: number): number | string | null {
  const values = src.type === 'numeric' ? seg.numericValues(src.field, doc) : seg.keywordValues(src.field, doc);
  if (!values || values.length === 0) return null;
  if (values.length > 1) throw new EngineError(500, 'illegal_state_exception', `failed to collapse ${doc}, the collapse field must be single valued`);
  return values[0] as number | string;
}

/** The query of one group's expansion: the search's query restricted to the group's value (ExpandSearchPhase). */
export function groupQuery(field: string, value: unknown, query: unknown): Record<string, unknown> {
  const bool: Record<string, unknown> =
    value === null ? { must_not: [{ exists: { field } }] } : { filter: [{ match: { [field]: { query: value } } }] };
  if (query !== undefined) bool.must = [query];
  return { bool };
}
