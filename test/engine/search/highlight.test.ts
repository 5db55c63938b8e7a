import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * Highlighting through the real client, with the fragments Elasticsearch 8's unified highlighter
 * returns worked out by hand (sentence boundaries, BoundedBreakIteratorScanner windows, Lucene's
 * PassageScorer where the choice of passage depends on it).
 */

// "Cats purr softly. " is [0,18), "Dogs bark loudly at night. " [18,45), "Birds sing in the morning." [45,71)
const ANIMALS = 'Cats purr softly. Dogs bark loudly at night. Birds sing in the morning.';

const docs: Record<string, Record<string, unknown>> = {
  animals: { title: 'Animal sounds', body: ANIMALS, tag: 'animals', n: 1 },
  fox: { title: 'The Fox', body: 'The fox and the hound', tag: 'story', n: 2 },
  quick: { title: 'Quick things', body: 'quick brown fox and a brown quick dog', n: 3 },
  tags: { title: 'Fruit', tags: ['red apple', 'green pear', 'red cherry'], n: 4 },
  running: { title: 'Running Foxes', body: 'nothing here', n: 5 },
  html: { title: 'Cartoons', body: 'Tom & Jerry <b>cartoon</b> "fun"/x', n: 6 },
  words: { title: 'Words', body: 'alpha beta gamma delta epsilon zeta eta theta iota kappa', n: 7 },
};

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'hl',
    {
      settings: {
        analysis: {
          filter: { animal_synonyms: { type: 'synonym', synonyms: ['fox, hound'] } },
          analyzer: { synonyms: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'animal_synonyms'] } },
        },
      },
      mappings: {
        properties: {
          title: { type: 'text', fields: { english: { type: 'text', analyzer: 'english' }, raw: { type: 'keyword' } } },
          body: { type: 'text', search_analyzer: 'standard' },
          story: { type: 'text', search_analyzer: 'synonyms' },
          tag: { type: 'keyword' },
          tags: { type: 'text' },
          n: { type: 'long' },
        },
      },
    },
    Object.entries(docs).map(([id, source]) => [id, id === 'fox' ? { ...source, story: source.body } : source]),
  );
});

/** hit id -> highlight of a search. */
async function hl(query: estypes.QueryDslQueryContainer, highlight: estypes.SearchHighlight): Promise<Record<string, Record<string, string[]> | undefined>> {
  const r = await t.client.search({ index: 'hl', query, highlight, size: 20 });
  return Object.fromEntries(r.hits.hits.map((h) => [h._id as string, h.highlight]));
}

describe('highlight: fragments', () => {
  it('tags every match in one passage when the field fits in fragment_size (100)', async () => {
    const r = await hl({ match: { body: 'dogs night' } }, { fields: { body: {} } });
    // the passage starts at the sentence of "Dogs" (18) and the rest of the text (53 chars) fits in 100
    expect(r.animals).toEqual({ body: ['<em>Dogs</em> bark loudly at <em>night</em>. Birds sing in the morning.'] });
  });

  it('cuts passages at sentences bounded by fragment_size, re-split at words', async () => {
    const r = await hl({ match: { body: 'dogs birds' } }, { fields: { body: { fragment_size: 20 } } });
    // "Dogs" [18,22): its sentence [18,45) is 27 > 20 chars, so the passage ends at the first word
    // boundary after 21 + 17 = 38, i.e. 43 (before the period); same for "Birds" [45,50) -> [45,70)
    expect(r.animals?.body).toEqual(['<em>Dogs</em> bark loudly at night', '<em>Birds</em> sing in the morning']);
  });

  it('joins whole sentences while they fit in fragment_size', async () => {
    const r = await hl({ match: { body: 'cats dogs' } }, { fields: { body: { fragment_size: 50 } } });
    // from "Cats" the last sentence break within 3 + 47 = 50 chars is 45: [0,45) holds both matches
    expect(r.animals?.body).toEqual(['<em>Cats</em> purr softly. <em>Dogs</em> bark loudly at night.']);
  });

  it('keeps the best scored passages with number_of_fragments, in text order', async () => {
    const r = await hl({ match: { body: 'dogs birds sing' } }, { fields: { body: { fragment_size: 20, number_of_fragments: 1 } } });
    // passage [45,70) holds two distinct terms: its score is about twice that of [18,43)
    expect(r.animals?.body).toEqual(['<em>Birds</em> <em>sing</em> in the morning']);
    const two = await hl({ match: { body: 'dogs birds sing' } }, { fields: { body: { fragment_size: 20, number_of_fragments: 2 } } });
    expect(two.animals?.body).toEqual(['<em>Dogs</em> bark loudly at night', '<em>Birds</em> <em>sing</em> in the morning']);
  });

  it('sorts fragments by score with order: score', async () => {
    const r = await hl({ match: { body: 'dogs birds sing' } }, { order: 'score', fields: { body: { fragment_size: 20 } } });
    expect(r.animals?.body).toEqual(['<em>Birds</em> <em>sing</em> in the morning', '<em>Dogs</em> bark loudly at night']);
  });

  it('breaks on words with boundary_scanner: word', async () => {
    const r = await hl({ match: { body: 'dogs night' } }, { fields: { body: { boundary_scanner: 'word' } } });
    expect(r.animals?.body).toEqual(['<em>Dogs</em>', '<em>night</em>']);
  });

  it('returns the whole value with number_of_fragments: 0, whatever fragment_size', async () => {
    const r = await hl({ match: { body: 'birds' } }, { fields: { body: { number_of_fragments: 0, fragment_size: 10 } } });
    expect(r.animals?.body).toEqual(['Cats purr softly. Dogs bark loudly at night. <em>Birds</em> sing in the morning.']);
  });

  it('highlights a multi-valued field value by value, only the values that match', async () => {
    const r = await hl({ match: { tags: 'red' } }, { fields: { tags: {} } });
    expect(r.tags?.tags).toEqual(['<em>red</em> apple', '<em>red</em> cherry']);
    const whole = await hl({ match: { tags: 'red' } }, { fields: { tags: { number_of_fragments: 0 } } });
    expect(whole.tags?.tags).toEqual(['<em>red</em> apple', '<em>red</em> cherry']);
  });

  it('returns the start of the field cut after a word with no_match_size when nothing matched', async () => {
    const r = await hl({ match: { title: 'animal' } }, { fields: { body: { no_match_size: 20 }, tag: {} } });
    // no match in body: [0, first word boundary after 20) = [0,22); tag has no match and no no_match_size
    expect(r.animals).toEqual({ body: ['Cats purr softly. Dogs'] });
    const none = await hl({ match: { title: 'animal' } }, { fields: { body: {} } });
    expect(none.animals).toBeUndefined();
  });

  it('keeps fragments as whole values for keyword fields', async () => {
    const r = await hl({ term: { tag: 'animals' } }, { fields: { tag: {}, 'title.raw': {} } });
    expect(r.animals).toEqual({ tag: ['<em>animals</em>'] });
    const raw = await hl({ term: { 'title.raw': 'Running Foxes' } }, { fields: { 'title.raw': {} } });
    expect(raw.running).toEqual({ 'title.raw': ['<em>Running Foxes</em>'] });
  });
});

describe('highlight: what is tagged', () => {
  it('tags each matching term separately; adjacent tags are not merged', async () => {
    const r = await hl({ match: { body: 'quick brown' } }, { fields: { body: {} } });
    expect(r.quick?.body).toEqual(['<em>quick</em> <em>brown</em> fox and a <em>brown</em> <em>quick</em> dog']);
  });

  it('tags a phrase as one span, only where the words form the phrase', async () => {
    const r = await hl({ match_phrase: { body: 'quick brown' } }, { fields: { body: {} } });
    expect(r.quick?.body).toEqual(['<em>quick brown</em> fox and a brown quick dog']);
  });

  it('tags phrase terms one by one with require_field_match: false (term extraction)', async () => {
    const r = await hl({ match_phrase: { body: 'quick brown' } }, { require_field_match: false, fields: { body: {} } });
    expect(r.quick?.body).toEqual(['<em>quick</em> <em>brown</em> fox and a brown quick dog']);
  });

  it('matches sloppy phrases within the slop', async () => {
    // "brown quick" at positions 5, 6 reversed against "quick brown": match length 2 <= slop 2
    const r = await hl({ match_phrase: { body: { query: 'quick brown', slop: 2 } } }, { fields: { body: {} } });
    expect(r.quick?.body).toEqual(['<em>quick brown</em> fox and a <em>brown quick</em> dog']);
  });

  it('only highlights terms queried on the field unless require_field_match is false', async () => {
    const q = { match: { title: 'fox' } };
    expect((await hl(q, { fields: { body: {}, title: {} } })).fox).toEqual({ title: ['The <em>Fox</em>'] });
    expect((await hl(q, { require_field_match: false, fields: { body: {}, title: {} } })).fox).toEqual({
      body: ['The <em>fox</em> and the hound'],
      title: ['The <em>Fox</em>'],
    });
  });

  it('highlights the terms of highlight_query instead of the query', async () => {
    const r = await hl({ match: { title: 'fox' } }, { fields: { body: { highlight_query: { match: { body: 'hound' } } } } });
    expect(r.fox).toEqual({ body: ['The fox and the <em>hound</em>'] });
  });

  it('never highlights must_not clauses', async () => {
    const q: estypes.QueryDslQueryContainer = { bool: { must: [{ match: { body: 'fox' } }], must_not: [{ match_phrase: { body: 'hound fox' } }] } };
    expect((await hl(q, { fields: { body: {} } })).fox?.body).toEqual(['The <em>fox</em> and the hound']);
    expect((await hl(q, { require_field_match: false, fields: { body: {} } })).fox?.body).toEqual(['The <em>fox</em> and the hound']);
  });

  it('ignores clauses that do not match the document (weight matches), not with term extraction', async () => {
    const q: estypes.QueryDslQueryContainer = {
      bool: { should: [{ match: { body: 'fox' } }, { bool: { must: [{ term: { body: 'hound' } }, { term: { body: 'zebra' } }] } }] },
    };
    expect((await hl(q, { fields: { body: {} } })).fox?.body).toEqual(['The <em>fox</em> and the hound']);
    expect((await hl(q, { require_field_match: false, fields: { body: {} } })).fox?.body).toEqual(['The <em>fox</em> and the <em>hound</em>']);
  });

  it('highlights each field of a conjunction over several fields', async () => {
    const q: estypes.QueryDslQueryContainer = { bool: { must: [{ match: { title: 'fox' } }, { match: { body: 'hound' } }], filter: [{ term: { tag: 'story' } }] } };
    expect((await hl(q, { fields: { title: {}, body: {}, tag: {} } })).fox).toEqual({
      title: ['The <em>Fox</em>'],
      body: ['The fox and the <em>hound</em>'],
      tag: ['<em>story</em>'],
    });
  });

  it('highlights multi_match, dis_max, constant_score and function_score clauses', async () => {
    const q: estypes.QueryDslQueryContainer = {
      function_score: {
        query: {
          dis_max: {
            queries: [{ multi_match: { query: 'hound', fields: ['title', 'body'] } }, { constant_score: { filter: { term: { title: 'fox' } } } }],
          },
        },
        functions: [{ weight: 2 }],
      },
    };
    expect((await hl(q, { fields: { title: {}, body: {} } })).fox).toEqual({ title: ['The <em>Fox</em>'], body: ['The fox and the <em>hound</em>'] });
  });

  it('highlights query_string terms, prefixes and wildcards', async () => {
    const r = await hl({ query_string: { query: 'body:hou* OR title:fox' } }, { fields: { body: {}, title: {} } });
    expect(r.fox).toEqual({ body: ['The fox and the <em>hound</em>'], title: ['The <em>Fox</em>'] });
  });

  it('highlights the terms a prefix, wildcard, regexp or fuzzy query expands to', async () => {
    expect((await hl({ prefix: { body: 'qui' } }, { fields: { body: {} } })).quick?.body).toEqual(['<em>quick</em> brown fox and a brown <em>quick</em> dog']);
    expect((await hl({ wildcard: { body: 'br*n' } }, { fields: { body: {} } })).quick?.body).toEqual(['quick <em>brown</em> fox and a <em>brown</em> quick dog']);
    expect((await hl({ regexp: { body: 'ho.nd' } }, { fields: { body: {} } })).fox?.body).toEqual(['The fox and the <em>hound</em>']);
    expect((await hl({ fuzzy: { body: 'huond' } }, { fields: { body: {} } })).fox?.body).toEqual(['The fox and the <em>hound</em>']);
    expect((await hl({ match_phrase_prefix: { body: 'the ho' } }, { fields: { body: {} } })).fox?.body).toEqual(['The fox and <em>the hound</em>']);
  });

  it('highlights synonyms of the search analyzer', async () => {
    const r = await hl({ match: { story: 'fox' } }, { fields: { story: {} } });
    expect(r.fox?.story).toEqual(['The <em>fox</em> and the <em>hound</em>']);
  });

  it('analyses a multi-field with its own analyzer over the parent value', async () => {
    const r = await hl({ match: { 'title.english': 'run fox' } }, { fields: { 'title.english': {}, title: {} } });
    // english stems running -> run, foxes -> fox; the standard title field has neither
    expect(r.running).toEqual({ 'title.english': ['<em>Running</em> <em>Foxes</em>'] });
  });

  it('expands wildcard field names to the text and keyword fields that have matches', async () => {
    const q: estypes.QueryDslQueryContainer = { bool: { should: [{ match: { title: 'fox' } }, { term: { tag: 'story' } }, { term: { n: 2 } }] } };
    expect((await hl(q, { fields: { '*': {} } })).fox).toEqual({ title: ['The <em>Fox</em>'], tag: ['<em>story</em>'] });
    expect((await hl(q, { fields: { 'ti*': {} } })).fox).toEqual({ title: ['The <em>Fox</em>'] });
    // the array form of fields
    expect((await hl(q, { fields: [{ tag: {} }, { title: { pre_tags: ['['], post_tags: [']'] } }] })).fox).toEqual({ tag: ['<em>story</em>'], title: ['The [Fox]'] });
  });
});

describe('highlight: formatting options', () => {
  it('uses pre_tags/post_tags, per field overriding the global ones', async () => {
    const r = await hl({ match: { body: 'hound' } }, { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { body: {}, story: { pre_tags: ['<i>', '<u>'], post_tags: ['</i>', '</u>'] } } });
    expect(r.fox).toEqual({ body: ['The fox and the <b>hound</b>'] });
    const s = await hl({ match: { story: 'hound' } }, { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { story: { pre_tags: ['<i>', '<u>'], post_tags: ['</i>', '</u>'] } } });
    // the unified highlighter uses the first tag only
    expect(s.fox).toEqual({ story: ['The <i>fox</i> and the <i>hound</i>'] });
  });

  it('ignores matches past max_analyzed_offset', async () => {
    // "quick" at 0 and at 28: only the first starts within 10 chars
    const r = await hl({ match: { body: 'quick' } }, { max_analyzed_offset: 10, fields: { body: {} } });
    expect(r.quick?.body).toEqual(['<em>quick</em> brown fox and a brown quick dog']);
  });

  it('uses the styled tags schema', async () => {
    const r = await hl({ match: { body: 'hound' } }, { tags_schema: 'styled', fields: { body: {} } });
    expect(r.fox?.body).toEqual(['The fox and the <em class="hlt1">hound</em>']);
  });

  it('escapes the text with encoder: html, not by default', async () => {
    const html = await hl({ match: { body: 'cartoon' } }, { encoder: 'html', fields: { body: {} } });
    expect(html.html?.body).toEqual(['Tom &amp; Jerry &lt;b&gt;<em>cartoon</em>&lt;&#x2F;b&gt; &quot;fun&quot;&#x2F;x']);
    const raw = await hl({ match: { body: 'cartoon' } }, { fields: { body: {} } });
    expect(raw.html?.body).toEqual(['Tom & Jerry <b><em>cartoon</em></b> "fun"/x']);
  });

  it('places highlight before sort in the hit', async () => {
    const r = await t.client.search({ index: 'hl', query: { match: { body: 'hound' } }, sort: ['n'], highlight: { fields: { body: {} } } });
    const keys = Object.keys(r.hits.hits[0] as object);
    expect(keys.indexOf('highlight')).toBeLessThan(keys.indexOf('sort'));
  });

  it('answers plain with its own highlighter, and fvh only on fields with term vectors (as Elasticsearch)', async () => {
    const plain = await hl({ match: { body: 'hound' } }, { type: 'plain', fields: { body: {} } });
    expect(plain.fox?.body).toEqual(['The fox and the <em>hound</em>']);
    const f = await failure(t.client.search({ index: 'hl', query: { match: { body: 'hound' } }, highlight: { fields: { body: { type: 'fvh', boundary_scanner: 'chars' } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('the field [body] should be indexed with term vector with position offsets to be used with fast vector highlighter');
    // unified ignores the plain-only fragmenter, as Elasticsearch's unified highlighter does
    const r = await hl({ match: { body: 'hound' } }, { fragmenter: 'span', fields: { body: {} } });
    expect(r.fox?.body).toEqual(['The fox and the <em>hound</em>']);
  });
});

describe('highlight: errors', () => {
  it('fails on a field longer than index.highlight.max_analyzed_offset unless max_analyzed_offset is given', async () => {
    await t.client.index({ index: 'hl-long', id: '1', document: { body: `needle ${'word '.repeat(200_000)}` }, refresh: true });
    const req = { index: 'hl-long', query: { match: { body: 'needle' } } };
    const f = await failure(t.client.search({ ...req, highlight: { fields: { body: {} } } }));
    expect(f.status).toBe(400);
    const root = (f.error.root_cause as Array<{ type: string; reason: string }>)[0];
    expect(root?.type).toBe('illegal_argument_exception');
    expect(root?.reason).toMatch(/^The length \[1000007\] of field \[body\] in doc\[0\]\/index\[hl-long\] exceeds the \[index.highlight.max_analyzed_offset\] limit \[1000000\]/);
    const r = await t.client.search({ ...req, highlight: { max_analyzed_offset: 20, fields: { body: { fragment_size: 15 } } } });
    expect(r.hits.hits[0]?.highlight).toEqual({ body: ['<em>needle</em> word word'] });
  });

  it('rejects an unknown tags_schema', async () => {
    const f = await failure(t.client.search({ index: 'hl', highlight: { tags_schema: 'fancy' as never, fields: { body: {} } } }));
    expect(f.error.type).toBe('illegal_argument_exception');
    expect(f.error.reason).toBe('Unknown tag schema [fancy]');
  });

  it('rejects an option of the wrong type', async () => {
    const f = await failure(t.client.search({ index: 'hl', highlight: { number_of_fragments: 'many' as unknown as number, fields: { body: {} } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('x_content_parse_exception');
    expect(f.error.reason).toBe('[highlight] failed to parse field [number_of_fragments]');
  });

  it('rejects unknown options and pre_tags without post_tags', async () => {
    const unknown = await failure(t.client.search({ index: 'hl', highlight: { fields: { body: { colour: 'red' } as never } } }));
    expect(unknown.error.reason).toBe('[highlight_field] unknown field [colour]');
    const tags = await failure(t.client.search({ index: 'hl', highlight: { pre_tags: ['<b>'], fields: { body: {} } } }));
    expect(tags.error.type).toBe('parsing_exception');
    expect(tags.error.reason).toBe('pre_tags are set but post_tags are not set');
  });

  it('rejects an unknown highlighter type and the chars boundary scanner of the unified highlighter', async () => {
    const type = await failure(t.client.search({ index: 'hl', query: { match: { body: 'hound' } }, highlight: { type: 'fancy' as never, fields: { body: {} } } }));
    expect(type.error.reason).toBe('unknown highlighter type [fancy] for the field [body]');
    const chars = await failure(t.client.search({ index: 'hl', query: { match: { body: 'hound' } }, highlight: { boundary_scanner: 'chars', fields: { body: {} } } }));
    expect(chars.status).toBe(400);
    expect((chars.error.root_cause as Array<{ reason: string }>)[0]?.reason).toBe('Invalid boundary scanner type: chars');
  });
});

/** Cases of Elasticsearch's CustomUnifiedHighlighterTests (StandardAnalyzer, term queries as should clauses). */
describe('highlight: Elasticsearch CustomUnifiedHighlighterTests cases', () => {
  async function one(text: string | string[], terms: string[], highlight: estypes.SearchHighlightField): Promise<string[] | undefined> {
    const index = `ref-${Math.random().toString(36).slice(2, 8)}`;
    await t.client.indices.create({ index, mappings: { properties: { text: { type: 'text' } } } });
    await t.client.index({ index, id: '1', document: { text }, refresh: true });
    const query = { bool: { should: terms.map((term) => ({ term: { text: term } })) } };
    const r = await t.client.search({ index, query, highlight: { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { text: highlight } } });
    return r.hits.hits[0]?.highlight?.text;
  }

  it('testSentenceBoundedBreakIterator', async () => {
    const text = 'The quick brown fox in a long sentence with another quick brown fox. Another sentence with brown fox.';
    expect(await one(text, ['quick', 'brown', 'fox'], { fragment_size: 10, number_of_fragments: 6 })).toEqual([
      'The <b>quick</b> <b>brown</b>',
      '<b>fox</b> in a long',
      'another <b>quick</b>',
      '<b>brown</b> <b>fox</b>.',
      'sentence with <b>brown</b>',
      '<b>fox</b>.',
    ]);
  });

  it('testSmallSentenceBoundedBreakIterator', async () => {
    const text = 'A short sentence. Followed by a bigger sentence that should be truncated. And a last short sentence.';
    expect(await one(text, ['sentence'], { fragment_size: 20, number_of_fragments: 3 })).toEqual([
      'A short <b>sentence</b>.',
      'Followed by a bigger <b>sentence</b>',
      'And a last short <b>sentence</b>',
    ]);
  });

  it('testRepeatTerm: the 4 best of 5 passages by PassageScorer', async () => {
    const text = 'Fun  fun fun  fun  fun  fun  fun  fun  fun  fun';
    expect(await one(text, ['fun'], { fragment_size: 10, number_of_fragments: 4 })).toEqual([
      '<b>Fun</b>  <b>fun</b> <b>fun</b>',
      '<b>fun</b>  <b>fun</b>',
      '<b>fun</b>  <b>fun</b>  <b>fun</b>',
      '<b>fun</b>  <b>fun</b>',
    ]);
  });

  it('testGroupSentences', async () => {
    const text = 'Two words. Followed by many words in a big sentence. One. Two. Three. And more words.';
    expect(await one(text, ['one', 'two', 'three', 'words'], { fragment_size: 20, number_of_fragments: 4 })).toEqual([
      '<b>Two</b> <b>words</b>.',
      'Followed by many <b>words</b>',
      '<b>One</b>. <b>Two</b>. <b>Three</b>.',
      'And more <b>words</b>.',
    ]);
  });

  it('testSimple: one passage per value with the plain sentence iterator', async () => {
    const values = [
      'This is a test. Just a test1 highlighting from unified highlighter.',
      'This is the second highlighting value to perform highlighting on a longer text that gets scored lower.',
      'This is highlighting the third short highlighting value.',
      'Just a test4 highlighting from unified highlighter.',
    ];
    expect(await one(values, ['highlighting'], { fragment_size: 0, number_of_fragments: 4 })).toEqual([
      'Just a test1 <b>highlighting</b> from unified highlighter.',
      'This is the second <b>highlighting</b> value to perform <b>highlighting</b> on a longer text that gets scored lower.',
      'This is <b>highlighting</b> the third short <b>highlighting</b> value.',
      'Just a test4 <b>highlighting</b> from unified highlighter.',
    ]);
  });

  it('testRepeatPhrase: overlapping phrase matches are merged, cut at the passage end', async () => {
    const index = 'ref-phrase';
    await t.client.indices.create({ index, mappings: { properties: { text: { type: 'text' } } } });
    await t.client.index({ index, id: '1', document: { text: 'Fun  fun fun  fun  fun  fun  fun  fun  fun  fun' }, refresh: true });
    const r = await t.client.search({
      index,
      query: { match_phrase: { text: 'fun fun' } },
      highlight: { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { text: { fragment_size: 10, number_of_fragments: 4 } } },
    });
    expect(r.hits.hits[0]?.highlight?.text).toEqual(['<b>Fun  fun fun</b>', '<b>fun  fun  </b>', '<b>fun  fun  fun</b>', '<b>fun  fun</b>']);
  });
});

describe('highlight: nested queries', () => {
  it('highlights the terms of a nested query in the nested field values of the top-level hit', async () => {
    await t.client.indices.create({ index: 'hl-nested', mappings: { properties: { comments: { type: 'nested', properties: { text: { type: 'text' } } } } } });
    await t.client.index({ index: 'hl-nested', id: '1', document: { comments: [{ text: 'a great fox' }, { text: 'a bad dog' }, { text: 'another fox' }] }, refresh: true });
    const r = await t.client.search({
      index: 'hl-nested',
      query: { nested: { path: 'comments', query: { match: { 'comments.text': 'fox' } } } },
      highlight: { fields: { 'comments.text': {} } },
    });
    // nested queries leave the weight-matches mode: terms are extracted; one fragment per value that has them
    expect(r.hits.hits[0]?.highlight).toEqual({ 'comments.text': ['a great <em>fox</em>', 'another <em>fox</em>'] });
  });
});

describe('highlight: scroll', () => {
  it('highlights every page of a scroll, not only the first', async () => {
    // "fox" is in the body of `fox` and `quick`: one hit per page with size 1, sorted by _id
    const first = await t.client.search({ index: 'hl', scroll: '1m', size: 1, sort: ['n'], query: { match: { body: 'fox' } }, highlight: { fields: { body: {} } } });
    const second = await t.client.scroll({ scroll_id: first._scroll_id!, scroll: '1m' });
    await t.client.clearScroll({ scroll_id: first._scroll_id! });
    expect(first.hits.hits.map((h) => [h._id, h.highlight])).toEqual([['fox', { body: ['The <em>fox</em> and the hound'] }]]);
    expect(second.hits.hits.map((h) => [h._id, h.highlight])).toEqual([['quick', { body: ['quick brown <em>fox</em> and a brown quick dog'] }]]);
  });
});
