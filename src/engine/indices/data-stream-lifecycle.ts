import { EngineError, illegalArgument } from '../errors.js';
import { parseTimeValue } from './index-settings.js';

type Json = Record<string, unknown>;

/** DataStreamLifecycle.DownsamplingRound: after `after` (a time value), downsample to `fixed_interval`. */
export interface DownsamplingRound {
  after: string;
  fixed_interval: string;
}

/**
 * DataStreamLifecycle (the data stream lifecycle, DSL): `enabled` (default true), `data_retention`
 * (a time value, or none: kept forever) and the downsampling rounds (stored and reported; run only
 * on time series data streams, which refuse them here, see `refuseDownsamplingOnTimeSeries`).
 */
export interface DataStreamLifecycle {
  enabled: boolean;
  data_retention?: string;
  downsampling?: DownsamplingRound[];
}

/** DataStreamGlobalRetention: the cluster's `data_streams.lifecycle.retention.default` and `.max`, in milliseconds and as written. */
export interface GlobalRetention {
  default?: { ms: number; text: string };
  max?: { ms: number; text: string };
}

/** DataStreamLifecycle.RetentionSource display names. */
export type RetentionSource = 'data_stream_configuration' | 'default_global_retention' | 'max_global_retention';

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FIVE_MINUTES = 5 * 60_000;
const MAX_ROUNDS = 10;

/** DateHistogramInterval as a fixed interval: `<n><unit>` with ms, s, m, h or d. */
function fixedIntervalMillis(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!m) throw illegalArgument(`failed to parse setting [fixed_interval] with value [${value}] as a time value: unit is missing or unrecognized`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * unit[m[2]!]!;
}

function parseRound(input: unknown): DownsamplingRound {
  if (!isRecord(input)) throw new EngineError(400, 'x_content_parse_exception', '[1:2] [downsampling_round] downsampling_round doesn\'t support values of type: VALUE_STRING');
  for (const key of Object.keys(input)) {
    if (key !== 'after' && key !== 'fixed_interval') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [downsampling_round] unknown field [${key}]`);
  }
  if (typeof input.after !== 'string') throw new EngineError(400, 'x_content_parse_exception', '[1:2] Required [after]');
  if (typeof input.fixed_interval !== 'string') throw new EngineError(400, 'x_content_parse_exception', '[1:2] Required [fixed_interval]');
  parseTimeValue(input.after, 'after');
  const interval = fixedIntervalMillis(input.fixed_interval);
  if (interval < FIVE_MINUTES) throw illegalArgument(`A downsampling round must have a fixed interval of at least five minutes but found: ${input.fixed_interval}`);
  return { after: input.after, fixed_interval: input.fixed_interval };
}

/** DownsamplingRound.validateRounds: at least one, at most ten, each later than and a multiple of the one before. */
function validateRounds(rounds: DownsamplingRound[]): void {
  if (rounds.length === 0) throw illegalArgument('Downsampling configuration should have at least one round configured.');
  if (rounds.length > MAX_ROUNDS) throw illegalArgument(`Downsampling configuration supports maximum ${MAX_ROUNDS} configured rounds. Found: ${rounds.length}`);
  for (let i = 1; i < rounds.length; i++) {
    const previous = rounds[i - 1]!;
    const round = rounds[i]!;
    if (parseTimeValue(round.after, 'after') <= parseTimeValue(previous.after, 'after')) {
      throw illegalArgument(`A downsampling round must have a later 'after' value than the proceeding, ${round.after} is not after ${previous.after}.`);
    }
    if (fixedIntervalMillis(round.fixed_interval) % fixedIntervalMillis(previous.fixed_interval) !== 0) {
      throw illegalArgument(`A downsampling round must have a fixed interval that is a multiple of the previous one, ${round.fixed_interval} is not a multiple of ${previous.fixed_interval}.`);
    }
  }
}

/** DataStreamLifecycle.PARSER (templates and `PUT _data_stream/<name>/_lifecycle` alike); `parser` names the object in errors. */
export function parseLifecycle(input: unknown, parser = 'lifecycle'): DataStreamLifecycle {
  if (!isRecord(input)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] ${parser} doesn't support values of type: VALUE_STRING`);
  const out: DataStreamLifecycle = { enabled: true };
  for (const [key, value] of Object.entries(input)) {
    if (key === 'enabled') {
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [enabled]`);
      out.enabled = value === true || value === 'true';
    } else if (key === 'data_retention') {
      if (value === null) continue;
      if (typeof value !== 'string') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [data_retention]`);
      if (parseTimeValue(value, 'data_retention') <= 0) throw illegalArgument(`failed to parse setting [data_retention] with value [${value}] as a time value: negative durations are not supported`);
      out.data_retention = value;
    } else if (key === 'downsampling') {
      if (value === null) continue;
      if (!Array.isArray(value)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [downsampling]`);
      const rounds = value.map(parseRound);
      validateRounds(rounds);
      out.downsampling = rounds;
    } else throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] unknown field [${key}]`);
  }
  return out;
}

/**
 * DataStreamLifecycle.getEffectiveDataRetentionWithSource: a disabled lifecycle keeps data
 * forever; an internal stream (a dot-prefixed name) ignores the global retention; otherwise the
 * default fills a missing retention and the max caps any.
 */
export function effectiveRetention(lifecycle: DataStreamLifecycle, global: GlobalRetention, internal: boolean): { ms: number; text: string; source: RetentionSource } | undefined {
  if (!lifecycle.enabled) return undefined;
  const own = lifecycle.data_retention === undefined ? undefined : { ms: parseTimeValue(lifecycle.data_retention, 'data_retention'), text: lifecycle.data_retention };
  if (internal || (global.default === undefined && global.max === undefined)) return own && { ...own, source: 'data_stream_configuration' };
  if (own === undefined) {
    if (global.default !== undefined) return { ...global.default, source: 'default_global_retention' };
    return global.max && { ...global.max, source: 'max_global_retention' };
  }
  if (global.max !== undefined && global.max.ms < own.ms) return { ...global.max, source: 'max_global_retention' };
  return { ...own, source: 'data_stream_configuration' };
}

/** DataStream.isInternal: a system stream or one whose name starts with a dot. */
export function isInternalStream(name: string): boolean {
  return name.startsWith('.');
}
