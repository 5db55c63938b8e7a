import type { RuntimeField } from '../index/mapping/runtime-fields.js';
import type { IndexView } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { simpleMatch } from '../automaton/simple-match.js';
import type { FieldMapper, Mapper, ObjectMapper } from '../index/mapping/mapper-types.js';
import type { Mapping } from '../index/mapping/mapping.js';

/**
 * The field capabilities API (FieldCapabilitiesFetcher per index, TransportFieldCapabilitiesAction
 * merging): each index lists its mapped fields (metadata fields included) with their family type,
 * whether they are searchable and aggregatable and their `meta`; the indices' answers merge per field
 * and type, with `indices` listed when a field has several types and `non_searchable_indices` /
 * `non_aggregatable_indices` when the indices disagree.
 */

/** One field of one index (IndexFieldCapabilities). */
export interface IndexFieldCaps {
  type: string;
  metadata: boolean;
  searchable: boolean;
  aggregatable: boolean;
  meta: Record<string, string>;
}

export interface FieldCapsOptions {
  /** Field name patterns (`*` wildcards). */
  fields: readonly string[];
  /** `+metadata`, `-metadata`, `-nested`, `-multifield`, `-parent`. */
  filters: readonly string[];
  /** Family types to keep (empty: all). */
  types: readonly string[];
  includeEmptyFields: boolean;
  /** The request's `runtime_mappings`, parsed for this index. */
  runtime?: readonly RuntimeField[];
}

interface MetadataField {
  name: string;
  type: string;
  searchable: boolean;
  aggregatable: boolean;
  /** ConstantFieldType.fieldHasValue: always true (the index name, tier and mode are constants). */
  constant?: boolean;
}

/**
 * The metadata fields of an 8.19 index outside time_series (IndicesModule's built-in metadata
 * mappers, mapper-extras' `_feature`, x-pack's `_tier`), with their MappedFieldType's familyTypeName,
 * isSearchable and isAggregatable (`_id` has no fielddata unless indices.id_field_data.enabled,
 * `_ignored` has doc values on 8.15+ indices, `_doc_count` reports its family `integer`).
 */
const METADATA_FIELDS: readonly MetadataField[] = [
  { name: '_ignored', type: '_ignored', searchable: true, aggregatable: true },
  { name: '_id', type: '_id', searchable: true, aggregatable: false },
  { name: '_routing', type: '_routing', searchable: true, aggregatable: false },
  { name: '_index', type: '_index', searchable: true, aggregatable: true, constant: true },
  { name: '_index_mode', type: '_index_mode', searchable: true, aggregatable: true, constant: true },
  { name: '_source', type: '_source', searchable: false, aggregatable: false },
  { name: '_ignored_source', type: '_ignored_source', searchable: false, aggregatable: false },
  { name: '_nested_path', type: '_nested_path', searchable: true, aggregatable: false },
  { name: '_version', type: '_version', searchable: false, aggregatable: true },
  { name: '_seq_no', type: '_seq_no', searchable: true, aggregatable: true },
  { name: '_doc_count', type: 'integer', searchable: false, aggregatable: false },
  { name: '_data_stream_timestamp', type: '_data_stream_timestamp', searchable: false, aggregatable: false },
  { name: '_feature', type: '_feature', searchable: false, aggregatable: false },
  { name: '_tier', type: '_tier', searchable: true, aggregatable: true, constant: true },
  { name: '_field_names', type: '_field_names', searchable: true, aggregatable: false },
];

const FILTERS = ['+metadata', '-metadata', '-nested', '-multifield', '-parent', 'parent'] as const;

/** familyTypeName where it is not the type's own name (TokenCountFieldType is an integer NumberFieldType). */
const FAMILY: Readonly<Record<string, string>> = { token_count: 'integer', match_only_text: 'text' };

/** isSearchable / isAggregatable of a mapped leaf, as its MappedFieldType answers them. */
function leafCaps(leaf: FieldMapper): { searchable: boolean; aggregatable: boolean } {
  const { indexed, docValues } = leaf.info;
  switch (leaf.type) {
    case 'text':
      // TextFieldType: aggregatable only through fielddata
      return { searchable: indexed, aggregatable: String(leaf.params.fielddata) === 'true' };
    case 'binary':
      return { searchable: false, aggregatable: docValues };
    case 'completion':
      return { searchable: true, aggregatable: false };
    case 'flattened':
    case 'integer_range':
    case 'long_range':
    case 'float_range':
    case 'double_range':
    case 'date_range':
    case 'ip_range':
      return { searchable: indexed, aggregatable: docValues };
    default:
      // keyword, numbers, dates, boolean, ip, geo_point: searchable on doc values alone (8.1+)
      return { searchable: indexed || docValues, aggregatable: docValues };
  }
}

function metaOf(params: Record<string, unknown>): Record<string, string> {
  const meta = params.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return {};
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));
}

/** Every mapped field of an index by name: leaves, multi-fields and aliases (under the alias's name, with the target's type). */
interface MappedField {
  leaf: FieldMapper;
  multiField: boolean;
  /** The enclosing nested object's path (NestedLookup.getNestedParent). */
  nested: boolean;
}

function mappedFields(mapping: Mapping): Map<string, MappedField> {
  const out = new Map<string, MappedField>();
  const aliases: Array<[string, string]> = [];
  const walk = (object: ObjectMapper, nested: boolean): void => {
    for (const mapper of object.properties.values()) visit(mapper, nested);
  };
  const visit = (mapper: Mapper, nested: boolean): void => {
    if (mapper.kind === 'object') walk(mapper, nested || mapper.type === 'nested');
    else if (mapper.kind === 'alias') aliases.push([mapper.path, mapper.target]);
    else {
      out.set(mapper.path, { leaf: mapper, multiField: false, nested });
      for (const sub of mapper.multiFields.values()) out.set(sub.path, { leaf: sub, multiField: true, nested });
    }
  };
  walk(mapping.root, false);
  for (const [alias, target] of aliases) {
    const field = out.get(target);
    if (field) out.set(alias, { ...field, multiField: false });
  }
  return out;
}

/** The type of the object at `path` (`nested` or `object`), or undefined when a field is mapped there. */
function parentType(mapping: Mapping, path: string): 'object' | 'nested' | undefined {
  const mapper = mapping.mapperAt(path);
  if (mapper?.kind === 'object') return mapper.type;
  return mapper === undefined && mapping.leaf(path) === undefined ? 'object' : undefined;
}

/** Whether any document of the index's shards holds a value of `path` (Lucene's FieldInfos: FieldCapabilitiesFetcher's fieldHasValue). */
function fieldHasValue(views: readonly IndexView[], path: string): boolean {
  for (const view of views) {
    for (const segment of view.segments) {
      if (segment.terms(path).length > 0) return true;
      for (let d = 0; d < segment.maxDoc; d++) if (segment.hasField(path, d)) return true;
    }
  }
  return false;
}

function metadataHasValue(field: MetadataField, views: readonly IndexView[], mapping: Mapping): boolean {
  if (field.constant) return true;
  const anyDoc = views.some((v) => v.segments.some((s) => s.maxDoc > 0));
  switch (field.name) {
    case '_id':
    case '_seq_no':
    case '_version':
      return anyDoc;
    case '_source':
      return anyDoc && mapping.sourceMode === 'stored';
    case '_routing':
    case '_ignored':
      return views.some((v) => v.segments.some((s) => s.terms(field.name).length > 0));
    case '_nested_path':
      return views.some((v) => v.segments.some((s) => Array.from({ length: s.maxDoc }, (_, d) => d).some((d) => s.nestedPath(d) !== undefined)));
    default:
      return false;
  }
}

export function checkFilters(filters: readonly string[]): void {
  for (const filter of filters) if (!(FILTERS as readonly string[]).includes(filter)) throw illegalArgument(`Unknown field caps filter [${filter}]`);
}

/**
 * FieldCapabilitiesFetcher.retrieveFieldCaps for one index: the fields whose names match, that pass
 * the filters and types, then (unless `-parent`) the objects above them, as `object` or `nested`.
 * An index created without any mapping has no field types at all (not even metadata ones).
 */
export function indexFieldCaps(mapping: Mapping, views: readonly IndexView[], options: FieldCapsOptions): Map<string, IndexFieldCaps> {
  const out = new Map<string, IndexFieldCaps>();
  if (mapping.isUnset) return out;
  const nameMatches = (name: string): boolean => options.fields.some((pattern) => simpleMatch(pattern, name));
  const types = new Set(options.types);
  const has = (f: string): boolean => options.filters.includes(f);
  const includeParents = !has('-parent');
  const metadataOk = (isMetadata: boolean): boolean => !(has('+metadata') && !isMetadata) && !(has('-metadata') && isMetadata);
  for (const field of METADATA_FIELDS) {
    if (!nameMatches(field.name) || !metadataOk(true) || (types.size > 0 && !types.has(field.type))) continue;
    if (!options.includeEmptyFields && !metadataHasValue(field, views, mapping)) continue;
    const aggregatable = field.name === '_routing' ? mapping.routingDocValues : field.aggregatable;
    out.set(field.name, { type: field.type, metadata: true, searchable: field.searchable, aggregatable, meta: {} });
  }
  for (const [name, { leaf, multiField, nested }] of mappedFields(mapping)) {
    if (!nameMatches(name) || !metadataOk(false)) continue;
    // search_as_you_type's `._index_prefix` is a PrefixFieldType (typeName `prefix`)
    const type = leaf.builtIn === 'prefix' ? 'prefix' : (FAMILY[leaf.type] ?? leaf.type);
    if ((types.size > 0 && !types.has(type)) || (has('-nested') && nested) || (has('-multifield') && multiField)) continue;
    if (!options.includeEmptyFields && !fieldHasValue(views, leaf.path)) continue;
    out.set(name, { type, metadata: false, ...leafCaps(leaf), meta: metaOf(leaf.params) });
    if (!includeParents) continue;
    // the ancestors of the field's own path (an alias adds its target's), up to one already added
    const path = leaf.path;
    for (let dot = path.lastIndexOf('.'); dot > -1; dot = path.lastIndexOf('.', dot - 1)) {
      const parent = path.slice(0, dot);
      if (out.has(parent)) break;
      const kind = parentType(mapping, parent);
      if (kind) out.set(parent, { type: kind, metadata: false, searchable: false, aggregatable: false, meta: {} });
    }
  }
  // runtime fields (the mapping's, then the request's runtime_mappings) shadow mapped fields of the same name;
  // they always have a value (AbstractScriptFieldType: no index statistics to ask)
  for (const runtime of [...mapping.runtimeFields, ...(options.runtime ?? [])]) {
    for (const leaf of runtime.leaves) {
      const type = leaf.runtime?.type ?? leaf.type;
      if (!nameMatches(leaf.path) || !metadataOk(false) || (types.size > 0 && !types.has(type))) continue;
      out.set(leaf.path, { type, metadata: false, searchable: true, aggregatable: true, meta: metaOf(runtime.json) });
      if (!includeParents) continue;
      for (let dot = leaf.path.lastIndexOf('.'); dot > -1; dot = leaf.path.lastIndexOf('.', dot - 1)) {
        const parent = leaf.path.slice(0, dot);
        if (out.has(parent)) break;
        const kind = parentType(mapping, parent);
        if (kind) out.set(parent, { type: kind, metadata: false, searchable: false, aggregatable: false, meta: {} });
      }
    }
  }
  return out;
}

/** FieldCapabilities.Builder: one field's answers of one type over the indices (sorted by name). */
class TypeCaps {
  private readonly indices: Array<{ index: string; searchable: boolean; aggregatable: boolean }> = [];
  private readonly meta = new Map<string, Set<string>>();
  private metadata = false;
  constructor(readonly type: string) {}

  add(index: string, caps: Pick<IndexFieldCaps, 'metadata' | 'searchable' | 'aggregatable' | 'meta'>): void {
    this.indices.push({ index, searchable: caps.searchable, aggregatable: caps.aggregatable });
    this.metadata ||= caps.metadata;
    for (const [k, v] of Object.entries(caps.meta)) {
      const values = this.meta.get(k) ?? new Set<string>();
      values.add(v);
      this.meta.set(k, values);
    }
  }

  names(): string[] {
    return this.indices.map((i) => i.index);
  }

  build(withIndices: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type, metadata_field: this.metadata };
    const searchable = this.indices.filter((i) => i.searchable).length;
    const aggregatable = this.indices.filter((i) => i.aggregatable).length;
    const total = this.indices.length;
    out.searchable = searchable === total;
    out.aggregatable = aggregatable === total;
    if (withIndices) out.indices = this.names();
    // only when the indices disagree
    if (searchable > 0 && searchable < total) out.non_searchable_indices = this.indices.filter((i) => !i.searchable).map((i) => i.index);
    if (aggregatable > 0 && aggregatable < total) out.non_aggregatable_indices = this.indices.filter((i) => !i.aggregatable).map((i) => i.index);
    if (this.meta.size > 0) {
      const meta: Record<string, string[]> = {};
      for (const key of [...this.meta.keys()].sort()) meta[key] = [...(this.meta.get(key) as Set<string>)].sort();
      out.meta = meta;
    }
    return out;
  }
}

/** TransportFieldCapabilitiesAction.merge: the indices' answers by field and type (`unmapped` for the indices without the field). */
export function mergeFieldCaps(perIndex: ReadonlyArray<{ index: string; caps: ReadonlyMap<string, IndexFieldCaps> }>, includeUnmapped: boolean): Record<string, unknown> {
  const sorted = [...perIndex].sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const indices = sorted.map((r) => r.index);
  const byField = new Map<string, Map<string, TypeCaps>>();
  for (const { index, caps } of sorted) {
    for (const [field, cap] of caps) {
      const types = byField.get(field) ?? new Map<string, TypeCaps>();
      byField.set(field, types);
      const builder = types.get(cap.type) ?? new TypeCaps(cap.type);
      types.set(cap.type, builder);
      builder.add(index, cap);
    }
  }
  const fields: Record<string, unknown> = {};
  for (const field of [...byField.keys()].sort()) {
    const types = byField.get(field) as Map<string, TypeCaps>;
    if (includeUnmapped) {
      const mapped = new Set([...types.values()].flatMap((t) => t.names()));
      const missing = indices.filter((i) => !mapped.has(i));
      if (missing.length > 0) {
        const unmapped = new TypeCaps('unmapped');
        for (const index of missing) unmapped.add(index, { metadata: false, searchable: false, aggregatable: false, meta: {} });
        types.set('unmapped', unmapped);
      }
    }
    const out: Record<string, unknown> = {};
    for (const type of [...types.keys()].sort()) out[type] = (types.get(type) as TypeCaps).build(types.size > 1);
    fields[field] = out;
  }
  return { indices, fields };
}
