import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import type { AnyOrama } from '@orama/orama';
import type { BenchQuery } from '../bench-queries.js';
import type { Contestant } from '../contestant.js';
import { TOP } from '../contestant.js';
import type { MailDocument } from '../spam-corpus.js';

/**
 * Orama (BM25): `create` + `insertMultiple`, default tokenizer (English, no stemming). Its
 * full-text search also matches words that start with the term (prefix), which none of the
 * others do. multi_match sums the boosted field scores. bool has no full-text equivalent: the
 * must word is a `where` filter on body (a token filter, no score), the text searched is
 * `must should` over body and subject; must_not is `where: { not: { body } }`.
 */
export class OramaContestant implements Contestant {
  private db?: AnyOrama;

  async index(docs: MailDocument[]): Promise<void> {
    this.db = create({ schema: { subject: 'string', body: 'string' } as const });
    await insertMultiple(
      this.db,
      docs.map((d, id) => ({ id: String(id), ...d })),
    );
  }

  async search(q: BenchQuery): Promise<number[]> {
    const db = this.db!;
    let results;
    switch (q.kind) {
      case 'match':
        results = await oramaSearch(db, { term: q.text, properties: ['body'], limit: TOP });
        break;
      case 'multi_match':
        results = await oramaSearch(db, { term: q.text, properties: ['subject', 'body'], boost: { subject: 2 }, limit: TOP });
        break;
      case 'bool_should':
        results = await oramaSearch(db, { term: `${q.must} ${q.should}`, properties: ['body', 'subject'], where: { body: q.must }, limit: TOP });
        break;
      case 'bool_must_not':
        results = await oramaSearch(db, { term: q.must, properties: ['body'], where: { not: { body: q.not } }, limit: TOP });
        break;
    }
    return results.hits.map((hit) => Number(hit.id));
  }

  async close(): Promise<void> {}
}
