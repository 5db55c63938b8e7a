import { Document, Resolver } from 'flexsearch';
import type { BenchQuery } from '../bench-queries.js';
import type { Contestant } from '../contestant.js';
import { TOP } from '../contestant.js';
import type { MailDocument } from '../spam-corpus.js';

/**
 * FlexSearch Document index over subject and body, default options (tokenize "strict": whole
 * words). It does not rank with BM25 (it orders by term position/resolution, no idf or length
 * norm), so its top 10 are not comparable. Multi-word queries use `suggest: true`, its way of
 * returning documents that match only some of the words (OR). multi_match: each field's list,
 * subject first (no score to boost). bool must+should: the Resolver's `and` (must ∩ should)
 * first, then the rest of must (no optional clause). must_not: the Resolver's `not`.
 */
export class FlexSearchContestant implements Contestant {
  private readonly engine = new Document({ document: { id: 'id', index: ['subject', 'body'] } });

  async index(docs: MailDocument[]): Promise<void> {
    docs.forEach((d, id) => this.engine.add({ id, ...d }));
  }

  private field(field: 'subject' | 'body', query: string): number[] {
    const results = this.engine.search(query, { index: [field], limit: TOP, suggest: true });
    return (results[0]?.result ?? []) as number[];
  }

  async search(q: BenchQuery): Promise<number[]> {
    switch (q.kind) {
      case 'match':
        return this.field('body', q.text);
      case 'multi_match':
        return merge(this.field('subject', q.text), this.field('body', q.text));
      case 'bool_should': {
        const both = new Resolver({ index: this.engine, field: 'body', query: q.must })
          .and({ index: this.engine, field: 'subject', query: q.should })
          .resolve({ limit: TOP }) as number[];
        return both.length < TOP ? merge(both, this.field('body', q.must)) : both;
      }
      case 'bool_must_not':
        return new Resolver({ index: this.engine, field: 'body', query: q.must })
          .not({ index: this.engine, field: 'body', query: q.not })
          .resolve({ limit: TOP }) as number[];
    }
  }

  async close(): Promise<void> {}
}

/** The first TOP distinct ids of `a` then `b`. */
function merge(a: number[], b: number[]): number[] {
  const out = new Set(a);
  for (const id of b) {
    if (out.size >= TOP) break;
    out.add(id);
  }
  return [...out].slice(0, TOP);
}
