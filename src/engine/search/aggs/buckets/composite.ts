import { EngineError } from '../../../errors.js';
import { deprecationWarning } from '../../../deprecation.js';
import { UTC, parseTimeZone } from '../../date-math.js';
import { parseTimeValue } from '../../time-value.js';
import type { AggSpec, BucketType, DocSet } from '../agg-types.js';
import { geotileSource } from '../geo/geo-grid.js';
import { fieldReaders } from '../values-source.js';
import type { FieldReader, ValueKind } from '../values-source.js';
import { CALENDAR_UNITS, calendarRounding, fixedRounding, parseDateValue } from './date-rounding.js';
import { dateFormatter } from '../value-format.js';
import { formatIpKey, ipKey, ipKeyReaders, isIpInLeaves, requestIp } from './ip-values.js';
import { checkKeys, optBoolean, optInt, optNumber, optString, positive, requireField, xContentError } from './options.js';
import { bucketSubsSteps } from './subs.js';
import { docRangeSteps, mapSteps, pacedBucket } from '../doc-steps.js';
import { sortSteps } from '../../paced-sort.js';
import { maxBucketsOf } from '../max-buckets.js';

/**
 * `composite` (CompositeAggregator): buckets for every combination of the sources' values
 * (terms, histogram, date_histogram, geotile_grid), sorted by the sources in order, paged with `size` and
 * `after`; `after_key` is the last returned bucket's key. A doc lacking a source value is
 * skipped unless that source has `missing_bucket` (null keys, first in asc order).
 */

type Value = string | number | boolean | null;

interface Source {
  name: string;
  type: 'terms' | 'histogram' | 'date_histogram' | 'geotile_grid';
  field: string;
  asc: boolean;
  missingBucket: boolean;
  missingFirst: boolean;
  round?: (v: number) => number;
  format?: (v: number) => string;
  /** Reads an `after` value back to the internal value. */
  parseAfter: (v: unknown, kind: ValueKind | undefined) => Value;
  /** A source whose values are cells (geotile_grid): its readers, and its internal value as a key. */
  cellReaders?: (docs: DocSet) => Array<FieldReader | null>;
  renderKey?: (v: string) => string;
}

function parseSources(spec: AggSpec, nowMs: number): Source[] {
  const raw = spec.body.sources;
  if (raw === undefined) throw xContentError('Required [sources]');
  if (!Array.isArray(raw) || raw.length === 0) throw new EngineError(400, 'illegal_argument_exception', 'Composite [sources] cannot be null or empty');
  const names = new Set<string>();
  return raw.map((entry): Source => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || Object.keys(entry).length !== 1) {
      throw xContentError('[composite] failed to parse field [sources]');
    }
    const [name, def] = Object.entries(entry as Record<string, unknown>)[0] as [string, unknown];
    if (names.has(name)) throw new EngineError(400, 'illegal_argument_exception', `Composite source names must be unique, found duplicates: [${name}]`);
    names.add(name);
    if (typeof def !== 'object' || def === null || Object.keys(def).length !== 1) throw xContentError('[composite] failed to parse field [sources]');
    const [type, body] = Object.entries(def as Record<string, unknown>)[0] as [string, Record<string, unknown>];
    if (type !== 'terms' && type !== 'histogram' && type !== 'date_histogram' && type !== 'geotile_grid') {
      throw xContentError(`[composite] failed to parse field [sources]`, new EngineError(400, 'parsing_exception', `Unknown CompositeValuesSourceBuilder type [${type}]`));
    }
    const sub: AggSpec = { name, type, body, subs: [], path: [...spec.path, name] };
    const common = ['field', 'order', 'missing_bucket', 'missing_order', 'script', 'value_type', 'format'];
    const field = requireField(sub);
    const order = optString(sub, 'order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw xContentError(`[${type}] failed to parse field [order]`);
    const missingOrder = optString(sub, 'missing_order') ?? 'default';
    const asc = order === 'asc';
    const base = {
      name,
      type,
      field,
      asc,
      missingBucket: optBoolean(sub, 'missing_bucket') ?? false,
      missingFirst: missingOrder === 'first' || (missingOrder === 'default' && asc),
    } as const;
    if (type === 'terms') {
      checkKeys(sub, common);
      return {
        ...base,
        parseAfter: (v, kind) => {
          if (v === null) return null;
          if (kind === 'keyword' || kind === undefined) return String(v);
          if (kind === 'boolean') return v === true || v === 'true' ? 1 : 0;
          if (kind === 'date') return parseDateValue(v, nowMs, UTC, undefined);
          return Number(v);
        },
      };
    }
    if (type === 'geotile_grid') {
      checkKeys(sub, [...common, 'precision', 'bounds']);
      return { ...base, ...geotileSource(sub) };
    }
    if (type === 'histogram') {
      checkKeys(sub, [...common, 'interval']);
      const interval = optNumber(sub, 'interval') ?? 0;
      if (!(interval > 0)) throw new EngineError(400, 'illegal_argument_exception', `[interval] must be greater than 0 for [histogram] source`);
      return { ...base, round: (v) => Math.floor(v / interval) * interval, parseAfter: (v) => (v === null ? null : Number(v)) };
    }
    checkKeys(sub, [...common, 'calendar_interval', 'fixed_interval', 'interval', 'time_zone', 'offset']);
    const zoneId = optString(sub, 'time_zone');
    const zone = zoneId !== undefined ? parseTimeZone(zoneId) : UTC;
    const offset = optString(sub, 'offset');
    const off = offset === undefined ? 0 : offset.startsWith('-') ? -parseTimeValue(offset.slice(1), 'offset') : parseTimeValue(offset.replace(/^\+/, ''), 'offset');
    const interval = dateInterval(sub);
    let rounding;
    if (interval.type === 'calendar') {
      const unit = CALENDAR_UNITS[interval.text];
      if (unit === undefined) throw new EngineError(400, 'illegal_argument_exception', `The supplied interval [${interval.text}] could not be parsed as a calendar interval.`);
      rounding = calendarRounding(unit, zone, off);
    } else if (interval.type === 'fixed') rounding = fixedRounding(parseTimeValue(interval.text, 'date_histogram.fixedInterval'), zone, off);
    else {
      // the deprecated `interval` (DateIntervalWrapper's legacy types): a calendar unit when it names one, else a fixed time
      const unit = Object.hasOwn(CALENDAR_UNITS, interval.text) ? CALENDAR_UNITS[interval.text] : undefined;
      if (unit !== undefined) rounding = calendarRounding(unit, zone, off);
      else if (/^\d+(?:\.\d+)?\s*(?:nanos|micros|ms|s|m|h|d)$/.test(interval.text.trim())) rounding = fixedRounding(parseTimeValue(interval.text, 'DateIntervalWrapper.interval'), zone, off);
      else throw new EngineError(400, 'illegal_argument_exception', `Unable to parse interval [${interval.text}]`);
    }
    const fmt = optString(sub, 'format');
    return {
      ...base,
      round: rounding.round,
      ...(fmt !== undefined ? { format: dateFormatter(fmt, zone) } : {}),
      parseAfter: (v) => (v === null ? null : parseDateValue(v, nowMs, zone, fmt)),
    };
  });
}

function options(spec: AggSpec, nowMs: number): { sources: Source[]; size: number; after?: Record<string, unknown> } {
  checkKeys(spec, ['sources', 'size', 'after']);
  const sources = parseSources(spec, nowMs);
  const size = positive(spec, 'size', optInt(spec, 'size') ?? 10);
  const after = spec.body.after;
  if (after !== undefined && (typeof after !== 'object' || after === null || Array.isArray(after))) throw xContentError('[composite] failed to parse field [after]');
  if (after !== undefined) {
    const keys = Object.keys(after);
    if (keys.length !== sources.length || !sources.every((s) => keys.includes(s.name))) {
      throw new EngineError(400, 'illegal_argument_exception', `[after] has ${keys.length} value(s) but [sources] has ${sources.length}`);
    }
  }
  return { sources, size, ...(after !== undefined ? { after: after as Record<string, unknown> } : {}) };
}

function compareValue(a: Value, b: Value, s: Source): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === s.missingFirst ? -1 : 1;
  }
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return s.asc ? c : -c;
}

export const compositeAgg: BucketType = pacedBucket({
  validate(spec) {
    options(spec, Date.now());
  },
  *steps(spec, docs, ctx) {
    const { sources, size, after } = options(spec, ctx.nowMs);
    // CompositeAggregator: a page larger than search.max_buckets is refused before collecting
    const limit = maxBucketsOf(ctx.params as Record<string, unknown>);
    if (size > limit) {
      throw new EngineError(
        400,
        'too_many_buckets_exception',
        `Trying to create too many buckets. Must be less than or equal to: [${limit}] but was [${size}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
        { max_buckets: limit },
      );
    }
    // a terms source over an ip field keys by the address bytes (hex), printed back as addresses
    const ipSource = sources.map((s) => s.type === 'terms' && isIpInLeaves(docs, s.field));
    const readers: Array<Array<FieldReader | null>> = sources.map((s, k) => {
      if (ipSource[k]) return ipKeyReaders(spec, docs, s.field);
      if (s.cellReaders) return s.cellReaders(docs);
      return fieldReaders(docs, s.field, s.type === 'date_histogram' ? 'millis' : 'refuse');
    });
    const kinds = readers.map((r) => r.find((x) => x !== null)?.kind);
    const groups = new Map<string, { values: Value[]; count: number; pos: number[] }>();
    const withSubs = spec.subs.length > 0;
    const perSource: Value[][] = sources.map(() => []);
    const collect = (i: number): void => {
      const li = docs.leaf[i] as number;
      const d = docs.doc[i] as number;
      let skip = false;
      for (let k = 0; k < sources.length; k++) {
        const s = sources[k] as Source;
        const r = (readers[k] as Array<FieldReader | null>)[li];
        const vals = r ? r.values(d) : undefined;
        const out = perSource[k] as Value[];
        out.length = 0;
        if (!vals || vals.length === 0) {
          if (!s.missingBucket) {
            skip = true;
            break;
          }
          out.push(null);
          continue;
        }
        for (const v of vals) {
          const val = s.round ? s.round(v as number) : v;
          if (!out.includes(val)) out.push(val);
        }
      }
      if (skip) return;
      // every combination of the sources' values
      const combos: Value[][] = [[]];
      for (const vals of perSource) {
        const n = combos.length;
        for (let c = 0; c < n; c++) {
          const base = combos.shift() as Value[];
          for (const v of vals) combos.push([...base, v]);
        }
      }
      for (const combo of combos) {
        const id = JSON.stringify(combo);
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { values: combo, count: 0, pos: [] }));
        g.count++;
        if (withSubs) g.pos.push(i);
      }
    };
    yield* docRangeSteps(docs.count, (from, to) => {
      for (let i = from; i < to; i++) collect(i);
    });
    const cmp = (a: Value[], b: Value[]): number => {
      for (let k = 0; k < sources.length; k++) {
        const c = compareValue(a[k] ?? null, b[k] ?? null, sources[k] as Source);
        if (c !== 0) return c;
      }
      return 0;
    };
    yield;
    let all = yield* sortSteps([...groups.values()], (a, b) => cmp(a.values, b.values));
    if (after) {
      const afterValues = sources.map((s, k) => {
        const v = after[s.name];
        return ipSource[k] && v !== null ? ipKey(requestIp(v)) : s.parseAfter(v, kinds[k]);
      });
      all = all.filter((g) => cmp(g.values, afterValues) > 0);
    }
    const page = all.slice(0, size);
    const render = (values: Value[]): Record<string, unknown> => {
      const key: Record<string, unknown> = {};
      sources.forEach((s, k) => {
        const v = values[k] ?? null;
        const kind = kinds[k];
        if (ipSource[k] && typeof v === 'string') key[s.name] = formatIpKey(v);
        else if (s.renderKey && typeof v === 'string') key[s.name] = s.renderKey(v);
        else if (v === null || typeof v === 'string') key[s.name] = v;
        else if (s.format) key[s.name] = s.format(v as number);
        else if (s.type === 'terms' && kind === 'date') key[s.name] = dateFormatter(undefined)(v as number);
        else if (s.type === 'terms' && kind === 'boolean') key[s.name] = v === 1;
        else key[s.name] = v;
      });
      return key;
    };
    const buckets = yield* mapSteps(page, function* (g) {
      return { key: render(g.values), doc_count: g.count, ...(yield* bucketSubsSteps(spec, docs, g.pos, ctx)) };
    });
    const last = page[page.length - 1];
    return { typed: 'composite', result: last ? { after_key: render(last.values) } : {}, buckets };
  },
});

/** DateIntervalWrapper.DEPRECATION_TEXT: what a date_histogram source's `interval` warns. */
const INTERVAL_DEPRECATION = '[interval] on [date_histogram] is deprecated, use [fixed_interval] or [calendar_interval] in the future.';

/**
 * A composite date_histogram source's interval, as DateIntervalWrapper reads it: `calendar_interval`,
 * `fixed_interval`, or the deprecated `interval` (a number of milliseconds, or a text that is tried as
 * a calendar unit first, then as a fixed time), each exclusive of the others in the order given.
 */
function dateInterval(sub: AggSpec): { type: 'calendar' | 'fixed' | 'legacy'; text: string } {
  let found: { type: 'calendar' | 'fixed' | 'legacy'; text: string } | undefined;
  const conflict = (key: string, message: string): never => {
    throw xContentError(`[date_histogram] failed to parse field [${key}]`, new EngineError(400, 'illegal_argument_exception', message));
  };
  for (const [key, value] of Object.entries(sub.body)) {
    if (key === 'calendar_interval' || key === 'fixed_interval') {
      const type = key === 'calendar_interval' ? 'calendar' : 'fixed';
      const other = type === 'calendar' ? 'fixed_interval' : 'calendar_interval';
      if (found?.type === 'legacy') conflict(key, `Cannot use [${key}] with [interval] configuration option.`);
      if (found !== undefined && found.type !== type) conflict(key, `Cannot use [${key}] with [${other}] configuration option.`);
      found = { type, text: optString(sub, key) ?? '' };
    } else if (key === 'interval') {
      if (found !== undefined && found.type !== 'legacy') conflict(key, 'Cannot use [interval] with [fixed_interval] or [calendar_interval] configuration options.');
      let text: string;
      if (typeof value === 'number') {
        if (!Number.isInteger(value) || value < 1) conflict(key, '[interval] must be 1 or greater for aggregation [date_histogram]');
        text = `${value}ms`;
      } else {
        text = optString(sub, key) ?? '';
        if (text === '') conflict(key, '[dateHistogramInterval] must not be null: [date_histogram]');
      }
      deprecationWarning(INTERVAL_DEPRECATION);
      found = { type: 'legacy', text };
    }
  }
  if (found === undefined || found.text === '') throw new EngineError(400, 'illegal_argument_exception', 'Invalid interval specified, must be non-null and non-empty');
  return found;
}
