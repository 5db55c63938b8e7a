import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { Progress } from '../src/cli/progress.js';
import { timeArgument } from '../src/config/duration.js';
import { isConcreteIndexOf } from '../src/indexes/index-naming.js';
import { evaluateRelevance, type EvaluationReport } from '../src/relevance/evaluate.js';
import { formatEvaluation } from '../src/relevance/evaluation-report.js';
import { loadQueryBuilder } from '../src/relevance/query-builder.js';
import { readQueryLog } from '../src/search/query-audit.js';

export default class Evaluate extends SearchCommand<typeof Evaluate> {
  static override summary = "Measure an index's relevance on its users' logged searches and conversions.";
  static override description = `Turns the logged searches of <index> over the period into rated requests (one per search term, lower-cased, trimmed, white space collapsed, searched at least --min-searches times; a hit converted on is relevant: a click 1, another kind 2, one more with a positive value), replays each term's latest logged request (or the body --query-builder returns for it) through _rank_eval, and prints the metric per term and overall with a 95% bootstrap interval over terms. With --against, evaluates a second index on the same terms and prints the paired change, terms with the largest change first. <index> may be a configured index or one of its concrete indexes (<index>-<timestamp>). Judgments lean towards the ranking users saw (only what they saw can be converted on); the count of judgments only ever converted at rank 1 is printed.`;
  static override examples = [
    '<%= config.bin %> evaluate blog',
    '<%= config.bin %> evaluate blog --since 7d --metric mrr',
    '<%= config.bin %> evaluate blog-20261205093000000 --against blog',
    '<%= config.bin %> evaluate blog --query-builder ./try-query.ts#build --json',
  ];
  static override args = { index: Args.string({ description: 'A configured index, or one of its concrete indexes.', required: true }) };
  static override flags = {
    since: Flags.string({ summary: 'Period start (ISO date or duration ago).', default: '30d' }),
    until: Flags.string({ summary: 'Period end, exclusive (ISO date or duration ago). Default: now.' }),
    metric: Flags.string({ summary: 'ndcg@K, mrr, precision@K, recall@K, err@K or dcg@K.', default: 'ndcg@10' }),
    against: Flags.string({ summary: 'Another index, alias or concrete index to compare with, on the same terms.' }),
    'query-builder': Flags.string({ summary: 'A module export (./path#name) returning the search body for a term, tried instead of the logged bodies.' }),
    'min-searches': Flags.integer({ summary: 'A term needs at least this many searches in the period.', default: 3, min: 1 }),
    top: Flags.integer({ summary: 'Terms printed (0: all); --json lists all.', default: 25, min: 0 }),
  };

  public async run(): Promise<EvaluationReport> {
    const f = this.flags;
    const since = timeArgument(f.since, '--since');
    const until = f.until === undefined ? undefined : timeArgument(f.until, '--until');
    const { index, target } = this.subject(this.args.index);
    const queryBuilder = f['query-builder'] === undefined ? undefined : await loadQueryBuilder(f['query-builder'], process.cwd());
    const progress = new Progress(this.interactive);
    const db = await this.db();
    const client = await this.project.clients.forIndex(index);
    const report = await readQueryLog(() =>
      evaluateRelevance(
        { client, db },
        { index, target, against: f.against, since, until, metric: f.metric, minSearches: f['min-searches'], queryBuilder, onProgress: (done, total) => progress.update('evaluating', done, total) },
      ),
    );
    progress.stop();
    if (!this.jsonEnabled()) for (const line of formatEvaluation(report, { top: f.top })) this.log(line);
    return report;
  }

  /** The configured index whose log is read, and the index evaluated (a concrete index of it, or itself). */
  private subject(arg: string): { index: string; target: string } {
    const owner = Object.keys(this.settings.indexes).find((name) => isConcreteIndexOf(name, arg));
    if (owner) return { index: owner, target: arg };
    const [index] = this.project.indexNames([arg]);
    return { index: index!, target: index! };
  }
}
