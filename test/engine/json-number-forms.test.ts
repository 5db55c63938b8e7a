import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from '../../src/engine/json-numbers.js';
import { parseJsonSteps } from '../../src/engine/rest/paced-json.js';
import { toJsonText } from '../../src/engine/rest/json-text.js';
import { openTestClient, removeDir, tempDir, useTestClient } from './helpers.js';
import type { TestClient } from './helpers.js';

/** The response body's text as the engine wrote it (the client would parse `230.0` into 230). */
async function rawText(t: TestClient, method: string, path: string, body?: unknown): Promise<string> {
  const stream = (await t.client.transport.request({ method, path, ...(body !== undefined ? { body: body as Record<string, unknown> } : {}) }, { asStream: true })) as unknown as Readable;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Sends `text` as the body, unchanged (the client would serialize an object with JSON.stringify). */
async function sendText(t: TestClient, method: string, path: string, text: string, ndjson = false): Promise<void> {
  await t.client.transport.request({ method, path, ...(ndjson ? { bulkBody: text } : { body: text }) });
}

describe('integral numbers written as doubles (230.0, 1e2)', () => {
  const shared = useTestClient();
  const t = (): TestClient => shared as unknown as TestClient;

  it('are mapped dynamically as float, as Elasticsearch maps a DOUBLE token', async () => {
    await sendText(t(), 'PUT', '/forms/_doc/1?refresh=true', '{"d": 230.0, "e": 1e2, "l": 230, "a": [null, 4.0], "o": {"x.y": 7.00}}');
    const mapping = await t().client.indices.getMapping({ index: 'forms' });
    const props = mapping.forms!.mappings.properties as Record<string, { type?: string; properties?: Record<string, unknown> }>;
    expect(props.d?.type).toBe('float');
    expect(props.e?.type).toBe('float');
    expect(props.l?.type).toBe('long');
    expect(props.a?.type).toBe('float');
    expect(props.o?.properties).toEqual({ x: { properties: { y: { type: 'float' } } } });
  });

  it('come back in _source as they were sent, from get, search and source filtering', async () => {
    await sendText(t(), 'PUT', '/sent/_doc/1?refresh=true', '{"d": 230.0, "e": 1e2, "l": 230, "a": [1, 2.50, 3.0]}');
    expect(await rawText(t(), 'GET', '/sent/_source/1')).toBe('{"d":230.0,"e":1e2,"l":230,"a":[1,2.5,3.0]}');
    const search = await rawText(t(), 'POST', '/sent/_search', { _source: ['d', 'a'] });
    expect(search).toContain('"_source":{"d":230.0,"a":[1,2.5,3.0]}');
  });

  it('a partial update keeps the forms of the fields it leaves and of those it sends', async () => {
    await sendText(t(), 'PUT', '/updated/_doc/1', '{"a": 230.0, "o": {"x": 1.0, "y": 2.0}}');
    await sendText(t(), 'POST', '/updated/_update/1', '{"doc": {"b": 3.0, "o": {"y": 2}}}');
    expect(await rawText(t(), 'GET', '/updated/_source/1')).toBe('{"a":230.0,"o":{"x":1.0,"y":2},"b":3.0}');
  });

  it('in bulk sources, and survive a restart (translog and snapshot keep the form)', async () => {
    const dir = tempDir();
    const first = await openTestClient(dir);
    await sendText(first, 'POST', '/_bulk?refresh=true', '{"index":{"_index":"kept","_id":"1"}}\n{"n": 5.0}\n', true);
    await first.client.indices.flush({ index: 'kept' });
    await sendText(first, 'POST', '/_bulk?refresh=true', '{"index":{"_index":"kept","_id":"2"}}\n{"n": 6E0}\n', true);
    await first.close();
    const second = await openTestClient(dir);
    expect(await rawText(second, 'GET', '/kept/_source/1')).toBe('{"n":5.0}');
    expect(await rawText(second, 'GET', '/kept/_source/2')).toBe('{"n":6E0}');
    await second.close();
    removeDir(dir);
  });

  it('are Doubles to Painless: params.x / 2 divides as doubles', async () => {
    await t().client.index({ index: 'painless', id: '1', document: { n: 1 }, refresh: true });
    const text = await rawText(t(), 'POST', '/painless/_search', undefined);
    expect(text).toContain('"_id":"1"');
    const body = '{"script_fields": {"half": {"script": {"source": "params.x / 2", "params": {"x": 3.0}}}, "whole": {"script": {"source": "params.x / 2", "params": {"x": 3}}}}}';
    const answer = await t().client.transport.request<{ hits: { hits: Array<{ fields: Record<string, unknown[]> }> } }>({ method: 'POST', path: '/painless/_search', body });
    expect(answer.hits.hits[0]!.fields).toEqual({ half: [1.5], whole: [1] });
  });
});

describe('json-numbers', () => {
  it('parseJson and stringifyJson keep the forms of integral doubles only', () => {
    const text = '{"a":1.0,"b":[2,3e0,{"c":-4.00}],"d":"5.0","e":1.5,"f":7}';
    expect(stringifyJson(parseJson(text))).toBe(text.replace('"e":1.5', '"e":1.5'));
    expect(JSON.stringify(parseJson(text))).toBe('{"a":1,"b":[2,3,{"c":-4}],"d":"5.0","e":1.5,"f":7}');
  });

  it('a repeated key keeps the form of its last value, as JSON.parse keeps that value', () => {
    expect(stringifyJson(parseJson('{"a":1.0,"a":2}'))).toBe('{"a":2}');
    expect(stringifyJson(parseJson('{"a":1,"a":2.0}'))).toBe('{"a":2.0}');
  });

  it('a changed value loses its form', () => {
    const v = parseJson('{"a":1.0}') as { a: number };
    v.a = 2;
    expect(stringifyJson(v)).toBe('{"a":2}');
    expect(toJsonText(v, false)).toBe('{"a":2}');
  });

  it('keys with escapes and strings holding digits do not confuse the reading', () => {
    const text = '{"k\\"1":[1.0,"2.0]",{"x":"}"},3.0],"z":9.0}';
    expect(toJsonText(parseJson(text), false)).toBe(text);
  });

  it('the paced parser records the same forms', () => {
    const text = '{"a":[1.0,2,{"b":3e1}],"c":4.0}';
    const run = parseJsonSteps(text);
    let step = run.next();
    while (!step.done) step = run.next();
    expect(toJsonText(step.value, false)).toBe(text);
  });
});
