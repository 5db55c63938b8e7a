import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import type { IndexView } from '../../../src/engine/contract.js';
import { removeDir, tempDir } from '../helpers.js';

async function withIndex(mappings: Record<string, unknown>, fn: (engine: Engine) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const engine = await Engine.open(dir);
  try {
    await engine.handle({ method: 'PUT', path: '/ix', body: JSON.stringify({ settings: { refresh_interval: -1 }, mappings }) });
    await fn(engine);
  } finally {
    await engine.close();
    removeDir(dir);
  }
}

const put = (engine: Engine, id: string, doc: unknown) => engine.handle({ method: 'PUT', path: `/ix/_doc/${id}`, body: JSON.stringify(doc) });
const view = (engine: Engine): IndexView => engine.indices.get('ix')!.searchView();
const refresh = (engine: Engine) => engine.indices.get('ix')!.refresh();

describe('Shard', () => {
  it('builds postings with freqs and positions, field lengths and doc values at refresh', async () => {
    await withIndex({ properties: { body: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' } } }, async (engine) => {
      await put(engine, '1', { body: 'the quick fox jumps over the lazy dog', tag: ['b', 'a', 'b'], n: [3, 1] });
      await put(engine, '2', { body: ['fox', 'the fox'], tag: 'c' });
      expect(view(engine).segments).toHaveLength(0);
      refresh(engine);
      const v = view(engine);
      expect(v.numDocs).toBe(2);
      const segment = v.segments[0]!;
      const the = segment.postings('body', 'the')!;
      expect([...the.docs]).toEqual([0, 1]);
      expect([...the.freqs]).toEqual([2, 1]);
      expect([...the.positions![0]!]).toEqual([0, 5]);
      // position_increment_gap 100 between the values of a multi-valued text field
      expect([...segment.postings('body', 'fox')!.positions![1]!]).toEqual([0, 102]);
      expect(segment.fieldLength('body', 0)).toBe(8);
      expect(segment.fieldLength('body', 1)).toBe(3);
      expect(segment.keywordValues('tag', 0)).toEqual(['a', 'b']);
      expect(segment.numericValues('n', 0)).toEqual([1, 3]);
      expect(segment.hasField('n', 1)).toBe(false);
      expect(segment.terms('tag')).toEqual(['a', 'b', 'c']);
      expect(v.fieldStats('body')).toEqual({ docCount: 2, sumTotalTermFreq: 11, sumDocFreq: 9 });
      expect(v.docFreq('body', 'fox')).toBe(2);
    });
  });

  it('keeps older views unchanged after deletes (copy-on-write live docs) and counts deleted docs in stats', async () => {
    await withIndex({ properties: { body: { type: 'text' } } }, async (engine) => {
      await put(engine, '1', { body: 'alpha' });
      await put(engine, '2', { body: 'alpha beta' });
      refresh(engine);
      const before = view(engine);
      await engine.handle({ method: 'DELETE', path: '/ix/_doc/1' });
      await put(engine, '3', { body: 'gamma' });
      expect(view(engine)).toBe(before);
      refresh(engine);
      const after = view(engine);
      expect(before.numDocs).toBe(2);
      expect(before.segments[0]!.isLive(0)).toBe(true);
      expect(after.numDocs).toBe(2);
      expect(after.segments[0]!.isLive(0)).toBe(false);
      expect(after.segments[0]!.isLive(1)).toBe(true);
      // Lucene counts deleted-but-unmerged docs in the statistics
      expect(after.docFreq('body', 'alpha')).toBe(2);
    });
  });

  it('indexes nested objects as child docs placed before their parent', async () => {
    await withIndex({ properties: { comments: { type: 'nested', properties: { author: { type: 'keyword' } } }, title: { type: 'text' } } }, async (engine) => {
      await put(engine, '1', { title: 'post', comments: [{ author: 'ann' }, { author: 'bob' }] });
      refresh(engine);
      const segment = view(engine).segments[0]!;
      expect(segment.maxDoc).toBe(3);
      expect(segment.nestedPath(0)).toBe('comments');
      expect(segment.parentOf(0)).toBe(2);
      expect(segment.nestedOffset(1)).toBe(1);
      expect(segment.keywordValues('comments.author', 1)).toEqual(['bob']);
      expect(segment.source(2)).toEqual({ title: 'post', comments: [{ author: 'ann' }, { author: 'bob' }] });
      expect(segment.id(0)).toBe('1');
      expect(view(engine).mapping.nestedPaths()).toEqual(['comments']);
      expect(view(engine).mapping.field('comments.author')!.nestedPath).toBe('comments');
    });
  });

  it('merges small segments, dropping deleted docs, and keeps documents reachable', async () => {
    await withIndex({ properties: { body: { type: 'text' } } }, async (engine) => {
      for (let i = 0; i < 30; i++) {
        await put(engine, String(i), { body: `doc number ${i}` });
        if (i % 3 === 0) await engine.handle({ method: 'DELETE', path: `/ix/_doc/${i}` });
        refresh(engine);
      }
      const v = view(engine);
      expect(v.segments.length).toBeLessThanOrEqual(10);
      expect(v.numDocs).toBe(20);
      expect(v.docFreq('body', 'doc')).toBeGreaterThanOrEqual(20);
      const got = await engine.handle({ method: 'GET', path: '/ix/_doc/29' });
      expect(JSON.parse(got.body)._source).toEqual({ body: 'doc number 29' });
      await put(engine, '29', { body: 'replaced' });
      refresh(engine);
      expect(view(engine).numDocs).toBe(20);
    });
  });

  it('drops keyword values past ignore_above and applies normalizers', async () => {
    await withIndex({ properties: { k: { type: 'keyword', ignore_above: 3 }, l: { type: 'keyword', normalizer: 'lowercase' } } }, async (engine) => {
      await put(engine, '1', { k: ['abc', 'abcd'], l: 'HeLLo' });
      refresh(engine);
      const segment = view(engine).segments[0]!;
      expect(segment.keywordValues('k', 0)).toEqual(['abc']);
      expect(segment.keywordValues('l', 0)).toEqual(['hello']);
    });
  });

  it('copies values with copy_to and indexes multi-fields', async () => {
    await withIndex({ properties: { first: { type: 'text', copy_to: 'all' }, last: { type: 'text', copy_to: 'all' }, all: { type: 'text' }, title: { type: 'text', fields: { raw: { type: 'keyword' } } } } }, async (engine) => {
      await put(engine, '1', { first: 'John', last: 'Smith', title: 'Big Title' });
      refresh(engine);
      const segment = view(engine).segments[0]!;
      expect(segment.terms('all')).toEqual(['john', 'smith']);
      expect(segment.keywordValues('title.raw', 0)).toEqual(['Big Title']);
      expect(view(engine).mapping.field('title.raw')!.type).toBe('keyword');
    });
  });
});

describe('Shard buffer', () => {
  it('writes a full buffer out as a segment that only the next refresh makes visible', async () => {
    const { Shard } = await import('../../../src/engine/index/shard.js');
    const saved = { ...Shard.bufferLimits };
    Shard.bufferLimits.docs = 3;
    try {
      await withIndex({ properties: { body: { type: 'text' } } }, async (engine) => {
        for (let i = 0; i < 8; i++) await put(engine, String(i), { body: `word${i} common` });
        await engine.handle({ method: 'DELETE', path: '/ix/_doc/1' });
        await put(engine, '2', { body: 'changed' });
        expect(view(engine).numDocs).toBe(0);
        expect(JSON.parse((await engine.handle({ method: 'GET', path: '/ix/_doc/0' })).body)._source).toEqual({ body: 'word0 common' });
        refresh(engine);
        const v = view(engine);
        expect(v.segments.length).toBeGreaterThanOrEqual(3);
        expect(v.numDocs).toBe(7);
        let live = 0;
        for (const segment of v.segments) {
          const postings = segment.postings('body', 'common');
          postings?.docs.forEach((doc) => segment.isLive(doc) && live++);
        }
        expect(live).toBe(6);
      });
    } finally {
      Object.assign(Shard.bufferLimits, saved);
    }
  });
});
