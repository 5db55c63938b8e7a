import { describe, expect, it } from 'vitest';
import { refIndex } from './reference-index.js';
import { ids, idf, scoreOf, search, tf } from './helpers.js';

const mapping = {
  title: { type: 'text' as const },
  'title.raw': { type: 'keyword' as const, source: 'title' },
  tag: { type: 'keyword' as const },
  code: { type: 'keyword' as const, normalizer: 'lowercase' },
  price: { type: 'double' as const },
  stock: { type: 'long' as const },
  published: { type: 'date' as const },
  active: { type: 'boolean' as const },
  body: { type: 'text' as const },
};

const index = refIndex('shop', mapping, [
  { id: '1', source: { title: 'Red running shoes', tag: ['sport', 'shoes'], code: 'AB-1', price: 59.9, stock: 3, published: '2024-06-01', active: true, body: 'light shoes for running' } },
  { id: '2', source: { title: 'Blue running shirt', tag: 'sport', code: 'ab-2', price: 25, stock: 0, published: '2024-05-20T10:00:00Z', active: false, body: 'a shirt' } },
  { id: '3', source: { title: 'Red dress', tag: ['fashion'], code: 'CD-3', price: 120, published: '2023-12-31', active: true } },
  { id: '4', source: { title: 'Green hiking boots', tag: 'outdoor', price: 150.5, stock: 10, published: '2024-06-14T23:00:00Z', body: 'boots for hiking and running in the rain' } },
]);

describe('term-level queries', () => {
  it('term on keyword applies the normalizer; on text matches the indexed term', () => {
    expect(ids(search(index, { query: { term: { code: 'ab-1' } } }))).toEqual(['1']);
    expect(ids(search(index, { query: { term: { code: { value: 'AB-2' } } } }))).toEqual(['2']);
    expect(ids(search(index, { query: { term: { title: 'red' } } })).sort()).toEqual(['1', '3']);
    expect(ids(search(index, { query: { term: { title: 'Red' } } }))).toEqual([]);
    expect(ids(search(index, { query: { term: { tag: { value: 'SPORT', case_insensitive: true } } } })).sort()).toEqual(['1', '2']);
  });

  it('term on numeric, date and boolean fields parses the value and scores 1', () => {
    const r = search(index, { query: { term: { stock: '10' } } });
    expect(ids(r)).toEqual(['4']);
    expect(r.hits.hits[0]?._score).toBe(1);
    expect(ids(search(index, { query: { term: { stock: 1.5 } } }))).toEqual([]);
    expect(ids(search(index, { query: { term: { active: 'false' } } }))).toEqual(['2']);
    // a date term matches the whole unit it names
    expect(ids(search(index, { query: { term: { published: '2024-06-01' } } }))).toEqual(['1']);
  });

  it('terms, ids, exists, prefix, wildcard, regexp', () => {
    expect(ids(search(index, { query: { terms: { tag: ['outdoor', 'fashion'] } } })).sort()).toEqual(['3', '4']);
    expect(ids(search(index, { query: { ids: { values: ['4', '2', 'x'] } } })).sort()).toEqual(['2', '4']);
    expect(ids(search(index, { query: { exists: { field: 'stock' } } })).sort()).toEqual(['1', '2', '4']);
    expect(ids(search(index, { query: { exists: { field: 'body' } } })).sort()).toEqual(['1', '2', '4']);
    expect(ids(search(index, { query: { prefix: { title: 'run' } } })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { wildcard: { 'title.raw': 'Red*' } } })).sort()).toEqual(['1', '3']);
    expect(ids(search(index, { query: { wildcard: { title: { value: 'sh?rt' } } } }))).toEqual(['2']);
    expect(ids(search(index, { query: { regexp: { title: 'b(oo|lu)[a-z]+' } } })).sort()).toEqual(['2', '4']);
    expect(ids(search(index, { query: { regexp: { tag: { value: 'sp.{2,3}t' } } } })).sort()).toEqual(['1', '2']);
    const c = search(index, { query: { prefix: { title: { value: 'run', boost: 3 } } } });
    expect(c.hits.hits.map((h) => h._score)).toEqual([3, 3]);
  });

  it('range over numbers, keywords and dates with date math, format and time_zone', () => {
    expect(ids(search(index, { query: { range: { price: { gte: 25, lt: 120 } } } })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { range: { stock: { gt: 0 } } } })).sort()).toEqual(['1', '4']);
    expect(ids(search(index, { query: { range: { tag: { gte: 'p', lte: 't' } } } })).sort()).toEqual(['1', '2']);
    // now = 2024-06-15T12:00:00Z; now-1d/d = 2024-06-14T00:00:00Z (gte rounds down)
    expect(ids(search(index, { query: { range: { published: { gte: 'now-1d/d' } } } }))).toEqual(['4']);
    // lte with /d rounds up to the end of the day: 2024-05-20 includes 10:00
    expect(ids(search(index, { query: { range: { published: { gte: '2024-05-20', lte: '2024-05-20' } } } }))).toEqual(['2']);
    // gt rounds up: gt 2024-05-20 excludes the whole day
    expect(ids(search(index, { query: { range: { published: { gt: '2024-05-20', lt: '2024-06-02' } } } }))).toEqual(['1']);
    // anchor || math: 2024-05-01||+1M/d = 2024-06-01 (lt rounds down -> before 2024-06-01T00:00)
    expect(ids(search(index, { query: { range: { published: { gte: '2024-05-01', lt: '2024-05-01||+1M/d' } } } }))).toEqual(['2']);
    expect(ids(search(index, { query: { range: { published: { gte: '01/06/2024', lte: '01/06/2024', format: 'dd/MM/yyyy' } } } }))).toEqual(['1']);
    // 2024-06-15 in +02:00 starts at 2024-06-14T22:00Z, which includes doc 4 (23:00Z)
    expect(ids(search(index, { query: { range: { published: { gte: '2024-06-15', time_zone: '+02:00' } } } }))).toEqual(['4']);
  });

  it('fuzzy matches within the edit distance and scores with blended frequencies', () => {
    // "runing" -> "running" is one insertion
    expect(ids(search(index, { query: { fuzzy: { title: { value: 'runing', fuzziness: 1 } } } })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { fuzzy: { title: { value: 'runing', fuzziness: 0 } } } }))).toEqual([]);
    // transposition "srhit" -> "shirt"? s-r-h-i-t vs s-h-i-r-t is 2 edits; "shrit" -> "shirt" is one transposition
    expect(ids(search(index, { query: { fuzzy: { title: { value: 'shrit', fuzziness: 1 } } } }))).toEqual(['2']);
    expect(ids(search(index, { query: { fuzzy: { title: { value: 'shrit', fuzziness: 1, transpositions: false } } } }))).toEqual([]);
    // AUTO: 3-5 chars -> 1 edit; "rid" -> "red"
    expect(ids(search(index, { query: { fuzzy: { title: 'rid' } } })).sort()).toEqual(['1', '3']);
    // AUTO: < 3 chars -> exact only
    expect(ids(search(index, { query: { match: { title: { query: 'rd', fuzziness: 'AUTO' } } } }))).toEqual([]);
    // prefix_length 2: "xed" cannot reach "red"
    expect(ids(search(index, { query: { fuzzy: { title: { value: 'xed', prefix_length: 1 } } } }))).toEqual([]);
    // one expansion "red" at edit distance 1 of "rex": boost 1 - 1/3, df = 2 of 4 docs
    const r = search(index, { query: { fuzzy: { title: { value: 'rex', fuzziness: 1 } } } });
    const avgdl = (3 + 3 + 2 + 3) / 4;
    expect(scoreOf(r, '3')).toBeCloseTo((2 / 3) * idf(2, 4) * tf(1, 2, avgdl), 5);
  });
});

describe('full-text queries', () => {
  const avgdl = (3 + 3 + 2 + 3) / 4; // title lengths: 3, 3, 2, 3

  it('match with operator and minimum_should_match', () => {
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes', operator: 'and' } } } }))).toEqual(['1']);
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: 2 } } } }))).toEqual(['1']);
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: '-2' } } } })).sort()).toEqual(['1', '3', '4']);
    // 66% of 3 clauses = 1.98, truncated to 1: any clause will do
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: '66%' } } } })).sort()).toEqual(['1', '3', '4']);
    // 67% of 3 = 2.01 -> 2
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: '67%' } } } }))).toEqual(['1']);
    // -34% of 3 = -1.02 -> 3 - 1 = 2
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: '-34%' } } } }))).toEqual(['1']);
    // 5 of 3 clauses can never match
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: 5 } } } }))).toEqual([]);
    expect(ids(search(index, { query: { match: { title: { query: 'red shoes boots', minimum_should_match: '2<67%' } } } }))).toEqual(['1']);
  });

  it('match on keyword, numeric and with zero_terms_query', () => {
    expect(ids(search(index, { query: { match: { 'title.raw': 'Red dress' } } }))).toEqual(['3']);
    expect(ids(search(index, { query: { match: { price: '25' } } }))).toEqual(['2']);
    expect(ids(search(index, { query: { match: { price: { query: 'abc', lenient: true } } } }))).toEqual([]);
    expect(search(index, { query: { match: { title: { query: '', zero_terms_query: 'all' } } } }).hits.total?.value).toBe(4);
    expect(search(index, { query: { match: { title: '' } } }).hits.total?.value).toBe(0);
  });

  it('match_phrase_prefix expands the last term; match_bool_prefix scores the prefix as constant', () => {
    expect(ids(search(index, { query: { match_phrase_prefix: { title: 'running sh' } } })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { match_phrase_prefix: { title: 'running shi' } } }))).toEqual(['2']);
    // MultiPhraseQuery: the idf sums every term, expansions included: running (df 2) + shirt (df 1) + shoes (df 1)
    const pp = search(index, { query: { match_phrase_prefix: { title: 'running sh' } } });
    expect(scoreOf(pp, '1')).toBeCloseTo((idf(2, 4) + 2 * idf(1, 4)) * tf(1, 3, avgdl), 5);
    // a single term expands into a disjunction of its expansions, each scored on its own
    const single = search(index, { query: { match_phrase_prefix: { title: 'dr' } } });
    expect(scoreOf(single, '3')).toBeCloseTo(idf(1, 4) * tf(1, 2, avgdl), 5);
    const r = search(index, { query: { match_bool_prefix: { title: 'green hik' } } });
    expect(ids(r)).toEqual(['4']);
    // green: df 1 of 4, tf in a 3-token field; "hik*" is a constant 1
    expect(scoreOf(r, '4')).toBeCloseTo(idf(1, 4) * tf(1, 3, avgdl) + 1, 5);
  });

  it('multi_match best_fields, most_fields, boosts and wildcards', () => {
    const best = search(index, { query: { multi_match: { query: 'running', fields: ['title', 'body'] } } });
    // running: title df 2 (docs 1, 2), body df 2 (docs 1, 4); body lengths 4, 2, 8 -> avgdl 14/3
    const t1 = idf(2, 4) * tf(1, 3, avgdl);
    const b1 = idf(2, 3) * tf(1, 4, 14 / 3);
    expect(scoreOf(best, '1')).toBeCloseTo(Math.max(t1, b1), 5);
    const most = search(index, { query: { multi_match: { query: 'running', fields: ['title', 'body'], type: 'most_fields' } } });
    expect(scoreOf(most, '1')).toBeCloseTo(t1 + b1, 5);
    const tie = search(index, { query: { multi_match: { query: 'running', fields: ['title^2', 'body'], tie_breaker: 0.3 } } });
    expect(scoreOf(tie, '1')).toBeCloseTo(2 * t1 + 0.3 * b1, 5);
    const wild = search(index, { query: { multi_match: { query: 'running', fields: ['t*'] } } });
    expect(ids(wild).sort()).toEqual(['1', '2']);
    const all = search(index, { query: { multi_match: { query: 'rain' } } });
    expect(ids(all)).toEqual(['4']);
    const phrase = search(index, { query: { multi_match: { query: 'running shirt', type: 'phrase', fields: ['title', 'body'] } } });
    expect(ids(phrase)).toEqual(['2']);
  });

  it('multi_match cross_fields needs every term in some field', () => {
    const r = search(index, { query: { multi_match: { query: 'hiking rain', type: 'cross_fields', fields: ['title', 'body'], operator: 'and' } } });
    expect(ids(r)).toEqual(['4']);
    const none = search(index, { query: { multi_match: { query: 'red rain', type: 'cross_fields', fields: ['title', 'body'], operator: 'and' } } });
    expect(ids(none)).toEqual([]);
  });
});

describe('compound queries', () => {
  it('bool: should is optional beside must, required alone, and honours minimum_should_match', () => {
    const r = search(index, { query: { bool: { must: { match: { title: 'red' } }, should: { match: { title: 'dress' } } } } });
    expect(ids(r)).toEqual(['3', '1']);
    expect(ids(search(index, { query: { bool: { should: [{ term: { tag: 'sport' } }, { term: { tag: 'shoes' } }], minimum_should_match: 2 } } }))).toEqual(['1']);
    expect(ids(search(index, { query: { bool: { must_not: { term: { tag: 'sport' } } } } })).sort()).toEqual(['3', '4']);
    expect(ids(search(index, { query: { bool: { filter: [{ term: { tag: 'sport' } }], must_not: [{ term: { active: true } }] } } }))).toEqual(['2']);
    const nested = search(index, { query: { bool: { should: [{ bool: { must: [{ term: { title: 'red' } }, { term: { title: 'dress' } }] } }, { term: { tag: 'outdoor' } }] } } });
    expect(ids(nested).sort()).toEqual(['3', '4']);
  });

  it('dis_max takes the best clause plus tie_breaker times the others', () => {
    const r = search(index, { query: { dis_max: { queries: [{ constant_score: { filter: { term: { tag: 'sport' } }, boost: 2 } }, { constant_score: { filter: { term: { tag: 'shoes' } }, boost: 1 } }], tie_breaker: 0.5 } } });
    expect(scoreOf(r, '1')).toBeCloseTo(2 + 0.5 * 1, 6);
    expect(scoreOf(r, '2')).toBeCloseTo(2, 6);
  });

  it('boosting demotes negative matches', () => {
    const r = search(index, { query: { boosting: { positive: { constant_score: { filter: { term: { title: 'red' } } } }, negative: { term: { tag: 'fashion' } }, negative_boost: 0.2 } } });
    expect(scoreOf(r, '1')).toBe(1);
    expect(scoreOf(r, '3')).toBeCloseTo(0.2, 6);
  });

  it('function_score with weight, field_value_factor, score_mode and boost_mode', () => {
    const r = search(index, {
      query: {
        function_score: {
          query: { constant_score: { filter: { exists: { field: 'stock' } }, boost: 2 } },
          functions: [
            { field_value_factor: { field: 'stock', factor: 2, modifier: 'ln1p', missing: 1 } },
            { filter: { term: { tag: 'outdoor' } }, weight: 3 },
          ],
          score_mode: 'sum',
          boost_mode: 'multiply',
        },
      },
    });
    // doc 4: (ln(1 + 2 * 10) + 3) * 2; doc 1: ln(1 + 6) * 2; doc 2: ln(1 + 0) * 2 = 0
    expect(scoreOf(r, '4')).toBeCloseTo((Math.log(21) + 3) * 2, 5);
    expect(scoreOf(r, '1')).toBeCloseTo(Math.log(7) * 2, 5);
    expect(scoreOf(r, '2')).toBe(0);
    const replaced = search(index, { query: { function_score: { query: { match_all: {} }, field_value_factor: { field: 'price' }, boost_mode: 'replace', max_boost: 100, min_score: 50 } } });
    // price 120 and 150.5 are capped at max_boost 100 (tie broken by doc order), 25 is below min_score 50
    expect(ids(replaced)).toEqual(['3', '4', '1']);
    expect(replaced.hits.hits.map((h) => h._score)).toEqual([100, 100, 59.9]);
  });

  it('_name reports matched_queries', () => {
    const r = search(index, { query: { bool: { should: [{ term: { tag: { value: 'sport', _name: 'is_sport' } } }, { match: { title: { query: 'red', _name: 'is_red' } } }] } } });
    const byId = Object.fromEntries(r.hits.hits.map((h) => [h._id, h.matched_queries?.sort()]));
    expect(byId['1']).toEqual(['is_red', 'is_sport']);
    expect(byId['2']).toEqual(['is_sport']);
    expect(byId['3']).toEqual(['is_red']);
  });

  it('include_named_queries_score maps each matched name to its own score', () => {
    const query = { bool: { should: [{ term: { tag: { value: 'sport', _name: 'is_sport', boost: 4 } } }, { match: { title: { query: 'red', _name: 'is_red' } } }] } };
    const r = search(index, { query }, { include_named_queries_score: 'true' });
    const red = search(index, { query: { match: { title: 'red' } } });
    const hit1 = r.hits.hits.find((h) => h._id === '1') as unknown as { matched_queries: Record<string, number>; _score: number };
    // each named clause scores as it would alone; together they make the bool's score
    expect(hit1.matched_queries).toEqual({ is_sport: scoreOf(search(index, { query: { term: { tag: { value: 'sport', boost: 4 } } } }), '1'), is_red: scoreOf(red, '1') });
    const f = Math.fround;
    expect(f(f(hit1.matched_queries.is_sport!) + f(hit1.matched_queries.is_red!))).toBe(f(hit1._score));
  });
});

describe('nested', () => {
  const idx = refIndex('posts', { title: { type: 'text' }, comments: { type: 'nested' }, 'comments.author': { type: 'keyword' }, 'comments.stars': { type: 'long' } }, [
    { id: 'p1', source: { title: 'one', comments: [{ author: 'ann', stars: 5 }, { author: 'bob', stars: 1 }] } },
    { id: 'p2', source: { title: 'two', comments: [{ author: 'ann', stars: 2 }] } },
    { id: 'p3', source: { title: 'three' } },
  ]);

  it('matches parents whose children match together, never the children themselves', () => {
    const r = search(idx, { query: { nested: { path: 'comments', query: { bool: { must: [{ term: { 'comments.author': 'ann' } }, { range: { 'comments.stars': { gte: 4 } } }] } } } } });
    expect(ids(r)).toEqual(['p1']);
    expect(search(idx, { query: { match_all: {} } }).hits.total?.value).toBe(3);
  });

  it('scores by score_mode', () => {
    const q = (mode: string) => search(idx, { query: { nested: { path: 'comments', score_mode: mode, query: { function_score: { query: { match_all: {} }, field_value_factor: { field: 'comments.stars' }, boost_mode: 'replace' } } } } });
    expect(scoreOf(q('avg'), 'p1')).toBeCloseTo(3, 6);
    expect(scoreOf(q('sum'), 'p1')).toBeCloseTo(6, 6);
    expect(scoreOf(q('max'), 'p1')).toBeCloseTo(5, 6);
    expect(scoreOf(q('min'), 'p1')).toBeCloseTo(1, 6);
    expect(scoreOf(q('none'), 'p1')).toBe(0);
  });
});

describe('filter context', () => {
  it('keeps should clauses optional beside must in filter context too, as Elasticsearch 8', () => {
    const q = { bool: { must: [{ term: { tag: 'sport' } }], should: [{ term: { title: 'shirt' } }] } };
    // should is optional beside must -> docs 1 and 2, in any context (the pre-7.0 rule made it required in filters)
    expect(ids(search(index, { query: q })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { bool: { filter: [q] } } })).sort()).toEqual(['1', '2']);
    expect(ids(search(index, { query: { constant_score: { filter: q } } })).sort()).toEqual(['1', '2']);
    // without must or filter, one should clause must match, in filter context as well
    const onlyShould = { bool: { should: [{ term: { title: 'shirt' } }] } };
    expect(ids(search(index, { query: { bool: { filter: [onlyShould] } } }))).toEqual(['2']);
  });
});

describe('cross_fields blending', () => {
  it('gives each field the max docFreq, plus one per step down in popularity (BlendedTermQuery)', () => {
    const idx = refIndex('people', { first: { type: 'text' }, last: { type: 'text' } }, [
      { id: '1', source: { first: 'will', last: 'smith' } },
      { id: '2', source: { first: 'smith', last: 'jones' } },
      { id: '3', source: { first: 'john', last: 'smith' } },
      { id: '4', source: { first: 'ann', last: 'lee' } },
    ]);
    const r = search(idx, { query: { multi_match: { query: 'smith', type: 'cross_fields', fields: ['first', 'last'] } } });
    // smith: df(last) = 2, df(first) = 1. Blended: last (most popular) gets max = 2, first gets 2 + 1 = 3.
    // N = 4 for both fields, every field length 1 -> avgdl 1; tf = 1 / (1 + 1.2) for every doc
    const t = tf(1, 1, 1);
    expect(scoreOf(r, '1')).toBeCloseTo(idf(2, 4) * t, 5);
    expect(scoreOf(r, '2')).toBeCloseTo(idf(3, 4) * t, 5);
  });
});
