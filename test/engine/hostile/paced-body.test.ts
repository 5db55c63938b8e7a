import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedJson, parseJsonSteps } from '../../../src/engine/rest/paced-json.js';
import { decodeUtf8Steps } from '../../../src/engine/rest/utf8-steps.js';
import { runSteps } from '../../../src/engine/search/paced-run.js';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/**
 * Issue 12: large bodies are parsed a slice at a time, and `_count`, scroll pages, fetch and
 * `_msearch` pause between slices too. The parser must build exactly what JSON.parse builds.
 */
const parse = (text: string): unknown => runSteps(parseJsonSteps(text));

/** What JSON.parse does with `text`: its value, or that it throws. */
function native(text: string): { value?: unknown; threw?: true } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { threw: true };
  }
}

describe('the paced JSON parser', () => {
  it('builds what JSON.parse builds, for random JSON with random whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t', ' \r\n'), (value, space) => {
        const text = ` ${JSON.stringify(value, null, space)}\n`;
        expect(parse(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps __proto__ as an own key, a repeated key at its first place with its last value, and reads escapes and numbers as JSON.parse does', () => {
    for (const text of ['{"__proto__":{"x":1},"a":2}', '{"a":1,"b":2,"a":3}', '["\\u00e9\\n\\"\\\\\\/", "\\ud83d\\ude00"]', '[1e400,-0,0.1e-7,123456789012345678901234567890,-1.5E+3]', '{"":""}']) {
      expect(parse(text)).toStrictEqual(JSON.parse(text));
    }
    const proto = parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('throws MalformedJson exactly where JSON.parse throws, on random mangled texts', () => {
    const mangled = fc.tuple(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\u0001', 'x', '01', '-', '.5', '\\', ':')).map(([v, at, insert]) => {
      const text = JSON.stringify(v);
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i);
    });
    fc.assert(
      fc.property(mangled, (text) => {
        const expected = native(text);
        if (expected.threw) expect(() => parse(text)).toThrow(MalformedJson);
        else expect(parse(text)).toStrictEqual(expected.value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the paced UTF-8 decoder', () => {
  // bytes likely to form (and break) multi-byte sequences: leads, continuations, BOM, overlongs
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x41, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0x90, 0xa0));
  const text = fc.array(fc.oneof(fc.string({ unit: 'binary' }).map((s) => [...Buffer.from(s)]), fc.array(byte, { maxLength: 8 })), { maxLength: 20 }).map((parts) => Uint8Array.from(parts.flat()));

  it('decodes in pieces exactly what Buffer.toString decodes at once, malformed sequences included', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 9 }), (bytes, chunk) => {
        const steps = decodeUtf8Steps(bytes, chunk);
        expect(runSteps(steps)).toBe(Buffer.from(bytes).toString('utf8'));
      }),
      { numRuns: 3000 },
    );
  });

  it('pauses between pieces of a large body', () => {
    const bytes = Buffer.from('é'.repeat(3000));
    let pauses = 0;
    const steps = decodeUtf8Steps(bytes, 1000);
    for (let r = steps.next(); !r.done; r = steps.next()) pauses++;
    expect(pauses).toBeGreaterThanOrEqual(5);
  });
});

const DOCS = 5000;
const shared = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'docs', { mappings: { properties: { k: { type: 'keyword' }, body: { type: 'text' } } } }, Array.from({ length: DOCS }, (_, i): [string, Record<string, unknown>] => [String(i), { k: `k${i % 100}`, body: `common text ${i}` }]));
});

const json = { 'content-type': 'application/json' };

describe('large requests pause for other requests', () => {
  it('a ~11 MB _count body is parsed a slice at a time and counted as JSON.parse would read it', async () => {
    const values = Array.from({ length: 60_000 }, (_, i) => `k${i}`);
    const body = JSON.stringify({ query: { bool: { filter: [{ terms: { k: values } }], should: [{ match: { body: 'common' } }] } } });
    // whitespace up to ~11 MB: JSON, and scanned and parsed like the rest
    const padded = `${body.slice(0, -1)}${' '.repeat(11_000_000)}}`;
    const res = await shared.engine.handle({ method: 'POST', path: '/docs/_count', headers: json, body: padded });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body)).count).toBe(DOCS);
    // an 11 MB scan cannot fit in one slice: the request let others run
    expect(res.pacing!.yields).toBeGreaterThan(0);
  });

  it('an _msearch of 2,000 searches pauses between them, with every answer in order', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `{}\n${JSON.stringify({ size: 1, query: { term: { k: `k${i % 100}` } } })}`);
    const res = await shared.engine.handle({ method: 'POST', path: '/docs/_msearch', headers: { 'content-type': 'application/x-ndjson' }, body: `${lines.join('\n')}\n` });
    expect(res.statusCode).toBe(200);
    const responses = JSON.parse(String(res.body)).responses as Array<{ hits: { total: { value: number } } }>;
    expect(responses.map((r) => r.hits.total.value)).toEqual(Array.from({ length: 2000 }, () => DOCS / 100));
    expect(res.pacing!.yields).toBeGreaterThan(0);
  });

  it('a 5,000-hit page, and its scroll pages, fetch a slice at a time', async () => {
    const first = await shared.engine.handle({ method: 'POST', path: '/docs/_search', querystring: 'scroll=1m', headers: json, body: JSON.stringify({ size: 2500, sort: ['_doc'] }) });
    expect(first.statusCode).toBe(200);
    const page1 = JSON.parse(String(first.body)) as { _scroll_id: string; hits: { hits: Array<{ _id: string }> } };
    const next = await shared.engine.handle({ method: 'POST', path: '/_search/scroll', headers: json, body: JSON.stringify({ scroll: '1m', scroll_id: page1._scroll_id }) });
    const page2 = JSON.parse(String(next.body)) as { hits: { hits: Array<{ _id: string }> } };
    expect(new Set([...page1.hits.hits, ...page2.hits.hits].map((h) => h._id)).size).toBe(DOCS);
    expect(first.pacing!.yields + next.pacing!.yields).toBeGreaterThan(0);
  });
});
