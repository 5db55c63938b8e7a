import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient();

async function failure(promise: Promise<unknown>): Promise<errors.ResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof errors.ResponseError) return error;
    throw error;
  }
  throw new Error('expected a ResponseError');
}

describe('documents API', () => {
  it('indexes a document, auto-creating the index, and answers as Elasticsearch does', async () => {
    const res = await t.client.index({ index: 'docs', id: '1', document: { title: 'Hello' } });
    expect(res).toEqual({
      _index: 'docs',
      _id: '1',
      _version: 1,
      result: 'created',
      _shards: { total: 2, successful: 1, failed: 0 },
      _seq_no: 0,
      _primary_term: 1,
    });
    const again = await t.client.index({ index: 'docs', id: '1', document: { title: 'Hello again' } });
    expect(again.result).toBe('updated');
    expect(again._version).toBe(2);
    expect(again._seq_no).toBe(1);
  });

  it('gets documents in real time, before any refresh', async () => {
    await t.client.index({ index: 'docs', id: 'rt', document: { title: 'fresh', n: 1 } });
    const got = await t.client.get({ index: 'docs', id: 'rt' });
    expect(got.found).toBe(true);
    expect(got._source).toEqual({ title: 'fresh', n: 1 });
    expect(got._seq_no).toBeTypeOf('number');
    expect(got._primary_term).toBe(1);
  });

  it('answers a missing document with found:false and 404', async () => {
    const error = await failure(t.client.get({ index: 'docs', id: 'nope' }));
    expect(error.statusCode).toBe(404);
    expect(error.body).toEqual({ _index: 'docs', _id: 'nope', found: false });
  });

  it('answers an unknown index with index_not_found_exception', async () => {
    const error = await failure(t.client.get({ index: 'missing-index', id: '1' }));
    expect(error.statusCode).toBe(404);
    expect((error.body as { error: { type: string; reason: string } }).error).toMatchObject({
      type: 'index_not_found_exception',
      reason: 'no such index [missing-index]',
      index: 'missing-index',
    });
  });

  it('filters _source with _source_includes / _source_excludes / _source=false', async () => {
    await t.client.index({ index: 'docs', id: 'src', document: { a: 1, b: { c: 2, d: 3 }, e: 'x' } });
    expect((await t.client.get({ index: 'docs', id: 'src', _source_includes: ['b.*'] }))._source).toEqual({ b: { c: 2, d: 3 } });
    expect((await t.client.get({ index: 'docs', id: 'src', _source_excludes: ['b.c', 'e'] }))._source).toEqual({ a: 1, b: { d: 3 } });
    expect((await t.client.get({ index: 'docs', id: 'src', _source: false }))._source).toBeUndefined();
    expect(await t.client.getSource({ index: 'docs', id: 'src' })).toEqual({ a: 1, b: { c: 2, d: 3 }, e: 'x' });
  });

  it('answers HEAD exists with true/false', async () => {
    expect(await t.client.exists({ index: 'docs', id: 'src' })).toBe(true);
    expect(await t.client.exists({ index: 'docs', id: 'zzz' })).toBe(false);
  });

  it('generates 20-character ids for POST /{index}/_doc', async () => {
    const res = await t.client.index({ index: 'docs', document: { title: 'auto' } });
    expect(res.result).toBe('created');
    expect(res._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  it('refuses to create an existing document (_create and op_type=create)', async () => {
    await t.client.create({ index: 'docs', id: 'c1', document: { x: 1 } });
    const error = await failure(t.client.create({ index: 'docs', id: 'c1', document: { x: 2 } }));
    expect(error.statusCode).toBe(409);
    expect((error.body as { error: { type: string; reason: string } }).error.type).toBe('version_conflict_engine_exception');
    expect((error.body as { error: { reason: string } }).error.reason).toBe('[c1]: version conflict, document already exists (current version [1])');
    const viaOpType = await failure(t.client.index({ index: 'docs', id: 'c1', op_type: 'create', document: { x: 3 } }));
    expect(viaOpType.statusCode).toBe(409);
  });

  it('deletes, answering not_found with 404 the second time', async () => {
    await t.client.index({ index: 'docs', id: 'del', document: { x: 1 } });
    const res = await t.client.delete({ index: 'docs', id: 'del' });
    expect(res.result).toBe('deleted');
    expect(res._version).toBe(2);
    const error = await failure(t.client.delete({ index: 'docs', id: 'del' }));
    expect(error.statusCode).toBe(404);
    expect((error.body as { result: string }).result).toBe('not_found');
  });

  it('checks if_seq_no / if_primary_term with the reason text Elasticsearch gives', async () => {
    const first = await t.client.index({ index: 'docs', id: 'occ', document: { v: 1 } });
    const second = await t.client.index({ index: 'docs', id: 'occ', document: { v: 2 }, if_seq_no: first._seq_no, if_primary_term: 1 });
    expect(second.result).toBe('updated');
    const error = await failure(t.client.index({ index: 'docs', id: 'occ', document: { v: 3 }, if_seq_no: first._seq_no, if_primary_term: 1 }));
    expect(error.statusCode).toBe(409);
    expect((error.body as { error: { reason: string } }).error.reason).toBe(
      `[occ]: version conflict, required seqNo [${first._seq_no}], primary term [1]. current document has seqNo [${second._seq_no}] and primary term [1]`,
    );
  });

  it('supports external versioning', async () => {
    const res = await t.client.index({ index: 'docs', id: 'ext', version: 10, version_type: 'external', document: { v: 1 } });
    expect(res._version).toBe(10);
    const error = await failure(t.client.index({ index: 'docs', id: 'ext', version: 5, version_type: 'external', document: { v: 2 } }));
    expect((error.body as { error: { reason: string } }).error.reason).toBe('[ext]: version conflict, current version [10] is higher or equal to the one provided [5]');
    const gte = await t.client.index({ index: 'docs', id: 'ext', version: 10, version_type: 'external_gte', document: { v: 3 } });
    expect(gte._version).toBe(10);
  });

  it('updates with a partial doc, detects no-ops, and reports document_missing_exception', async () => {
    await t.client.index({ index: 'docs', id: 'u', document: { a: 1, nested: { x: 1 } } });
    const res = await t.client.update({ index: 'docs', id: 'u', doc: { bb: 2, nested: { y: 2 } } });
    expect(res.result).toBe('updated');
    expect((await t.client.get({ index: 'docs', id: 'u' }))._source).toEqual({ a: 1, bb: 2, nested: { x: 1, y: 2 } });
    const noop = await t.client.update({ index: 'docs', id: 'u', doc: { bb: 2 } });
    expect(noop.result).toBe('noop');
    expect(noop._shards).toEqual({ total: 0, successful: 0, failed: 0 });
    const error = await failure(t.client.update({ index: 'docs', id: 'missing-doc', doc: { a: 1 } }));
    expect(error.statusCode).toBe(404);
    expect((error.body as { error: { type: string; reason: string } }).error).toMatchObject({
      type: 'document_missing_exception',
      reason: '[missing-doc]: document missing',
    });
  });

  it('upserts with doc_as_upsert and upsert, and returns the source when asked', async () => {
    const created = await t.client.update({ index: 'docs', id: 'up1', doc: { a: 1 }, doc_as_upsert: true });
    expect(created.result).toBe('created');
    const viaUpsert = await t.client.update({ index: 'docs', id: 'up2', doc: { a: 1 }, upsert: { a: 0, fresh: true } });
    expect(viaUpsert.result).toBe('created');
    expect((await t.client.get({ index: 'docs', id: 'up2' }))._source).toEqual({ a: 0, fresh: true });
    const withSource = await t.client.update({ index: 'docs', id: 'up2', doc: { a: 5 }, _source: true });
    expect(withSource.get?._source).toEqual({ a: 5, fresh: true });
  });

  it('refuses script updates with a clear 400', async () => {
    const error = await failure(t.client.update({ index: 'docs', id: 'u', script: { source: 'ctx._source.a++' } }));
    expect(error.statusCode).toBe(400);
    expect((error.body as { error: { reason: string } }).error.reason).toContain('not supported by the indexkit embedded engine');
  });

  it('gets several documents with _mget (docs and ids forms)', async () => {
    await t.client.index({ index: 'docs', id: 'm1', document: { m: 1 } });
    await t.client.index({ index: 'docs', id: 'm2', document: { m: 2 } });
    const res = await t.client.mget({ index: 'docs', ids: ['m1', 'm2', 'm3'] });
    expect(res.docs.map((d) => ('found' in d ? d.found : 'error'))).toEqual([true, true, false]);
    const mixed = await t.client.mget({ docs: [{ _index: 'docs', _id: 'm1' }, { _index: 'nowhere', _id: 'x' }] });
    const second = mixed.docs[1] as unknown as { error: { type: string } };
    expect(second.error.type).toBe('index_not_found_exception');
  });

  it('rejects a body that is not JSON', async () => {
    const error = await failure(
      t.client.transport.request({ method: 'PUT', path: '/docs/_doc/bad', body: '{"title": ' }, { headers: { 'content-type': 'application/json' } }),
    );
    expect(error.statusCode).toBe(400);
  });

  it('refreshes on request with refresh=true (forced_refresh) and wait_for', async () => {
    const res = await t.client.index({ index: 'docs', id: 'r1', document: { a: 1 }, refresh: true });
    expect(res.forced_refresh).toBe(true);
    const waited = await t.client.index({ index: 'docs', id: 'r2', document: { a: 1 }, refresh: 'wait_for' });
    expect(waited.forced_refresh).toBeUndefined();
  });
});

describe('EmbeddedConnection', () => {
  it('streams responses when the client asks for asStream', async () => {
    const res = await t.client.transport.request({ method: 'GET', path: '/' }, { asStream: true, meta: true });
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(JSON.parse(Buffer.concat(chunks).toString()).tagline).toBe('You Know, for Search');
  });

  it('shares one engine per directory and builds a client with createEmbeddedClient', async () => {
    const { createEmbeddedClient } = await import('../../src/engine/index.js');
    const other = await createEmbeddedClient(t.dir);
    expect((await other.get({ index: 'docs', id: '1' })).found).toBe(true);
    await other.close();
    // the first client still works: the engine is ref-counted
    expect((await t.client.get({ index: 'docs', id: '1' })).found).toBe(true);
  });
});

describe('URL parameters', () => {
  it('refuses parameters the API does not know, as Elasticsearch does', async () => {
    const error = await failure(t.client.transport.request({ method: 'GET', path: '/docs/_doc/1', querystring: { foo: 'bar' } }));
    expect(error.statusCode).toBe(400);
    expect((error.body as { error: { type: string; reason: string } }).error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'request [/docs/_doc/1] contains unrecognized parameter: [foo]',
    });
    const ok = await t.client.transport.request({ method: 'GET', path: '/docs/_doc/1', querystring: { pretty: 'true', filter_path: '_id' } });
    expect(ok).toEqual({ _id: '1' });
  });
});
