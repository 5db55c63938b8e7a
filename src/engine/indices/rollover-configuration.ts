import { EngineError } from '../errors.js';
import type { IndexService } from './index-service.js';
import { parseTimeValue } from './index-settings.js';

/**
 * RolloverConfiguration: the conditions the data stream lifecycle rolls a write index over by,
 * from the `cluster.lifecycle.default.rollover` cluster setting (default
 * `max_age=auto,max_primary_shard_size=50gb,min_docs=1,max_primary_shard_docs=200000000`).
 * `max_age=auto` is decided by the stream's effective retention (evaluateMaxAgeCondition).
 */

export const DEFAULT_ROLLOVER = 'max_age=auto,max_primary_shard_size=50gb,min_docs=1,max_primary_shard_docs=200000000';

const SIZE = ['max_size', 'max_primary_shard_size', 'min_size', 'min_primary_shard_size'] as const;
const DOCS = ['max_docs', 'max_primary_shard_docs', 'min_docs', 'min_primary_shard_docs'] as const;
const AGE = ['max_age', 'min_age'] as const;
/** RolloverConditions.toXContent's order. */
const ORDER = ['max_age', 'max_docs', 'max_size', 'max_primary_shard_size', 'max_primary_shard_docs', 'min_age', 'min_docs', 'min_size', 'min_primary_shard_size', 'min_primary_shard_docs'];

export interface RolloverCondition {
  name: string;
  /** As configured: `50gb`, `7d`, `200000000`, or `auto` for max_age. */
  value: string;
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

function parseBytes(value: string, setting: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)$/i.exec(value.trim());
  if (!m) throw new EngineError(400, 'illegal_argument_exception', `failed to parse setting [${setting}] with value [${value}] as a size in bytes: unit is missing or unrecognized`);
  return Math.floor(Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]!);
}

/** RolloverConfiguration.parseSetting: `condition=value` pairs separated by commas; `auto` only for max_age. */
export function parseRolloverSetting(input: string, setting: string): RolloverCondition[] {
  if (input.trim() === '') throw new EngineError(400, 'illegal_argument_exception', 'The rollover conditions cannot be null or blank');
  const out: RolloverCondition[] = [];
  for (const part of input.split(',')) {
    const pair = part.split('=');
    if (pair.length !== 2) throw new EngineError(400, 'settings_exception', `Invalid condition: '${part}', format must be 'condition=value'`);
    const [name, value] = [pair[0]!.trim(), pair[1]!.trim()];
    if (value === 'auto' && name !== 'max_age') throw new EngineError(400, 'settings_exception', `Invalid value '${value}' in setting '${setting}', the value can only be set to 'auto' for max_age.`);
    if ((SIZE as readonly string[]).includes(name)) parseBytes(value, setting);
    else if ((DOCS as readonly string[]).includes(name)) {
      if (!/^\d+$/.test(value)) throw new EngineError(400, 'settings_exception', `Invalid value '${value}' in setting '${setting}', the value is expected to be of type long`);
    } else if ((AGE as readonly string[]).includes(name)) {
      if (value !== 'auto') parseTimeValue(value, setting);
    } else throw new EngineError(400, 'settings_exception', `Unknown condition: '${name}'`);
    out.push({ name, value });
  }
  return out.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
}

const DAY = 86_400_000;

/** RolloverConfiguration.evaluateMaxAgeCondition: the shorter the retention, the sooner a generation ends. */
export function automaticMaxAge(retentionMs: number | undefined): string {
  if (retentionMs === undefined) return '30d';
  if (retentionMs <= DAY) return '1h';
  if (retentionMs <= 14 * DAY) return '1d';
  if (retentionMs <= 90 * DAY) return '7d';
  return '30d';
}

/** RolloverConfiguration.evaluateAndConvertToXContent: `max_age: "7d [automatic]"`, doc counts as numbers. */
export function renderRollover(conditions: RolloverCondition[], retentionMs: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of conditions) {
    if (c.value === 'auto') out[c.name] = `${automaticMaxAge(retentionMs)} [automatic]`;
    else out[c.name] = (DOCS as readonly string[]).includes(c.name) ? Number(c.value) : c.value;
  }
  return out;
}

/**
 * Whether a write index meets the conditions (RolloverConditions.areConditionsMet): one max
 * condition met and every min condition met. Sizes read the engine's own estimate of a shard's
 * store (its segments in memory and on disk), not Lucene's file sizes.
 */
export function rolloverConditionsMet(conditions: RolloverCondition[], index: IndexService, retentionMs: number | undefined, now: number): boolean {
  const shards = index.shards.map((shard) => shard.stats());
  const docs = shards.reduce((sum, s) => sum + s.count, 0);
  const bytes = shards.reduce((sum, s) => sum + s.bytes, 0);
  const maxShardDocs = Math.max(0, ...shards.map((s) => s.count));
  const maxShardBytes = Math.max(0, ...shards.map((s) => s.bytes));
  const age = now - index.meta.creationDate;
  const met = (c: RolloverCondition): boolean => {
    const value = c.value === 'auto' ? automaticMaxAge(retentionMs) : c.value;
    switch (c.name) {
      case 'max_age':
      case 'min_age':
        return age >= parseTimeValue(value, c.name);
      case 'max_docs':
      case 'min_docs':
        return docs >= Number(value);
      case 'max_primary_shard_docs':
      case 'min_primary_shard_docs':
        return maxShardDocs >= Number(value);
      case 'max_size':
      case 'min_size':
        return bytes >= parseBytes(value, c.name);
      default:
        return maxShardBytes >= parseBytes(value, c.name);
    }
  };
  const maxes = conditions.filter((c) => c.name.startsWith('max_'));
  const mins = conditions.filter((c) => c.name.startsWith('min_'));
  return maxes.some(met) && mins.every(met);
}
