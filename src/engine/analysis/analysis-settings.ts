import { readConfigFile, wordLines } from './word-files.js';
import { illegalArgument } from '../errors.js';

/** One component definition from `settings.analysis.<kind>.<name>`. */
export type ComponentSettings = Record<string, unknown>;

export const COMPONENT_KINDS = ['analyzer', 'normalizer', 'tokenizer', 'filter', 'char_filter'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface AnalysisSettings {
  analyzer: Record<string, ComponentSettings>;
  normalizer: Record<string, ComponentSettings>;
  tokenizer: Record<string, ComponentSettings>;
  filter: Record<string, ComponentSettings>;
  char_filter: Record<string, ComponentSettings>;
  /** index.max_ngram_diff (default 1). */
  maxNgramDiff: number;
  /** index.max_shingle_diff (default 3). */
  maxShingleDiff: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens nested settings to dotted keys, as Elasticsearch's Settings do; arrays stay values. */
function flatten(value: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(v)) flatten(v, path, out);
    else out.set(path, v);
  }
}

/** Rebuilds nesting from dotted keys; objects whose keys are 0..n-1 become arrays (`filter.0`). */
function nest(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const child = node[part];
      if (isObject(child)) node = child;
      else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return arraysFromIndexedObjects(root) as Record<string, unknown>;
}

function arraysFromIndexedObjects(v: unknown): unknown {
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  for (const k of keys) v[k] = arraysFromIndexedObjects(v[k]);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => v[k]);
  return v;
}

/**
 * Reads the analysis part of index settings given in any form create-index accepts:
 * `{ analysis: {...} }`, `{ index: { analysis: {...} } }` or flattened
 * `"index.analysis.analyzer.my.type"` keys (mixed forms too).
 */
export function readAnalysisSettings(indexSettings: unknown): AnalysisSettings {
  const flat = new Map<string, unknown>();
  if (isObject(indexSettings)) flatten(indexSettings, '', flat);
  const analysisEntries: Array<[string, unknown]> = [];
  let maxNgramDiff = 1;
  let maxShingleDiff = 3;
  for (const [rawKey, value] of flat) {
    const key = rawKey.startsWith('index.') ? rawKey.slice('index.'.length) : rawKey;
    if (key.startsWith('analysis.')) analysisEntries.push([key.slice('analysis.'.length), value]);
    else if (key === 'max_ngram_diff') maxNgramDiff = intSetting(value, 'index.max_ngram_diff', 0);
    else if (key === 'max_shingle_diff') maxShingleDiff = intSetting(value, 'index.max_shingle_diff', 0);
  }
  const analysis = nest(analysisEntries);
  const section = (kind: ComponentKind): Record<string, ComponentSettings> => {
    const raw = analysis[kind];
    if (raw === undefined) return {};
    if (!isObject(raw)) throw illegalArgument(`[index.analysis.${kind}] must be an object of named ${kind} definitions`);
    const out: Record<string, ComponentSettings> = {};
    for (const [name, def] of Object.entries(raw)) {
      if (!isObject(def)) throw illegalArgument(`[index.analysis.${kind}.${name}] must be an object, got [${JSON.stringify(def)}]`);
      out[name] = def;
    }
    return out;
  };
  return {
    analyzer: section('analyzer'),
    normalizer: section('normalizer'),
    tokenizer: section('tokenizer'),
    filter: section('filter'),
    char_filter: section('char_filter'),
    maxNgramDiff,
    maxShingleDiff,
  };
}

function intSetting(value: unknown, key: string, min: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw illegalArgument(`Failed to parse value [${String(value)}] for setting [${key}]`);
  if (n < min) throw illegalArgument(`Failed to parse value [${n}] for setting [${key}] must be >= ${min}`);
  return n;
}

/** Typed reads of one component's parameters, with Elasticsearch's lenient string forms ("2", "true"). */
export class ComponentParams {
  constructor(
    readonly settings: ComponentSettings,
    /** For messages: `[index.analysis.filter.my_ngram]`-style location. */
    readonly where: string,
    /** The component's name (`my_ngram`), for Elasticsearch messages that quote it. */
    readonly name = '',
    /** The node's config directory, where `*_path` settings name files. */
    readonly configDir?: string,
  ) {}

  /** The words of the file the setting `pathKey` names (`stopwords_path`), or undefined when it is not set. */
  wordFile(pathKey: string, removeComments = true): string[] | undefined {
    if (!this.has(pathKey)) return undefined;
    return wordLines(readConfigFile(this.configDir, pathKey, this.string(pathKey, '')), removeComments);
  }

  /** The inline list `key`, else the words of the file `${key}_path` names (Elasticsearch's Analysis.getWordList). */
  words(key: string): string[] | undefined {
    return this.list(key) ?? this.wordFile(`${key}_path`);
  }

  has(key: string): boolean {
    return this.settings[key] !== undefined && this.settings[key] !== null;
  }

  int(key: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
    const v = this.settings[key];
    if (v === undefined || v === null) return fallback;
    return intSetting(v, key, min);
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.settings[key];
    if (v === undefined || v === null) return fallback;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw illegalArgument(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`);
  }

  string(key: string, fallback: string): string {
    const v = this.settings[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw illegalArgument(`${this.where}: [${key}] must be a string, got [${JSON.stringify(v)}]`);
  }

  /** A list setting; a single string counts as a one-element list (or comma-separated, if asked). */
  list(key: string, splitCommas = false): string[] | undefined {
    const v = this.settings[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.map((x) => String(x));
    if (typeof v === 'string') return splitCommas ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [v];
    throw illegalArgument(`${this.where}: [${key}] must be a string or a list of strings, got [${JSON.stringify(v)}]`);
  }
}
