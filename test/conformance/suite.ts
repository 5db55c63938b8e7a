import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, isMap as isYamlMap, isSeq, isScalar } from 'yaml';
import type { Node, ScalarTag, CollectionTag, Tags } from 'yaml';
import { Dbl, integer } from './values.js';
import type { Value } from './values.js';

/** One step of a section: `do`, an assertion, `set`, or a `skip`/`requires` prerequisite. */
export interface Step {
  kind: string;
  /** The step's value (the `do` map, `{ path: expected }`, the path of `is_true`...). */
  arg: Value;
  line: number;
}

export interface Section {
  name: string;
  line: number;
  /** The `skip`/`requires` maps at the start of the section. */
  prerequisites: { kind: 'skip' | 'requires'; arg: Record<string, Value> }[];
  steps: Step[];
}

export interface Suite {
  /** Path under rest-api-spec/test, e.g. `search/10_source_filtering.yml`. */
  file: string;
  dir: string;
  setup?: Section;
  teardown?: Section;
  tests: Section[];
}

/**
 * YAML as Jackson reads the tests: an integer is a number (exact, so a bigint beyond 2^53), a number
 * with a fraction or exponent a {@link Dbl}.
 */
function javaLikeTags(tags: Tags): Tags {
  return tags.map((tag) => {
    const t = tag as ScalarTag | CollectionTag;
    if (!('resolve' in t) || typeof t.resolve !== 'function') return tag;
    const resolve = t.resolve as (...args: unknown[]) => unknown;
    if (t.tag === 'tag:yaml.org,2002:float') return { ...t, resolve: (...args: unknown[]) => new Dbl(Number(resolve(...args))) } as ScalarTag;
    if (t.tag === 'tag:yaml.org,2002:int' && !(t as ScalarTag).format) {
      return { ...t, resolve: (source: string, ...rest: unknown[]) => (/^[-+]?\d+$/.test(source) ? integer(source.replace(/^\+/, '')) : resolve(source, ...rest)) } as ScalarTag;
    }
    return tag;
  });
}

function plain(node: unknown): Value {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value as Value;
  if (isSeq(node)) return node.items.map((item) => plain(item));
  if (isYamlMap(node)) {
    const out: Record<string, Value> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(plain(pair.key));
      out[key] = plain(pair.value);
    }
    return out;
  }
  return null;
}

/**
 * SnakeYAML (Elasticsearch's parser) accepts a flow collection (`[ ... ]`, `{ ... }`), or a
 * double-quoted scalar, whose continuation lines are indented less than its key; the yaml package
 * does not. The leading white space of those lines carries no meaning (a flow ignores it, a
 * quoted scalar folds it away), so they are indented under their key before parsing. A `[` inside a
 * plain scalar (`catch: /a \[b\]/`) starts no flow collection, and the text of a block scalar
 * (`source: |`) is not read at all.
 */
export function relaxFlowIndentation(text: string): string {
  const lines = text.split('\n');
  let depth = 0;
  let startIndent = 0;
  let quote = '';
  let quoteIndent = 0;
  // inside a block scalar (`source: |`): the lines indented deeper than its key are text, not YAML
  let blockIndent = -1;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (depth > 0 && !quote && line.trim() !== '' && indent <= startIndent) {
      line = ' '.repeat(startIndent + 2) + line.trimStart();
      lines[n] = line;
    } else if (depth === 0 && quote === '"' && line.trim() !== '' && indent <= quoteIndent) {
      line = ' '.repeat(quoteIndent + 2) + line.trimStart();
      lines[n] = line;
    }
    const before = depth;
    if (quote === "'") quote = '';
    let plain = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      const previous = line.slice(0, i).trimEnd();
      const opensNode = depth > 0 || previous === '' || /[:[{,-]$/.test(previous);
      if (plain && depth === 0) continue;
      // a quote opens a quoted scalar only where a scalar starts (`don't` inside a flow map is plain)
      if ((c === '"' || c === "'") && /[\s:[{,-]/.test(line[i - 1] ?? ' ')) {
        quote = c;
        if (depth === 0) quoteIndent = indent;
      } else if ((c === '[' || c === '{') && opensNode) depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && !/\s/.test(c) && c !== '-' && c !== ':' && /:\s*$/.test(previous)) plain = true;
    }
    if (before === 0 && depth > 0) startIndent = indent;
    if (depth === 0 && !quote && /(?:^\s*-|:)\s+[|>][-+0-9]*\s*(?:#.*)?$/.test(line)) blockIndent = indent;
  }
  return lines.join('\n');
}

const PREREQUISITES = new Set(['skip', 'requires']);

function section(name: string, node: Node | null, lines: LineCounter, file: string): Section {
  const start = lines.linePos(node?.range?.[0] ?? 0).line;
  const out: Section = { name, line: start, prerequisites: [], steps: [] };
  if (!isSeq(node)) throw new Error(`${file}:${start}: section [${name}] is not a list of steps`);
  for (const item of node.items) {
    const line = lines.linePos((item as Node).range?.[0] ?? 0).line;
    if (!isYamlMap(item) || item.items.length !== 1) throw new Error(`${file}:${line}: a step must be a map with one key`);
    const pair = item.items[0]!;
    const kind = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const arg = plain(pair.value);
    if (PREREQUISITES.has(kind) && out.steps.length === 0) out.prerequisites.push({ kind: kind as 'skip' | 'requires', arg: (arg ?? {}) as Record<string, Value> });
    else out.steps.push({ kind, arg, line });
  }
  return out;
}

/** Reads one test file (several YAML documents: `setup`, `teardown`, then one test each). */
export function loadSuite(path: string, file: string): Suite {
  const text = relaxFlowIndentation(readFileSync(path, 'utf8'));
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, customTags: javaLikeTags, uniqueKeys: false, strict: false });
  const dir = file.split('/')[0]!;
  const suite: Suite = { file, dir, tests: [] };
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const contents = doc.contents;
    if (contents === null) continue;
    if (!isYamlMap(contents)) throw new Error(`${file}: a document must be a map of section name to steps`);
    for (const pair of contents.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const s = section(name, pair.value as Node | null, lines, file);
      if (name === 'setup') suite.setup = s;
      else if (name === 'teardown') suite.teardown = s;
      else suite.tests.push(s);
    }
  }
  return suite;
}
