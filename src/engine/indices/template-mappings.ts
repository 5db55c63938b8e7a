type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of plain JSON. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `{_doc: {...}}` (a typed template mapping) -> its inner mapping; anything else as it is. */
export function stripDocType(mapping: Json): Json {
  const keys = Object.keys(mapping);
  return keys.length === 1 && keys[0] === '_doc' && isRecord(mapping._doc) ? mapping._doc : mapping;
}

/** An object-like field definition (no `type`, or `object` / `nested`): merged, not replaced. */
function isObjectLike(field: Json): boolean {
  return field.type === undefined || field.type === 'object' || field.type === 'nested';
}

/**
 * `properties` whose names hold dots (`object1.red`) as the object tree they stand for
 * (ObjectMapper.TypeParser expands them the same way before any merge).
 */
function expandDots(properties: Json): Json {
  const out: Json = {};
  for (const [name, raw] of Object.entries(properties)) {
    if (!isRecord(raw)) {
      out[name] = raw;
      continue;
    }
    const field = isRecord(raw.properties) ? { ...raw, properties: expandDots(raw.properties) } : raw;
    const parts = name.split('.');
    if (parts.length === 1 || parts.some((p) => p === '')) {
      out[name] = Object.hasOwn(out, name) && isRecord(out[name]) ? mergeField(out[name] as Json, field) : field;
      continue;
    }
    let wrapped: Json = field;
    for (let i = parts.length - 1; i >= 1; i--) wrapped = { properties: { [parts[i]!]: wrapped } };
    const head = parts[0]!;
    out[head] = Object.hasOwn(out, head) && isRecord(out[head]) ? mergeField(out[head] as Json, wrapped) : wrapped;
  }
  return out;
}

function mergeProperties(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [name, field] of Object.entries(over)) {
    const old = Object.hasOwn(out, name) ? out[name] : undefined;
    out[name] = isRecord(old) && isRecord(field) ? mergeField(old, field) : field;
  }
  return out;
}

/** Two definitions of one field: objects merge (parameters replaced, properties merged); a leaf is replaced whole. */
function mergeField(base: Json, over: Json): Json {
  if (!isObjectLike(base) || !isObjectLike(over)) return over;
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === 'properties' && isRecord(value) && isRecord(out.properties)) out.properties = mergeProperties(out.properties, value);
    else out[key] = value;
  }
  return out;
}

/** dynamic_templates by name: a later one of the same name takes the place (at the end) of the earlier one. */
function mergeDynamicTemplates(base: unknown, over: unknown): unknown {
  if (!Array.isArray(base) || !Array.isArray(over)) return over;
  const byName = new Map<string, unknown>();
  for (const entry of [...base, ...over]) {
    const name = isRecord(entry) ? (Object.keys(entry)[0] ?? '') : '';
    byName.delete(name);
    byName.set(name, entry);
  }
  return [...byName.values()];
}

/**
 * The mappings of a composable template's parts (component templates in `composed_of` order, the
 * template's own, then the create request's) merged as MapperService merges them with
 * MergeReason.INDEX_TEMPLATE: later definitions of a field replace earlier ones (a type may change),
 * objects merge their properties, dynamic_templates merge by name.
 */
export function mergeTemplateMappings(mappings: readonly Json[]): Json {
  let out: Json = {};
  for (const raw of mappings) {
    const mapping = stripDocType(cloneJson(raw));
    if (isRecord(mapping.properties)) mapping.properties = expandDots(mapping.properties);
    const next: Json = { ...out };
    for (const [key, value] of Object.entries(mapping)) {
      const old = Object.hasOwn(next, key) ? next[key] : undefined;
      if (key === 'properties' && isRecord(old) && isRecord(value)) next.properties = mergeProperties(old, value);
      else if (key === 'dynamic_templates') next[key] = mergeDynamicTemplates(old, value);
      else if ((key === '_meta' || key === '_source' || key === '_routing') && isRecord(old) && isRecord(value)) next[key] = { ...old, ...value };
      else next[key] = value;
    }
    out = next;
  }
  return out;
}

/**
 * XContentHelper.mergeDefaults: what `defaults` has that `content` lacks is added (maps merge
 * recursively); `content` wins where both have a value. Legacy templates reach an index this way,
 * the request over the highest order over the lower orders.
 */
export function mergeDefaults(content: Json, defaults: Json): Json {
  const out: Json = { ...content };
  for (const [key, value] of Object.entries(defaults)) {
    const own = Object.hasOwn(out, key) ? out[key] : undefined;
    if (own === undefined) out[key] = cloneJson(value);
    else if (isRecord(own) && isRecord(value)) out[key] = mergeDefaults(own, value);
  }
  return out;
}
