import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

const THROWING = "if (doc['n'].value < 0) throw new IllegalArgumentException('negative'); emit(doc['n'].value * 2);";

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const created = await call('PUT', '/calc', {
    mappings: {
      properties: {
        n: { type: 'long' },
        when: { type: 'date' },
        name: { type: 'keyword', store: true },
        // emits the digits of n, last digit first
        digits: { type: 'long', script: "long t = doc['n'].value; while (t != 0) { emit(t % 10); t /= 10; }" },
        twice: { type: 'long', script: { source: "emit(doc['n'].value * params.factor)", params: { factor: 2 } } },
        // reads another scripted field: that script runs first
        twice_plus_one: { type: 'long', script: "for (long v : doc['twice']) { emit(v + 1); }" },
        // DateFieldScript's parse(): the value read with the field's own format
        next_day: { type: 'date', script: 'emit(parse(params._source.when) + 86400000L);' },
        day: { type: 'date', format: 'yyyy-MM-dd', script: "emit(doc['when'].value.toInstant().toEpochMilli());" },
        label: { type: 'keyword', script: "for (String v : params._fields.name.values) { emit('n_' + v); }" },
        lenient: { type: 'long', script: THROWING, on_script_error: 'continue' },
        one: { type: 'long', script: 'emit(1)', on_script_error: 'fail' },
      },
    },
  });
  expect(created.status).toBe(200);
  await call('PUT', '/calc/_doc/1', { n: 302, when: '2024-02-28T10:00:00Z', name: 'a' });
  await call('PUT', '/calc/_doc/2?refresh=true', { n: -7, when: '2024-03-01T00:00:00Z', name: 'b' });
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('index-time scripts on mapped fields', () => {
  it('prints the script in its full form in the mapping', async () => {
    const m = await call('GET', '/calc/_mapping');
    const props = m.body.calc.mappings.properties;
    expect(props.digits.script).toEqual({ source: "long t = doc['n'].value; while (t != 0) { emit(t % 10); t /= 10; }", lang: 'painless' });
    expect(props.twice.script).toEqual({ source: "emit(doc['n'].value * params.factor)", lang: 'painless', params: { factor: 2 } });
    expect(props.lenient.on_script_error).toBe('continue');
    // the default is not printed
    expect(props.one).toEqual({ type: 'long', script: { source: 'emit(1)', lang: 'painless' } });
  });

  it('indexes what the script emits: queries and aggregations read it, not _source', async () => {
    const term = await call('POST', '/calc/_search', { query: { term: { twice_plus_one: 605 } } });
    expect(term.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['1']);
    const range = await call('POST', '/calc/_search', { query: { range: { next_day: { gte: '2024-03-02' } } } });
    expect(range.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['2']);
    const agg = await call('POST', '/calc/_search', { size: 0, aggs: { d: { terms: { field: 'digits' } } } });
    expect(agg.body.aggregations.d.buckets).toEqual([
      { key: 0, doc_count: 1 },
      { key: 2, doc_count: 1 },
      { key: 3, doc_count: 1 },
      { key: -7, doc_count: 1 },
    ].sort((a, b) => a.key - b.key).sort((a, b) => b.doc_count - a.doc_count));
    const source = await call('GET', '/calc/_doc/1');
    expect(source.body._source).toEqual({ n: 302, when: '2024-02-28T10:00:00Z', name: 'a' });
  });

  it('returns the script run again in emit order from `fields`, and sorted doc values from docvalue_fields', async () => {
    const r = await call('POST', '/calc/_search', { query: { ids: { values: ['1'] } }, fields: ['digits', 'next_day', 'day', 'label', 'twice_plus_one'], docvalue_fields: ['twice'] });
    const fields = r.body.hits.hits[0].fields;
    expect(fields.digits).toEqual([2, 0, 3]);
    expect(fields.next_day).toEqual(['2024-02-29T10:00:00.000Z']);
    expect(fields.day).toEqual(['2024-02-28']);
    expect(fields.label).toEqual(['n_a']);
    expect(fields.twice_plus_one).toEqual([605]);
    expect(fields.twice).toEqual([604]);
    const dv = await call('POST', '/calc/_search', { query: { ids: { values: ['1'] } }, docvalue_fields: ['digits'] });
    expect(dv.body.hits.hits[0].fields.digits).toEqual([0, 2, 3]);
  });

  it('with on_script_error: continue leaves the field empty and names it in _ignored', async () => {
    const r = await call('POST', '/calc/_search', { query: { term: { _ignored: 'lenient' } } });
    expect(r.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['2']);
    const exists = await call('POST', '/calc/_search', { query: { exists: { field: 'lenient' } } });
    expect(exists.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['1']);
  });

  it('fails the document when a script fails without on_script_error: continue', async () => {
    await call('PUT', '/strict', { mappings: { properties: { n: { type: 'long' }, s: { type: 'long', script: THROWING } } } });
    const r = await call('PUT', '/strict/_doc/1', { n: -1 });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('document_parsing_exception');
    expect(r.body.error.reason).toBe('Error executing script on field [s]');
    expect(r.body.error.caused_by.type).toBe('script_exception');
    const ok = await call('PUT', '/strict/_doc/2', { n: 1 });
    expect(ok.status).toBe(201);
  });

  it('refuses a value given for a field with a script', async () => {
    const r = await call('PUT', '/calc/_doc/3', { n: 1, twice: 5 });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('document_parsing_exception');
    expect(r.body.error.caused_by).toMatchObject({ type: 'illegal_argument_exception', reason: 'Cannot index data directly into a field with a [script] parameter' });
  });

  it('refuses a value copied into a field with a script', async () => {
    await call('PUT', '/copying', { mappings: { properties: { src: { type: 'long', copy_to: 'calc' }, calc: { type: 'long', script: 'emit(1)' } } } });
    const r = await call('PUT', '/copying/_doc/1', { src: 3 });
    expect(r.status).toBe(400);
    expect(r.body.error.caused_by.reason).toBe('Cannot index data directly into a field with a [script] parameter');
  });

  it('refuses a script using Painless the engine does not run, naming it, when the mapping is created', async () => {
    const r = await call('PUT', '/regex', { mappings: { properties: { m: { type: 'keyword' }, ip: { type: 'ip', script: "Matcher x = /(?=[0-9])([^ ]+) .+/.matcher(doc['m'].value); if (x.matches()) { emit(x.group(1)); }" } } } });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toContain('regular expressions: lookaround groups');
    expect(r.body.error.reason).toContain('is not supported by the indexkit embedded engine');
  });

  it('refuses the parameters a scripted field cannot have', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'long', script: 'emit(1)', fields: { k: { type: 'keyword' } } }, 'Cannot define multifields on a field with a script'],
      [{ type: 'long', script: 'emit(1)', copy_to: 'other' }, 'Cannot define copy_to parameter on a field with a script'],
      [{ type: 'long', script: 'emit(1)', index: false, doc_values: false }, 'Cannot define script on field with index:false and doc_values:false'],
      [{ type: 'long', script: 'emit(1)', null_value: 1 }, 'Field [null_value] cannot be set in conjunction with field [script]'],
      [{ type: 'keyword', on_script_error: 'continue' }, 'Field [on_script_error] requires field [script] to be configured'],
    ];
    for (const [field, reason] of cases) {
      const r = await call('PUT', '/bad', { mappings: { properties: { f: field, other: { type: 'long' } } } });
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('mapper_parsing_exception');
      expect(r.body.error.reason).toBe(`Failed to parse mapping: ${reason}`);
    }
  });
});

describe('index.mapping.total_fields.limit', () => {
  it('counts the runtime fields of the mapping (a composite once)', async () => {
    const settings = { 'index.mapping.total_fields.limit': 3 };
    const fits = await call('PUT', '/limit1', {
      settings,
      mappings: { properties: { a: { type: 'keyword' } }, runtime: { r: { type: 'long' }, c: { type: 'composite', script: "emit(['x': 1, 'y': 2])", fields: { x: { type: 'long' }, y: { type: 'long' } } } } },
    });
    expect(fits.status).toBe(200);
    const over = await call('PUT', '/limit2', { settings, mappings: { properties: { a: { type: 'keyword' }, b: { type: 'keyword' } }, runtime: { r: { type: 'long' }, s: { type: 'long' } } } });
    expect(over.status).toBe(400);
    expect(over.body.error.reason).toBe('Failed to parse mapping: Limit of total fields [3] has been exceeded');
    const added = await call('PUT', '/limit1/_mapping', { runtime: { s: { type: 'double' } } });
    expect(added.status).toBe(400);
    expect(added.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Limit of total fields [3] has been exceeded' });
    const replaced = await call('PUT', '/limit1/_mapping', { runtime: { r: { type: 'double' } } });
    expect(replaced.status).toBe(200);
  });
});

describe('match on a keyword field with an analyzer', () => {
  it('analyzes the text with the given analyzer', async () => {
    await call('PUT', '/kw', { mappings: { properties: { d: { type: 'keyword' } } } });
    await call('PUT', '/kw/_doc/1?refresh=true', { d: 'Monday' });
    const plain = await call('POST', '/kw/_search', { query: { match: { d: 'Monday' } } });
    expect(plain.body.hits.total.value).toBe(1);
    const analyzed = await call('POST', '/kw/_search', { query: { match: { d: { query: 'Monday', analyzer: 'standard' } } } });
    expect(analyzed.body.hits.total.value).toBe(0);
  });
});

describe('geo_point fields with and without a script', () => {
  it('computes a point from doc values, fetches points as GeoJSON and doc values as "lat, lon"', async () => {
    const created = await call('PUT', '/places', {
      mappings: {
        properties: {
          location: { type: 'geo_point' },
          shifted: { type: 'geo_point', script: "emit(doc['location'].lat, doc['location'].lon + 1);" },
        },
      },
    });
    expect(created.status).toBe(200);
    await call('PUT', '/places/_doc/1?refresh=true', { location: { lat: 13.5, lon: 34.89 } });
    const r = await call('POST', '/places/_search', { fields: ['location', 'shifted'], docvalue_fields: ['shifted'] });
    const hit = r.body.hits.hits[0];
    // fields: the source point as given for the mapped field; the script's point as indexed (encoded)
    expect(hit.fields.location).toEqual([{ type: 'Point', coordinates: [34.89, 13.5] }]);
    expect(hit.fields.shifted).toEqual(['13.499999991618097, 35.88999987579882']);
    const fetched = await call('POST', '/places/_search', { fields: ['shifted'] });
    expect(fetched.body.hits.hits[0].fields.shifted[0].type).toBe('Point');
    const near = await call('POST', '/places/_search', { query: { geo_distance: { distance: '10km', shifted: { lat: 13.5, lon: 35.89 } } } });
    expect(near.body.hits.total.value).toBe(1);
  });
});
