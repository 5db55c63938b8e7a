import { EngineError } from '../../../errors.js';
import { JavaHashMap } from '../../script/java-collections.js';
import { fromJson, isNumeric, long, toDouble } from '../../script/java-values.js';
import type { JavaValue } from '../../script/java-values.js';
import { compilePainless } from '../../script/painless.js';
import { compileError } from '../../script/script-errors.js';
import type { AggSpec } from '../agg-types.js';
import { xContentError } from './options.js';

/**
 * The significance heuristics of significant_terms / significant_text (Elasticsearch's
 * `bucket/terms/heuristic`): JLHScore (the default), MutualInformation, ChiSquare and GND
 * (NXYSignificanceHeuristic's contingency table, `background_is_superset`, `include_negatives`),
 * PercentageScore and ScriptHeuristic (Painless with `params._subset_freq`, `_subset_size`,
 * `_superset_freq`, `_superset_size` as longs). Each is `getScore(subsetFreq, subsetSize,
 * supersetFreq, supersetSize)` in doubles, as Java computes it.
 */

export type Heuristic = (subsetFreq: number, subsetSize: number, supersetFreq: number, supersetSize: number) => number;

export const HEURISTIC_NAMES = ['jlh', 'mutual_information', 'chi_square', 'gnd', 'percentage', 'script_heuristic'] as const;

function checkFrequencyValidity(subsetFreq: number, subsetSize: number, supersetFreq: number, supersetSize: number, name: string): void {
  const fail = (reason: string): never => {
    throw new EngineError(400, 'illegal_argument_exception', reason);
  };
  if (subsetFreq < 0 || subsetSize < 0 || supersetFreq < 0 || supersetSize < 0) fail(`Frequencies of subset and superset must be positive in ${name}.getScore()`);
  if (subsetFreq > subsetSize) fail(`subsetFreq > subsetSize, in ${name}`);
  if (supersetFreq > supersetSize) fail(`supersetFreq > supersetSize, in ${name}`);
}

const jlh: Heuristic = (subsetFreq, subsetSize, supersetFreq, supersetSize) => {
  checkFrequencyValidity(subsetFreq, subsetSize, supersetFreq, supersetSize, 'JLHScore');
  if (subsetSize === 0 || supersetSize === 0) return 0;
  // a background that is not a superset may miss a foreground term: counted as 1
  const bgFreq = supersetFreq === 0 ? 1 : supersetFreq;
  const subsetProbability = subsetFreq / subsetSize;
  const supersetProbability = bgFreq / supersetSize;
  const absoluteProbabilityChange = subsetProbability - supersetProbability;
  if (absoluteProbabilityChange <= 0) return 0;
  return absoluteProbabilityChange * (subsetProbability / supersetProbability);
};

const percentage: Heuristic = (subsetFreq, subsetSize, supersetFreq, supersetSize) => {
  checkFrequencyValidity(subsetFreq, subsetSize, supersetFreq, supersetSize, 'PercentageScore');
  return supersetFreq === 0 ? 0 : subsetFreq / supersetFreq;
};

interface Nxy {
  N00: number;
  N01: number;
  N10: number;
  N11: number;
  N0_: number;
  N1_: number;
  N_0: number;
  N_1: number;
  N: number;
}

const SCORE_ERROR_MESSAGE = ', does your background filter not include all documents in the bucket? If so and it is intentional, set "background_is_superset": false';

function computeNxys(subsetFreq: number, subsetSize: number, supersetFreq: number, supersetSize: number, name: string, superset: boolean): Nxy {
  checkFrequencyValidity(subsetFreq, subsetSize, supersetFreq, supersetSize, name);
  if (superset) {
    const fail = (what: string): never => {
      throw new EngineError(400, 'illegal_argument_exception', `${what}${SCORE_ERROR_MESSAGE}`);
    };
    if (subsetFreq > supersetFreq) fail('subsetFreq > supersetFreq');
    if (subsetSize > supersetSize) fail('subsetSize > supersetSize');
    if (supersetFreq - subsetFreq > supersetSize - subsetSize) fail('supersetFreq - subsetFreq > supersetSize - subsetSize');
    return {
      N00: supersetSize - supersetFreq - (subsetSize - subsetFreq),
      N01: subsetSize - subsetFreq,
      N10: supersetFreq - subsetFreq,
      N11: subsetFreq,
      N0_: supersetSize - supersetFreq,
      N1_: supersetFreq,
      N_0: supersetSize - subsetSize,
      N_1: subsetSize,
      N: supersetSize,
    };
  }
  return {
    N00: supersetSize - supersetFreq,
    N01: subsetSize - subsetFreq,
    N10: supersetFreq,
    N11: subsetFreq,
    N0_: supersetSize - supersetFreq + subsetSize - subsetFreq,
    N1_: supersetFreq + subsetFreq,
    N_0: supersetSize,
    N_1: subsetSize,
    N: supersetSize + subsetSize,
  };
}

function miTerm(nxy: number, nx_: number, n_y: number, n: number): number {
  const numerator = Math.abs(n * nxy);
  const denominator = Math.abs(nx_ * n_y);
  const factor = Math.abs(nxy / n);
  return numerator < 1e-7 && factor < 1e-7 ? 0 : factor * Math.log(numerator / denominator);
}

function mutualInformation(includeNegatives: boolean, superset: boolean): Heuristic {
  return (a, b, c, d) => {
    const f = computeNxys(a, b, c, d, 'MutualInformation', superset);
    let score = (miTerm(f.N00, f.N0_, f.N_0, f.N) + miTerm(f.N01, f.N0_, f.N_1, f.N) + miTerm(f.N10, f.N1_, f.N_0, f.N) + miTerm(f.N11, f.N1_, f.N_1, f.N)) / Math.log(2);
    if (Number.isNaN(score)) score = -Infinity;
    if (!includeNegatives && f.N11 / f.N_1 < f.N10 / f.N_0) score = -Infinity;
    return score;
  };
}

function chiSquare(includeNegatives: boolean, superset: boolean): Heuristic {
  return (a, b, c, d) => {
    const f = computeNxys(a, b, c, d, 'ChiSquare', superset);
    if (!includeNegatives && f.N11 / f.N_1 < f.N10 / f.N_0) return -Infinity;
    return (f.N * Math.pow(f.N11 * f.N00 - f.N01 * f.N10, 2)) / (f.N_1 * f.N1_ * f.N0_ * f.N_0);
  };
}

function gnd(superset: boolean): Heuristic {
  return (a, b, c, d) => {
    const f = computeNxys(a, b, c, d, 'GND', superset);
    const fx = f.N1_;
    const fy = f.N_1;
    const fxy = f.N11;
    if (fxy === 0) return 0;
    if (fx === fy && fx === fxy) return 1;
    const score = (Math.max(Math.log(fx), Math.log(fy)) - Math.log(fxy)) / (Math.log(f.N) - Math.min(Math.log(fx), Math.log(fy)));
    return Math.exp(-1 * score);
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the boolean options of an NXY heuristic (ConstructingObjectParser: unknown fields and non-booleans fail). */
function nxyOptions(name: string, body: Record<string, unknown>, allowed: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!allowed.includes(k)) throw xContentError(`[${name}] unknown field [${k}]`);
    if (typeof v !== 'boolean') throw xContentError(`[${name}] failed to parse field [${k}]`);
    out[k] = v;
  }
  return out;
}

function scriptHeuristic(spec: AggSpec, body: Record<string, unknown>): Heuristic {
  for (const k of Object.keys(body)) if (k !== 'script') throw xContentError(`[script_heuristic] unknown field [${k}]`);
  const raw = body.script;
  let source: string;
  let params: Record<string, unknown> = {};
  if (typeof raw === 'string') source = raw;
  else if (isRecord(raw) && typeof (raw.source ?? raw.inline) === 'string') {
    if (raw.lang !== undefined && raw.lang !== 'painless') throw new EngineError(400, 'illegal_argument_exception', `script_lang not supported [${String(raw.lang)}]`);
    source = (raw.source ?? raw.inline) as string;
    if (isRecord(raw.params)) params = raw.params;
  } else if (isRecord(raw) && raw.id !== undefined) {
    throw new EngineError(400, 'illegal_argument_exception', `stored scripts in [script_heuristic] of [${spec.name}] are not supported by the indexkit embedded engine`);
  } else {
    throw xContentError('[script_heuristic] failed to parse field [script]');
  }
  const compiled = compilePainless(source, params, () => undefined, false, { doc: false });
  const base = fromJson(params);
  return (subsetFreq, subsetSize, supersetFreq, supersetSize) => {
    const vars = new JavaHashMap();
    if (base?.t === 'map') for (const [k, v] of base.v) vars.set(k, v);
    const set = (k: string, v: number): void => {
      vars.set({ t: 'str', v: k }, long(BigInt(v)));
    };
    set('_subset_freq', subsetFreq);
    set('_subset_size', subsetSize);
    set('_superset_freq', supersetFreq);
    set('_superset_size', supersetSize);
    const result: JavaValue = compiled.run({ doc: -1, values: () => [], params: { t: 'map', v: vars } });
    // ScriptHeuristic: ((Number) script.execute()).doubleValue()
    if (!isNumeric(result)) throw compileError(source, 0, 'the script_heuristic script must return a number');
    return toDouble(result);
  };
}

/** The heuristic a significant_terms/significant_text body names (JLH when none), validated. */
export function heuristicOf(spec: AggSpec): Heuristic {
  const named = HEURISTIC_NAMES.filter((n) => spec.body[n] !== undefined);
  if (named.length > 1) throw xContentError(`[${spec.type}] failed to parse field [${named[1] as string}]`);
  const name = named[0];
  if (name === undefined) return jlh;
  const body = spec.body[name];
  if (!isRecord(body)) throw xContentError(`[${spec.type}] ${name} doesn't support values of type: ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'}`);
  switch (name) {
    case 'jlh':
    case 'percentage':
      for (const k of Object.keys(body)) throw xContentError(`[${name}] unknown field [${k}]`);
      return name === 'jlh' ? jlh : percentage;
    case 'mutual_information':
    case 'chi_square': {
      const o = nxyOptions(name, body, ['include_negatives', 'background_is_superset']);
      const make = name === 'mutual_information' ? mutualInformation : chiSquare;
      return make(o.include_negatives ?? false, o.background_is_superset ?? true);
    }
    case 'gnd':
      return gnd(nxyOptions(name, body, ['background_is_superset']).background_is_superset ?? true);
    case 'script_heuristic':
      return scriptHeuristic(spec, body);
  }
}
