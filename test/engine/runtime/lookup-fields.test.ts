import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

const location = { type: 'lookup', target_index: 'ip_locations', input_field: 'ip', target_field: 'ip', fetch_fields: ['city', { field: 'since', format: 'yyyy' }] };

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  await call('PUT', '/ip_locations', { mappings: { properties: { ip: { type: 'keyword' }, city: { type: 'keyword' }, since: { type: 'date' } } } });
  await call('PUT', '/ip_locations/_doc/1', { ip: '10.0.0.1', city: 'Montreal', since: '2019-05-01' });
  await call('PUT', '/ip_locations/_doc/2?refresh=true', { ip: '10.0.0.2', city: 'Toronto' });
  await call('PUT', '/logs', { mappings: { properties: { ip: { type: 'keyword' }, ord: { type: 'long' } } } });
  await call('PUT', '/logs/_doc/1', { ip: ['10.0.0.1', '10.0.0.9', '10.0.0.2'], ord: 1 });
  await call('PUT', '/logs/_doc/2?refresh=true', { ip: '10.0.0.9', ord: 2 });
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('lookup runtime fields', () => {
  it('fetches, per input value, the fetch_fields of the first matching document of the target index', async () => {
    const r = await call('POST', '/logs/_search', { runtime_mappings: { location }, sort: 'ord', fields: ['location'] });
    expect(r.status).toBe(200);
    expect(r.body.hits.hits[0].fields).toEqual({ location: [{ city: ['Montreal'], since: ['2019'] }, { city: ['Toronto'] }] });
    // no input value found anything: the hit has no such field (and the input field, not asked for, is not shown)
    expect(r.body.hits.hits[1].fields).toBeUndefined();
  });

  it('keeps the input field when the request asks for it too', async () => {
    const r = await call('POST', '/logs/_search', { runtime_mappings: { location }, sort: 'ord', fields: ['ip', 'loc*'] });
    expect(r.body.hits.hits[1].fields).toEqual({ ip: ['10.0.0.9'] });
    expect(r.body.hits.hits[0].fields.location).toHaveLength(2);
  });

  it('refuses a query, aggregation or sort on a lookup field', async () => {
    const q = await call('POST', '/logs/_search', { runtime_mappings: { location }, query: { term: { location: 'x' } } });
    expect(q.status).toBe(400);
    expect(q.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Cannot search on field [location] since it is a lookup field.' });
    const a = await call('POST', '/logs/_search', { runtime_mappings: { location }, aggs: { l: { terms: { field: 'location' } } } });
    expect(a.status).toBe(400);
  });

  it('validates the definition as LookupRuntimeFieldType does', async () => {
    const self = await call('POST', '/logs/_search', { runtime_mappings: { ip2: { ...location, input_field: 'ip2' } }, fields: ['ip2'] });
    expect(self.status).toBe(400);
    expect(self.body.error.reason).toBe("lookup field [ip2] can't use input from itself");
    const empty = await call('POST', '/logs/_search', { runtime_mappings: { l: { ...location, fetch_fields: [] } }, fields: ['l'] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.reason).toBe('[fetch_fields] parameter must not be empty');
    const unmapped = await call('POST', '/logs/_search', { runtime_mappings: { l: { ...location, input_field: 'nope' } }, fields: ['l'] });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.error.reason).toBe('No field mapping can be found for the field with name [nope]');
  });

  it('is refused in an index mapping (built for runtime_mappings only)', async () => {
    const r = await call('PUT', '/with_lookup', { mappings: { runtime: { location } } });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toContain('not supported');
  });
});
