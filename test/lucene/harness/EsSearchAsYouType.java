import java.io.IOException;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.shingle.FixedShingleFilter;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The analysis of Elasticsearch's search_as_you_type subfields (SearchAsYouTypeFieldMapper's
 * analyzer wrapper): a base analyzer, then FixedShingleFilter(size, " ", "") for `._<n>gram`;
 * for `._index_prefix` first an end position increment of size - 1 (so the last tokens start
 * padded shingles), then the shingles, then EdgeNGramTokenFilter(1, 20, preserveOriginal).
 */
final class EsSearchAsYouType {
  private EsSearchAsYouType() {}

  /** Elasticsearch's default max_shingle_size, what a `+sayt` corpus field is mapped with. */
  static final int MAX_SHINGLE_SIZE = 3;

  /** {"op":"sayt","analyzer":"standard"|"english","size":2..4,"prefix":bool,"text":"..."} */
  static String analyze(Map<String, Object> req) throws Exception {
    Analyzer base = LuceneHarness.analyzerNamed(String.valueOf(req.get("analyzer")));
    int size = ((Number) req.get("size")).intValue();
    boolean prefix = Boolean.TRUE.equals(req.get("prefix"));
    return LuceneHarness.analyze(wrap(base, size, prefix), String.valueOf(req.get("text")), true);
  }

  /** The subfields' analyzers of a corpus field `name` (`._2gram`, `._3gram`, `._index_prefix`). */
  static void addAnalyzers(Map<String, Analyzer> perField, String name, Analyzer base) {
    for (int size = 2; size <= MAX_SHINGLE_SIZE; size++) perField.put(name + "._" + size + "gram", wrap(base, size, false));
    perField.put(name + "._index_prefix", wrap(base, MAX_SHINGLE_SIZE, true));
  }

  private static final org.apache.lucene.document.FieldType PREFIX_TYPE = new org.apache.lucene.document.FieldType(org.apache.lucene.document.TextField.TYPE_NOT_STORED);
  static {
    // PrefixFieldMapper: the root's index options, no norms
    PREFIX_TYPE.setOmitNorms(true);
    PREFIX_TYPE.freeze();
  }

  /** The value into every subfield, as SearchAsYouTypeFieldMapper.parseCreateField adds them. */
  static void addFields(org.apache.lucene.document.Document doc, String name, String value) {
    for (int size = 2; size <= MAX_SHINGLE_SIZE; size++) doc.add(new org.apache.lucene.document.TextField(name + "._" + size + "gram", value, org.apache.lucene.document.Field.Store.NO));
    doc.add(new org.apache.lucene.document.Field(name + "._index_prefix", value, PREFIX_TYPE));
  }

  static Analyzer wrap(Analyzer base, int size, boolean prefix) {
    return new AnalyzerWrapper(base.getReuseStrategy()) {
      @Override
      protected Analyzer getWrappedAnalyzer(String fieldName) {
        return base;
      }

      @Override
      protected TokenStreamComponents wrapComponents(String fieldName, TokenStreamComponents components) {
        TokenStream ts = components.getTokenStream();
        if (prefix) ts = new EndIncrement(ts, size - 1);
        ts = new FixedShingleFilter(ts, size, " ", "");
        if (prefix) ts = new EdgeNGramTokenFilter(ts, 1, 20, true);
        return new TokenStreamComponents(components.getSource(), ts);
      }
    };
  }

  /** Sets the end position increment (what trails the last token) to a fixed count. */
  static final class EndIncrement extends TokenFilter {
    private final int increments;
    private final PositionIncrementAttribute inc = addAttribute(PositionIncrementAttribute.class);

    EndIncrement(TokenStream input, int increments) {
      super(input);
      this.increments = increments;
    }

    @Override
    public boolean incrementToken() throws IOException {
      return input.incrementToken();
    }

    @Override
    public void end() throws IOException {
      super.end();
      inc.setPositionIncrement(increments);
    }
  }
}
