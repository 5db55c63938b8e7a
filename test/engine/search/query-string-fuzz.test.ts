import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors.js';
import { refIndex } from './reference-index.js';
import { search } from './helpers.js';

const index = refIndex('fz', { title: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' } }, [
  { id: '1', source: { title: 'quick brown fox', tag: 'a', n: 1 } },
  { id: '2', source: { title: 'lazy dog', tag: 'b', n: 2 } },
]);
const chars = fc.constantFrom(...'ab fox:()[]{}"~^*?+-!&|\\/<>=TO AND OR NOT title n 1 '.split(''), 'AND', 'OR', 'NOT', 'TO', 'title:', 'n:', '_exists_:');
const input = fc.array(chars, { maxLength: 14 }).map((a) => a.join(''));

describe('query string parsers on arbitrary input', () => {
  it('query_string answers or fails with an Elasticsearch error, never anything else', () => {
    fc.assert(
      fc.property(input, (q) => {
        try {
          search(index, { query: { query_string: { query: q } } });
        } catch (e) {
          expect(e).toBeInstanceOf(EngineError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('simple_query_string never fails', () => {
    fc.assert(
      fc.property(input, (q) => {
        search(index, { query: { simple_query_string: { query: q } } });
      }),
      { numRuns: 500 },
    );
  });
});
