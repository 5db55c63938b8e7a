import type { SegmentView } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { ComputedScoreScorer, NO_MORE_DOCS, Scorer } from '../scorer.js';
import { javaString } from './java-values.js';
import { numericResult } from './painless.js';
import type { CompiledScript, ScriptEnv } from './painless.js';
import { runtimeError } from './script-errors.js';

/** A script's environment on one segment; `score` is set per document. */
export function segmentEnv(script: CompiledScript, seg: SegmentView): ScriptEnv {
  return { doc: -1, values: script.segmentValues(seg) };
}

/** The script's value on env's doc as a score (a float), failing as ScriptScoreQuery does when it is negative or NaN. */
export function scriptScore(script: CompiledScript, env: ScriptEnv): number {
  const score = Math.fround(numericResult(script, script.run(env)));
  if (score < 0 || Number.isNaN(score)) {
    throw new EngineError(400, 'illegal_argument_exception', `script_score script returned an invalid score [${javaString({ t: 'float', v: score })}] for doc [${env.doc}]. Must be a non-negative score!`);
  }
  return score;
}

/**
 * ScriptScoreQuery's scorer: the script's value (float) on the inner query's matches, times the
 * boost; a negative or NaN value fails as Elasticsearch does; with `min_score` the boosted score
 * decides whether the doc matches.
 */
export class ScriptScoreScorer extends ComputedScoreScorer {
  private readonly env: ScriptEnv;
  constructor(
    inner: Scorer,
    private readonly script: CompiledScript,
    seg: SegmentView,
    private readonly boost: number,
    minScore: number | undefined,
  ) {
    super(inner, minScore);
    this.env = segmentEnv(script, seg);
  }
  /** The script's own value for the current doc, before the boost. */
  scriptValue(): number {
    const env = this.env;
    env.doc = this.doc;
    env.score = this.script.usesScore ? this.inner.score() : undefined;
    return scriptScore(this.script, env);
  }
  innerScore(): number {
    return this.inner.score();
  }
  protected compute(): number {
    return Math.fround(this.scriptValue() * this.boost);
  }
}

/** ScriptQuery: every top-level live doc of the segment for which the script returns true. */
export class ScriptFilterScorer extends Scorer {
  private readonly env: ScriptEnv;
  constructor(
    private readonly seg: SegmentView,
    private readonly script: CompiledScript,
    private readonly boost: number,
  ) {
    super();
    this.env = segmentEnv(script, seg);
  }
  private accepts(doc: number): boolean {
    if (!this.seg.isLive(doc) || this.seg.nestedPath(doc) !== undefined) return false;
    this.env.doc = doc;
    const v = this.script.run(this.env);
    if (v.t !== 'bool') throw runtimeError(this.script.source, 0, 'class_cast_exception', `Cannot cast ${v.t === 'null' ? 'null' : 'a non-boolean value'} to boolean: a script query must return true or false`);
    return v.v;
  }
  advance(target: number): number {
    for (let d = target; d < this.seg.maxDoc; d++) if (this.accepts(d)) return (this.doc = d);
    return (this.doc = NO_MORE_DOCS);
  }
  nextDoc(): number {
    return this.advance(this.doc + 1);
  }
  score(): number {
    return this.boost;
  }
  cost(): number {
    return this.seg.maxDoc;
  }
}
