import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The term suggester through the real client: Lucene's DirectSpellChecker over the field's
 * terms. Score (string_distance internal) = 1 - edits / min(length of candidate, of token),
 * edits counting a transposition as one; freq = docFreq.
 */

type Option = { text: string; score: number; freq: number };
type Entry = { text: string; offset: number; length: number; options: Option[] };

// 11 documents. docFreq: quick 3, brown 3, bread 2, the 2, and 2; every other term 1
// (quack, quiet, quirk, brawn, brain, broken, butter, ...).
const bodies = [
  'the quick brown fox',
  'the quick brown dog',
  'quick thinking',
  'quack quack',
  'brown bread',
  'brawn and muscle',
  'a quiet evening',
  'quirk of fate',
  'bread and butter',
  'broken arrow',
  'brain storm',
];

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'notes',
    { mappings: { properties: { body: { type: 'text' }, tag: { type: 'keyword' } } } },
    bodies.map((body, i) => [String(i + 1), { body, tag: 'x' }]),
  );
});

async function suggest(text: string, term: Record<string, unknown>): Promise<Entry[]> {
  const r = await t.client.search({ index: 'notes', size: 0, suggest: { s: { text, term: { field: 'body', ...term } } } });
  return (r.suggest as unknown as Record<string, Entry[]>).s!;
}

const opts = (e: Entry | undefined): Array<[string, number, number]> => (e?.options ?? []).map((o) => [o.text, o.score, o.freq]);

describe('term suggester', () => {
  it('suggests per analyzed token with offsets, best score then frequency then text', async () => {
    const [quikc, brwn] = await suggest('quikc brwn', {});
    expect(quikc).toMatchObject({ text: 'quikc', offset: 0, length: 5 });
    expect(brwn).toMatchObject({ text: 'brwn', offset: 6, length: 4 });
    // quikc -> quick: "kc"/"ck" transposed, 1 edit: 1 - 1/5 = 0.8. quack (i/a + transposition),
    // quiet (k/e, c/t), quirk (k/r, c/k) are 2 edits: 1 - 2/5 = 0.6, equal freq 1, by text.
    expect(opts(quikc)).toEqual([
      ['quick', 0.8, 3],
      ['quack', 0.6, 1],
      ['quiet', 0.6, 1],
      ['quirk', 0.6, 1],
    ]);
    // brwn -> brown, brawn: one insertion, 1 - 1/min(5, 4) = 0.75 (brown first: freq 3);
    // brain: 2 edits, 1 - 2/4 = 0.5, just at the default accuracy 0.5; bread is 3 edits away
    expect(opts(brwn)).toEqual([
      ['brown', 0.75, 3],
      ['brawn', 0.75, 1],
      ['brain', 0.5, 1],
    ]);
  });

  it('suggest_mode missing (default) leaves indexed terms alone; popular wants more frequent; always does not care', async () => {
    // brawn is in 1 doc. brown (3 docs) and brain (1 doc) are 1 substitution away: 0.8.
    expect(opts((await suggest('brawn', {}))[0])).toEqual([]);
    expect(opts((await suggest('brawn', { suggest_mode: 'popular' }))[0])).toEqual([['brown', 0.8, 3]]);
    expect(opts((await suggest('brawn', { suggest_mode: 'always' }))[0])).toEqual([
      ['brown', 0.8, 3],
      ['brain', 0.8, 1],
    ]);
  });

  it('skips tokens more frequent than max_term_freq (0.01 of the docs by default)', async () => {
    // quick is in 3 docs > ceil(0.01 x 11) = 1: no suggestion even in always mode. With
    // max_term_freq 3 (absolute): quack, quirk 1 substitution (0.8), quiet 2 (0.6).
    expect(opts((await suggest('quick', { suggest_mode: 'always' }))[0])).toEqual([]);
    expect(opts((await suggest('quick', { suggest_mode: 'always', max_term_freq: 3 }))[0])).toEqual([
      ['quack', 0.8, 1],
      ['quirk', 0.8, 1],
      ['quiet', 0.6, 1],
    ]);
  });

  it('sorts by score or by frequency, and trims to size', async () => {
    // brean: bread is 1 substitution (n/d): 0.8. brown (freq 3), brain and brawn (freq 1) are
    // 2 substitutions: 0.6, ordered by freq then text
    expect(opts((await suggest('brean', {}))[0])).toEqual([
      ['bread', 0.8, 2],
      ['brown', 0.6, 3],
      ['brain', 0.6, 1],
      ['brawn', 0.6, 1],
    ]);
    expect(opts((await suggest('brean', { sort: 'frequency' }))[0]).map((o) => o[0])).toEqual(['brown', 'bread', 'brain', 'brawn']);
    expect(opts((await suggest('brean', { size: 2 }))[0]).map((o) => o[0])).toEqual(['bread', 'brown']);
  });

  it('applies max_edits, prefix_length, min_word_length and min_doc_freq', async () => {
    // max_edits 1 drops the 2-edit candidates
    expect(opts((await suggest('brean', { max_edits: 1 }))[0]).map((o) => o[0])).toEqual(['bread']);
    // "vrown": with prefix_length 1 candidates must start with "v". With 0, the 1-edit pass finds
    // brown (0.8); the 2-edit pass always keeps 1 prefix char, so brawn (2 edits) stays out.
    expect(opts((await suggest('vrown', {}))[0])).toEqual([]);
    expect(opts((await suggest('vrown', { prefix_length: 0 }))[0])).toEqual([['brown', 0.8, 3]]);
    // brwn has 4 letters
    expect(opts((await suggest('brwn', { min_word_length: 5 }))[0])).toEqual([]);
    // min_doc_freq 2: candidates must be in more than 2 docs
    expect(opts((await suggest('brean', { min_doc_freq: 2 }))[0])).toEqual([['brown', 0.6, 3]]);
  });

  it('limits candidates with shard_size and max_inspections', async () => {
    // brwn with one option per shard: the best of brown, brawn (0.75) and brain (0.5) is brown
    expect(opts((await suggest('brwn', { shard_size: 1 }))[0]).map((o) => o[0])).toEqual(['brown']);
    // with 1 x 1 inspections the 1-edit pass keeps the first 0.75 term in term order (brawn),
    // the equally scored brown is not competitive, and a full queue skips the 2-edit pass
    expect(opts((await suggest('brwn', { shard_size: 1, max_inspections: 1 }))[0]).map((o) => o[0])).toEqual(['brawn']);
  });

  it('scores with the other string distances', async () => {
    // levenshtein: 1 - edits / max(len): brown, brawn 1 - 1/5 = 0.8; brain 1 - 2/5 = 0.6
    expect(opts((await suggest('brwn', { string_distance: 'levenshtein' }))[0])).toEqual([
      ['brown', 0.8, 3],
      ['brawn', 0.8, 1],
      ['brain', 0.6, 1],
    ]);
    // damerau_levenshtein over the shorter length, as internal: quick 0.8
    expect(opts((await suggest('quikc', { string_distance: 'damerau_levenshtein' }))[0])[0]).toEqual(['quick', 0.8, 3]);
    // jaro_winkler brwn/brown: 4 matches, no transposition, common prefix "br" (2):
    // j = (4/4 + 4/5 + 4/4) / 3 = 0.9333333; + min(0.1, 1/5) x 2 x (1 - j) = 0.9466667
    const jw = opts((await suggest('brwn', { string_distance: 'jaro_winkler' }))[0]);
    expect(jw[0]?.[0]).toBe('brown');
    expect(jw[0]?.[1]).toBeCloseTo(0.9466667, 6);
  });

  it('analyzes the text with `analyzer` and answers under the global text and typed_keys', async () => {
    const simple = await suggest('brwn2', { analyzer: 'simple' });
    expect(simple[0]).toMatchObject({ text: 'brwn', offset: 0, length: 4 });
    expect((await suggest('brwn2', {}))[0]).toMatchObject({ text: 'brwn2', offset: 0, length: 5 });
    const r = await t.client.search({ index: 'notes', typed_keys: true, suggest: { text: 'brawn', s: { term: { field: 'body', suggest_mode: 'popular' } } } });
    expect((r.suggest as unknown as Record<string, Entry[]>)['term#s']).toEqual([{ text: 'brawn', offset: 0, length: 5, options: [{ text: 'brown', score: 0.8, freq: 3 }] }]);
    expect(r.hits.total).toEqual({ value: 11, relation: 'eq' });
  });

  it('fails as Elasticsearch does on bad options', async () => {
    const unknown = await failure(t.client.search({ index: 'notes', suggest: { s: { text: 'x', term: { field: 'body', foo: 1 } as never } } }));
    expect(unknown).toMatchObject({ status: 400, error: { type: 'parsing_exception', reason: "suggester[term] doesn't support field [foo]" } });
    const edits = await failure(t.client.search({ index: 'notes', suggest: { s: { text: 'x', term: { field: 'body', max_edits: 3 } } } }));
    expect(edits).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', reason: 'maxEdits must be between 1 and 2' } });
    const distance = await failure(t.client.search({ index: 'notes', suggest: { s: { text: 'x', term: { field: 'body', string_distance: 'bogus' as never } } } }));
    expect(distance.error.reason).toBe('Illegal distance option bogus');
    const unmapped = await failure(t.client.search({ index: 'notes', suggest: { s: { text: 'x', term: { field: 'nope' } } } }));
    expect(unmapped.error.type).toBe('search_phase_execution_exception');
    expect((unmapped.error.root_cause as Array<Record<string, unknown>>)[0]).toMatchObject({ type: 'illegal_argument_exception', reason: 'no mapping found for field [nope]' });
    const noText = await failure(t.client.search({ index: 'notes', suggest: { s: { term: { field: 'body' } } } }));
    expect((noText.error.root_cause as Array<Record<string, unknown>>)[0]).toMatchObject({ reason: 'The required text option is missing' });
  });

  it('merges the indices of a search, summing frequencies', async () => {
    await t.client.indices.create({ index: 'notes2', mappings: { properties: { body: { type: 'text' } } } });
    await t.client.index({ index: 'notes2', id: 'n1', document: { body: 'brown bread' }, refresh: true });
    const r = await t.client.search({ index: 'notes,notes2', size: 0, suggest: { s: { text: 'brean', term: { field: 'body' } } } });
    // notes: bread 0.8 (2), brown 0.6 (3), brain 0.6 (1), brawn 0.6 (1); notes2: bread 0.8 (1), brown 0.6 (1)
    expect(opts((r.suggest as unknown as Record<string, Entry[]>).s![0])).toEqual([
      ['bread', 0.8, 3],
      ['brown', 0.6, 4],
      ['brain', 0.6, 1],
      ['brawn', 0.6, 1],
    ]);
  });
});
