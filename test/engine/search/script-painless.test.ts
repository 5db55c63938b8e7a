import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  const res = await engine.handle({ method, path, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Json, text: String(res.body) };
}

/** The script field `v` of doc `id`, as the response text spells it (Java typing shows as `3` vs `3.0`). */
async function value(source: string, id = 'a', params: Json = {}): Promise<{ json: unknown; text: string }> {
  const r = await call('POST', '/s/_search', { query: { ids: { values: [id] } }, script_fields: { v: { script: { source, params } } } });
  if (r.status !== 200) throw new Error(`script failed: ${r.text}`);
  const match = /"v":\[(.*?)\]/.exec(r.text);
  return { json: (r.body.hits.hits[0].fields as Json).v[0], text: match?.[1] ?? '' };
}

/** A failing script: the shard failure's cause (a search_phase_execution_exception wraps it, as in ES). */
async function failure(source: string, id = 'a'): Promise<{ status: number; error: Json }> {
  const r = await call('POST', '/s/_search', { query: { ids: { values: [id] } }, script_fields: { v: { script: { source } } } });
  expect(r.body.error.type).toBe('search_phase_execution_exception');
  return { status: r.status, error: r.body.error.caused_by as Json };
}

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = { properties: { n: { type: 'long' }, i: { type: 'integer' }, d: { type: 'double' }, k: { type: 'keyword' }, b: { type: 'boolean' }, t: { type: 'text' }, many: { type: 'long' } } };
  expect((await call('PUT', '/s', { mappings })).status).toBe(200);
  expect((await call('PUT', '/s/_doc/a', { n: 7, i: 3, d: 2.5, k: 'x', b: true, t: 'hello', many: [5, 1, 3] })).status).toBe(201);
  expect((await call('PUT', '/s/_doc/empty', { t: 'nothing else' })).status).toBe(201);
  await call('POST', '/s/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('Java numeric typing', () => {
  it('int literals divide as integers and doubles do not', async () => {
    expect((await value('7 / 2')).text).toBe('3');
    expect((await value('-7 / 2')).text).toBe('-3');
    expect((await value('7 % -3')).text).toBe('1');
    expect((await value('7.0 / 2')).text).toBe('3.5');
    expect((await value('6 / 2.0')).text).toBe('3.0');
  });
  it('int arithmetic overflows at 32 bits, long at 64', async () => {
    expect((await value('2147483647 + 1')).json).toBe(-2147483648);
    expect((await value('2147483647L + 1')).json).toBe(2147483648);
    expect((await value('46341 * 46341')).json).toBe(-2147479015);
    expect((await value('9223372036854775807L + 1')).text).toBe('-9223372036854775808');
  });
  it('doc values of integer types are longs, so long arithmetic applies', async () => {
    expect((await value("doc['i'].value * 2147483647")).json).toBe(3 * 2147483647);
    expect((await value("doc['n'].value / 2")).text).toBe('3');
    expect((await value("doc['d'].value * 2")).text).toBe('5.0');
  });
  it('casts narrow as Java does', async () => {
    expect((await value('(int) 3.99')).text).toBe('3');
    expect((await value('(int) -3.99')).text).toBe('-3');
    expect((await value('(long) 1e30')).text).toBe('9223372036854775807');
    expect((await value('(double) 1 / 4')).text).toBe('0.25');
  });
  it('string concatenation prints numbers as Java does', async () => {
    expect((await value("'v' + 1.0")).json).toBe('v1.0');
    expect((await value("1 + 2 + 'x'")).json).toBe('3x');
    expect((await value("'x' + 1 + 2")).json).toBe('x12');
    expect((await value("doc['k'].value + '-' + doc['n'].value")).json).toBe('x-7');
  });
  it('Math functions return doubles, Math.round a long', async () => {
    // Painless whitelists Math's double overloads only: Math.max(1, 2) is the double 2.0
    expect((await value('Math.max(1, 2)')).text).toBe('2.0');
    expect((await value('Math.round(2.5)')).text).toBe('3');
    expect((await value('Math.round(-2.5)')).text).toBe('-2');
    expect((await value('Math.sqrt(16)')).text).toBe('4.0');
    expect((await value('Math.log10(1000)')).text).toBe('3.0');
  });
  it('params keep their JSON types: int, long, double', async () => {
    expect((await value('params.a / 2', 'a', { a: 5 })).text).toBe('2');
    expect((await value("params['a'] / 2", 'a', { a: 5.0 })).text).toBe('2');
    expect((await value('params.a / 2', 'a', { a: 5.5 })).text).toBe('2.75');
    expect((await value('params.missing == null', 'a')).json).toBe(true);
  });
  it('logical, ternary and comparison operators mix int and long by value', async () => {
    expect((await value("doc['n'].value == 7 && !(doc['i'].value > 3) ? 'yes' : 'no'")).json).toBe('yes');
    expect((await value("doc['b'].value ? 1 : 0")).json).toBe(1);
  });
});

describe('doc access', () => {
  it('size(), empty and indexing over sorted multi-values', async () => {
    expect((await value("doc['many'].size()")).json).toBe(3);
    expect((await value("doc['many'][0]")).json).toBe(1);
    expect((await value("doc['many'].get(2)")).json).toBe(5);
    expect((await value('doc.many.value')).json).toBe(1);
    expect((await value("doc['n'].empty", 'empty')).json).toBe(true);
    expect((await value("doc['n'].size() == 0 ? -1 : doc['n'].value", 'empty')).json).toBe(-1);
  });
  it('value on a document without one is an illegal_state_exception in a script_exception', async () => {
    const f = await failure("doc['n'].value + 1", 'empty');
    expect(f.status).toBe(400);
    const cause = JSON.stringify(f.error);
    expect(cause).toContain('script_exception');
    expect(cause).toContain('illegal_state_exception');
    expect(cause).toContain("A document doesn't have a value for a field! Use doc[<field>].size()==0 to check if a document is missing a field!");
  });
  it('an unmapped field fails when read', async () => {
    const f = await failure("doc['nope'].value");
    expect(JSON.stringify(f.error)).toContain('No field found for [nope] in mapping');
  });
  it('integer division by zero is an arithmetic_exception, double division gives Infinity', async () => {
    expect(JSON.stringify((await failure('1 / 0')).error)).toContain('arithmetic_exception');
    expect((await value('1.0 / 0 > 1e308')).json).toBe(true);
  });
});

describe('refusals', () => {
  const refused = async (source: string, what: string): Promise<void> => {
    const f = await failure(source);
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('script_exception');
    expect(f.error.reason).toBe('compile error');
    expect(f.error.lang).toBe('painless');
    expect(f.error.script).toBe(source);
    expect(Array.isArray(f.error.script_stack)).toBe(true);
    expect(String(f.error.caused_by.reason)).toContain(what);
  };
  it('lambdas, arrays, try/catch, ctx and unknown symbols name what is not supported', async () => {
    await refused('x -> x', 'lambdas');
    await refused('int[] a = new int[2]; return a;', 'arrays');
    await refused('try { return 1 } catch (Exception e) { return 2 }', 'try/catch');
    await refused('ctx._source.n', '[ctx]');
    await refused('Math.random()', '[Math.random()]');
    await refused('return y + 1', 'cannot resolve symbol [y]');
    await refused("doc['t'].value", 'type [text]');
  });
  it('genuine syntax errors are compile errors with a position', async () => {
    const f = await failure('1 +');
    expect(f.error.reason).toBe('compile error');
    expect(f.error.position).toBeDefined();
    expect((await failure('2147483648')).error.caused_by.reason).toContain('invalid int constant');
  });
  it('other languages are refused and a missing stored script is not found', async () => {
    const lang = await call('POST', '/s/_search', { script_fields: { v: { script: { source: '1', lang: 'expression' } } } });
    expect(lang.status).toBe(400);
    expect(lang.text).toContain('expression');
    const stored = await call('POST', '/s/_search', { script_fields: { v: { script: { id: 'my-script' } } } });
    expect(stored.status).toBe(404);
    expect(stored.text).toContain('unable to find script [my-script] in cluster state');
    const other = await call('POST', '/s/_search', { script_fields: { v: { script: { source: '1', lang: 'groovy' } } } });
    expect(other.body.error.reason).toBe('script_lang not supported [groovy]');
  });
});

describe('script_score and script queries', () => {
  it('script_score scores with the script value times boost; min_score applies after boost', async () => {
    const r = await call('POST', '/s/_search', { query: { script_score: { query: { match_all: {} }, script: "doc['n'].size() == 0 ? 0.5 : doc['n'].value", boost: 2, min_score: 2 } } });
    expect(r.status).toBe(200);
    expect(r.body.hits.hits.map((h: Json) => [h._id, h._score])).toEqual([['a', 14]]);
  });
  it('a negative script score fails as Elasticsearch does', async () => {
    const r = await call('POST', '/s/_search', { query: { script_score: { query: { ids: { values: ['a'] } }, script: '-1' } } });
    expect(r.status).toBe(400);
    expect(r.text).toContain('script_score script returned an invalid score [-1.0] for doc [');
  });
  it('script query filters on a boolean script', async () => {
    const r = await call('POST', '/s/_search', { query: { bool: { filter: { script: { script: "doc['n'].size() > 0 && doc['n'].value > 5" } } } } });
    expect(r.body.hits.hits.map((h: Json) => h._id)).toEqual(['a']);
  });
  it('function_score script_score multiplies the query score by the script value (with weight) and refuses negatives', async () => {
    const base = await call('POST', '/s/_search', { query: { ids: { values: ['a'] } } });
    const r = await call('POST', '/s/_search', {
      query: { function_score: { query: { ids: { values: ['a'] } }, functions: [{ script_score: { script: { source: "doc['n'].value + _score", params: {} } }, weight: 2 }] } },
    });
    expect(r.status).toBe(200);
    const q = base.body.hits.hits[0]._score as number;
    expect(r.body.hits.hits[0]._score).toBeCloseTo(q * 2 * (7 + q), 5);
    const neg = await call('POST', '/s/_search', { query: { function_score: { query: { match_all: {} }, script_score: { script: '-2.5' } } } });
    expect(neg.status).toBe(400);
    expect(neg.text).toContain('script score function must not produce negative scores, but got: [-2.5]');
  });
  it('script rescorer replaces the window scores with the script value, _score being the previous pass', async () => {
    const r = await call('POST', '/s/_search', { query: { match_all: {} }, rescore: { window_size: 1, script: { script: { source: "_score + params.add", params: { add: 10 } } } } });
    expect(r.status).toBe(200);
    expect(r.body.hits.hits.map((h: Json) => h._score)).toEqual([11, 1]);
  });
});
