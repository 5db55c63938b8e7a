import { EXIT, IndexkitError } from '../errors.js';
import type { Problem } from './problem.js';

/** The validator found errors; the CLI prints each problem on its own line and exits 2. */
export class ProjectInvalidError extends IndexkitError {
  override name = 'ProjectInvalidError';
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super('VALIDATION_FAILED', problems.map(formatProblem).join('\n'), { exitCode: EXIT.usage });
    this.problems = problems;
  }
}

export const formatProblem = (problem: Problem): string => problem.message;
