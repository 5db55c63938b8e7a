import { EngineError, illegalArgument } from '../../errors.js';
import { indexOptionsUpdatable, withDenseVectorDefaults } from './dense-vector.js';
import { relationConflicts } from './join-field.js';

/**
 * Merges an incoming mapping definition (JSON) into the existing one, as put-mapping does:
 * new fields are added, objects merge recursively, multi-fields are added, a few parameters are
 * updatable; any other change is a 400 `illegal_argument_exception` with Elasticsearch's text.
 */
type Json = Record<string, unknown>;

const UPDATABLE = new Set([
  'ignore_above',
  'search_analyzer',
  'search_quote_analyzer',
  'meta',
  'copy_to',
  'fielddata',
  'eager_global_ordinals',
  'ignore_malformed',
  'coerce',
  'boost',
  'null_value',
  'split_queries_on_whitespace',
]);

const DEFAULTS: Record<string, unknown> = { index: true, doc_values: true, store: false, norms: true, enable_position_increments: true, positive_score_impact: true };

/** SearchAsYouTypeFieldMapper: doc_values is always false, max_shingle_size 3 unless set (both always serialized). */
const SAYT_DEFAULTS: Record<string, unknown> = { ...DEFAULTS, doc_values: false, max_shingle_size: 3 };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObjectDef(def: Json): boolean {
  return def.type === undefined || def.type === 'object' || def.type === 'nested';
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(value: unknown, param: string): string {
  if (value === undefined) return param === 'analyzer' ? 'default' : String(DEFAULTS[param] ?? 'null');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function mergeLeaf(path: string, existing: Json, incoming: Json): Json {
  const fromType = String(existing.type);
  const toType = String(incoming.type);
  // FieldAliasMapper.merge: an alias is replaced whole (its path may change); it never becomes another type
  if (fromType === 'alias' && toType === 'alias') return incoming;
  if (fromType === 'alias') throw illegalArgument(`Cannot merge a field alias mapping [${path}] with a mapping that is not for a field alias.`);
  if (fromType !== toType) throw illegalArgument(`mapper [${path}] cannot be changed from type [${fromType}] to [${toType}]`);
  if (fromType === 'dense_vector') {
    // dims can be set once (a mapping without them, then the first document); index_options as IndexOptions.updatableTo allows
    incoming = withDenseVectorDefaults(incoming);
    if (existing.dims === undefined && incoming.dims !== undefined) existing = { ...existing, dims: incoming.dims };
    if (indexOptionsUpdatable(existing.index_options, incoming.index_options)) existing = { ...existing, index_options: incoming.index_options ?? existing.index_options };
  }
  const conflicts: string[] = [];
  const keys = new Set([...Object.keys(existing), ...Object.keys(incoming)]);
  const merged: Json = { type: fromType };
  for (const key of keys) {
    if (key === 'type' || key === 'fields') continue;
    const before = existing[key];
    const after = incoming[key];
    // ConstantKeywordFieldMapper: the value may be set once, from unset to anything
    if (key === 'value' && fromType === 'constant_keyword' && before === undefined) {
      if (after !== undefined) merged[key] = typeof after === 'number' ? String(after) : after; // kept as text, as when created
      continue;
    }
    // ParentJoinFieldMapper: relations may be added, never removed or moved (Joiner.canMerge)
    if (key === 'relations' && fromType === 'join') {
      conflicts.push(...relationConflicts(path, before, after));
      merged[key] = after;
      continue;
    }
    // TokenCountFieldMapper, RankFeatureFieldMapper: their null_value is not updatable
    if (UPDATABLE.has(key) && !(key === 'null_value' && (fromType === 'token_count' || fromType === 'rank_feature'))) {
      if (after !== undefined) merged[key] = after;
      continue;
    }
    const defaults = fromType === 'search_as_you_type' ? SAYT_DEFAULTS : DEFAULTS;
    const normalizedBefore = before === undefined ? defaults[key] : before;
    const normalizedAfter = after === undefined ? defaults[key] : after;
    if (!same(normalizedBefore, normalizedAfter) && !same(String(normalizedBefore), String(normalizedAfter))) {
      conflicts.push(`Cannot update parameter [${key}] from [${show(before, key)}] to [${show(after, key)}]`);
    }
    if (before !== undefined) merged[key] = before;
  }
  if (conflicts.length > 0) {
    throw illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\t${conflicts.join('\n\t')}`);
  }
  const fields = mergeProperties(path, isRecord(existing.fields) ? existing.fields : {}, isRecord(incoming.fields) ? incoming.fields : {});
  if (Object.keys(fields).length > 0) merged.fields = fields;
  return merged;
}

/** Where an object sits: inside a nested object or not, and whether that nested object's fields reach the root. */
interface NestedScope {
  nested: boolean;
  parentIncludedInRoot: boolean;
}

const TOP: NestedScope = { nested: false, parentIncludedInRoot: false };

const flag = (value: unknown): boolean => value === true || value === 'true';

/** NestedObjectMapper.Builder.build: include_in_root as it holds once include_in_parent is taken into account. */
function effectiveIncludes(def: Json, scope: NestedScope): { parent: boolean; root: boolean; childrenReachRoot: boolean } {
  const parent = flag(def.include_in_parent);
  const rawRoot = flag(def.include_in_root);
  const reachesRootThroughParent = parent && (!scope.nested || scope.parentIncludedInRoot);
  return { parent, root: rawRoot && !reachesRootThroughParent, childrenReachRoot: rawRoot || (!scope.nested && parent) };
}

/**
 * NestedObjectMapper.merge outside index templates: include_in_parent and include_in_root cannot
 * change (a definition that leaves them out means false). Elasticsearch throws a bare
 * MapperException there, which its REST layer answers with a 500.
 */
function checkNestedIncludes(existing: Json, incoming: Json, scope: NestedScope): void {
  const before = effectiveIncludes(existing, scope);
  const after = effectiveIncludes(incoming, scope);
  for (const [key, a, b] of [['include_in_parent', before.parent, after.parent], ['include_in_root', before.root, after.root]] as const) {
    if (a !== b) throw new EngineError(500, 'mapper_exception', `the [${key}] parameter can't be updated on a nested object mapping`);
  }
}

function mergeObject(path: string, existing: Json, incoming: Json, scope: NestedScope = TOP, explicitType = true): Json {
  const fromNested = existing.type === 'nested';
  const toNested = incoming.type === 'nested';
  if (fromNested !== toNested) {
    throw illegalArgument(
      fromNested
        ? `can't merge a nested mapping [${path}] with a non-nested mapping`
        : `can't merge a non-nested mapping [${path}] with a nested mapping`,
    );
  }
  if (incoming.subobjects !== undefined && String(incoming.subobjects) !== String(existing.subobjects ?? true)) {
    throw illegalArgument(`the [subobjects] parameter can't be updated for the object mapping [${path}]`);
  }
  if (incoming.enabled !== undefined && String(incoming.enabled) !== String(existing.enabled ?? true)) {
    throw illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [enabled] from [${String(existing.enabled ?? true)}] to [${String(incoming.enabled)}]`);
  }
  if (fromNested && explicitType) checkNestedIncludes(existing, incoming, scope);
  const merged: Json = { ...existing };
  for (const [key, value] of Object.entries(incoming)) {
    if (key !== 'properties') merged[key] = value;
  }
  const childScope: NestedScope = fromNested ? { nested: true, parentIncludedInRoot: effectiveIncludes(merged, scope).childrenReachRoot } : scope;
  const properties = mergeProperties(
    path,
    isRecord(existing.properties) ? existing.properties : {},
    isRecord(incoming.properties) ? incoming.properties : {},
    String(merged.subobjects ?? true) === 'false',
    childScope,
  );
  if (Object.keys(properties).length > 0 || existing.properties !== undefined) merged.properties = properties;
  return merged;
}

/** Expands dotted property names (`"user.name": {...}`) into object definitions. */
function expandDots(properties: Json): Json {
  const out: Json = {};
  for (const [name, def] of Object.entries(properties)) {
    const dot = name.indexOf('.');
    if (dot <= 0 || !isRecord(def)) {
      out[name] = isRecord(out[name]) && isRecord(def) ? mergeDefs(name, out[name] as Json, def) : def;
      continue;
    }
    const head = name.slice(0, dot);
    const nested: Json = { properties: { [name.slice(dot + 1)]: def } };
    out[head] = isRecord(out[head]) ? mergeDefs(head, out[head] as Json, nested) : nested;
  }
  return out;
}

function mergeDefs(path: string, existing: Json, incoming: Json, scope: NestedScope = TOP): Json {
  if (isObjectDef(existing) && isObjectDef(incoming) && incoming.type === undefined && existing.type !== undefined) {
    return mergeObject(path, existing, { ...incoming, type: existing.type }, scope, false);
  }
  if (isObjectDef(existing) && isObjectDef(incoming)) return mergeObject(path, existing, incoming, scope);
  if (isObjectDef(existing) !== isObjectDef(incoming)) {
    throw illegalArgument(`can't merge a non object mapping [${path}] with an object mapping`);
  }
  return mergeLeaf(path, existing, incoming);
}

/**
 * The properties of an object with `subobjects: false`: names kept whole, objects auto-flattened
 * into their leaves (`time: {properties: {max: ...}}` is `time.max`), as ObjectMapper builds them.
 */
function flattenObjects(properties: Json): Json {
  const out: Json = {};
  const add = (name: string, def: unknown): void => {
    if (isRecord(def) && def.type !== 'nested' && (def.type === 'object' || (def.type === undefined && isRecord(def.properties)))) {
      // parameters of the flattened object itself are checked (and refused) by the mapper builder
      const { properties: children, ...rest } = def;
      const params = Object.keys(rest).filter((k) => k !== 'type');
      if (params.length > 0) {
        out[name] = def;
        return;
      }
      for (const [child, childDef] of Object.entries(isRecord(children) ? children : {})) add(`${name}.${child}`, childDef);
      return;
    }
    out[name] = isRecord(out[name]) && isRecord(def) ? mergeDefs(name, out[name] as Json, def) : def;
  };
  for (const [name, def] of Object.entries(properties)) add(name, def);
  return out;
}

export function mergeProperties(parentPath: string, existing: Json, incoming: Json, flat = false, scope: NestedScope = TOP): Json {
  const out: Json = { ...existing };
  for (const [name, def] of Object.entries(flat ? flattenObjects(incoming) : expandDots(incoming))) {
    if (!isRecord(def)) {
      out[name] = def;
      continue;
    }
    const path = parentPath ? `${parentPath}.${name}` : name;
    const before = out[name];
    out[name] = isRecord(before) ? mergeDefs(path, before, def, scope) : normalizeDef(path, def);
  }
  return out;
}

/** A new definition as Elasticsearch keeps it: dotted names expanded into objects (flat under `subobjects: false`), at every level. */
function normalizeDef(path: string, def: Json): Json {
  if (def.type === 'dense_vector') return withDenseVectorDefaults(def);
  // ConstantKeywordFieldMapper keeps its value as text (Objects::toString)
  if (def.type === 'constant_keyword' && typeof def.value === 'number') return { ...def, value: String(def.value) };
  if (!isObjectDef(def) || !isRecord(def.properties)) return def;
  return { ...def, properties: mergeProperties(path, {}, def.properties, String(def.subobjects ?? true) === 'false') };
}

/** The properties of a new mapping, normalized as a put-mapping into an empty one would leave them. */
export function normalizeProperties(properties: Json, flat: boolean): Json {
  return mergeProperties('', {}, properties, flat);
}
