import { EngineError, parsingError } from '../../errors.js';
import { isObject } from '../parse-util.js';

/**
 * Option readers for the suggest section, coercing as Elasticsearch's XContent parser does
 * (`"5"` reads as 5, numbers read as text), and the options every suggester shares
 * (SuggestionBuilder: field, analyzer, size, shard_size; text, prefix, regex beside the type).
 */

const isValue = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function stringOption(owner: string, key: string, v: unknown): string {
  if (!isValue(v)) throw parsingError(`[${owner}] failed to parse field [${key}]`);
  return String(v);
}

function numberOf(owner: string, key: string, v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw parsingError(`[${owner}] failed to parse field [${key}]`);
  return n;
}

export const intOption = (owner: string, key: string, v: unknown): number => Math.trunc(numberOf(owner, key, v));

/** A Java float option (`parser.floatValue()`). */
export const floatOption = (owner: string, key: string, v: unknown): number => Math.fround(numberOf(owner, key, v));

export const doubleOption = (owner: string, key: string, v: unknown): number => numberOf(owner, key, v);

export function boolOption(owner: string, key: string, v: unknown): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw parsingError(`[${owner}] failed to parse field [${key}]`);
}

export function objectOption(owner: string, key: string, v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw parsingError(`[${owner}] failed to parse field [${key}]`);
  return v;
}

/** SuggestionBuilder's common settings. */
export interface CommonSpec {
  field: string;
  analyzer?: string;
  size?: number;
  shardSize?: number;
  text?: string;
  prefix?: string;
  regex?: string;
}

/** Reads field / analyzer / size / shard_size; false when `key` is something else. */
export function parseCommonOption(common: Partial<CommonSpec>, owner: string, key: string, v: unknown): boolean {
  switch (key) {
    case 'field':
      common.field = stringOption(owner, key, v);
      return true;
    case 'analyzer':
      common.analyzer = stringOption(owner, key, v);
      return true;
    case 'size': {
      const n = intOption(owner, key, v);
      if (n <= 0) throw new EngineError(400, 'illegal_argument_exception', 'size must be positive');
      common.size = n;
      return true;
    }
    case 'shard_size': {
      const n = intOption(owner, key, v);
      if (n <= 0) throw new EngineError(400, 'illegal_argument_exception', 'shardSize must be positive');
      common.shardSize = n;
      return true;
    }
    default:
      return false;
  }
}

/** The required `field` (ElasticsearchParseException when absent). */
export function requireField(common: Partial<CommonSpec>): string {
  if (common.field === undefined) throw new EngineError(400, 'parse_exception', 'the required field option [field] is missing');
  if (common.field === '') throw new EngineError(400, 'illegal_argument_exception', 'suggestion field name is empty');
  return common.field;
}
