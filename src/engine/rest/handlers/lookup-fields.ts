import type { SearchTarget } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { parseLookupField } from '../../index/mapping/runtime-fields.js';
import type { LookupSpec } from '../../index/mapping/runtime-fields.js';
import { simpleMatcher } from '../../automaton/simple-match.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A search body with its `lookup` runtime fields taken out, and what to do with them after the fetch. */
export interface LookupPlan {
  /** The body the search runs: no lookup fields in runtime_mappings, their input fields fetched. */
  body: Json;
  /** The lookup fields `fields` asks for. */
  lookups: LookupSpec[];
  /** Input fields fetched only for the lookups: removed from the hits afterwards. */
  added: string[];
}

/** Every key and string of a value: the names a query, aggregation or sort may use a field under. */
function namesIn(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 64) return out;
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const item of value) namesIn(item, out, depth + 1);
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.add(key);
      namesIn(item, out, depth + 1);
    }
  }
  return out;
}

/**
 * The `lookup` runtime fields of a search's runtime_mappings (LookupRuntimeFieldType, Elasticsearch
 * 8.2+). They are fetched only: a query, aggregation, sort or anything else naming one is refused
 * (Elasticsearch: "Cannot search on field [x] since it is a lookup field."). Returns undefined when
 * the search has none.
 */
export function planLookups(body: Json, targets: readonly SearchTarget[]): LookupPlan | undefined {
  const runtime = body.runtime_mappings;
  if (!isRecord(runtime)) return undefined;
  const specs = new Map<string, LookupSpec>();
  const rest: Json = {};
  for (const [name, def] of Object.entries(runtime)) {
    if (isRecord(def) && def.type === 'lookup') specs.set(name, parseLookupField(name, def));
    else rest[name] = def;
  }
  if (specs.size === 0) return undefined;
  const others = namesIn(Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'fields' && key !== 'runtime_mappings')), new Set());
  for (const name of specs.keys()) {
    if (others.has(name)) throw new EngineError(400, 'illegal_argument_exception', `Cannot search on field [${name}] since it is a lookup field.`);
  }
  const requested = Array.isArray(body.fields) ? body.fields : body.fields === undefined ? [] : [body.fields];
  const fields: unknown[] = [];
  const lookups: LookupSpec[] = [];
  for (const entry of requested) {
    const pattern = isRecord(entry) ? String(entry.field) : String(entry);
    const matched = [...specs.values()].filter((s) => (pattern.includes('*') ? simpleMatcher(pattern).test(s.name) : s.name === pattern));
    for (const s of matched) if (!lookups.includes(s)) lookups.push(s);
    if (matched.length === 0 || pattern.includes('*')) fields.push(entry);
  }
  const names = new Set(fields.map((f) => (isRecord(f) ? String(f.field) : String(f))));
  const added: string[] = [];
  for (const s of lookups) {
    // LookupFieldValueFetcher: the input field must be mapped (or a runtime field) in every index searched
    for (const t of targets) {
      if (!t.view.mapping.field(s.inputField) && !Object.hasOwn(rest, s.inputField)) {
        throw new EngineError(400, 'query_shard_exception', `No field mapping can be found for the field with name [${s.inputField}]`, { index: t.view.index });
      }
    }
    if (!names.has(s.inputField)) {
      names.add(s.inputField);
      added.push(s.inputField);
      fields.push(s.inputField);
    }
  }
  const out: Json = { ...body, fields };
  if (Object.keys(rest).length > 0) out.runtime_mappings = rest;
  else delete out.runtime_mappings;
  return { body: out, lookups, added };
}

/** Runs one lookup: the first hit of `target_index` whose target_field holds `value`, its fetch_fields. */
export type LookupSearch = (spec: LookupSpec, value: unknown) => Promise<Json | undefined>;

/**
 * FetchLookupFieldsPhase: each hit's lookup fields, one entry per input value whose lookup found a
 * document with any of the fetch_fields (a map of field name to values); a hit whose lookups found
 * nothing has no such field.
 */
export async function resolveLookups(response: Json, plan: LookupPlan, search: LookupSearch): Promise<Json> {
  const hits = (response.hits as { hits?: Json[] } | undefined)?.hits ?? [];
  for (const hit of hits) {
    const fields = isRecord(hit.fields) ? hit.fields : {};
    for (const spec of plan.lookups) {
      const inputs = Array.isArray(fields[spec.inputField]) ? (fields[spec.inputField] as unknown[]) : [];
      const found: Json[] = [];
      for (const input of inputs) {
        const fetched = await search(spec, input);
        if (fetched && Object.keys(fetched).length > 0) found.push(fetched);
      }
      if (found.length > 0) fields[spec.name] = found;
    }
    for (const name of plan.added) delete fields[name];
    if (Object.keys(fields).length > 0) hit.fields = fields;
    else delete hit.fields;
  }
  return response;
}
