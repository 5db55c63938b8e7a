import type { FieldInfo, IndexView, SegmentView } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { compileScript, emittedValue } from '../../index/mapping/index-time-scripts.js';
import type { EmittedValue } from '../../index/mapping/index-time-scripts.js';
import { quantize } from '../../geo/geo-encoding.js';
import { formatIp, parseIp } from '../../ip-address.js';
import { formatDate, storedFieldValues } from '../doc-fields.js';
import { JsonDouble } from '../float-format.js';
import type { CompiledScript } from './painless.js';
import { fromJson } from './java-values.js';

/** Compiled once per field definition (a mapping update makes new FieldInfo objects). */
const compiled = new WeakMap<FieldInfo, CompiledScript>();

/**
 * The `fields` values of a mapped field with an index-time script, as Elasticsearch 8's value
 * fetcher gives them (FieldValues.valueFetcher): the script is run again on the stored document and
 * its values are returned in the order it emits them, formatted as the field type prints them
 * (dates in the field's format, geo points as GeoJSON). docvalue_fields, queries and aggregations
 * read the values indexed when the document was.
 */
export function indexScriptValues(view: IndexView, f: FieldInfo, seg: SegmentView, doc: number, format: string | undefined): unknown[] {
  const spec = f.indexScript!;
  let script = compiled.get(f);
  if (!script) {
    script = compileScript(spec.source, spec.params, (path) => view.mapping.field(path), f);
    compiled.set(f, script);
  }
  const emitted: EmittedValue[] = [];
  const readsSource = spec.source.includes('_source');
  const readsFields = spec.source.includes('_fields');
  let params;
  if (readsSource || readsFields) {
    const source = seg.source(doc) ?? {};
    const stored = readsFields ? storedFieldValues(view, seg.storedSource?.(doc) ?? source, ['*']) : {};
    const fieldsParam = Object.fromEntries(Object.entries(stored).map(([path, values]) => [path, { value: values[0] ?? null, values }]));
    params = fromJson({ ...spec.params, ...(readsSource ? { _source: source } : {}), ...(readsFields ? { _fields: fieldsParam } : {}) });
  }
  const run = script;
  try {
    run.run({ doc, values: run.segmentValues(seg), ...(params ? { params } : {}), emit: (args, at) => emitted.push(emittedValue(run, f.type, args, at)) });
  } catch (e) {
    // on_script_error: continue: the document has no values for the field (it is in `_ignored`)
    if (spec.continueOnError && e instanceof EngineError && e.status === 400) return [];
    throw e;
  }
  // BooleanFieldScript keeps counts of falses and trues: its values come back falses first
  const ordered = f.type === 'boolean' ? [...emitted].sort((a, b) => Number('json' in a && a.json === true) - Number('json' in b && b.json === true)) : emitted;
  return ordered.map((v) => fetchedValue(f, v, format));
}

function fetchedValue(f: FieldInfo, v: EmittedValue, format: string | undefined): unknown {
  if ('millis' in v) return formatDate(v.millis, format ?? f.dateFormat);
  const value = v.json;
  switch (f.type) {
    case 'double':
      return new JsonDouble(value as number);
    case 'ip': {
      const bytes = parseIp(String(value));
      return bytes ? formatIp(bytes) : value;
    }
    case 'geo_point': {
      // GeoPointFieldScript keeps the point as it indexes it (encoded), printed as GeoJSON
      const { lat, lon } = value as { lat: number; lon: number };
      const point = quantize(lat, lon);
      return { type: 'Point', coordinates: [new JsonDouble(point.lon), new JsonDouble(point.lat)] };
    }
    default:
      return value;
  }
}
