import { describe, expect, it } from 'vitest';
import { refIndex } from './reference-index.js';
import { ids, search } from './helpers.js';

const index = refIndex(
  'qs',
  { title: { type: 'text' }, body: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' } },
  [
    { id: '1', source: { title: 'quick brown fox', body: 'jumps over', tag: 'animal', n: 1 } },
    { id: '2', source: { title: 'lazy brown dog', body: 'sleeps', tag: 'animal', n: 5 } },
    { id: '3', source: { title: 'quick search engines', body: 'index and query', tag: 'tech', n: 10 } },
  ],
);
const qs = (query: string, extra: Record<string, unknown> = {}) => ids(search(index, { query: { query_string: { query, ...extra } } })).sort();
const sqs = (query: string, extra: Record<string, unknown> = {}) => ids(search(index, { query: { simple_query_string: { query, ...extra } } })).sort();

describe('query_string', () => {
  it('searches all fields by default, with AND/OR/NOT and +/-', () => {
    expect(qs('quick')).toEqual(['1', '3']);
    expect(qs('quick AND brown')).toEqual(['1']);
    expect(qs('quick OR dog')).toEqual(['1', '2', '3']);
    expect(qs('brown NOT dog')).toEqual(['1']);
    expect(qs('+brown -fox')).toEqual(['2']);
    expect(qs('quick brown', { default_operator: 'AND' })).toEqual(['1']);
    expect(qs('(quick OR lazy) AND dog')).toEqual(['2']);
  });

  it('supports field:value, field:(group), phrases, wildcards, fuzziness, ranges, boosts and _exists_', () => {
    expect(qs('title:quick')).toEqual(['1', '3']);
    expect(qs('body:(jumps sleeps)')).toEqual(['1', '2']);
    expect(qs('"brown fox"')).toEqual(['1']);
    expect(qs('"quick fox"~1')).toEqual(['1']);
    expect(qs('title:qu*')).toEqual(['1', '3']);
    expect(qs('title:Qu?ck')).toEqual(['1', '3']);
    expect(qs('title:quikc~1')).toEqual(['1', '3']);
    expect(qs('n:[2 TO 10}')).toEqual(['2']);
    expect(qs('n:>=5')).toEqual(['2', '3']);
    expect(qs('tag:tech^3 OR lazy')).toEqual(['2', '3']);
    expect(ids(search(index, { query: { query_string: { query: 'tag:tech^3 OR lazy' } } }))[0]).toBe('3');
    expect(qs('_exists_:body AND tag:animal')).toEqual(['1', '2']);
    expect(qs('engines', { fields: ['title', 'body'] })).toEqual(['3']);
    expect(qs('sleeps', { default_field: 'title' })).toEqual([]);
  });

  it('accepts the q URL parameter with df and default_operator', () => {
    expect(ids(search(index, {}, { q: 'title:lazy' }))).toEqual(['2']);
    expect(ids(search(index, {}, { q: 'quick fox', df: 'title', default_operator: 'AND' }))).toEqual(['1']);
  });
});

describe('simple_query_string', () => {
  it('supports + | - "phrases" prefix* and fuzzy~ with default_operator', () => {
    expect(sqs('quick + brown')).toEqual(['1']);
    expect(sqs('fox | dog')).toEqual(['1', '2']);
    expect(sqs('brown -dog', { default_operator: 'and' })).toEqual(['1']);
    expect(sqs('"lazy brown"')).toEqual(['2']);
    expect(sqs('eng*')).toEqual(['3']);
    expect(sqs('lazzy~1', { fields: ['title'] })).toEqual(['2']);
  });
});
