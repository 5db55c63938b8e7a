import type { Token } from '../contract.js';
import { illegalArgument, unsupported } from '../errors.js';
import { compilePainless, type CompiledScript, type ScriptToken } from '../search/script/painless.js';
import { parseScript } from '../search/script/script-spec.js';
import type { TokenFilter } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { KEYWORD_TOKENS } from './english-stemmers.js';
import { UniqueFilter } from './simple-filters.js';
import { UnboundSynonymFilter } from './synonym-filter.js';

/**
 * The token filters that run other filters of the index, named in their settings: `condition`
 * (ScriptedConditionTokenFilterFactory), `multiplexer` (MultiplexerTokenFilterFactory), and the
 * script-driven `predicate_token_filter` that shares condition's script context
 * (AnalysisPredicateScript: `token.term`, `token.position`, `token.type`, `token.keyword`...).
 */

/** The filter `name` of the index (or pre-built), failing as the referring factory does. */
type FilterLookup = (name: string) => TokenFilter | undefined;

function referred(lookup: FilterLookup | undefined, name: string, missing: string, owner: string): TokenFilter {
  const filter = lookup?.(name);
  if (!filter) throw illegalArgument(missing);
  // Elasticsearch gives such a synonym filter the chain before it to parse its rules; the engine
  // binds synonym rules only at the top level of an analyzer.
  if (filter instanceof UnboundSynonymFilter) throw unsupported(`synonym filter [${name}] inside ${owner}`);
  return filter;
}

const runChain = (chain: readonly TokenFilter[], tokens: Token[]): Token[] => {
  let out = tokens;
  for (const f of chain) out = f.filter(out);
  return out;
};

/** The analysis predicate script of `condition` and `predicate_token_filter`, compiled once. */
function predicateScript(p: ComponentParams): (token: Token, previousPosition: number) => boolean {
  const raw = p.settings.script;
  // Elasticsearch reads `script` as settings: a bare string is no script object.
  if (raw === undefined || raw === null || typeof raw !== 'object') {
    throw illegalArgument('must specify either [source] for an inline script or [id] for a stored script');
  }
  const spec = parseScript(raw, `tokenfilter [${p.name}]`);
  if (spec.source === undefined) throw illegalArgument(`Cannot use stored scripts in tokenfilter [${p.name}]`);
  const script: CompiledScript = compilePainless(spec.source, spec.params, () => undefined, false, { token: true });
  return (t, previousPosition) => {
    const token: ScriptToken = {
      term: t.term,
      position: t.position,
      positionIncrement: t.position - previousPosition,
      positionLength: t.positionLength ?? 1,
      startOffset: t.startOffset,
      endOffset: t.endOffset,
      type: t.type,
      keyword: KEYWORD_TOKENS.has(t),
    };
    const result = script.run({ doc: 0, values: () => [], token });
    if (result.t !== 'bool') throw illegalArgument(`analysis predicate script must return a boolean, got [${result.t}]`);
    return result.v;
  };
}

/**
 * `predicate_token_filter`: keeps the tokens the script accepts (a FilteringTokenFilter: the
 * positions of the kept tokens do not move).
 */
export function predicateTokenFilter(p: ComponentParams): TokenFilter {
  const accept = predicateScript(p);
  return {
    filter(tokens) {
      let previous = -1;
      let out = 0;
      for (const t of tokens) {
        const keep = accept(t, previous);
        previous = t.position;
        if (keep) tokens[out++] = t;
      }
      tokens.length = out;
      return tokens;
    },
  };
}

/**
 * `condition`: Lucene's ConditionalTokenFilter with a script predicate. Each run of consecutive
 * tokens the script accepts goes through the named filters as one stream; the others pass by.
 */
export function conditionFilter(p: ComponentParams, lookup: FilterLookup | undefined): TokenFilter {
  const accept = predicateScript(p);
  const names = p.list('filter') ?? [];
  if (names.length === 0) throw illegalArgument(`Empty list of filters provided to tokenfilter [${p.name}]`);
  const chain = names.map((n) => referred(lookup, n, `ScriptedConditionTokenFilter [${p.name}] refers to undefined token filter [${n}]`, `condition [${p.name}]`));
  return {
    filter(tokens) {
      const out: Token[] = [];
      let run: Token[] = [];
      let previous = -1;
      const flush = () => {
        if (run.length > 0) out.push(...runChain(chain, run));
        run = [];
      };
      for (const t of tokens) {
        const filtered = accept(t, previous);
        previous = t.position;
        if (filtered) run.push(t);
        else {
          flush();
          out.push(t);
        }
      }
      flush();
      return out;
    },
  };
}

/**
 * `multiplexer`: every token once per branch (the original first when `preserve_original`), each
 * copy through its branch's filters alone, all at the token's position; then Lucene's
 * RemoveDuplicatesTokenFilter drops a term repeated at one position. A branch is a filter name or
 * a comma-separated chain of names. With a single branch (and no original) the branch sees the
 * whole stream, as Lucene's ConditionalTokenFilter then never breaks its run.
 */
export function multiplexerFilter(p: ComponentParams, lookup: FilterLookup | undefined): TokenFilter {
  const branches: TokenFilter[][] = [];
  if (p.bool('preserve_original', true)) branches.push([]);
  for (const branch of p.list('filters') ?? []) {
    const parts = branch.split(',').map((s) => s.trim()).filter((s) => s !== '');
    branches.push(parts.map((n) => referred(lookup, n, `Multiplexing filter [${p.name}] refers to undefined tokenfilter [${n}]`, `multiplexer [${p.name}]`)));
  }
  const dedupe = new UniqueFilter(true);
  return {
    filter(tokens) {
      if (branches.length === 0) return tokens;
      if (branches.length === 1) return dedupe.filter(runChain(branches[0] as TokenFilter[], tokens));
      // Positions as Lucene's increments: the first copy keeps the token's increment, the
      // others have 0; a branch's own increments follow; a copy a branch removes passes its
      // increment on to the next token emitted.
      const out: Token[] = [];
      let inputPrevious = -1;
      let position = -1;
      let pending = 0;
      for (const t of tokens) {
        let increment = t.position - inputPrevious;
        inputPrevious = t.position;
        for (const branch of branches) {
          const copy: Token = { ...t };
          if (KEYWORD_TOKENS.has(t)) KEYWORD_TOKENS.add(copy);
          const emitted = runChain(branch, [copy]);
          let last = t.position;
          pending += increment;
          for (const e of emitted) {
            pending += e.position - last;
            last = e.position;
            position += pending;
            pending = 0;
            e.position = position;
            out.push(e);
          }
          increment = 0;
        }
      }
      return dedupe.filter(out);
    },
  };
}
