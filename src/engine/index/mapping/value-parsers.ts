import type { EngineError } from '../../errors.js';
import { illegalArgument } from '../../errors.js';
import type { CompletionEntry } from '../parsed-document.js';
import type { FieldMapper, LeafType } from './mapper-types.js';

/**
 * Converts one JSON value of a leaf field into what gets indexed, per field type, with
 * Elasticsearch's coercion rules. Throws an EngineError (the `caused_by` of a document
 * parsing failure) for malformed values.
 */
export type Converted = { kind: 'text' | 'keyword'; value: string } | { kind: 'number'; value: number } | { kind: 'completion'; value: CompletionEntry[] };

type Converter = (mapper: FieldMapper, value: unknown) => Converted;

const INTEGER_RANGES: Partial<Record<LeafType, [number, number, string]>> = {
  long: [-(2 ** 63), 2 ** 63, 'long'],
  integer: [-2147483648, 2147483647, 'integer'],
  short: [-32768, 32767, 'short'],
  byte: [-128, 127, 'byte'],
  unsigned_long: [0, 2 ** 64, 'unsigned_long'],
};

function forInput(value: unknown): EngineError {
  return illegalArgument(`For input string: "${typeof value === 'string' ? value : JSON.stringify(value)}"`);
}

function toNumber(mapper: FieldMapper, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (!mapper.coerce) throw illegalArgument(`[coerce] is false, can't parse a string value [${value}]`);
    const trimmed = value.trim();
    const n = trimmed === '' ? NaN : Number(trimmed);
    if (Number.isNaN(n)) throw forInput(value);
    return n;
  }
  if (typeof value === 'boolean') throw illegalArgument(`Current token (VALUE_${String(value).toUpperCase()}) not numeric, can not use numeric value accessors`);
  throw forInput(value);
}

const integer: Converter = (mapper, value) => {
  let n = toNumber(mapper, value);
  if (!Number.isFinite(n)) throw forInput(value);
  if (!Number.isInteger(n)) {
    if (!mapper.coerce) throw illegalArgument(`Value [${String(value)}] has a decimal part`);
    n = Math.trunc(n);
  }
  const range = INTEGER_RANGES[mapper.type];
  if (range && (n < range[0] || n > range[1])) throw illegalArgument(`Value [${String(value)}] is out of range for ${range[2] === 'integer' ? 'an' : 'a'} ${range[2]}`);
  return { kind: 'number', value: n };
};

const floating: Converter = (mapper, value) => {
  let n = toNumber(mapper, value);
  if (!Number.isFinite(n)) throw illegalArgument(`[${mapper.type}] supports only finite values, but got [${String(value)}]`);
  if (mapper.type === 'float') n = Math.fround(n);
  return { kind: 'number', value: n };
};

const scaled: Converter = (mapper, value) => {
  const n = toNumber(mapper, value);
  if (!Number.isFinite(n)) throw illegalArgument(`[scaled_float] only supports finite values, but got [${String(value)}]`);
  const factor = mapper.info.scalingFactor ?? 1;
  return { kind: 'number', value: Math.round(n * factor) / factor };
};

const boolean: Converter = (_mapper, value) => {
  if (value === true || value === 'true') return { kind: 'number', value: 1 };
  if (value === false || value === 'false' || value === '') return { kind: 'number', value: 0 };
  throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
};

const date: Converter = (mapper, value) => {
  const parse = mapper.dateParser;
  let millis: number | undefined;
  if (parse && (typeof value === 'number' || typeof value === 'string')) {
    millis = parse(value);
    if (millis === undefined && typeof value === 'number') millis = parse(String(value));
  }
  if (millis === undefined) throw illegalArgument(`failed to parse date field [${String(value)}] with format [${mapper.dateFormat ?? ''}]`);
  return { kind: 'number', value: millis };
};

const stringish = (kind: 'text' | 'keyword'): Converter => (_mapper, value) => {
  if (typeof value === 'string') return { kind, value };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind, value: String(value) };
  throw illegalArgument(`Can't get text on a START_OBJECT`);
};

const completion: Converter = (_mapper, value) => {
  if (typeof value === 'string') return { kind: 'completion', value: [{ input: value, weight: 1 }] };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const inputs = Array.isArray(record.input) ? record.input : [record.input];
    const weight = record.weight === undefined ? 1 : Number(record.weight);
    if (!Number.isInteger(weight) || weight < 0) throw illegalArgument(`weight must be a non-negative integer, got [${String(record.weight)}]`);
    if (record.contexts !== undefined) throw illegalArgument('[contexts] are not supported by the indexkit embedded engine');
    return { kind: 'completion', value: inputs.filter((i): i is string => typeof i === 'string').map((input) => ({ input, weight })) };
  }
  throw illegalArgument(`failed to parse completion value [${String(value)}]`);
};

export const VALUE_CONVERTERS: Record<LeafType, Converter> = {
  text: stringish('text'),
  keyword: stringish('keyword'),
  long: integer,
  integer,
  short: integer,
  byte: integer,
  unsigned_long: integer,
  double: floating,
  float: floating,
  half_float: floating,
  scaled_float: scaled,
  boolean,
  date,
  completion,
};
