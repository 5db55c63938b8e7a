import MiniSearch from 'minisearch';
import type { Query as MiniSearchQuery } from 'minisearch';
import type { BenchQuery } from '../bench-queries.js';
import type { Contestant } from '../contestant.js';
import { TOP } from '../contestant.js';
import type { MailDocument } from '../spam-corpus.js';

/**
 * MiniSearch (BM25+). Defaults: exact terms (no prefix, no fuzzy), OR. multi_match sums the
 * field scores where best_fields takes the best one. bool must+should is written as
 * `OR(AND(must, should), must)`: the hits are the must hits, and those that also match should
 * score higher (MiniSearch has no optional clause inside an AND).
 */
export class MiniSearchContestant implements Contestant {
  private readonly engine = new MiniSearch<MailDocument & { id: number }>({ fields: ['subject', 'body'] });

  async index(docs: MailDocument[]): Promise<void> {
    this.engine.addAll(docs.map((d, id) => ({ id, ...d })));
  }

  async search(q: BenchQuery): Promise<number[]> {
    const body = (query: string): MiniSearchQuery => ({ queries: [query], fields: ['body'] });
    let results;
    switch (q.kind) {
      case 'match':
        results = this.engine.search(q.text, { fields: ['body'] });
        break;
      case 'multi_match':
        results = this.engine.search(q.text, { fields: ['subject', 'body'], boost: { subject: 2 } });
        break;
      case 'bool_should':
        results = this.engine.search({
          combineWith: 'OR',
          queries: [{ combineWith: 'AND', queries: [body(q.must), { queries: [q.should], fields: ['subject'] }] }, body(q.must)],
        });
        break;
      case 'bool_must_not':
        results = this.engine.search({ combineWith: 'AND_NOT', queries: [body(q.must), body(q.not)] });
        break;
    }
    return results.slice(0, TOP).map((r) => r.id as number);
  }

  async close(): Promise<void> {}
}
