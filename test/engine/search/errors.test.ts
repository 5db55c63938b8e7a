import { describe, expect, it } from 'vitest';
import { refIndex } from './reference-index.js';
import { errorOf, search } from './helpers.js';

const index = refIndex('errs', { title: { type: 'text' }, n: { type: 'long' }, at: { type: 'date' } }, [{ id: '1', source: { title: 'x', n: 1, at: '2024-01-01' } }]);

describe('errors as Elasticsearch reports them', () => {
  it('unknown query type is a parsing_exception', () => {
    const e = errorOf(() => search(index, { query: { foo: {} } }));
    expect(e.status).toBe(400);
    expect(e.body.error).toMatchObject({ type: 'parsing_exception', reason: 'unknown query [foo]' });
    // a name Object.prototype has is no query either
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(errorOf(() => search(index, { query: JSON.parse(`{"${name}":{}}`) as Record<string, unknown> })).body.error).toMatchObject({
        type: 'parsing_exception',
        reason: `unknown query [${name}]`,
      });
    }
  });

  it('two queries in one object is a malformed query', () => {
    const e = errorOf(() => search(index, { query: { match: { title: 'x' }, term: { title: 'x' } } }));
    expect(e.body.error.reason).toBe('[match] malformed query, expected [END_OBJECT] but found [FIELD_NAME]');
  });

  it('several fields in a single-field query, unknown options, unknown body keys', () => {
    expect(errorOf(() => search(index, { query: { match: { title: 'x', n: 1 } } })).body.error.reason).toBe("[match] query doesn't support multiple fields, found [title] and [n]");
    expect(errorOf(() => search(index, { query: { term: { title: { value: 'x', nope: 1 } } } })).body.error.reason).toBe('[term] query does not support [nope]');
    expect(errorOf(() => search(index, { query: { bool: { musts: [] } } })).body.error.reason).toBe('[bool] query does not support [musts]');
    expect(errorOf(() => search(index, { querry: {} })).body.error).toMatchObject({ type: 'parsing_exception', reason: 'Unknown key for a START_OBJECT in [querry].' });
  });

  it('a term that is not a number on a numeric field is a query_shard_exception in all shards failed', () => {
    const e = errorOf(() => search(index, { query: { term: { n: 'abc' } } }));
    expect(e.status).toBe(400);
    expect(e.body.error.type).toBe('search_phase_execution_exception');
    expect(e.body.error.reason).toBe('all shards failed');
    expect(e.body.error.root_cause[0]).toMatchObject({ type: 'query_shard_exception', reason: 'failed to create query: For input string: "abc"', index: 'errs' });
    expect((e.body.error.failed_shards as Array<{ reason: { caused_by: { type: string } } }>)[0]?.reason.caused_by.type).toBe('number_format_exception');
  });

  it('a bad date is a query_shard_exception', () => {
    const e = errorOf(() => search(index, { query: { range: { at: { gte: 'yesterday' } } } }));
    expect(e.body.error.root_cause[0]?.type).toBe('query_shard_exception');
  });

  it('body keys no phase answers and unsupported queries are clear 400s naming the feature', () => {
    // this service has no phases registered; the engine registers aggs, highlight and suggest (default-phases.ts)
    for (const key of ['aggs', 'aggregations', 'highlight', 'suggest']) {
      const e = errorOf(() => search(index, { [key]: {} }));
      expect(e.status).toBe(400);
      expect(e.body.error.reason).toBe(`[${key}] is not supported by the indexkit embedded engine`);
    }
    expect(errorOf(() => search(index, { query: { shape: {} } })).body.error.reason).toBe('[shape query] is not supported by the indexkit embedded engine');
    expect(errorOf(() => search(index, { query: { nested: { path: 'x', query: { match_all: {} }, inner_hits: { stored_fields: ['x'] } } } })).body.error.reason).toContain('stored_fields in nested inner_hits');
  });

  it('a bad sort order and negative sizes are rejected', () => {
    expect(errorOf(() => search(index, { sort: [{ n: 'up' }] })).status).toBe(400);
    expect(errorOf(() => search(index, { size: -1 })).body.error.reason).toBe('[size] parameter cannot be negative, found [-1]');
  });

  it('query_string syntax errors are query_shard_exception; simple_query_string never fails', () => {
    const e = errorOf(() => search(index, { query: { query_string: { query: 'title:(x AND' } } }));
    expect(e.body.error.root_cause[0]).toMatchObject({ type: 'query_shard_exception', reason: 'Failed to parse query [title:(x AND]' });
    expect(search(index, { query: { simple_query_string: { query: 'x AND (( "unclosed' } } }).hits.total?.value).toBeGreaterThanOrEqual(0);
  });
});
