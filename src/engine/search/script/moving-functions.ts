/**
 * Elasticsearch's MovingFunctions (the static helpers a `moving_fn` script calls), with their
 * double arithmetic step for step: NaN values are skipped, an empty window is NaN (sum: 0.0).
 * JavaScript numbers are IEEE doubles, so each expression rounds as Java's does.
 */

export function max(values: readonly number[]): number {
  // Arrays.stream(values).max(): NaN wins (DoubleStream's max uses Math.max)
  if (values.length === 0) return Number.NaN;
  return values.reduce((a, b) => Math.max(a, b));
}

export function min(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((a, b) => Math.min(a, b));
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += Number.isNaN(v) ? 0 : v;
  return total;
}

export function unweightedAvg(values: readonly number[]): number {
  let avg = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    avg += v;
    count++;
  }
  return count === 0 ? Number.NaN : avg / count;
}

export function stdDev(values: readonly number[], avg: number): number {
  if (Number.isNaN(avg)) return Number.NaN;
  let count = 0;
  let squaredMean = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    squaredMean += Math.pow(v - avg, 2);
    count++;
  }
  return Math.sqrt(squaredMean / count);
}

export function linearWeightedAvg(values: readonly number[]): number {
  let avg = 0;
  let totalWeight = 1;
  let current = 1;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    avg += v * current;
    totalWeight += current;
    current++;
  }
  return totalWeight === 1 ? Number.NaN : avg / totalWeight;
}

export function ewma(values: readonly number[], alpha: number): number {
  let avg = Number.NaN;
  let first = true;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (first) {
      avg = v;
      first = false;
    } else {
      avg = v * alpha + avg * (1 - alpha);
    }
  }
  return avg;
}

export function holt(values: readonly number[], alpha: number, beta: number): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  let lastS = 0;
  let b = 0;
  let lastB = 0;
  let counter = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (counter === 0) {
      s = v;
      b = v - v; // `v - last`, where last is v
    } else {
      s = alpha * v + (1.0 - alpha) * (lastS + lastB);
      b = beta * (s - lastS) + (1 - beta) * lastB;
    }
    counter++;
    lastS = s;
    lastB = b;
  }
  return counter === 0 ? Number.NaN : s;
}

/** Throws Elasticsearch's IllegalArgumentException text when the window holds fewer than two periods. */
export function holtWinters(values: readonly number[], alpha: number, beta: number, gamma: number, period: number, multiplicative: boolean): number {
  if (values.length === 0) return Number.NaN;
  const padding = multiplicative ? 0.0000000001 : 0.0;
  if (values.length < period * 2) {
    throw new RangeError(
      `Holt-Winters aggregation requires at least (2 * period == 2 * ${period} == ${2 * period}) data-points to function.  Only [${values.length}] were provided.`,
    );
  }
  let s = 0;
  let lastS: number;
  let b = 0;
  let lastB = 0;
  const seasonal = new Float64Array(values.length);
  const vs = new Float64Array(values.length);
  let counter = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    vs[counter++] = v + padding;
  }
  if (counter === 0) return Number.NaN;
  for (let i = 0; i < period; i++) {
    s += vs[i] as number;
    b += ((vs[i + period] as number) - (vs[i] as number)) / period;
  }
  s /= period;
  b /= period;
  lastS = s;
  if (s !== 0) {
    for (let i = 0; i < period; i++) seasonal[i] = (vs[i] as number) / s;
  }
  for (let i = period; i < vs.length; i++) {
    const v = vs[i] as number;
    const season = seasonal[i - period] as number;
    s = multiplicative ? alpha * (v / season) + (1.0 - alpha) * (lastS + lastB) : alpha * (v - season) + (1.0 - alpha) * (lastS + lastB);
    b = beta * (s - lastS) + (1 - beta) * lastB;
    seasonal[i] = multiplicative ? gamma * (v / (lastS + lastB)) + (1 - gamma) * season : gamma * (v - (lastS - lastB)) + (1 - gamma) * season;
    lastS = s;
    lastB = b;
  }
  const idx = values.length - period;
  return multiplicative ? (s + b) * (seasonal[idx] as number) : s + b + (seasonal[idx] as number);
}
