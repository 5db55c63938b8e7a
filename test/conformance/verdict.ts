/**
 * The conformance run's verdict: issue 13 asks `npm run conformance` to exit non-zero on any
 * failure in scope and on any wrong answer or wrong error type anywhere (in scope or not).
 * `--lenient` counts wrong answers and wrong error types only (the run's exit before the in-scope
 * failures reached 0), for a branch that is still working through its in-scope failures.
 */
export interface VerdictTotals {
  inScopeFailed: number;
  wrongAnswers: number;
  wrongErrorTypes: number;
}

export interface Verdict {
  code: 0 | 1;
  /** One line for the end of the report: what the exit code counted and why it is what it is. */
  summary: string;
}

export function verdict(totals: VerdictTotals, lenient: boolean): Verdict {
  const wrong = totals.wrongAnswers + totals.wrongErrorTypes;
  const counted = lenient ? wrong : wrong + totals.inScopeFailed;
  const what = lenient
    ? `wrong answers and wrong error types (--lenient: the ${totals.inScopeFailed} in-scope failures do not count)`
    : 'in-scope failures, wrong answers and wrong error types';
  const code = counted > 0 ? 1 : 0;
  return { code, summary: `exit code ${code}: counts ${what}; ${counted} counted` };
}
