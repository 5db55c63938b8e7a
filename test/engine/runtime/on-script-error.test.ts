import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

const THROWING = "if (doc['n'].value < 0) throw new IllegalArgumentException('negative'); emit(doc['n'].value * 2);";

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = {
    runtime: {
      lenient: { type: 'long', script: THROWING, on_script_error: 'continue' },
      strict: { type: 'long', script: THROWING },
      partial: { type: 'long', script: "emit(1); if (doc['n'].value < 0) throw new Exception('late');", on_script_error: 'continue' },
    },
    properties: { n: { type: 'long' } },
  };
  expect((await call('PUT', '/e', { mappings })).status).toBe(200);
  await call('PUT', '/e/_doc/1', { n: 2 });
  await call('PUT', '/e/_doc/2', { n: -1 });
  await call('POST', '/e/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('on_script_error of runtime fields', () => {
  it('gives a failing document no values with continue', async () => {
    const r = await call('POST', '/e/_search', { sort: ['n'], fields: ['lenient'], query: { exists: { field: 'lenient' } } });
    expect(r.body.hits.hits.map((h: Json) => [h._id, h.fields.lenient])).toEqual([['1', [4]]]);
  });
  it('fails the search with the thrown exception by default', async () => {
    const r = await call('POST', '/e/_search', { fields: ['strict'] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'script_exception', reason: 'runtime error', caused_by: { type: 'illegal_argument_exception', reason: 'negative' } });
  });
  it('refuses a script that failed after emitting values rather than guess which values stay', async () => {
    const r = await call('POST', '/e/_search', { fields: ['partial'] });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error)).toContain('on_script_error: continue');
  });
  it('prints continue in the mapping and refuses an unknown value', async () => {
    const m = await call('GET', '/e/_mapping');
    expect(m.body.e.mappings.runtime.lenient.on_script_error).toBe('continue');
    const bad = await call('PUT', '/e2', { mappings: { runtime: { x: { type: 'long', script: 'emit(1)', on_script_error: 'ignore' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('mapper_parsing_exception');
  });
});
