import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.search.spans.FieldMaskingSpanQuery;
import org.apache.lucene.search.spans.SpanContainingQuery;
import org.apache.lucene.search.spans.SpanFirstQuery;
import org.apache.lucene.search.spans.SpanMultiTermQueryWrapper;
import org.apache.lucene.search.spans.SpanNearQuery;
import org.apache.lucene.search.spans.SpanNotQuery;
import org.apache.lucene.search.spans.SpanOrQuery;
import org.apache.lucene.search.spans.SpanQuery;
import org.apache.lucene.search.spans.SpanTermQuery;
import org.apache.lucene.search.spans.SpanWithinQuery;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;

/**
 * Elasticsearch 8's span queries (SpanTermQueryBuilder, SpanNearQueryBuilder, SpanOrQueryBuilder,
 * SpanNotQueryBuilder, SpanFirstQueryBuilder, SpanContainingQueryBuilder, SpanWithinQueryBuilder,
 * SpanMultiTermQueryBuilder with SpanBooleanQueryRewriteWithMaxClause or top_terms_N,
 * FieldMaskingSpanQueryBuilder) on Lucene 8.7's spans, for the DSL subset the span test generates.
 */
final class EsSpans {
  private EsSpans() {}

  /** The outermost span query: a boost other than 1 wraps it (AbstractQueryBuilder.toQuery). */
  static Query query(String kind, Map<String, Object> body) {
    SpanQuery q = span(kind, body);
    Map<String, Object> options = body;
    if (kind.equals("span_term")) {
      Object v = body.values().iterator().next();
      options = v instanceof Map ? LuceneHarness.asMap(v) : Map.of();
    }
    float boost = options.containsKey("boost") ? LuceneHarness.num(options.get("boost")).floatValue() : 1f;
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  static SpanQuery clause(Object json) {
    Map.Entry<String, Object> e = LuceneHarness.asMap(json).entrySet().iterator().next();
    return span(e.getKey(), LuceneHarness.asMap(e.getValue()));
  }

  static SpanQuery span(String kind, Map<String, Object> o) {
    switch (kind) {
      case "span_term": {
        Map.Entry<String, Object> e = o.entrySet().iterator().next();
        Object v = e.getValue() instanceof Map ? LuceneHarness.asMap(e.getValue()).get("value") : e.getValue();
        return new SpanTermQuery(new Term(e.getKey(), LuceneHarness.str(v)));
      }
      case "span_near": {
        // SpanNearQueryBuilder.doToQuery: span_gap clauses are the builder's gaps
        List<Object> raw = LuceneHarness.asList(o.get("clauses"));
        List<SpanQuery> clauses = new ArrayList<>();
        List<Integer> gaps = new ArrayList<>();
        String field = null;
        for (Object c : raw) {
          Map.Entry<String, Object> e = LuceneHarness.asMap(c).entrySet().iterator().next();
          if (e.getKey().equals("span_gap")) {
            Map.Entry<String, Object> g = LuceneHarness.asMap(e.getValue()).entrySet().iterator().next();
            if (field == null) field = g.getKey();
            clauses.add(null);
            gaps.add(LuceneHarness.num(g.getValue()).intValue());
          } else {
            SpanQuery q = clause(c);
            if (field == null) field = q.getField();
            clauses.add(q);
            gaps.add(0);
          }
        }
        if (clauses.size() == 1) return clauses.get(0);
        int slop = o.containsKey("slop") ? LuceneHarness.num(o.get("slop")).intValue() : 0;
        boolean inOrder = !Boolean.FALSE.equals(o.get("in_order"));
        SpanNearQuery.Builder b = new SpanNearQuery.Builder(field, inOrder);
        b.setSlop(slop);
        for (int i = 0; i < clauses.size(); i++) {
          if (clauses.get(i) == null) b.addGap(gaps.get(i));
          else b.addClause(clauses.get(i));
        }
        return b.build();
      }
      case "span_or": {
        List<SpanQuery> clauses = new ArrayList<>();
        for (Object c : LuceneHarness.asList(o.get("clauses"))) clauses.add(clause(c));
        return new SpanOrQuery(clauses.toArray(new SpanQuery[0]));
      }
      case "span_not": {
        int pre = 0;
        int post = 0;
        if (o.containsKey("dist")) pre = post = LuceneHarness.num(o.get("dist")).intValue();
        if (o.containsKey("pre")) pre = LuceneHarness.num(o.get("pre")).intValue();
        if (o.containsKey("post")) post = LuceneHarness.num(o.get("post")).intValue();
        return new SpanNotQuery(clause(o.get("include")), clause(o.get("exclude")), Math.max(0, pre), Math.max(0, post));
      }
      case "span_first":
        return new SpanFirstQuery(clause(o.get("match")), LuceneHarness.num(o.get("end")).intValue());
      case "span_containing":
        return new SpanContainingQuery(clause(o.get("big")), clause(o.get("little")));
      case "span_within":
        return new SpanWithinQuery(clause(o.get("big")), clause(o.get("little")));
      case "field_masking_span":
        return new FieldMaskingSpanQuery(clause(o.get("query")), LuceneHarness.str(o.get("field")));
      case "span_multi":
        return multi(LuceneHarness.asMap(o.get("match")));
      default:
        throw new IllegalArgumentException("unsupported span query [" + kind + "]");
    }
  }

  /** SpanMultiTermQueryBuilder.doToQuery for prefix, wildcard, regexp and fuzzy on a text field. */
  static SpanQuery multi(Map<String, Object> dsl) {
    Map.Entry<String, Object> k = dsl.entrySet().iterator().next();
    Map.Entry<String, Object> f = LuceneHarness.asMap(k.getValue()).entrySet().iterator().next();
    Map<String, Object> o = LuceneHarness.asMap(f.getValue());
    String field = f.getKey();
    String value = o.containsKey("value") ? LuceneHarness.str(o.get("value")) : null;
    String rewrite = o.containsKey("rewrite") ? LuceneHarness.str(o.get("rewrite")) : null;
    MultiTermQuery mtq;
    switch (k.getKey()) {
      case "prefix": mtq = new PrefixQuery(new Term(field, value)); break;
      case "wildcard": mtq = new WildcardQuery(new Term(field, value)); break;
      case "regexp": mtq = new RegexpQuery(new Term(field, value)); break;
      case "range":
        mtq = org.apache.lucene.search.TermRangeQuery.newStringRange(field, o.containsKey("gte") ? LuceneHarness.str(o.get("gte")) : null, o.containsKey("lt") ? LuceneHarness.str(o.get("lt")) : null, true, false);
        break;
      case "fuzzy": {
        int edits = LuceneHarness.EsQueries.asDistance(o.containsKey("fuzziness") ? LuceneHarness.str(o.get("fuzziness")) : "AUTO", value);
        int maxExpansions = o.containsKey("max_expansions") ? LuceneHarness.num(o.get("max_expansions")).intValue() : 50;
        // FuzzyQuery's TopTermsRewrite: the wrapper keeps TopTermsSpanBooleanQueryRewrite(max_expansions)
        return new SpanMultiTermQueryWrapper<>(new FuzzyQuery(new Term(field, value), edits, 0, maxExpansions, true));
      }
      default: throw new IllegalArgumentException("unsupported span_multi query [" + k.getKey() + "]");
    }
    SpanMultiTermQueryWrapper<MultiTermQuery> w = new SpanMultiTermQueryWrapper<>(mtq);
    java.util.regex.Matcher m = rewrite == null ? null : java.util.regex.Pattern.compile("^top_terms_(\\d+)$").matcher(rewrite);
    if (m != null && m.matches()) w.setRewriteMethod(new SpanMultiTermQueryWrapper.TopTermsSpanBooleanQueryRewrite(Integer.parseInt(m.group(1))));
    else w.setRewriteMethod(MAX_CLAUSE);
    return w;
  }

  /** Elasticsearch's SpanMatchNoDocsQuery: a field, no match. */
  static final class SpanNone extends SpanQuery {
    final String field;

    SpanNone(String field) {
      this.field = field;
    }

    @Override
    public String getField() {
      return field;
    }

    @Override
    public String toString(String f) {
      return "SpanMatchNoDocsQuery";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SpanNone && ((SpanNone) o).field.equals(field);
    }

    @Override
    public int hashCode() {
      return field.hashCode();
    }

    @Override
    public void visit(org.apache.lucene.search.QueryVisitor visitor) {}

    @Override
    public org.apache.lucene.search.spans.SpanWeight createWeight(org.apache.lucene.search.IndexSearcher searcher, org.apache.lucene.search.ScoreMode scoreMode, float boost) throws IOException {
      return new org.apache.lucene.search.spans.SpanWeight(this, searcher, null, boost) {
        @Override
        public void extractTermStates(Map<Term, org.apache.lucene.index.TermStates> contexts) {}

        @Override
        public org.apache.lucene.search.spans.Spans getSpans(LeafReaderContext ctx, Postings requiredPostings) {
          return null;
        }

        @Override
        public void extractTerms(java.util.Set<Term> terms) {}

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
          return true;
        }
      };
    }
  }

  /** Elasticsearch's SpanBooleanQueryRewriteWithMaxClause (4,096 terms, then an error). */
  static final SpanMultiTermQueryWrapper.SpanRewriteMethod MAX_CLAUSE = new SpanMultiTermQueryWrapper.SpanRewriteMethod() {
    @Override
    public SpanQuery rewrite(IndexReader reader, MultiTermQuery query) throws IOException {
      MultiTermQuery.RewriteMethod delegate = new MultiTermQuery.RewriteMethod() {
        @Override
        public Query rewrite(IndexReader reader, MultiTermQuery query) throws IOException {
          TreeSet<BytesRef> terms = new TreeSet<>();
          for (LeafReaderContext context : reader.leaves()) {
            Terms t = context.reader().terms(query.getField());
            if (t == null) continue;
            TermsEnum te = getTermsEnum(query, t, new AttributeSource());
            BytesRef bytes;
            while ((bytes = te.next()) != null) {
              if (terms.size() >= 4096 && !terms.contains(bytes)) throw new RuntimeException("exceeds maxClauseCount");
              terms.add(BytesRef.deepCopyOf(bytes));
            }
          }
          List<SpanQuery> qs = new ArrayList<>();
          for (BytesRef b : terms) qs.add(new SpanTermQuery(new Term(query.getField(), b)));
          if (qs.isEmpty()) return new SpanNone(query.getField());
          return qs.size() == 1 ? qs.get(0) : new SpanOrQuery(qs.toArray(new SpanQuery[0]));
        }
      };
      return (SpanQuery) delegate.rewrite(reader, query);
    }
  };
}
