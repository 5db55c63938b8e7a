import { checkPositional } from '../rewrite-terms.js';
import { ChainAnalyzer } from '../../analysis/chain-analyzer.js';
import type { Analyzer, FieldInfo } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { codePoints, editDistance } from '../levenshtein.js';
import { fuzzyEdits } from '../parse-util.js';
import { regexpMatcher, wildcardMatcher } from '../pattern.js';
import { NONE } from '../primitive.js';
import type { Primitive } from '../primitive.js';
import type { IntervalsFilter, IntervalsQuery, IntervalsRule } from '../query.js';
import type { RewriteContext } from '../rewrite-context.js';
import {
  DisjunctionSource,
  ExtendedSource,
  IntervalsSource,
  MultiTermSource,
  TermSource,
  maxGaps,
  ordered,
  phrase,
  relate,
  unordered,
} from './intervals-source.js';
import type { LeafIntervals } from './intervals-source.js';

/**
 * An `intervals` query -> an IntervalQuery primitive over one text field, as Elasticsearch's
 * IntervalQueryBuilder and IntervalsSourceProvider build Lucene's sources: `match` analyses its
 * text (IntervalBuilder: one term, a phrase with holes for removed stop words, synonyms as
 * disjunctions), `all_of` combines (phrase when ordered with max_gaps 0), prefix, wildcard,
 * regexp, fuzzy and range expand to at most `indices.query.bool.max_clause_count` terms per
 * segment (TextFieldType's *Intervals methods), patterns through the engine's automata.
 */
export function rewriteIntervals(q: IntervalsQuery, ctx: RewriteContext): Primitive {
  const f = ctx.field(q.field);
  // IntervalQueryBuilder: an unmapped field (or use_field) matches nothing, for cross-index searches
  if (!f || usedFields(q.rule).some((u) => !ctx.field(u))) return NONE;
  checkPositional(ctx, f, 'intervals');
  const source = new SourceBuilder(ctx).rule(q.rule, f);
  return { op: 'intervals', field: f.path, source, boost: q.boost };
}

function usedFields(r: IntervalsRule): string[] {
  const own = 'useField' in r && r.useField !== undefined ? [r.useField] : [];
  const subs = r.type === 'any_of' || r.type === 'all_of' ? r.intervals.flatMap(usedFields) : [];
  return [...own, ...subs];
}

/** Lucene's NO_INTERVALS (text that analyses to nothing): no doc, minExtent 0, nothing to pull up. */
class NoIntervals extends IntervalsSource {
  readonly key = 'no_match';
  leaf(): LeafIntervals | null {
    return null;
  }
  minExtent(): number {
    return 0;
  }
  override pullUpDisjunctions(): IntervalsSource[] {
    return [];
  }
}

class SourceBuilder {
  constructor(private readonly ctx: RewriteContext) {}

  rule(r: IntervalsRule, field: FieldInfo): IntervalsSource {
    switch (r.type) {
      case 'match': {
        const f = this.target(field, r.useField);
        return this.filtered(this.analyzeText(f, this.analyzer(f, r.analyzer), r.query, r.maxGaps, r.ordered), r.filter, field);
      }
      case 'any_of':
        return this.filtered(DisjunctionSource.of(r.intervals.map((x) => this.rule(x, field))), r.filter, field);
      case 'all_of':
        return this.filtered(combineSources(r.intervals.map((x) => this.rule(x, field)), r.maxGaps, r.ordered), r.filter, field);
      case 'prefix': {
        const f = this.target(field, r.useField);
        const prefix = this.normalize(f, r.analyzer, r.prefix);
        // with index_prefixes ES reads the prefix field (one term, the same positions): no expansion limit up to max_chars
        const unlimited = f.indexPrefixes !== undefined && prefix.length <= f.indexPrefixes.maxChars;
        return this.multiTerm(f, `${prefix}*`, (t) => t.startsWith(prefix), unlimited ? Infinity : undefined);
      }
      case 'wildcard': {
        const f = this.target(field, r.useField);
        const pattern = this.normalize(f, r.analyzer, r.pattern);
        const dfa = this.compile(() => wildcardMatcher(pattern, false));
        return this.multiTerm(f, pattern, (t) => dfa.test(t));
      }
      case 'regexp': {
        const f = this.target(field, r.useField);
        const pattern = this.normalize(f, r.analyzer, r.pattern);
        const dfa = this.compile(() => regexpMatcher(pattern));
        return this.multiTerm(f, pattern, (t) => dfa.test(t));
      }
      case 'fuzzy': {
        const f = this.target(field, r.useField);
        const term = this.normalize(f, r.analyzer, r.term);
        const edits = fuzzyEdits(r.fuzziness, r.term);
        // FuzzyQuery's automaton: the first prefix_length code points exact, the rest within the edits
        const cps = codePoints(term);
        const prefix = String.fromCodePoint(...cps.slice(0, r.prefixLength));
        const rest = cps.slice(r.prefixLength);
        const accept = (t: string): boolean => t.startsWith(prefix) && editDistance(rest, codePoints(t.slice(prefix.length)), edits, r.transpositions) <= edits;
        return this.multiTerm(f, `${term}~${edits}`, accept);
      }
      case 'range': {
        const f = this.target(field, r.useField);
        const lo = this.normalize(f, r.analyzer, r.lower);
        const hi = this.normalize(f, r.analyzer, r.upper);
        const accept = (t: string): boolean => (r.includeLower ? t >= lo : t > lo) && (r.includeUpper ? t <= hi : t < hi);
        return this.multiTerm(f, `${r.includeLower ? '[' : '{'}${lo},${hi}${r.includeUpper ? ']' : '}'}`, accept);
      }
    }
  }

  /** The field a rule reads: the query's, or its `use_field` (Intervals.fixField). */
  private target(field: FieldInfo, useField: string | undefined): FieldInfo {
    const f = useField === undefined ? field : (this.ctx.field(useField) as FieldInfo);
    // search_as_you_type's field types are StringFieldTypes, which build no intervals
    if (f.type !== 'text' || f.sayt) {
      const type = f.sayt ? (f.sayt.prefix ? 'prefix' : 'search_as_you_type') : f.type;
      this.ctx.fail(`failed to create query: Can only use interval queries on text fields - not on [${f.path}] which is of type [${type}]`, {
        type: 'illegal_argument_exception',
        reason: `Can only use interval queries on text fields - not on [${f.path}] which is of type [${type}]`,
      });
    }
    return f;
  }

  /** The named analyzer, else the field's search analyzer (an unknown name falls back too, as in ES). */
  private analyzer(f: FieldInfo, name: string | undefined): Analyzer | undefined {
    const named = name === undefined ? undefined : this.ctx.view.analysis.analyzer(name);
    return named ?? this.ctx.analyzer(f, undefined, false);
  }

  private normalize(f: FieldInfo, analyzerName: string | undefined, text: string): string {
    const a = this.analyzer(f, analyzerName);
    return a instanceof ChainAnalyzer ? a.normalize(text) : text;
  }

  private filtered(source: IntervalsSource, filter: IntervalsFilter | undefined, field: FieldInfo): IntervalsSource {
    if (!filter) return source;
    return relate(filter.type, source, this.rule(filter.rule, field));
  }

  private multiTerm(f: FieldInfo, pattern: string, accept: (t: string) => boolean, maxExpansions?: number): IntervalsSource {
    return new MultiTermSource(f.path, pattern, accept, (field) => this.noPositions(field), maxExpansions);
  }

  private term(f: FieldInfo, term: string): IntervalsSource {
    return new TermSource(f.path, term, (field) => this.noPositions(field));
  }

  private noPositions(field: string): never {
    throw new EngineError(400, 'illegal_argument_exception', `Cannot create intervals over field [${field}] with no positions indexed`);
  }

  private compile<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof EngineError) this.ctx.fail(`failed to create query: ${e.message}`, { type: e.type, reason: e.message });
      throw e;
    }
  }

  /** IntervalBuilder.analyzeText. */
  private analyzeText(f: FieldInfo, analyzer: Analyzer | undefined, text: string, gaps: number, isOrdered: boolean): IntervalsSource {
    const tokens = analyzer ? analyzer.analyze(text) : [];
    if (tokens.length === 0) return new NoIntervals();
    if (tokens.length === 1) return this.term(f, (tokens[0] as { term: string }).term);
    if (tokens.some((t) => (t.positionLength ?? 1) > 1)) throw unsupported('intervals match on text that analyzes to a token graph (multi-position synonyms)');
    // positions grouped: tokens at one position are synonyms (a disjunction); a hole is an extension
    const sources: IntervalsSource[] = [];
    let last = -1;
    let group: IntervalsSource[] = [];
    let spaces = 0;
    const flush = () => {
      if (group.length === 0) return;
      const s = group.length === 1 ? (group[0] as IntervalsSource) : DisjunctionSource.of(group);
      sources.push(spaces === 0 ? s : new ExtendedSource(s, spaces, 0));
    };
    for (const t of tokens) {
      if (t.position !== last) {
        flush();
        group = [];
        spaces = t.position - last - 1;
        last = t.position;
      }
      group.push(this.term(f, t.term));
    }
    flush();
    return combineSources(sources, gaps, isOrdered);
  }
}

/** IntervalBuilder.combineSources: a phrase when ordered with no gaps, else ordered/unordered within max_gaps. */
function combineSources(sources: IntervalsSource[], gaps: number, isOrdered: boolean): IntervalsSource {
  if (sources.length === 0) return new NoIntervals();
  if (sources.length === 1) return sources[0] as IntervalsSource;
  if (gaps === 0 && isOrdered) return phrase(sources);
  const inner = isOrdered ? ordered(sources) : unordered(sources);
  return gaps === -1 ? inner : maxGaps(inner, gaps);
}
