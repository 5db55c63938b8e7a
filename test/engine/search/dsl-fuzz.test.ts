import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors.js';
import { refIndex } from './reference-index.js';
import { search } from './helpers.js';

/** Random, often malformed, query DSL: the engine answers or fails with an Elasticsearch error, never a crash. */
const index = refIndex(
  'dz',
  { title: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' }, at: { type: 'date' }, c: { type: 'nested' }, 'c.x': { type: 'keyword' } },
  [
    { id: '1', source: { title: 'quick brown fox', tag: 'a', n: 1, at: '2024-01-01', c: [{ x: 'q' }] } },
    { id: '2', source: { title: 'lazy dog', tag: 'b', n: 2 } },
  ],
);
const NAMES = ['match', 'match_phrase', 'match_phrase_prefix', 'match_bool_prefix', 'multi_match', 'term', 'terms', 'range', 'exists', 'ids', 'prefix', 'wildcard', 'regexp', 'fuzzy', 'bool', 'constant_score', 'dis_max', 'boosting', 'function_score', 'nested', 'query_string', 'simple_query_string', 'match_all', 'match_none'];
const KEYS = ['title', 'tag', 'n', 'at', 'c', 'c.x', 'nope', 'query', 'value', 'fields', 'must', 'should', 'filter', 'must_not', 'gte', 'lt', 'boost', '_name', 'operator', 'minimum_should_match', 'fuzziness', 'slop', 'path', 'positive', 'negative', 'negative_boost', 'queries', 'tie_breaker', 'functions', 'weight', 'field_value_factor', 'field', 'values', 'type', 'score_mode'];
const scalar = fc.oneof(fc.constantFrom('fox', 'q*', 'AUTO', 'and', '2', '-1', '75%', 'now-1d/d', '', 'title', 'c', 'best_fields', 'avg'), fc.integer({ min: -3, max: 5 }), fc.boolean(), fc.constant(null));
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown; q: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, tie('q'), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3, noNullPrototype: true })),
  q: fc.dictionary(fc.constantFrom(...NAMES), tie('v'), { minKeys: 1, maxKeys: 1, noNullPrototype: true }),
})).q;

describe('query DSL on arbitrary input', () => {
  it('never crashes with anything but an EngineError', () => {
    fc.assert(
      fc.property(json, fc.option(fc.constantFrom<unknown>([{ n: 'asc' }], ['_score'], [{ tag: { order: 'desc', missing: '_first' } }]), { nil: undefined }), (query, sort) => {
        try {
          search(index, { query, ...(sort ? { sort } : {}) });
        } catch (e) {
          if (!(e instanceof EngineError)) throw e;
          expect(e.status).toBeGreaterThanOrEqual(400);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('search bodies on arbitrary input', () => {
  const BODY_KEYS = ['query', 'from', 'size', 'sort', 'search_after', '_source', 'stored_fields', 'docvalue_fields', 'fields', 'min_score', 'post_filter', 'track_total_hits', 'track_scores', 'explain', 'version', 'seq_no_primary_term', 'terminate_after', 'indices_boost', 'timeout'];
  const value = fc.oneof(
    scalar,
    fc.constantFrom<unknown>({ match_all: {} }, { term: { tag: 'a' } }, ['n', 'tag'], [{ n: 'desc' }], ['_score'], [1, 'a'], [null], { includes: ['t*'] }, [{ dz: 2 }], '_none_', ['at', { field: 'at', format: 'epoch_millis' }]),
  );
  it('never crashes with anything but an EngineError', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...BODY_KEYS), value, { maxKeys: 5, noNullPrototype: true }), (body) => {
        try {
          search(index, body);
        } catch (e) {
          if (!(e instanceof EngineError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
