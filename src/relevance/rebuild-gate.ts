import { RelevanceError } from '../errors.js';
import type { Project } from '../project.js';
import { evaluateRelevance, type EvaluationReport } from './evaluate.js';
import { readJudgments, type JudgedTerm, type JudgmentSummary } from './judgments.js';

/** Exit code of `search rebuild-index --evaluate` when the new index ranks worse: the alias stays, the new index is kept. */
export const REGRESSION_EXIT_CODE = 4;

export interface RelevanceGateOptions {
  since?: Date;
  until?: Date;
  metric?: string;
  minSearches?: number;
  /** Judged terms needed to gate (default 10); fewer stops before the rebuild unless `force`. */
  minTerms?: number;
  /** Allowed drop of the metric (default 0.01). */
  maxRegression?: number;
  force?: boolean;
  /** Told of each evaluation, before the decision. */
  onReport?: (report: EvaluationReport) => void;
  onProgress?: (done: number, total: number) => void;
}

/** The rebuild stopped because the new index ranks worse; the new index is kept (`keepTarget`). */
export class RelevanceRegressionError extends RelevanceError {
  override name = 'RelevanceRegressionError';
  readonly keepTarget = true;
  constructor(
    message: string,
    readonly report: EvaluationReport,
  ) {
    super('RELEVANCE_REGRESSION', message, { exitCode: REGRESSION_EXIT_CODE });
  }
}

/**
 * The relevance gate of `rebuild-index --evaluate`: judgments are read before the rebuild starts
 * (too few judged terms stop it there, unless `force`); `beforeSwap` then evaluates the filled new
 * index against the live alias on the same terms and refuses the swap when the new index is worse
 * by more than `maxRegression` beyond the paired 95% bootstrap interval, i.e. when even the upper
 * end of the interval of (new − live) is below −maxRegression. A smaller drop, or one the
 * interval cannot tell from noise, lets the alias move.
 *
 * @example
 * const gate = await relevanceGate(project, 'blog', { since, maxRegression: 0.01 });
 * await rebuildIndex(project, 'blog', { beforeSwap: gate.beforeSwap });
 */
export async function relevanceGate(
  project: Project,
  name: string,
  options: RelevanceGateOptions = {},
): Promise<{ summary: JudgmentSummary; warning?: string; beforeSwap?: (rebuild: { index: string; target: string }) => Promise<void> }> {
  const maxRegression = options.maxRegression ?? 0.01;
  if (!(maxRegression >= 0) || !Number.isFinite(maxRegression)) throw new RelevanceError('ARGUMENT_INVALID', `--max-regression is ${maxRegression}, expected a number of 0 or more (an allowed drop of the metric, e.g. 0.01)`);
  const minTerms = options.minTerms ?? 10;
  const judgments: { terms: JudgedTerm[]; summary: JudgmentSummary } = await readJudgments(await project.db(), { index: name, since: options.since, until: options.until, minSearches: options.minSearches });
  const { summary } = judgments;
  let warning: string | undefined;
  if (summary.terms < minTerms) {
    const why = `only ${summary.terms} search term(s) of "${name}" have judgments (at least ${minTerms} needed to gate a rebuild; ${summary.belowMinSearches} term(s) searched fewer than ${options.minSearches ?? 3} times, ${summary.withoutConversions} without a conversion)`;
    if (!options.force) throw new RelevanceError('JUDGMENTS_INSUFFICIENT', `${why}; nothing was rebuilt. Pass --force to rebuild anyway, or widen --since / lower --min-searches`, { exitCode: 1 });
    warning = summary.terms === 0 ? `${why}; --force: rebuilding without the relevance gate` : `${why}; --force: gating on them anyway`;
    if (summary.terms === 0) return { summary, warning };
  }
  const client = await project.clients.forIndex(name);
  return {
    summary,
    warning,
    async beforeSwap({ target }) {
      const report = await evaluateRelevance({ client, db: await project.db() }, { index: name, target, against: name, judgments, metric: options.metric, since: options.since, until: options.until, onProgress: options.onProgress });
      options.onReport?.(report);
      const change = report.change;
      if (change && change.high < -maxRegression) {
        throw new RelevanceRegressionError(
          `${target} ranks worse than ${name} on ${report.metric}: ${change.estimate.toFixed(4)} (95% interval ${change.low.toFixed(4)} to ${change.high.toFixed(4)}) over ${report.judgments.terms} terms, beyond the allowed ${maxRegression}; the alias ${name} was not moved and ${target} is kept for inspection (delete it with the cluster's DELETE /${target} when done)`,
          report,
        );
      }
    },
  };
}
