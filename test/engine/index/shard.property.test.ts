import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { Shard } from '../../../src/engine/index/shard.js';
import { removeDir, tempDir } from '../helpers.js';

let dir: string;
let engine: Engine;
let run = 0;

const savedLimits = { ...Shard.bufferLimits };

beforeAll(async () => {
  // A tiny buffer, so that buffer write-outs between refreshes are exercised too.
  Shard.bufferLimits.docs = 4;
  dir = tempDir();
  engine = await Engine.open(dir);
});

afterAll(async () => {
  Object.assign(Shard.bufferLimits, savedLimits);
  await engine.close();
  removeDir(dir);
});

type Op = { kind: 'index'; id: number; words: string[]; tag: string } | { kind: 'delete'; id: number } | { kind: 'refresh' };

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'eps'];
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('index' as const), id: fc.integer({ min: 0, max: 7 }), words: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), tag: fc.constantFrom('x', 'y') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refresh' as const) }) },
);

describe('Shard against a naive reference', () => {
  it('agrees on live docs, postings (freqs and positions) and doc values after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const index = `prop-${run++}`;
        await engine.handle({ method: 'PUT', path: `/${index}`, body: JSON.stringify({ settings: { refresh_interval: -1 }, mappings: { properties: { body: { type: 'text' }, tag: { type: 'keyword' } } } }) });
        const reference = new Map<string, { words: string[]; tag: string }>();
        for (const o of ops) {
          if (o.kind === 'index') {
            await engine.handle({ method: 'PUT', path: `/${index}/_doc/${o.id}`, body: JSON.stringify({ body: o.words.join(' '), tag: o.tag }) });
            reference.set(String(o.id), { words: o.words, tag: o.tag });
          } else if (o.kind === 'delete') {
            await engine.handle({ method: 'DELETE', path: `/${index}/_doc/${o.id}` });
            reference.delete(String(o.id));
          } else {
            engine.indices.get(index)!.refresh();
          }
        }
        const view = engine.indices.get(index)!.refresh();
        expect(view.numDocs).toBe(reference.size);
        const seen = new Map<string, { postings: Map<string, number[]>; tag: readonly string[] | undefined }>();
        for (const segment of view.segments) {
          for (let doc = 0; doc < segment.maxDoc; doc++) {
            if (segment.isLive(doc)) seen.set(segment.id(doc), { postings: new Map(), tag: segment.keywordValues('tag', doc) });
          }
          for (const term of segment.terms('body')) {
            const postings = segment.postings('body', term)!;
            postings.docs.forEach((doc, i) => {
              if (!segment.isLive(doc)) return;
              expect(postings.freqs[i]).toBe(postings.positions![i]!.length);
              seen.get(segment.id(doc))!.postings.set(term, [...postings.positions![i]!]);
            });
          }
        }
        expect([...seen.keys()].sort()).toEqual([...reference.keys()].sort());
        for (const [id, doc] of reference) {
          const expected = new Map<string, number[]>();
          doc.words.forEach((word, position) => expected.set(word, [...(expected.get(word) ?? []), position]));
          expect(seen.get(id)!.postings).toEqual(expected);
          expect(seen.get(id)!.tag).toEqual([doc.tag]);
        }
        await engine.handle({ method: 'DELETE', path: `/${index}` });
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
