import type { SegmentView } from '../contract.js';
import { EngineError } from '../errors.js';
import { javaDouble } from './aggs/value-format.js';
import { numericResult } from './script/painless.js';
import type { ScriptEnv } from './script/painless.js';
import { segmentEnv } from './script/script-scorers.js';
import { nestedParentOf } from './nested-parents.js';
import type { PrimitiveFunction } from './primitive.js';
import type { BoostMode, NestedScoreMode, ScoreMode } from './query.js';
import { ComputedScoreScorer, NO_MORE_DOCS, Scorer } from './scorer.js';

const f = Math.fround;

/** boosting: the positive score, times negative_boost where the negative query also matches. */
export class BoostingScorer extends Scorer {
  constructor(
    private readonly positive: Scorer,
    private readonly negative: Scorer | null,
    private readonly negativeBoost: number,
    private readonly boost: number,
  ) {
    super();
  }
  nextDoc(): number {
    return (this.doc = this.positive.nextDoc());
  }
  advance(target: number): number {
    return (this.doc = this.positive.advance(target));
  }
  score(): number {
    const s = f(this.positive.score() * this.boost);
    const neg = this.negative;
    if (!neg) return s;
    const d = neg.doc < this.doc ? neg.advance(this.doc) : neg.doc;
    return d === this.doc ? f(s * this.negativeBoost) : s;
  }
  cost(): number {
    return this.positive.cost();
  }
}

/** One function of function_score, ready for one segment. */
export interface SegmentFunction {
  fn: PrimitiveFunction;
  filter: Scorer | null | 'all';
}

function modify(modifier: string, v: number): number {
  switch (modifier) {
    case 'log':
      return Math.log10(v);
    case 'log1p':
      return Math.log10(v + 1);
    case 'log2p':
      return Math.log10(v + 2);
    case 'ln':
      return Math.log(v);
    case 'ln1p':
      return Math.log1p(v);
    case 'ln2p':
      return Math.log(v + 2);
    case 'square':
      return v * v;
    case 'sqrt':
      return Math.sqrt(v);
    case 'reciprocal':
      return 1 / v;
    default:
      return v;
  }
}

/** Elasticsearch's FunctionScoreQuery: combine the functions (score_mode), then with the query score (boost_mode). */
export class FunctionScoreScorer extends ComputedScoreScorer {
  constructor(
    inner: Scorer,
    private readonly functions: SegmentFunction[],
    private readonly segment: SegmentView,
    private readonly scoreMode: ScoreMode,
    private readonly boostMode: BoostMode,
    private readonly maxBoost: number,
    minScore: number | undefined,
    private readonly boost: number,
    private readonly onError: (e: Error) => never,
  ) {
    super(inner, minScore);
  }
  private readonly scriptEnvs = new Map<PrimitiveFunction, ScriptEnv>();
  private functionValue(fn: PrimitiveFunction, doc: number): number {
    switch (fn.type) {
      case 'weight':
        return fn.weight;
      case 'field_value_factor': {
        const values = this.segment.numericValues(fn.field, doc);
        let v = values && values.length > 0 ? values[0] : fn.missing;
        if (v === undefined) this.onError(new Error(`Missing value for field [${fn.field}]`));
        v = modify(fn.modifier, fn.factor * (v as number));
        if (!Number.isFinite(v)) {
          this.onError(
            new Error(
              `field value function must not produce negative, infinite or NaN values for field [${fn.field}]: computed value [${v}]`,
            ),
          );
        }
        return (fn.weight ?? 1) * v;
      }
      case 'script_score': {
        // ScriptScoreFunction: the script's double value, `_score` the query's; negative values fail
        let env = this.scriptEnvs.get(fn);
        if (!env) {
          env = segmentEnv(fn.script, this.segment);
          this.scriptEnvs.set(fn, env);
        }
        env.doc = doc;
        env.score = fn.script.usesScore ? this.inner.score() : undefined;
        const v = numericResult(fn.script, fn.script.run(env));
        if (v < 0) throw new EngineError(400, 'illegal_argument_exception', `script score function must not produce negative scores, but got: [${javaDouble(v)}]`);
        return (fn.weight ?? 1) * v;
      }
      case 'random_score': {
        // deterministic per (seed, doc id): a 24-bit hash scaled to [0, 1), as ES's RandomScoreFunction
        let h = (fn.seed ^ 0x9e3779b9) >>> 0;
        const id = this.segment.id(doc);
        for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
        return (fn.weight ?? 1) * ((h & 0xffffff) / (1 << 24));
      }
    }
  }
  protected compute(): number {
    const doc = this.doc;
    const sub = this.inner.score();
    let factor = 1;
    let any = false;
    let total = 0;
    let weightSum = 0;
    let max = -Infinity;
    let min = Infinity;
    for (const sf of this.functions) {
      if (sf.filter !== 'all') {
        const s = sf.filter;
        if (!s) continue;
        const d = s.doc < doc ? s.advance(doc) : s.doc;
        if (d !== doc) continue;
      }
      const v = this.functionValue(sf.fn, doc);
      if (this.scoreMode === 'first') {
        factor = v;
        any = true;
        break;
      }
      any = true;
      factor = this.scoreMode === 'multiply' ? factor * v : factor;
      total += v;
      weightSum += sf.fn.type === 'weight' ? sf.fn.weight : (sf.fn.weight ?? 1);
      if (v > max) max = v;
      if (v < min) min = v;
    }
    if (any) {
      if (this.scoreMode === 'sum') factor = total;
      else if (this.scoreMode === 'avg') factor = weightSum !== 0 ? total / weightSum : 1;
      else if (this.scoreMode === 'max') factor = max;
      else if (this.scoreMode === 'min') factor = min;
    }
    factor = Math.min(factor, this.maxBoost);
    let score: number;
    switch (this.boostMode) {
      case 'multiply':
        score = sub * factor;
        break;
      case 'replace':
        score = factor;
        break;
      case 'sum':
        score = sub + factor;
        break;
      case 'avg':
        score = (sub + factor) / 2;
        break;
      case 'max':
        score = Math.max(sub, factor);
        break;
      case 'min':
        score = Math.min(sub, factor);
        break;
    }
    return f(score * this.boost);
  }
}

/**
 * ToParentBlockJoinQuery: iterates the matching children of `path` and emits their parent
 * (children sit immediately before their parent), scoring by score_mode. The parent is the
 * top-level document, or inside another nested query the nested object of `parentPath` that
 * holds the child (multi-level nested).
 */
export class NestedScorer extends Scorer {
  private current = 0;
  constructor(
    private readonly child: Scorer,
    private readonly segment: SegmentView,
    private readonly path: string,
    private readonly mode: NestedScoreMode,
    private readonly boost: number,
    private readonly needsScores: boolean,
    private readonly parentPath?: string,
  ) {
    super();
    child.nextDoc();
  }
  private collect(minParent: number): number {
    const seg = this.segment;
    const c = this.child;
    while (c.doc !== NO_MORE_DOCS) {
      const d = c.doc;
      const parent = nestedParentOf(seg, d, this.parentPath);
      if (seg.nestedPath(d) !== this.path || parent < minParent || !seg.isLive(seg.parentOf(d))) {
        c.nextDoc();
        continue;
      }
      let sum = 0;
      let n = 0;
      let max = -Infinity;
      let min = Infinity;
      while (c.doc !== NO_MORE_DOCS && c.doc < parent) {
        if (seg.nestedPath(c.doc) === this.path) {
          const s = this.needsScores ? c.score() : 0;
          sum += s;
          n++;
          if (s > max) max = s;
          if (s < min) min = s;
        }
        c.nextDoc();
      }
      if (n === 0) continue;
      const raw = this.mode === 'avg' ? sum / n : this.mode === 'sum' ? sum : this.mode === 'max' ? max : this.mode === 'min' ? min : 0;
      this.current = f(raw * this.boost);
      return (this.doc = parent);
    }
    return (this.doc = NO_MORE_DOCS);
  }
  nextDoc(): number {
    return this.collect(this.doc + 1);
  }
  advance(target: number): number {
    // children of parents >= target start after the previous parent; skipping child by child is exact
    return this.collect(target);
  }
  score(): number {
    return this.current;
  }
  cost(): number {
    return this.child.cost();
  }
}
