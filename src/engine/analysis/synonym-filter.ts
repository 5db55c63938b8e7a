import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';

/**
 * Elasticsearch's `synonym` and `synonym_graph` token filters with inline Solr-format rules:
 *
 *   "i-pod, i pod => ipod"     explicit: each left side is replaced by every right side
 *   "ipod, i-pod, i pod"       equivalent: with expand (default) each maps to all of them,
 *                              without expand all map to the first
 *
 * As in Elasticsearch, rule terms go through the analyzer's own tokenizer, char filters and
 * the filters before the synonym filter (so "Foo" matches after lowercase). Matching is
 * greedy and longest-first at each position. synonym_graph emits a token graph like Lucene's
 * SynonymGraphFilter: the synonym paths then the original, later positions shifted when a
 * synonym is longer than its match, positionLength on the token that spans a shorter path.
 * The `synonym` filter stacks outputs on the input positions without shifting (Lucene's
 * SynonymFilter), original first.
 */

export const SYNONYM_TYPE = 'SYNONYM';

/** Input term sequence (joined by \u0000) -> output term sequences; `keepOriginal` when the input is among them. */
interface SynonymRule {
  outputs: string[][];
  keepOriginal: boolean;
}

export interface SynonymOptions {
  rules: readonly string[];
  expand: boolean;
  lenient: boolean;
  graph: boolean;
}

const SEP = '\u0000';

/** Splits `a, b\, c` on unescaped commas and unescapes. */
function splitList(s: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && i + 1 < s.length) current += s[++i];
    else if (ch === ',') {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((x) => x !== '');
}

/** The synonym map, built once the analysis chain before the filter is known. */
export class SynonymMap {
  readonly rules = new Map<string, SynonymRule>();
  maxInputLength = 0;

  constructor(options: SynonymOptions, analyze: (text: string) => string[]) {
    const phrase = (text: string): string[] | undefined => {
      const terms = analyze(text);
      if (terms.length === 0) {
        if (options.lenient) return undefined;
        throw illegalArgument(`failed to build synonyms: term: ${text} was completely eliminated by analyzer`);
      }
      return terms;
    };
    for (const raw of options.rules) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const arrow = line.indexOf('=>');
      if (arrow >= 0) {
        const inputs = splitList(line.slice(0, arrow)).map(phrase);
        const outputs = splitList(line.slice(arrow + 2)).map(phrase);
        if (outputs.length === 0 || inputs.length === 0) throw illegalArgument(`failed to build synonyms: invalid synonym rule [${line}]`);
        for (const input of inputs) if (input) this.add(input, outputs.filter((o): o is string[] => o !== undefined));
      } else {
        const all = splitList(line).map(phrase).filter((p): p is string[] => p !== undefined);
        for (const input of all) this.add(input, options.expand ? all : all.slice(0, 1));
      }
    }
  }

  private add(input: string[], outputs: string[][]): void {
    const key = input.join(SEP);
    const rule = this.rules.get(key) ?? { outputs: [], keepOriginal: false };
    for (const output of outputs) {
      const joined = output.join(SEP);
      if (joined === key) rule.keepOriginal = true;
      else if (!rule.outputs.some((o) => o.join(SEP) === joined)) rule.outputs.push(output);
    }
    this.rules.set(key, rule);
    this.maxInputLength = Math.max(this.maxInputLength, input.length);
  }
}

export class SynonymFilter implements TokenFilter {
  constructor(
    private readonly map: SynonymMap,
    private readonly graph: boolean,
  ) {}

  filter(tokens: Token[]): Token[] {
    const { rules, maxInputLength } = this.map;
    if (rules.size === 0 || tokens.length === 0) return tokens;
    const out: Token[] = [];
    let shift = 0;
    let i = 0;
    while (i < tokens.length) {
      // Longest match of consecutive tokens (adjacent positions) starting at i.
      let match: SynonymRule | undefined;
      let length = 0;
      let key = '';
      for (let n = 1; n <= maxInputLength && i + n <= tokens.length; n++) {
        const t = tokens[i + n - 1] as Token;
        if (n > 1 && t.position !== (tokens[i + n - 2] as Token).position + 1) break;
        key = n === 1 ? t.term : `${key}${SEP}${t.term}`;
        const rule = rules.get(key);
        if (rule) {
          match = rule;
          length = n;
        }
      }
      const first = tokens[i] as Token;
      if (!match) {
        first.position += shift;
        out.push(first);
        i++;
        continue;
      }
      const input = tokens.slice(i, i + length);
      const base = first.position + shift;
      const start = first.startOffset;
      const end = (input[input.length - 1] as Token).endOffset;
      const longest = Math.max(match.keepOriginal ? length : 0, ...match.outputs.map((o) => o.length));
      const emitted: Array<{ token: Token; order: number }> = [];
      match.outputs.forEach((output, pathIndex) => {
        output.forEach((term, k) => {
          const token: Token = { term, position: base + k, startOffset: start, endOffset: end, type: SYNONYM_TYPE };
          const span = this.graph ? longest : length;
          if (k === output.length - 1 && span - output.length + 1 > 1) token.positionLength = span - output.length + 1;
          emitted.push({ token, order: this.graph ? pathIndex : pathIndex + 1 });
        });
      });
      if (match.keepOriginal) {
        input.forEach((t, k) => {
          t.position = base + k;
          if (this.graph && k === input.length - 1 && longest - length + 1 > 1) t.positionLength = longest - length + 1;
          emitted.push({ token: t, order: this.graph ? match.outputs.length : 0 });
        });
      }
      emitted.sort((a, b) => a.token.position - b.token.position || a.order - b.order);
      for (const e of emitted) out.push(e.token);
      if (this.graph) shift += longest - length;
      i += length;
    }
    return out;
  }
}

/**
 * A synonym filter before it knows its analysis chain: `bind` gives it the function that
 * analyzes rule terms (the chain up to the filter) and returns the working filter. Unbound,
 * rule terms are split on whitespace.
 */
export class UnboundSynonymFilter implements TokenFilter {
  private whitespaceBound?: SynonymFilter;

  constructor(readonly options: SynonymOptions) {}

  bind(analyze: (text: string) => string[]): SynonymFilter {
    return new SynonymFilter(new SynonymMap(this.options, analyze), this.options.graph);
  }

  filter(tokens: Token[]): Token[] {
    this.whitespaceBound ??= this.bind((text) => text.split(/\s+/).filter((t) => t !== ''));
    return this.whitespaceBound.filter(tokens);
  }
}
