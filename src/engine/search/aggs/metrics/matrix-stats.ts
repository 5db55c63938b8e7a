import { EngineError, parsingError } from '../../../errors.js';
import type { AggSpec, MetricType } from '../agg-types.js';
import { byTarget, fieldReaders } from '../values-source.js';
import type { FieldReader } from '../values-source.js';
import { scriptUnsupported } from './metric-source.js';
import { pickMultiValue } from '../../sort.js';

/**
 * `matrix_stats` (MatrixStatsAggregator, RunningStats, MatrixStatsResults, InternalMatrixStats):
 * per shard, every document that has a value in each of the shard's mapped fields adds one
 * observation (a multi-valued field reduced by `mode`, default avg; `missing` fills a field in);
 * the shards' running moments and co-moments are merged (Pébay's pairwise formulas) in shard
 * order, then turned into variance, skewness, kurtosis, covariance and Pearson correlation. The
 * arithmetic follows RunningStats operation by operation, so the doubles are ES's. Fields are
 * listed in the iteration order of the Java HashMap that holds them, as InternalMatrixStats
 * writes them. A field mapped in some shards and not in others fails the reduce, as in ES.
 */

const MODES = ['avg', 'min', 'max', 'sum', 'median'] as const;
type Mode = (typeof MODES)[number];

interface Options {
  fields: string[];
  mode: Mode;
  missing: Record<string, number>;
}

function options(spec: AggSpec): Options {
  for (const k of Object.keys(spec.body)) if (!['fields', 'mode', 'missing', 'script', 'format', 'value_type'].includes(k)) throw parsingError(`[${spec.type}] unknown field [${k}]`);
  if (spec.body.script !== undefined) throw scriptUnsupported(spec);
  if (spec.body.format !== undefined || spec.body.value_type !== undefined) throw parsingError(`[${spec.type}] unknown field [${spec.body.format !== undefined ? 'format' : 'value_type'}]`);
  const raw = spec.body.fields;
  if (raw === undefined) throw new EngineError(400, 'illegal_argument_exception', `Required [fields] for aggregation [${spec.name}]`);
  const fields = Array.isArray(raw) ? raw : [raw];
  if (fields.length === 0 || fields.some((f) => typeof f !== 'string')) throw parsingError(`[${spec.type}] [fields] must be a list of field names`);
  const modeText = spec.body.mode === undefined ? 'avg' : String(spec.body.mode).toLowerCase();
  const mode = MODES.find((m) => m === modeText);
  if (!mode) throw new EngineError(400, 'illegal_argument_exception', `Unknown MultiValueMode [${String(spec.body.mode)}]`);
  const missing: Record<string, number> = {};
  const rawMissing = spec.body.missing;
  if (rawMissing !== undefined) {
    if (rawMissing === null || typeof rawMissing !== 'object' || Array.isArray(rawMissing)) throw parsingError(`[${spec.type}] [missing] must be an object of field -> value`);
    for (const [f, v] of Object.entries(rawMissing as Record<string, unknown>)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (!Number.isFinite(n)) throw parsingError(`[${spec.type}] [missing] value of [${f}] must be a number`);
      missing[f] = n;
    }
  }
  return { fields: [...new Set(fields as string[])], mode, missing };
}

/** RunningStats: per-field count, sum, moments (M1..M4) and pairwise co-moments, updated as ES does. */
class RunningStats {
  docCount = 0;
  readonly counts = new Map<string, number>();
  readonly fieldSum = new Map<string, number>();
  readonly means = new Map<string, number>();
  readonly variances = new Map<string, number>();
  readonly skewness = new Map<string, number>();
  readonly kurtosis = new Map<string, number>();
  /** Upper triangle: covariances.get(a).get(b) for a before b in the field order of the first observation. */
  readonly covariances = new Map<string, Map<string, number>>();

  add(fieldNames: string[], fieldVals: number[]): void {
    ++this.docCount;
    const n = this.docCount;
    const deltas = new Map<string, number>();
    fieldNames.forEach((name, i) => {
      const value = fieldVals[i] as number;
      this.counts.set(name, 1 + (this.counts.get(name) ?? 0));
      this.fieldSum.set(name, value + (this.fieldSum.get(name) ?? 0));
      deltas.set(name, value * n - (this.fieldSum.get(name) as number));
      const m1 = this.means.get(name);
      if (m1 !== undefined) {
        const d = value - m1;
        this.means.set(name, m1 + d / n);
        const dn = d / n;
        const t1 = d * dn * (n - 1);
        const m2 = this.variances.get(name) as number;
        this.variances.set(name, m2 + t1);
        const m3 = this.skewness.get(name) as number;
        this.skewness.set(name, m3 + (t1 * dn * (n - 2) - 3 * dn * m2));
        const dn2 = dn * dn;
        const m4 = t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3;
        this.kurtosis.set(name, (this.kurtosis.get(name) as number) + m4);
      } else {
        this.means.set(name, value);
        this.variances.set(name, 0);
        this.skewness.set(name, 0);
        this.kurtosis.set(name, 0);
      }
    });
    const rest = [...fieldNames];
    for (const name of fieldNames) {
      rest.splice(rest.indexOf(name), 1);
      const dR = deltas.get(name) as number;
      const row = this.covariances.get(name) ?? new Map<string, number>();
      for (const other of rest) {
        const cur = row.get(other);
        row.set(other, cur === undefined ? 0 : cur + (1.0 / (n * (n - 1.0))) * dR * (deltas.get(other) as number));
      }
      if (row.size > 0) this.covariances.set(name, row);
    }
  }

  /** The fields one of the two has and the other has not. */
  missingFieldNames(other: RunningStats): Set<string> {
    const out = new Set<string>();
    if (this.docCount === 0) return out;
    for (const f of this.means.keys()) if (!other.means.has(f)) out.add(f);
    for (const f of other.means.keys()) if (!this.means.has(f)) out.add(f);
    return out;
  }

  merge(other: RunningStats): void {
    if (this.docCount === 0) {
      for (const [name, mean] of other.means) {
        this.means.set(name, mean);
        this.counts.set(name, other.counts.get(name) as number);
        this.fieldSum.set(name, other.fieldSum.get(name) as number);
        this.variances.set(name, other.variances.get(name) as number);
        this.skewness.set(name, other.skewness.get(name) as number);
        this.kurtosis.set(name, other.kurtosis.get(name) as number);
        const row = other.covariances.get(name);
        if (row) this.covariances.set(name, new Map(row));
        this.docCount = other.docCount;
      }
      return;
    }
    const nA = this.docCount;
    const nB = other.docCount;
    this.docCount += other.docCount;
    const total = this.docCount;
    const deltas = new Map<string, number>();
    for (const name of other.means.keys()) {
      const meanA = this.means.get(name) as number;
      const varA = this.variances.get(name) as number;
      const skewA = this.skewness.get(name) as number;
      const kurtA = this.kurtosis.get(name) as number;
      const meanB = other.means.get(name) as number;
      const varB = other.variances.get(name) as number;
      const skewB = other.skewness.get(name) as number;
      const kurtB = other.kurtosis.get(name) as number;
      this.counts.set(name, (this.counts.get(name) as number) + (other.counts.get(name) as number));
      this.means.set(name, (nA * meanA + nB * meanB) / (nA + nB));
      deltas.set(name, (other.fieldSum.get(name) as number) / nB - (this.fieldSum.get(name) as number) / nA);
      this.fieldSum.set(name, (this.fieldSum.get(name) as number) + (other.fieldSum.get(name) as number));
      const d = meanB - meanA;
      const d2 = d * d;
      const d3 = d * d2;
      const d4 = d2 * d2;
      const n2 = total * total;
      const nA2 = nA * nA;
      const nB2 = nB * nB;
      this.variances.set(name, varA + varB + (d2 * nA * nB) / total);
      const newSkew = skewA + skewB + (d3 * nA * nB * (nA - nB)) / n2;
      this.skewness.set(name, newSkew + (3 * d * (nA * varB - nB * varA)) / total);
      const nk = kurtA + kurtB + (d4 * nA * nB * (nA2 - nA * nB + nB2)) / (n2 * total);
      this.kurtosis.set(name, nk + (6 * d2 * (nA2 * varB + nB2 * varA)) / n2 + (4 * d * (nA * skewB - nB * skewA)) / total);
    }
    const countA = total - nB;
    for (const name of other.means.keys()) {
      const f = (countA * nB) / total;
      const dR = deltas.get(name) as number;
      const row = this.covariances.get(name);
      if (!row) continue;
      for (const [col, cur] of row) {
        const otherVal = other.covariances.get(name)?.get(col) ?? (other.covariances.get(col)?.get(name) as number);
        row.set(col, cur + otherVal + f * dR * (deltas.get(col) as number));
      }
    }
  }
}

/** Java's String.hashCode. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The iteration order of a java.util.HashMap holding `keys` (inserted in this order). */
export function javaHashMapOrder(keys: string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const slot = (k: string): number => {
    const h = javaHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys.map((k, i) => ({ k, i, s: slot(k) })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.k);
}

const num = (v: number): number | string => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity');

export const matrixStats: MetricType = {
  validate(spec) {
    options(spec);
  },
  collect(spec, docs, ctx) {
    const o = options(spec);
    const readers = new Map<string, Array<FieldReader | null>>();
    for (const f of o.fields) {
      const rs = fieldReaders(docs, f);
      for (const r of rs) {
        if (r && r.kind !== 'number') throw new EngineError(400, 'illegal_argument_exception', `Field [${f}] of type [${r.info.type}] is not supported for aggregation [${spec.type}]`);
      }
      readers.set(f, rs);
    }
    const shardStats: RunningStats[] = [];
    for (const [target, positions] of byTarget(docs, ctx.exec.states.length)) {
      const view = ctx.exec.states[target]?.view;
      // the shard's fields: mapped there, or given a `missing` value
      const names = o.fields.filter((f) => view?.mapping.field(f) !== undefined || o.missing[f] !== undefined);
      if (names.length === 0) continue;
      const stats = new RunningStats();
      const vals = new Array<number>(names.length);
      for (const p of positions) {
        const leaf = docs.leaf[p] as number;
        const doc = docs.doc[p] as number;
        let include = true;
        for (let i = 0; i < names.length && include; i++) {
          const name = names[i] as string;
          const values = (readers.get(name)?.[leaf]?.values(doc) as readonly number[] | undefined) ?? undefined;
          if (values && values.length > 0) vals[i] = pickMultiValue(values, o.mode);
          else if (o.missing[name] !== undefined) vals[i] = o.missing[name] as number;
          else include = false;
        }
        if (include) stats.add(names, vals);
      }
      if (stats.docCount > 0) shardStats.push(stats);
    }
    if (shardStats.length === 0) return { doc_count: 0 };
    const merged = new RunningStats();
    for (const s of shardStats) {
      const missing = merged.missingFieldNames(s);
      if (missing.size > 0) {
        // a failure of the coordinating node's reduce, not of a shard: no failed_shards
        const cause = new EngineError(
          400,
          'illegal_argument_exception',
          `Aggregation [${spec.name}] all fields must exist in all indices, but some indices are missing these fields [${[...missing].sort().join(', ')}]`,
        );
        throw new EngineError(400, 'search_phase_execution_exception', '', { phase: 'query', grouped: true, failed_shards: [] }, cause);
      }
      merged.merge(s);
    }
    return render(merged);
  },
};

/** MatrixStatsResults.compute and InternalMatrixStats.doXContentBody. */
function render(stats: RunningStats): Record<string, unknown> {
  const n = stats.docCount;
  const nM1 = n - 1;
  const fields = [...stats.counts.keys()];
  const variance = new Map<string, number>();
  const skew = new Map<string, number>();
  const kurt = new Map<string, number>();
  for (const f of stats.means.keys()) {
    const v = stats.variances.get(f) as number;
    skew.set(f, (Math.sqrt(n) * (stats.skewness.get(f) as number)) / Math.pow(v, 1.5));
    kurt.set(f, (n * (stats.kurtosis.get(f) as number)) / (v * v));
    variance.set(f, v / nM1);
  }
  const cov = new Map<string, Map<string, number>>();
  const cor = new Map<string, Map<string, number>>();
  for (const [row, cols] of stats.covariances) {
    const covRow = new Map<string, number>();
    const corRow = new Map<string, number>();
    for (const [col, c] of cols) {
      const value = c / nM1;
      covRow.set(col, value);
      const vr = variance.get(row) as number;
      const vc = variance.get(col) as number;
      corRow.set(col, vr === 0 || vc === 0 ? Number.NaN : value / (Math.sqrt(vr) * Math.sqrt(vc)));
    }
    cov.set(row, covRow);
    cor.set(row, corRow);
  }
  const upper = (m: Map<string, Map<string, number>>, x: string, y: string): number => m.get(x)?.get(y) ?? (m.get(y)?.get(x) as number);
  const order = javaHashMapOrder(fields);
  return {
    doc_count: n,
    fields: order.map((f) => ({
      name: f,
      count: stats.counts.get(f),
      mean: num(stats.means.get(f) as number),
      variance: num(variance.get(f) as number),
      skewness: num(skew.get(f) as number),
      kurtosis: num(kurt.get(f) as number),
      covariance: Object.fromEntries(order.map((g) => [g, num(f === g ? (variance.get(f) as number) : upper(cov, f, g))])),
      correlation: Object.fromEntries(order.map((g) => [g, num(f === g ? 1.0 : upper(cor, f, g))])),
    })),
  };
}
