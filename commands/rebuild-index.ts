import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { printFailures } from '../src/cli/print-failures.js';
import type { Progress } from '../src/cli/progress.js';
import { rebuildIndex, type RebuildIndexResult } from '../src/indexes/rebuild-index.js';
import { LifecycleError, RelevanceError } from '../src/errors.js';
import { timeArgument } from '../src/config/duration.js';
import type { EvaluationReport } from '../src/relevance/evaluate.js';
import { formatEvaluation } from '../src/relevance/evaluation-report.js';
import { REGRESSION_EXIT_CODE, RelevanceRegressionError, relevanceGate } from '../src/relevance/rebuild-gate.js';

const EVALUATE_FLAGS = ['--max-regression', '--metric', '--since', '--min-searches', '--min-terms'];

export default class RebuildIndex extends SearchCommand<typeof RebuildIndex> {
  static override summary = 'Rebuild indexes with zero downtime.';
  static override description = `Creates <index>-<timestamp> from the mapping file, fills it (refresh off, no replicas) while searches keep using the alias, then moves the alias in one atomic call and deletes the old index. Writes made during the rebuild go to both indexes, so none is lost. A plain index named <index> (from before indexkit's alias scheme) is migrated. A second rebuild of the same index is refused while one runs.

With --evaluate, the filled new index is evaluated against the live one on the users' logged searches and conversions (as search evaluate does, on the same terms) before the alias moves. When it ranks worse by more than --max-regression beyond the paired 95% bootstrap interval, the alias stays where it is, the new index is kept for inspection, the per-term report is printed and the command exits 4. With fewer than --min-terms judged terms it stops before rebuilding, unless --force.`;
  static override examples = ['<%= config.bin %> rebuild-index blog', '<%= config.bin %> rebuild-index blog --keep-old', '<%= config.bin %> rebuild-index blog --evaluate --max-regression 0.02 --since 14d'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };
  static override flags = {
    'keep-old': Flags.boolean({ summary: 'Keep the previous concrete index.' }),
    force: Flags.boolean({ summary: 'Take over from a rebuild that looks alive (use when it died); with --evaluate, rebuild even with too few judgments.' }),
    'ignore-failures': Flags.boolean({ summary: 'Move the alias even if some documents failed to index.' }),
    evaluate: Flags.boolean({ summary: 'Move the alias only if the new index ranks no worse on logged searches (exit 4 otherwise).' }),
    'max-regression': Flags.string({ summary: 'With --evaluate: the allowed drop of the metric.', default: '0.01' }),
    metric: Flags.string({ summary: 'With --evaluate: ndcg@K, mrr, precision@K, recall@K, err@K.', default: 'ndcg@10' }),
    since: Flags.string({ summary: 'With --evaluate: the period of logged searches (ISO date or duration ago).', default: '30d' }),
    'min-searches': Flags.integer({ summary: 'With --evaluate: a term needs at least this many searches.', default: 3, min: 1 }),
    'min-terms': Flags.integer({ summary: 'With --evaluate: judged terms needed to gate (fewer: stop, unless --force).', default: 10, min: 1 }),
  };

  public async run(): Promise<{ indexes: RebuildIndexResult[]; evaluations: Record<string, EvaluationReport> }> {
    const stray = EVALUATE_FLAGS.find((flag) => this.argv.some((a) => a === flag || a.startsWith(`${flag}=`)));
    if (stray && !this.flags.evaluate) throw new RelevanceError('ARGUMENT_INVALID', `${stray} applies to --evaluate, which is not given`);
    const progress = this.newProgress();
    const signal = this.catchInterrupts();
    const indexes: RebuildIndexResult[] = [];
    const evaluations: Record<string, EvaluationReport> = {};
    for (const name of this.indexNames()) {
      const gate = this.flags.evaluate ? await this.gate(name, progress, evaluations) : undefined;
      try {
        const result = await rebuildIndex(this.project, name, {
          beforeSwap: gate,
          keepOld: this.flags['keep-old'],
          force: this.flags.force,
          ignoreFailures: this.flags['ignore-failures'],
          signal,
          onProgress: (p) => progress.update(`${p.index} ${p.model}`, p.done, p.total),
          onStep: (step) => {
            progress.stop();
            if (this.interactive) this.logToStderr(`${name}: ${step}`);
          },
        });
        progress.stop();
        indexes.push(result);
        this.log(
          `${name}: now ${result.target} (${result.fill.indexed} documents, ${result.prune.deleted} pruned, ${result.seconds.toFixed(1)}s)${result.migratedFromPlainIndex ? '; migrated from a plain index to the alias scheme' : ''}${result.deletedOld.length ? `; deleted ${result.deletedOld.join(', ')}` : ''}`,
        );
        if (evaluations[name] && !this.jsonEnabled()) this.log(formatEvaluation(evaluations[name], { top: 0 }).slice(1, 5).filter(Boolean).map((l) => `  ${l}`).join('\n'));
      } catch (error) {
        progress.stop();
        if (error instanceof LifecycleError && error.code === 'INTERRUPTED') throw this.interrupted(error.message.replace(/^interrupted /, ''));
        if (error instanceof RelevanceRegressionError) {
          if (this.jsonEnabled()) this.logJson({ indexes, evaluations, error: { code: error.code, message: this.redactor.redact(error.message), exitCode: REGRESSION_EXIT_CODE } });
          else {
            for (const line of formatEvaluation(error.report, { top: 0 })) this.log(line);
            this.logToStderr(`error: ${this.redactor.redact(error.message)}`);
          }
          this.exit(REGRESSION_EXIT_CODE);
        }
        const fill = error instanceof LifecycleError ? (error.cause as { failures?: Parameters<typeof printFailures>[0] } | undefined) : undefined;
        if (fill?.failures && !this.jsonEnabled()) printFailures(fill.failures, (line) => this.logToStderr(line));
        throw error;
      }
    }
    return { indexes, evaluations };
  }

  /** --evaluate: judgments checked before the rebuild, the evaluation run before the alias moves. */
  private async gate(name: string, progress: Progress, evaluations: Record<string, EvaluationReport>): Promise<((rebuild: { index: string; target: string }) => Promise<void>) | undefined> {
    const text = this.flags['max-regression'];
    const maxRegression = Number(text);
    if (text.trim() === '' || !Number.isFinite(maxRegression) || maxRegression < 0) {
      throw new RelevanceError('ARGUMENT_INVALID', `--max-regression is "${text}", expected a number of 0 or more (an allowed drop of the metric, e.g. 0.01)`);
    }
    const gate = await relevanceGate(this.project, name, {
      since: timeArgument(this.flags.since, '--since'),
      metric: this.flags.metric,
      minSearches: this.flags['min-searches'],
      minTerms: this.flags['min-terms'],
      maxRegression,
      force: this.flags.force,
      onProgress: (done, total) => progress.update(`${name} evaluating`, done, total),
      onReport: (report) => {
        progress.stop();
        evaluations[name] = report;
      },
    });
    // stderr also under --json, whose one document goes to stdout
    if (gate.warning) process.stderr.write(`warning: ${this.redactor.redact(gate.warning)}\n`);
    return gate.beforeSwap;
  }
}
