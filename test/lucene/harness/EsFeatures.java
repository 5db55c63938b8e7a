import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CoveringQuery;
import org.apache.lucene.search.LongValuesSource;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Elasticsearch's rank_feature query (RankFeatureQueryBuilder: FeatureField's factories with weight
 * 1 on the `_feature` field, the query's boost as a BoostQuery) and terms_set with a
 * minimum_should_match_field (TermsSetQueryBuilder: a CoveringQuery over term queries and the
 * field's long values).
 */
final class EsFeatures {
  private EsFeatures() {}

  static Query rankFeature(Map<String, Object> body) {
    String field = LuceneHarness.str(body.get("field"));
    Query q;
    if (body.containsKey("log")) {
      float a = LuceneHarness.num(LuceneHarness.asMap(body.get("log")).get("scaling_factor")).floatValue();
      q = FeatureField.newLogQuery("_feature", field, 1f, a);
    } else if (body.containsKey("sigmoid")) {
      Map<String, Object> s = LuceneHarness.asMap(body.get("sigmoid"));
      q = FeatureField.newSigmoidQuery("_feature", field, 1f, LuceneHarness.num(s.get("pivot")).floatValue(), LuceneHarness.num(s.get("exponent")).floatValue());
    } else {
      Map<String, Object> s = body.containsKey("saturation") ? LuceneHarness.asMap(body.get("saturation")) : Map.of();
      q = s.containsKey("pivot")
          ? FeatureField.newSaturationQuery("_feature", field, 1f, LuceneHarness.num(s.get("pivot")).floatValue())
          : FeatureField.newSaturationQuery("_feature", field);
    }
    return LuceneHarness.EsQueries.boosted(q, body);
  }

  static Query termsSet(Map<String, Object> body) {
    Map.Entry<String, Object> e = body.entrySet().iterator().next();
    Map<String, Object> spec = LuceneHarness.asMap(e.getValue());
    List<Query> terms = new ArrayList<>();
    for (Object v : LuceneHarness.asList(spec.get("terms"))) terms.add(new TermQuery(new Term(e.getKey(), LuceneHarness.str(v))));
    if (terms.isEmpty()) return new MatchNoDocsQuery();
    Query q = new CoveringQuery(terms, LongValuesSource.fromLongField(LuceneHarness.str(spec.get("minimum_should_match_field"))));
    float boost = spec.containsKey("boost") ? LuceneHarness.num(spec.get("boost")).floatValue() : 1f;
    return boost == 1f ? q : new BoostQuery(q, boost);
  }
}
