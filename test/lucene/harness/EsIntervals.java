import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.queries.intervals.IntervalIterator;
import org.apache.lucene.queries.intervals.IntervalMatchesIterator;
import org.apache.lucene.queries.intervals.IntervalQuery;
import org.apache.lucene.queries.intervals.Intervals;
import org.apache.lucene.queries.intervals.IntervalsSource;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;

/**
 * Elasticsearch's `intervals` query (IntervalQueryBuilder, IntervalsSourceProvider, IntervalBuilder)
 * on Lucene 8.7's intervals package: match (analysed: terms, holes as extend, ordered/unordered,
 * max_gaps, phrase), all_of, any_of, prefix, wildcard and the filters. Multi-term rules expand to at
 * most 4,096 terms, Elasticsearch 8's max_clause_count.
 */
final class EsIntervals {
  private EsIntervals() {}

  static Query query(Map<String, Object> body, java.util.function.Function<String, Analyzer> analyzers) throws IOException {
    Map.Entry<String, Object> e = body.entrySet().iterator().next();
    String field = e.getKey();
    Map<String, Object> spec = LuceneHarness.asMap(e.getValue());
    IntervalsSource source = null;
    float boost = 1f;
    for (Map.Entry<String, Object> x : spec.entrySet()) {
      if (x.getKey().equals("boost")) boost = LuceneHarness.num(x.getValue()).floatValue();
      else {
        // Elasticsearch 8's max_clause_count (4,096) bounds the expansions; Lucene 8.7 checks it when the source is built
        int was = org.apache.lucene.search.BooleanQuery.getMaxClauseCount();
        org.apache.lucene.search.BooleanQuery.setMaxClauseCount(Math.max(was, 4096));
        try {
          source = rule(x.getKey(), LuceneHarness.asMap(x.getValue()), analyzers.apply(field), field);
        } finally {
          org.apache.lucene.search.BooleanQuery.setMaxClauseCount(was);
        }
      }
    }
    Query q = new IntervalQuery(field, source);
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  static IntervalsSource rule(String kind, Map<String, Object> o, Analyzer analyzer, String field) throws IOException {
    IntervalsSource s;
    int maxGaps = o.containsKey("max_gaps") ? LuceneHarness.num(o.get("max_gaps")).intValue() : -1;
    boolean ordered = Boolean.TRUE.equals(o.get("ordered"));
    switch (kind) {
      case "match": s = analyzeText(analyzer, field, LuceneHarness.str(o.get("query")), maxGaps, ordered); break;
      case "all_of": s = combine(subs(o, analyzer, field), maxGaps, ordered); break;
      case "any_of": s = Intervals.or(subs(o, analyzer, field).toArray(new IntervalsSource[0])); break;
      case "prefix": s = Intervals.prefix(analyzer.normalize(field, LuceneHarness.str(o.get("prefix"))), 4096); break;
      case "wildcard": s = Intervals.wildcard(analyzer.normalize(field, LuceneHarness.str(o.get("pattern"))), 4096); break;
      default: throw new IllegalArgumentException("unsupported interval rule [" + kind + "]");
    }
    if (!o.containsKey("filter")) return s;
    Map.Entry<String, Object> f = LuceneHarness.asMap(o.get("filter")).entrySet().iterator().next();
    Map.Entry<String, Object> inner = LuceneHarness.asMap(f.getValue()).entrySet().iterator().next();
    IntervalsSource ref = rule(inner.getKey(), LuceneHarness.asMap(inner.getValue()), analyzer, field);
    switch (f.getKey()) {
      case "containing": return Intervals.containing(s, ref);
      case "contained_by": return Intervals.containedBy(s, ref);
      case "not_containing": return Intervals.notContaining(s, ref);
      case "not_contained_by": return Intervals.notContainedBy(s, ref);
      case "overlapping": return Intervals.overlapping(s, ref);
      case "not_overlapping": return Intervals.nonOverlapping(s, ref);
      case "before": return Intervals.before(s, ref);
      case "after": return Intervals.after(s, ref);
      default: throw new IllegalArgumentException("unknown filter [" + f.getKey() + "]");
    }
  }

  static List<IntervalsSource> subs(Map<String, Object> o, Analyzer analyzer, String field) throws IOException {
    List<IntervalsSource> out = new ArrayList<>();
    for (Object x : LuceneHarness.asList(o.get("intervals"))) {
      Map.Entry<String, Object> e = LuceneHarness.asMap(x).entrySet().iterator().next();
      out.add(rule(e.getKey(), LuceneHarness.asMap(e.getValue()), analyzer, field));
    }
    return out;
  }

  /** IntervalBuilder.combineSources. */
  static IntervalsSource combine(List<IntervalsSource> sources, int maxGaps, boolean ordered) {
    if (sources.isEmpty()) return NO_INTERVALS;
    if (sources.size() == 1) return sources.get(0);
    IntervalsSource[] arr = sources.toArray(new IntervalsSource[0]);
    if (maxGaps == 0 && ordered) return Intervals.phrase(arr);
    IntervalsSource inner = ordered ? Intervals.ordered(arr) : Intervals.unordered(arr);
    return maxGaps == -1 ? inner : Intervals.maxgaps(maxGaps, inner);
  }

  /** IntervalBuilder.analyzeText without synonyms (the corpus analyzers make none): terms, holes as extend. */
  static IntervalsSource analyzeText(Analyzer analyzer, String field, String text, int maxGaps, boolean ordered) throws IOException {
    List<IntervalsSource> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        IntervalsSource t = Intervals.term(term.toString());
        int spaces = inc.getPositionIncrement() - 1;
        terms.add(spaces == 0 ? t : Intervals.extend(t, spaces, 0));
      }
      ts.end();
    }
    // a single token is the bare term (IntervalBuilder.analyzeTerm), a leading hole dropped
    if (terms.size() == 1) return singleTerm(analyzer, field, text);
    return combine(terms, maxGaps, ordered);
  }

  static IntervalsSource singleTerm(Analyzer analyzer, String field, String text) throws IOException {
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      ts.incrementToken();
      IntervalsSource t = Intervals.term(term.toString());
      ts.end();
      return t;
    }
  }

  /** Elasticsearch's IntervalBuilder.NO_INTERVALS. */
  static final IntervalsSource NO_INTERVALS = new IntervalsSource() {
    @Override
    public IntervalIterator intervals(String field, LeafReaderContext ctx) {
      return null;
    }

    @Override
    public IntervalMatchesIterator matches(String field, LeafReaderContext ctx, int doc) {
      return null;
    }

    @Override
    public void visit(String field, QueryVisitor visitor) {}

    @Override
    public int minExtent() {
      return 0;
    }

    @Override
    public Collection<IntervalsSource> pullUpDisjunctions() {
      return Collections.emptyList();
    }

    @Override
    public int hashCode() {
      return 0;
    }

    @Override
    public boolean equals(Object other) {
      return other == this;
    }

    @Override
    public String toString() {
      return "no_match";
    }
  };
}
