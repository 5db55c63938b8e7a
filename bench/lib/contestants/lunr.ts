import lunr from 'lunr';
import type { BenchQuery } from '../bench-queries.js';
import type { Contestant } from '../contestant.js';
import { TOP } from '../contestant.js';
import type { MailDocument } from '../spam-corpus.js';

/**
 * Lunr (BM25): `lunr.Builder` with lunr()'s default pipeline (trimmer, English stop words,
 * Porter stemmer), fields subject and body. Queries are built with `index.query`, whose term
 * presence (required/prohibited) expresses must and must_not exactly; multi_match sums the
 * field scores (subject boosted 2) where best_fields takes the best.
 */
export class LunrContestant implements Contestant {
  private engine?: lunr.Index;

  async index(docs: MailDocument[]): Promise<void> {
    const builder = new lunr.Builder();
    builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    builder.searchPipeline.add(lunr.stemmer);
    builder.ref('id');
    builder.field('subject');
    builder.field('body');
    docs.forEach((d, id) => builder.add({ id, ...d }));
    this.engine = builder.build();
  }

  async search(q: BenchQuery): Promise<number[]> {
    const { REQUIRED, PROHIBITED } = lunr.Query.presence;
    const words = (text: string) => lunr.tokenizer(text);
    const results = this.engine!.query((query) => {
      switch (q.kind) {
        case 'match':
          query.term(words(q.text), { fields: ['body'] });
          break;
        case 'multi_match':
          query.term(words(q.text), { fields: ['subject'], boost: 2 });
          query.term(words(q.text), { fields: ['body'] });
          break;
        case 'bool_should':
          query.term(words(q.must), { fields: ['body'], presence: REQUIRED });
          query.term(words(q.should), { fields: ['subject'] });
          break;
        case 'bool_must_not':
          query.term(words(q.must), { fields: ['body'], presence: REQUIRED });
          query.term(words(q.not), { fields: ['body'], presence: PROHIBITED });
          break;
      }
    });
    return results.slice(0, TOP).map((r) => Number(r.ref));
  }

  async close(): Promise<void> {}
}
