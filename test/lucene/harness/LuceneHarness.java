import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.search.similarity.LegacyBM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * Real Lucene (8.7, Debian's liblucene8-java) as the judge of the embedded engine. Reads one JSON
 * request per line on stdin and answers one JSON line on stdout:
 *
 *   {"op":"analyze","analyzer":"standard"|"english","text":"..."}  -> {"tokens":[[term,start,end,position,type],...]}
 *   {"op":"sayt","analyzer":"standard"|"english","size":3,"prefix":true,"text":"..."} -> the same, through search_as_you_type's subfield analysis
 *   {"op":"corpus","id":"c1","fields":{"title":"standard","body":"english","tag":"keyword"},"docs":[{"_id":"d0",...}]}
 *                                                                   -> {"ok":true,"maxDoc":n}
 *   {"op":"search","corpus":"c1","query":{...Elasticsearch DSL...}} -> {"total":n,"hits":[[id,score],...]} (every hit)
 *   {"op":"explain","corpus":"c1","query":{...},"id":"d3"}         -> {"value":v,"match":b,"description":"...","details":[...]}
 *
 * Documents are indexed as Elasticsearch 8 indexes them with one shard (text: freqs, positions and
 * norms; keyword: docs only, no norms) into one segment, in the order given, and searched with
 * LegacyBM25Similarity, Elasticsearch's default similarity. Queries are built as Elasticsearch's
 * query builders build them (MatchQueryParser, MultiMatchQueryParser, BoolQueryBuilder,
 * FuzzyQueryBuilder and the multi-term queries with Lucene's default rewrite).
 */
public final class LuceneHarness {
  /** Elasticsearch's `standard` analyzer: no stop words, max token length 255. */
  static final Analyzer STANDARD = new StandardAnalyzer(CharArraySet.EMPTY_SET);
  /** Elasticsearch's `english` analyzer: Lucene's EnglishAnalyzer with its default stop words. */
  static final Analyzer ENGLISH = new EnglishAnalyzer();
  static final Analyzer KEYWORD = new KeywordAnalyzer();

  static final FieldType KEYWORD_TYPE = new FieldType();
  static {
    KEYWORD_TYPE.setTokenized(false);
    KEYWORD_TYPE.setOmitNorms(true);
    KEYWORD_TYPE.setIndexOptions(IndexOptions.DOCS);
    KEYWORD_TYPE.freeze();
  }

  static final class Corpus {
    final Map<String, String> fields;
    final IndexSearcher searcher;
    final String[] ids;

    Corpus(Map<String, String> fields, IndexSearcher searcher, String[] ids) {
      this.fields = fields;
      this.searcher = searcher;
      this.ids = ids;
    }

    Analyzer analyzer(String field) {
      String kind = fields.get(field);
      if (kind == null) throw new IllegalArgumentException("unknown field [" + field + "]");
      return analyzerNamed(kind);
    }

    /** A text field mapped with `index_phrases: true` (kind `standard+phrases`). */
    boolean indexPhrases(String field) {
      String kind = fields.get(field);
      return kind != null && kind.endsWith("+phrases");
    }

    boolean isText(String field) {
      return !"keyword".equals(fields.get(field));
    }
  }

  static Analyzer analyzerNamed(String name) {
    if (name.endsWith("+phrases")) return analyzerNamed(name.substring(0, name.length() - "+phrases".length()));
    if (name.endsWith("+sayt")) return analyzerNamed(name.substring(0, name.length() - "+sayt".length()));
    if (name.startsWith("chain:")) return chainAnalyzer(asMap(Json.parse(name.substring("chain:".length()))));
    switch (name) {
      case "standard": return STANDARD;
      case "english": return ENGLISH;
      case "keyword":
      case "rank_feature": // FeatureField and doc values: no analysis
      case "long":
        return KEYWORD;
      default:
        if (name.startsWith("org.apache.lucene.")) {
          try {
            return (Analyzer) Class.forName(name).getDeclaredConstructor().newInstance();
          } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create analyzer [" + name + "]: " + e);
          }
        }
        throw new IllegalArgumentException("unknown analyzer [" + name + "]");
    }
  }

  private final Map<String, Corpus> corpora = new HashMap<>();

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    LuceneHarness h = new LuceneHarness();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      String answer;
      try {
        answer = h.handle(asMap(Json.parse(line)));
      } catch (Exception e) {
        answer = "{\"error\":" + Json.quote(e.getClass().getSimpleName() + ": " + e.getMessage()) + "}";
      }
      out.println(answer);
      out.flush();
    }
  }

  String handle(Map<String, Object> req) throws Exception {
    String op = str(req.get("op"));
    switch (op) {
      case "analyze": return analyze(analyzerNamed(str(req.get("analyzer"))), str(req.get("text")), Boolean.TRUE.equals(req.get("withLength")));
      case "chain": return chain(req);
      case "sayt": return EsSearchAsYouType.analyze(req);
      case "corpus": return corpus(req);
      case "search": return search(req);
      case "explain": return explain(req);
      case "percolate": return percolate(req);
      case "hunspell": return EsHunspell.analyze(req);
      case "geoShape": return EsGeoShape.search(req);
      default: throw new IllegalArgumentException("unknown op [" + op + "]");
    }
  }

  /** Tokens as [term,start,end,position,type], with the position length appended when withLength. */
  static String analyze(Analyzer analyzer, String text, boolean withLength) throws Exception {
    StringBuilder b = new StringBuilder("{\"tokens\":[");
    try (TokenStream ts = analyzer.tokenStream("f", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute length =
          ts.addAttribute(org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute.class);
      ts.reset();
      int position = -1;
      boolean first = true;
      while (ts.incrementToken()) {
        position += inc.getPositionIncrement();
        if (!first) b.append(',');
        first = false;
        b.append('[').append(Json.quote(term.toString())).append(',').append(offset.startOffset()).append(',')
            .append(offset.endOffset()).append(',').append(position).append(',').append(Json.quote(type.type()));
        if (withLength) b.append(',').append(length.getPositionLength());
        b.append(']');
      }
      ts.end();
    }
    return b.append("]}").toString();
  }

  /** A CustomAnalyzer from Lucene factory names and parameters (a tokenizer, then filters). */
  static String chain(Map<String, Object> req) throws Exception {
    Map<String, Object> tok = asMap(req.get("tokenizer"));
    // word files the factories read (`words`, `dictionary`...): written to a temp folder they resolve against
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("harness-files");
    if (req.get("files") != null) {
      for (Map.Entry<String, Object> e : asMap(req.get("files")).entrySet()) {
        java.nio.file.Files.writeString(dir.resolve(e.getKey()), str(e.getValue()), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    org.apache.lucene.analysis.custom.CustomAnalyzer.Builder builder =
        org.apache.lucene.analysis.custom.CustomAnalyzer.builder(dir).withTokenizer(str(tok.get("name")), params(tok));
    for (Object f : asList(req.get("filters"))) builder.addTokenFilter(str(asMap(f).get("name")), params(asMap(f)));
    try (Analyzer analyzer = builder.build()) {
      return analyze(analyzer, str(req.get("text")), true);
    } finally {
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) java.nio.file.Files.delete(f);
      }
      java.nio.file.Files.delete(dir);
    }
  }

  /** `chain:{"tokenizer":{...},"filters":[...]}`: a corpus field analyzed by a CustomAnalyzer of factory names (no files). */
  static Analyzer chainAnalyzer(Map<String, Object> spec) {
    try {
      Map<String, Object> tok = asMap(spec.get("tokenizer"));
      org.apache.lucene.analysis.custom.CustomAnalyzer.Builder builder =
          org.apache.lucene.analysis.custom.CustomAnalyzer.builder().withTokenizer(str(tok.get("name")), params(tok));
      for (Object f : asList(spec.get("filters"))) builder.addTokenFilter(str(asMap(f).get("name")), params(asMap(f)));
      return builder.build();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot build analyzer " + spec + ": " + e);
    }
  }

  static Map<String, String> params(Map<String, Object> component) {
    Map<String, String> out = new HashMap<>();
    Object p = component.get("params");
    if (p != null) for (Map.Entry<String, Object> e : asMap(p).entrySet()) out.put(e.getKey(), str(e.getValue()));
    return out;
  }

  String corpus(Map<String, Object> req) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : asMap(req.get("fields")).entrySet()) fields.put(e.getKey(), str(e.getValue()));
    Map<String, Analyzer> perField = new HashMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      perField.put(e.getKey(), analyzerNamed(e.getValue()));
      if (e.getValue().endsWith("+phrases")) perField.put(e.getKey() + "._index_phrase", phraseAnalyzer(analyzerNamed(e.getValue())));
      if (e.getValue().endsWith("+sayt")) EsSearchAsYouType.addAnalyzers(perField, e.getKey(), analyzerNamed(e.getValue()));
    }
    IndexWriterConfig config = new IndexWriterConfig(new PerFieldAnalyzerWrapper(STANDARD, perField));
    // `similarity`: an index.similarity group every field is scored with (Elasticsearch's `default`)
    org.apache.lucene.search.similarities.Similarity similarity = EsSimilarity.build(req.get("similarity") == null ? null : asMap(req.get("similarity")));
    config.setSimilarity(similarity);
    // one segment, documents in the order given: doc ids break score ties as the engine's do
    config.setMergePolicy(NoMergePolicy.INSTANCE);
    config.setRAMBufferSizeMB(256);
    config.setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    List<Object> docs = asList(req.get("docs"));
    String[] ids = new String[docs.size()];
    try (IndexWriter w = new IndexWriter(dir, config)) {
      int n = 0;
      for (Object o : docs) {
        Map<String, Object> src = asMap(o);
        Document doc = new Document();
        String id = str(src.get("_id"));
        ids[n++] = id;
        doc.add(new StoredField("_id", id));
        for (Map.Entry<String, String> f : fields.entrySet()) {
          Object v = src.get(f.getKey());
          List<Object> values = v instanceof List ? asList(v) : v == null ? List.of() : List.of(v);
          for (Object value : values) {
            if ("keyword".equals(f.getValue())) doc.add(new Field(f.getKey(), str(value), KEYWORD_TYPE));
            else if ("rank_feature".equals(f.getValue())) doc.add(new org.apache.lucene.document.FeatureField("_feature", f.getKey(), num(value).floatValue()));
            else if ("long".equals(f.getValue())) doc.add(new org.apache.lucene.document.NumericDocValuesField(f.getKey(), num(value).longValue()));
            else doc.add(new TextField(f.getKey(), str(value), Field.Store.NO));
            // TextFieldMapper with index_phrases: the same value through PhraseWrappedAnalyzer into the hidden field
            if (f.getValue().endsWith("+phrases")) doc.add(new TextField(f.getKey() + "._index_phrase", str(value), Field.Store.NO));
            // SearchAsYouTypeFieldMapper: the same value into its shingle and prefix subfields
            if (f.getValue().endsWith("+sayt")) EsSearchAsYouType.addFields(doc, f.getKey(), str(value));
          }
        }
        w.addDocument(doc);
      }
      w.commit();
    }
    DirectoryReader reader = DirectoryReader.open(dir);
    if (reader.leaves().size() > 1) throw new IllegalStateException("expected one segment, got " + reader.leaves().size());
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setSimilarity(similarity);
    searcher.setQueryCache(null);
    corpora.put(str(req.get("id")), new Corpus(fields, searcher, ids));
    return "{\"ok\":true,\"maxDoc\":" + reader.maxDoc() + "}";
  }

  /** Elasticsearch's PhraseWrappedAnalyzer: the field's analyzer, then FixedShingleFilter(2). */
  static Analyzer phraseAnalyzer(Analyzer base) {
    return new org.apache.lucene.analysis.AnalyzerWrapper(base.getReuseStrategy()) {
      @Override
      protected Analyzer getWrappedAnalyzer(String fieldName) {
        return base;
      }

      @Override
      protected TokenStreamComponents wrapComponents(String fieldName, TokenStreamComponents components) {
        return new TokenStreamComponents(components.getSource(), new org.apache.lucene.analysis.shingle.FixedShingleFilter(components.getTokenStream(), 2));
      }
    };
  }

  String search(Map<String, Object> req) throws Exception {
    Corpus c = corpora.get(str(req.get("corpus")));
    if (c == null) throw new IllegalArgumentException("unknown corpus [" + req.get("corpus") + "]");
    Query q = new EsQueries(c).build(asMap(req.get("query")));
    int maxDoc = Math.max(1, c.searcher.getIndexReader().maxDoc());
    TopScoreDocCollector collector = TopScoreDocCollector.create(maxDoc, Integer.MAX_VALUE);
    c.searcher.search(q, collector);
    TopDocs top = collector.topDocs();
    StringBuilder b = new StringBuilder("{\"total\":").append(top.totalHits.value).append(",\"hits\":[");
    for (int k = 0; k < top.scoreDocs.length; k++) {
      ScoreDoc sd = top.scoreDocs[k];
      if (k > 0) b.append(',');
      b.append('[').append(Json.quote(c.ids[sd.doc])).append(',').append(Float.toString(sd.score)).append(']');
    }
    return b.append("]}").toString();
  }

  /**
   * A query against one document in a MemoryIndex, as Elasticsearch's PercolateQuery scores a stored
   * query: the index's own BM25Similarity (no LegacyBM25Similarity there), text fields analyzed,
   * keyword fields indexed as Elasticsearch indexes them (no norms, docs only); the top score.
   */
  String percolate(Map<String, Object> req) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : asMap(req.get("fields")).entrySet()) fields.put(e.getKey(), str(e.getValue()));
    org.apache.lucene.index.memory.MemoryIndex mi = new org.apache.lucene.index.memory.MemoryIndex(true, false);
    Map<String, Object> doc = asMap(req.get("doc"));
    for (Map.Entry<String, String> f : fields.entrySet()) {
      Object v = doc.get(f.getKey());
      List<Object> values = v instanceof List ? asList(v) : v == null ? List.of() : List.of(v);
      for (Object value : values) {
        if ("keyword".equals(f.getValue())) mi.addField(new Field(f.getKey(), str(value), KEYWORD_TYPE), KEYWORD);
        else mi.addField(f.getKey(), str(value), analyzerNamed(f.getValue()));
      }
    }
    IndexSearcher searcher = mi.createSearcher();
    Query q = new EsQueries(new Corpus(fields, searcher, new String[] { "0" })).build(asMap(req.get("query")));
    TopDocs top = searcher.search(q, 1);
    StringBuilder b = new StringBuilder("{\"total\":").append(top.totalHits.value).append(",\"hits\":[");
    if (top.scoreDocs.length > 0) b.append("[\"0\",").append(Float.toString(top.scoreDocs[0].score)).append(']');
    return b.append("]}").toString();
  }

  String explain(Map<String, Object> req) throws Exception {
    Corpus c = corpora.get(str(req.get("corpus")));
    if (c == null) throw new IllegalArgumentException("unknown corpus [" + req.get("corpus") + "]");
    String id = str(req.get("id"));
    int doc = java.util.Arrays.asList(c.ids).indexOf(id);
    if (doc < 0) throw new IllegalArgumentException("unknown doc [" + id + "]");
    Query q = new EsQueries(c).build(asMap(req.get("query")));
    return explanationJson(c.searcher.explain(q, doc));
  }

  static String explanationJson(org.apache.lucene.search.Explanation e) {
    StringBuilder b = new StringBuilder("{\"value\":").append(Float.toString(e.getValue().floatValue()))
        .append(",\"match\":").append(e.isMatch()).append(",\"description\":").append(Json.quote(e.getDescription())).append(",\"details\":[");
    org.apache.lucene.search.Explanation[] details = e.getDetails();
    for (int k = 0; k < details.length; k++) {
      if (k > 0) b.append(',');
      b.append(explanationJson(details[k]));
    }
    return b.append("]}").toString();
  }

  /** Elasticsearch 8's query builders for the DSL subset the differential test generates. */
  static final class EsQueries {
    final Corpus c;

    EsQueries(Corpus c) {
      this.c = c;
    }

    Query build(Map<String, Object> dsl) {
      if (dsl.size() != 1) throw new IllegalArgumentException("one query kind per object: " + dsl.keySet());
      Map.Entry<String, Object> e = dsl.entrySet().iterator().next();
      Map<String, Object> body = asMap(e.getValue());
      switch (e.getKey()) {
        case "term": return term(body);
        case "match": return match(body);
        case "match_phrase": return matchPhrase(body);
        case "multi_match": return multiMatch(body);
        case "bool": return bool(body);
        case "prefix": return multiTerm(body, (f, v) -> new PrefixQuery(new Term(f, v)));
        case "wildcard": return multiTerm(body, (f, v) -> new WildcardQuery(new Term(f, v)));
        case "regexp": return multiTerm(body, (f, v) -> new RegexpQuery(new Term(f, v)));
        case "fuzzy": return fuzzy(body);
        case "match_all": return boosted(new MatchAllDocsQuery(), body);
        case "dis_max": return disMax(body);
        case "constant_score": return boosted(new ConstantScoreQuery(build(asMap(body.get("filter")))), body);
        case "more_like_this": return moreLikeThis(body);
        case "rank_feature": return EsFeatures.rankFeature(body);
        case "terms_set": return EsFeatures.termsSet(body);
        case "span_term":
        case "span_near":
        case "span_or":
        case "span_not":
        case "span_first":
        case "span_containing":
        case "span_within":
        case "span_multi":
        case "field_masking_span":
          return EsSpans.query(e.getKey(), body);
        case "intervals":
          try {
            return EsIntervals.query(body, c::analyzer);
          } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
          }
        default: throw new IllegalArgumentException("unsupported query [" + e.getKey() + "]");
      }
    }

    /**
     * more_like_this with like texts (or artificial documents) on one field, through Lucene's own MoreLikeThis (ClassicSimilarity
     * idf, its FreqQ and HashMap order) with Elasticsearch's defaults, the query's minimum_should_match
     * (30%) applied to the selected terms' bool, as MoreLikeThisQuery.createQuery wraps it.
     */
    Query moreLikeThis(Map<String, Object> body) {
      String field = str(asList(body.get("fields")).get(0));
      org.apache.lucene.queries.mlt.MoreLikeThis mlt = new org.apache.lucene.queries.mlt.MoreLikeThis(c.searcher.getIndexReader());
      mlt.setFieldNames(new String[] { field });
      mlt.setAnalyzer(c.analyzer(field));
      mlt.setMinTermFreq(body.containsKey("min_term_freq") ? num(body.get("min_term_freq")).intValue() : 2);
      mlt.setMinDocFreq(body.containsKey("min_doc_freq") ? num(body.get("min_doc_freq")).intValue() : 5);
      mlt.setMaxDocFreq(body.containsKey("max_doc_freq") ? num(body.get("max_doc_freq")).intValue() : Integer.MAX_VALUE);
      mlt.setMaxQueryTerms(body.containsKey("max_query_terms") ? num(body.get("max_query_terms")).intValue() : 25);
      mlt.setMinWordLen(body.containsKey("min_word_length") ? num(body.get("min_word_length")).intValue() : 0);
      mlt.setMaxWordLen(body.containsKey("max_word_length") ? num(body.get("max_word_length")).intValue() : 0);
      if (body.containsKey("stop_words")) {
        java.util.Set<String> stop = new java.util.HashSet<>();
        for (Object w : asList(body.get("stop_words"))) stop.add(str(w));
        mlt.setStopWords(stop);
      }
      float boostTerms = body.containsKey("boost_terms") ? num(body.get("boost_terms")).floatValue() : 0f;
      if (boostTerms != 0f) {
        mlt.setBoost(true);
        mlt.setBoostFactor(boostTerms);
      }
      List<Object> likes = body.get("like") instanceof List ? asList(body.get("like")) : List.of(body.get("like"));
      // artificial documents ({doc: {...}}) through like(Map), texts through like(field, readers)
      Map<String, java.util.Collection<Object>> docFields = new HashMap<>();
      List<java.io.Reader> readers = new ArrayList<>();
      for (Object like : likes) {
        if (like instanceof Map) {
          // XMoreLikeThis reads a document through its term vectors (terms in sorted order, each
          // with its frequency): Lucene is given the value as that term vector, written out
          for (Map.Entry<String, Object> e : asMap(asMap(like).get("doc")).entrySet()) docFields.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(asTermVector(c.analyzer(e.getKey()), str(e.getValue())));
        } else readers.add(new java.io.StringReader(str(like)));
      }
      if (!docFields.isEmpty() && !readers.isEmpty()) throw new IllegalArgumentException("like texts and documents together");
      try {
        Query like = docFields.isEmpty() ? mlt.like(field, readers.toArray(new java.io.Reader[0])) : mlt.like(docFields);
        Query q = applyMsm(like, body.containsKey("minimum_should_match") ? body.get("minimum_should_match") : "30%");
        BooleanQuery.Builder outer = new BooleanQuery.Builder();
        outer.add(q, BooleanClause.Occur.SHOULD);
        return boosted(outer.build(), body);
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
    }

    /** The analyzed terms of `text` in sorted order, each repeated by its frequency (what a term vector enumerates). */
    static String asTermVector(Analyzer analyzer, String text) {
      java.util.TreeMap<String, Integer> freqs = new java.util.TreeMap<>();
      try (TokenStream ts = analyzer.tokenStream("f", text)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) freqs.merge(term.toString(), 1, Integer::sum);
        ts.end();
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Integer> e : freqs.entrySet()) for (int i = 0; i < e.getValue(); i++) b.append(e.getKey()).append(' ');
      return b.toString();
    }

    /** AbstractQueryBuilder.toQuery: a boost other than 1 wraps the query, except match_none. */
    static Query boosted(Query q, Map<String, Object> body) {
      float boost = body.containsKey("boost") ? num(body.get("boost")).floatValue() : 1f;
      if (boost != 1f && !(q instanceof MatchNoDocsQuery)) return new BoostQuery(q, boost);
      return q;
    }

    /** The single `{ field: { ... } }` entry of a field query, the short form as `{ value }`/`{ query }`. */
    static Map.Entry<String, Map<String, Object>> fieldBody(Map<String, Object> body, String shortKey) {
      Map.Entry<String, Object> e = body.entrySet().iterator().next();
      Map<String, Object> inner;
      if (e.getValue() instanceof Map) inner = asMap(e.getValue());
      else {
        inner = new LinkedHashMap<>();
        inner.put(shortKey, e.getValue());
      }
      return Map.entry(e.getKey(), inner);
    }

    Query term(Map<String, Object> body) {
      Map.Entry<String, Map<String, Object>> e = fieldBody(body, "value");
      return boosted(new TermQuery(new Term(e.getKey(), str(e.getValue().get("value")))), e.getValue());
    }

    /** MatchQueryParser: Lucene's QueryBuilder over the field's search analyzer, null -> match_none. */
    Query match(Map<String, Object> body) {
      Map.Entry<String, Map<String, Object>> e = fieldBody(body, "query");
      Map<String, Object> o = e.getValue();
      Query q = matchField(e.getKey(), str(o.get("query")), str(o.getOrDefault("operator", "or")), o);
      q = applyMsm(q, o.get("minimum_should_match"));
      return boosted(q, o);
    }

    /** DisMaxQueryBuilder: no queries is match_none; tie_breaker 0 unless given. */
    Query disMax(Map<String, Object> o) {
      List<Query> subs = new ArrayList<>();
      for (Object q : asList(o.get("queries"))) subs.add(build(asMap(q)));
      if (subs.isEmpty()) return new MatchNoDocsQuery("no clauses");
      float tie = o.containsKey("tie_breaker") ? num(o.get("tie_breaker")).floatValue() : 0f;
      return boosted(new DisjunctionMaxQuery(subs, tie), o);
    }

    /** MatchQueryParser with `fuzziness`: each analysed term becomes a FuzzyQuery (prefix_length, max_expansions, transpositions). */
    static QueryBuilder fuzzyBuilder(Analyzer analyzer, Map<String, Object> o) {
      return new QueryBuilder(analyzer) {
        @Override
        protected Query newTermQuery(Term term, float boost) {
          int edits = asDistance(fuzziness(o), term.text());
          int prefixLength = o.containsKey("prefix_length") ? num(o.get("prefix_length")).intValue() : 0;
          int maxExpansions = o.containsKey("max_expansions") ? num(o.get("max_expansions")).intValue() : 50;
          boolean transpositions = !o.containsKey("fuzzy_transpositions") || Boolean.TRUE.equals(o.get("fuzzy_transpositions"));
          Query q = new FuzzyQuery(term, edits, prefixLength, maxExpansions, transpositions);
          return boost == 1f ? q : new BoostQuery(q, boost);
        }
      };
    }

    static String fuzziness(Map<String, Object> o) {
      Object f = o.get("fuzziness");
      return f instanceof Double ? Integer.toString(((Double) f).intValue()) : str(f);
    }

    Query matchField(String field, String text, String operator, Map<String, Object> o) {
      if (!c.isText(field)) return new TermQuery(new Term(field, text));
      QueryBuilder qb = o.containsKey("fuzziness") ? fuzzyBuilder(c.analyzer(field), o) : new QueryBuilder(c.analyzer(field));
      BooleanClause.Occur occur = "and".equalsIgnoreCase(operator) ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD;
      Query q = qb.createBooleanQuery(field, text, occur);
      return q == null ? new MatchNoDocsQuery("zero terms") : q;
    }

    Query matchPhrase(Map<String, Object> body) {
      Map.Entry<String, Map<String, Object>> e = fieldBody(body, "query");
      Map<String, Object> o = e.getValue();
      int slop = o.containsKey("slop") ? num(o.get("slop")).intValue() : 0;
      Query q;
      if (!c.isText(e.getKey())) q = new TermQuery(new Term(e.getKey(), str(o.get("query"))));
      else if (slop == 0 && c.indexPhrases(e.getKey()) && (q = indexedPhrase(e.getKey(), str(o.get("query")))) != null) {
        // TextFieldType.phraseQuery on the hidden shingle field
      } else {
        q = new QueryBuilder(c.analyzer(e.getKey())).createPhraseQuery(e.getKey(), str(o.get("query")), slop);
        if (q == null) q = new MatchNoDocsQuery("zero terms");
      }
      return boosted(q, o);
    }

    /**
     * TextFieldType.phraseQuery with index_phrases: two or more tokens without a hole (and no stacked
     * token) become a PhraseQuery of FixedShingleFilter(2) shingles on `<field>._index_phrase`;
     * null otherwise (the phrase stays on the field).
     */
    Query indexedPhrase(String field, String text) {
      try {
        Analyzer a = c.analyzer(field);
        int tokens = 0;
        try (TokenStream ts = a.tokenStream(field, text)) {
          PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
          ts.reset();
          while (ts.incrementToken()) {
            if (inc.getPositionIncrement() != 1) return null;
            tokens++;
          }
          ts.end();
        }
        if (tokens < 2) return null;
        PhraseQuery.Builder b = new PhraseQuery.Builder();
        try (TokenStream ts = new org.apache.lucene.analysis.shingle.FixedShingleFilter(a.tokenStream(field, text), 2)) {
          CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
          PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
          ts.reset();
          int position = -1;
          while (ts.incrementToken()) {
            position += inc.getPositionIncrement();
            b.add(new Term(field + "._index_phrase", term.toString()), position);
          }
          ts.end();
        }
        return b.build();
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
    }

    /** MultiMatchQueryParser for best_fields and most_fields: per-field match queries in a dis_max. */
    Query multiMatch(Map<String, Object> o) {
      String type = str(o.getOrDefault("type", "best_fields"));
      float tie = o.containsKey("tie_breaker") ? num(o.get("tie_breaker")).floatValue() : "most_fields".equals(type) ? 1f : 0f;
      List<Query> subs = new ArrayList<>();
      for (Object f : asList(o.get("fields"))) {
        String spec = str(f);
        int caret = spec.lastIndexOf('^');
        String field = caret > 0 ? spec.substring(0, caret) : spec;
        float boost = caret > 0 ? Float.parseFloat(spec.substring(caret + 1)) : 1f;
        Query q = matchField(field, str(o.get("query")), str(o.getOrDefault("operator", "or")), Map.of());
        q = applyMsm(q, o.get("minimum_should_match"));
        if (boost != 1f && !(q instanceof MatchNoDocsQuery)) q = new BoostQuery(q, boost);
        subs.add(q);
      }
      Query q = subs.size() == 1 ? subs.get(0) : new DisjunctionMaxQuery(subs, tie);
      return boosted(q, o);
    }

    /** Queries.maybeApplyMinimumShouldMatch: only a BooleanQuery takes it. */
    static Query applyMsm(Query q, Object msm) {
      if (msm == null || !(q instanceof BooleanQuery)) return q;
      return applyMsm((BooleanQuery) q, msm);
    }

    /** Queries.applyMinimumShouldMatch: the minimum counted over the SHOULD clauses (possibly none). */
    static BooleanQuery applyMsm(BooleanQuery bq, Object msm) {
      if (msm == null) return bq;
      int optional = 0;
      for (BooleanClause clause : bq.clauses()) if (clause.getOccur() == BooleanClause.Occur.SHOULD) optional++;
      int n = calculateMinShouldMatch(optional, msm instanceof Double ? Integer.toString(((Double) msm).intValue()) : str(msm));
      if (n <= 0) return bq;
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (BooleanClause clause : bq.clauses()) b.add(clause);
      b.setMinimumNumberShouldMatch(n);
      return b.build();
    }

    /** Queries.calculateMinShouldMatch of Elasticsearch. */
    static int calculateMinShouldMatch(int optionalClauseCount, String spec) {
      int result = optionalClauseCount;
      spec = spec.trim();
      if (spec.contains("<")) {
        spec = spec.replaceAll("(\\s+<\\s*)|(\\s*<\\s+)", "<");
        for (String s : spec.split(" ")) {
          String[] parts = s.split("<", 0);
          int upperBound = Integer.parseInt(parts[0]);
          if (optionalClauseCount <= upperBound) return result;
          result = calculateMinShouldMatch(optionalClauseCount, parts[1]);
        }
        return result;
      }
      if (spec.indexOf('%') > -1) {
        int percent = Integer.parseInt(spec.substring(0, spec.length() - 1));
        float calc = (result * percent) * (1 / 100f);
        result = calc < 0 ? result + (int) calc : (int) calc;
      } else {
        int calc = Integer.parseInt(spec);
        result = calc < 0 ? result + calc : calc;
      }
      return Math.max(result, 0);
    }

    /** BoolQueryBuilder.doToQuery: clauses, minimum_should_match, then a match_all filter for a pure negative query. */
    Query bool(Map<String, Object> o) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      addClauses(b, o.get("must"), BooleanClause.Occur.MUST);
      addClauses(b, o.get("must_not"), BooleanClause.Occur.MUST_NOT);
      addClauses(b, o.get("should"), BooleanClause.Occur.SHOULD);
      addClauses(b, o.get("filter"), BooleanClause.Occur.FILTER);
      BooleanQuery bq = b.build();
      if (bq.clauses().isEmpty()) return boosted(new MatchAllDocsQuery(), o);
      bq = applyMsm(bq, o.get("minimum_should_match"));
      Query q = bq;
      boolean negative = !bq.clauses().isEmpty() && bq.clauses().stream().allMatch(BooleanClause::isProhibited);
      if (negative) {
        BooleanQuery.Builder fixed = new BooleanQuery.Builder();
        for (BooleanClause clause : bq.clauses()) fixed.add(clause);
        fixed.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
        q = fixed.build();
      }
      return boosted(q, o);
    }

    void addClauses(BooleanQuery.Builder b, Object clauses, BooleanClause.Occur occur) {
      if (clauses == null) return;
      List<Object> list = clauses instanceof List ? asList(clauses) : List.of(clauses);
      for (Object clause : list) b.add(build(asMap(clause)), occur);
    }

    interface MultiTermFactory {
      Query create(String field, String value);
    }

    /** prefix, wildcard, regexp: Lucene's default (constant score) rewrite, as Elasticsearch without `rewrite`. */
    Query multiTerm(Map<String, Object> body, MultiTermFactory factory) {
      Map.Entry<String, Map<String, Object>> e = fieldBody(body, "value");
      return boosted(factory.create(e.getKey(), str(e.getValue().get("value"))), e.getValue());
    }

    /** FuzzyQueryBuilder: FuzzyQuery with Fuzziness.asDistance and Lucene's top_terms_blended_freqs rewrite. */
    Query fuzzy(Map<String, Object> body) {
      Map.Entry<String, Map<String, Object>> e = fieldBody(body, "value");
      Map<String, Object> o = e.getValue();
      String value = str(o.get("value"));
      int edits = asDistance(o.containsKey("fuzziness") ? fuzziness(o) : "AUTO", value);
      int prefixLength = o.containsKey("prefix_length") ? num(o.get("prefix_length")).intValue() : 0;
      int maxExpansions = o.containsKey("max_expansions") ? num(o.get("max_expansions")).intValue() : 50;
      boolean transpositions = !o.containsKey("transpositions") || Boolean.TRUE.equals(o.get("transpositions"));
      return boosted(new FuzzyQuery(new Term(e.getKey(), value), edits, prefixLength, maxExpansions, transpositions), o);
    }

    /** Fuzziness.asDistance: AUTO is 0 below 3 code points, 1 below 6, else 2. */
    static int asDistance(String fuzziness, String text) {
      if (fuzziness.startsWith("AUTO")) {
        int len = text.codePointCount(0, text.length());
        return len < 3 ? 0 : len < 6 ? 1 : 2;
      }
      return Math.min(2, Integer.parseInt(fuzziness));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    if (!(o instanceof Map)) throw new IllegalArgumentException("expected an object, got " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> asList(Object o) {
    if (!(o instanceof List)) throw new IllegalArgumentException("expected an array, got " + o);
    return (List<Object>) o;
  }

  static String str(Object o) {
    if (o == null) throw new IllegalArgumentException("missing value");
    if (o instanceof Double) {
      double d = (Double) o;
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
    return o.toString();
  }

  static Double num(Object o) {
    if (o instanceof Double) return (Double) o;
    return Double.valueOf(str(o));
  }
}
