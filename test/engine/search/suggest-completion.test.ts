import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The completion suggester through the real client. Inputs are analyzed with the field's
 * analyzer (`simple` by default: letters only, lowercased) into forms like "nirvana", tokens
 * joined by U+001F, and a prefix matches on that analyzed form.
 */

type Option = { text: string; _index: string; _id: string; _score: number; _source?: Record<string, unknown> };
type Entry = { text: string; offset: number; length: number; options: Option[] };

const songs = [
  { _id: '1', title: 'Nevermind', artist: 'Nirvana', suggest: { input: ['Nevermind', 'Nirvana'], weight: 34 } },
  { _id: '2', title: 'Unplugged in New York', artist: 'Nirvana', suggest: { input: ['Nirvana Unplugged'], weight: 20 } },
  { _id: '3', title: 'The Downward Spiral', artist: 'Nine Inch Nails', suggest: { input: ['Nine Inch Nails'], weight: 20 } },
  { _id: '4', title: 'Bleach', artist: 'Nirvana', suggest: { input: 'Nirvana', weight: 10 } },
  { _id: '5', title: 'Silver Side Up', artist: 'Nickelback', suggest: 'Nickelback' },
  { _id: '6', title: 'Nerve Agents', artist: 'The Agents', suggest: { input: ['Nerve Agents'], weight: 40 } },
];

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'songs',
    {
      mappings: {
        properties: {
          title: { type: 'text', fields: { suggest: { type: 'completion' } } },
          artist: { type: 'keyword' },
          suggest: { type: 'completion' },
        },
      },
    },
    songs.map(({ _id, ...doc }) => [_id, doc]),
  );
  const band = { name: 'Foo Fighters', compact: 'Foo Fighters', stopped: 'The Beatles', holes: 'The Beatles', short: 'Nirvana Unplugged' };
  await createIndexWithDocs(
    client,
    'bands',
    {
      settings: { analysis: { analyzer: { stops: { type: 'stop' } } } },
      mappings: {
        properties: {
          name: { type: 'completion' },
          compact: { type: 'completion', preserve_separators: false },
          stopped: { type: 'completion', analyzer: 'stops' },
          holes: { type: 'completion', analyzer: 'stops', preserve_position_increments: false },
          short: { type: 'completion', max_input_length: 7 },
        },
      },
    },
    [['b1', band]],
  );
});

async function complete(completion: Record<string, unknown>, extra: Record<string, unknown> = {}, index = 'songs'): Promise<Entry> {
  // completion bodies here are deliberately loose (some tests send invalid ones)
  const r = await t.client.search({ index, size: 0, suggest: { s: { ...extra, completion: completion as never } } });
  return (r.suggest as unknown as Record<string, Entry[]>).s![0]!;
}

const pairs = (e: Entry): Array<[string, string, number]> => e.options.map((o) => [o.text, o._id, o._score]);

describe('completion suggester', () => {
  it('ranks documents by weight, one option per document, ties by text', async () => {
    // "nir" prefixes "nirvana" (docs 1, 4) and "nirvana\u001funplugged" (doc 2); _score is the weight
    const e = await complete({ field: 'suggest' }, { prefix: 'nir' });
    expect(e).toMatchObject({ text: 'nir', offset: 0, length: 3 });
    expect(pairs(e)).toEqual([
      ['Nirvana', '1', 34],
      ['Nirvana Unplugged', '2', 20],
      ['Nirvana', '4', 10],
    ]);
    // "n" matches every input: doc 1 matches twice with weight 34 and reports its first input
    // in analyzed order ("nevermind" < "nirvana"); docs 3 and 2 tie at 20 and sort by text
    // ("Nine..." < "Nirvana..."); the default size 5 leaves out Nickelback (weight 1)
    const all = await complete({ field: 'suggest' }, { prefix: 'n' });
    expect(pairs(all)).toEqual([
      ['Nerve Agents', '6', 40],
      ['Nevermind', '1', 34],
      ['Nine Inch Nails', '3', 20],
      ['Nirvana Unplugged', '2', 20],
      ['Nirvana', '4', 10],
    ]);
    expect(pairs(await complete({ field: 'suggest', size: 2 }, { prefix: 'n' })).map((p) => p[1])).toEqual(['6', '1']);
  });

  it('skips repeated texts with skip_duplicates, keeping the best document', async () => {
    // doc 4's "Nirvana" (10) repeats doc 1's (34)
    const e = await complete({ field: 'suggest', skip_duplicates: true }, { prefix: 'nir' });
    expect(pairs(e)).toEqual([
      ['Nirvana', '1', 34],
      ['Nirvana Unplugged', '2', 20],
    ]);
  });

  it('matches the analyzed form: case, separators and text as the prefix', async () => {
    // "NIRVANA U" analyzes to "nirvana\u001fu": only doc 2's input continues that way
    expect(pairs(await complete({ field: 'suggest' }, { prefix: 'NIRVANA U' }))).toEqual([['Nirvana Unplugged', '2', 20]]);
    // `text` serves as the prefix when there is no prefix
    expect(pairs(await complete({ field: 'suggest' }, { text: 'nine' }))).toEqual([['Nine Inch Nails', '3', 20]]);
  });

  it('returns each option with _index, _id, _score and _source filtered as the request asks', async () => {
    const r = await t.client.search({ index: 'songs', size: 0, _source: ['artist'], suggest: { s: { prefix: 'nine', completion: { field: 'suggest' } } } });
    const o = (r.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]!;
    expect(o).toEqual({ text: 'Nine Inch Nails', _index: 'songs', _id: '3', _score: 20, _source: { artist: 'Nine Inch Nails' } });
    const full = await t.client.search({ index: 'songs', suggest: { s: { prefix: 'nine', completion: { field: 'suggest' } } } });
    expect((full.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]!._source).toEqual({ title: 'The Downward Spiral', artist: 'Nine Inch Nails', suggest: { input: ['Nine Inch Nails'], weight: 20 } });
    const none = await t.client.search({ index: 'songs', _source: false, suggest: { s: { prefix: 'nine', completion: { field: 'suggest' } } } });
    expect((none.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]).toEqual({ text: 'Nine Inch Nails', _index: 'songs', _id: '3', _score: 20 });
  });

  it('boosts fuzzy matches by the common prefix with the query (weight x prefix length)', async () => {
    // "nirvama" is 1 edit from "nirvana"; the automaton first accepts after "nirvana", which
    // shares "nirva" (5) with the query: scores 34 x 5, 20 x 5, 10 x 5
    expect(pairs(await complete({ field: 'suggest', fuzzy: true }, { prefix: 'nirvama' }))).toEqual([
      ['Nirvana', '1', 170],
      ['Nirvana Unplugged', '2', 100],
      ['Nirvana', '4', 50],
    ]);
    // "nirv": "nir" is already within 1 edit (v deleted) and shares 3 letters: 34 x 3, 20 x 3,
    // 10 x 3; "nerve" first accepts at "nerv" (1 substitution), sharing only "n": 40 x 1.
    // The exact prefix matches overtake the heavier fuzzy one.
    expect(pairs(await complete({ field: 'suggest', fuzzy: {} }, { prefix: 'nirv' }))).toEqual([
      ['Nirvana', '1', 102],
      ['Nirvana Unplugged', '2', 60],
      ['Nerve Agents', '6', 40],
      ['Nirvana', '4', 30],
    ]);
  });

  it('keeps the first prefix_length letters exact when fuzzy', async () => {
    // "mirvana" differs from "nirvana" in its first letter: with the default prefix_length 1
    // nothing matches; with 0 it is 1 substitution, sharing no prefix, so the score is the weight
    expect(pairs(await complete({ field: 'suggest', fuzzy: { fuzziness: 1 } }, { prefix: 'mirvana' }))).toEqual([]);
    expect(pairs(await complete({ field: 'suggest', fuzzy: { fuzziness: 1, prefix_length: 0 } }, { prefix: 'mirvana' }))).toEqual([
      ['Nirvana', '1', 34],
      ['Nirvana Unplugged', '2', 20],
      ['Nirvana', '4', 10],
    ]);
  });

  it('reads fuzziness AUTO as one edit (FuzzyOptions sizes AUTO without the text) and allows 2 on request', async () => {
    // "nurvama" is 2 substitutions from "nirvana" (u/i, m/n), sharing "n": score = weight x 1
    expect(pairs(await complete({ field: 'suggest', fuzzy: { fuzziness: 'AUTO' } }, { prefix: 'nurvama' }))).toEqual([]);
    expect(pairs(await complete({ field: 'suggest', fuzzy: { fuzziness: 2 } }, { prefix: 'nurvama' }))).toEqual([
      ['Nirvana', '1', 34],
      ['Nirvana Unplugged', '2', 20],
      ['Nirvana', '4', 10],
    ]);
    // transpositions count as one edit unless disabled: "nirvnaa" swaps "an"
    expect((await complete({ field: 'suggest', fuzzy: true }, { prefix: 'nirvnaa' })).options).toHaveLength(3);
    expect((await complete({ field: 'suggest', fuzzy: { transpositions: false } }, { prefix: 'nirvnaa' })).options).toHaveLength(0);
    // below min_length (3) the prefix must match exactly: "nx" matches nothing
    expect((await complete({ field: 'suggest', fuzzy: true }, { prefix: 'nx' })).options).toHaveLength(0);
  });

  it('matches a regex against the start of the analyzed form', async () => {
    // "n[ei]r" starts "nerve..." and "nirvana...", not "nevermind", "nine" or "nickelback"
    expect(pairs(await complete({ field: 'suggest' }, { regex: 'n[ei]r' }))).toEqual([
      ['Nerve Agents', '6', 40],
      ['Nirvana', '1', 34],
      ['Nirvana Unplugged', '2', 20],
      ['Nirvana', '4', 10],
    ]);
  });

  it('reads the regex flags and max_determinized_states (RegexOptions) instead of ignoring them', async () => {
    // with NONE, ~ is a literal character (no "n~e..." here); with COMPLEMENT, n~(e.*) is n then anything not starting with e
    expect((await complete({ field: 'suggest', regex: { flags: 'NONE' } }, { regex: 'n~(e.*)' })).options).toHaveLength(0);
    expect((await complete({ field: 'suggest', regex: { flags: 'COMPLEMENT' } }, { regex: 'n~(e.*)' })).options.length).toBeGreaterThan(0);
    await expect(complete({ field: 'suggest', regex: { flags: 'NOPE' } }, { regex: 'n' })).rejects.toThrow('Unknown regexp flag [NOPE]');
    await expect(complete({ field: 'suggest', regex: { max_determinized_states: 10 } }, { regex: '(a|b)*a(a|b){12}' })).rejects.toThrow(/too_complex_to_determinize_exception|Determinizing/);
  });

  it('suggests from a completion multi-field of a text field (weight 1)', async () => {
    expect(pairs(await complete({ field: 'title.suggest' }, { prefix: 'the d' }))).toEqual([['The Downward Spiral', '3', 1]]);
    expect(pairs(await complete({ field: 'title.suggest' }, { prefix: 'ne' }))).toEqual([
      ['Nerve Agents', '6', 1],
      ['Nevermind', '1', 1],
    ]);
  });

  it('honours preserve_separators, preserve_position_increments and max_input_length', async () => {
    const texts = async (field: string, prefix: string): Promise<string[]> => (await complete({ field }, { prefix }, 'bands')).options.map((o) => o.text);
    // "foo\u001ffighters" vs "foofighters"
    expect(await texts('name', 'foof')).toEqual([]);
    expect(await texts('compact', 'foof')).toEqual(['Foo Fighters']);
    // the stop analyzer drops "the": with position increments the form starts with a separator
    expect(await texts('stopped', 'b')).toEqual([]);
    expect(await texts('stopped', 'the b')).toEqual(['The Beatles']);
    expect(await texts('holes', 'b')).toEqual(['The Beatles']);
    // inputs are cut to max_input_length (7) before analysis, and reported cut
    expect(await texts('short', 'nirvana')).toEqual(['Nirvana']);
    expect(await texts('short', 'nirvana u')).toEqual([]);
  });

  it('works with only a suggest section, the global text and typed_keys', async () => {
    const r = await t.client.search({ index: 'songs', typed_keys: true, suggest: { text: 'nine', a: { completion: { field: 'suggest' } } } });
    expect(r.hits.hits.length).toBe(6);
    const entries = (r.suggest as unknown as Record<string, Entry[]>)['completion#a']!;
    expect(entries).toEqual([{ text: 'nine', offset: 0, length: 4, options: [{ text: 'Nine Inch Nails', _index: 'songs', _id: '3', _score: 20, _source: { title: 'The Downward Spiral', artist: 'Nine Inch Nails', suggest: { input: ['Nine Inch Nails'], weight: 20 } } }] }]);
  });

  it('fails as Elasticsearch does on a wrong field, contexts or an unknown suggester', async () => {
    const rootCause = async (completion: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const f = await failure(t.client.search({ index: 'songs', suggest: { s: { prefix: 'n', completion: completion as never } } }));
      expect(f.status).toBe(400);
      expect(f.error.type).toBe('search_phase_execution_exception');
      return (f.error.root_cause as Array<Record<string, unknown>>)[0]!;
    };
    expect(await rootCause({ field: 'artist' })).toMatchObject({ type: 'illegal_argument_exception', reason: 'Field [artist] is not a completion suggest field' });
    expect(await rootCause({ field: 'nope' })).toMatchObject({ type: 'illegal_argument_exception', reason: 'no mapping found for field [nope]' });
    expect(await rootCause({ field: 'suggest', contexts: { genre: ['rock'] } })).toMatchObject({ reason: "suggester [suggest] doesn't expect any context" });
    const missing = await failure(t.client.search({ index: 'songs', suggest: { s: { prefix: 'n', completion: { size: 2 } as never } } }));
    expect(missing).toMatchObject({ status: 400, error: { type: 'parse_exception', reason: 'the required field option [field] is missing' } });
    const unknown = await failure(t.client.search({ index: 'songs', suggest: { s: { prefix: 'n', autocomplete: { field: 'suggest' } } } as never }));
    expect(unknown).toMatchObject({ status: 400, error: { type: 'named_object_not_found_exception', reason: '[1:1] unknown field [autocomplete]' } });
  });

  it('merges several indices by score, skipping duplicates across them, and reports an index that fails', async () => {
    await t.client.indices.create({ index: 'more', mappings: { properties: { suggest: { type: 'completion' } } } });
    await t.client.index({ index: 'more', id: 'm1', document: { suggest: { input: 'Nirvana', weight: 50 } }, refresh: true });
    const r = await t.client.search({ index: 'songs,more', size: 0, suggest: { s: { prefix: 'nir', completion: { field: 'suggest', skip_duplicates: true } } } });
    const e = (r.suggest as unknown as Record<string, Entry[]>).s![0]!;
    // more's Nirvana (50) outranks songs' (34), which is then a duplicate
    expect(e.options.map((o) => [o._index, o._id, o.text, o._score])).toEqual([
      ['more', 'm1', 'Nirvana', 50],
      ['songs', '2', 'Nirvana Unplugged', 20],
    ]);
    // bands has no `suggest` field: its shard fails, songs still answers
    const partial = await t.client.search({ index: 'songs,bands', size: 0, suggest: { s: { prefix: 'nir', completion: { field: 'suggest' } } } });
    expect(partial._shards).toMatchObject({ total: 2, successful: 1, failed: 1 });
    expect(partial._shards.failures?.[0]).toMatchObject({ index: 'bands', reason: { type: 'illegal_argument_exception', reason: 'no mapping found for field [suggest]' } });
    expect((partial.suggest as unknown as Record<string, Entry[]>).s![0]!.options).toHaveLength(3);
  });
});
