import java.util.Map;
import org.apache.lucene.search.similarities.AfterEffect;
import org.apache.lucene.search.similarities.AfterEffectB;
import org.apache.lucene.search.similarities.AfterEffectL;
import org.apache.lucene.search.similarities.BasicModel;
import org.apache.lucene.search.similarities.BasicModelG;
import org.apache.lucene.search.similarities.BasicModelIF;
import org.apache.lucene.search.similarities.BasicModelIn;
import org.apache.lucene.search.similarities.BasicModelIne;
import org.apache.lucene.search.similarities.BooleanSimilarity;
import org.apache.lucene.search.similarities.DFISimilarity;
import org.apache.lucene.search.similarities.DFRSimilarity;
import org.apache.lucene.search.similarities.Distribution;
import org.apache.lucene.search.similarities.DistributionLL;
import org.apache.lucene.search.similarities.DistributionSPL;
import org.apache.lucene.search.similarities.IBSimilarity;
import org.apache.lucene.search.similarities.Independence;
import org.apache.lucene.search.similarities.IndependenceChiSquared;
import org.apache.lucene.search.similarities.IndependenceSaturated;
import org.apache.lucene.search.similarities.IndependenceStandardized;
import org.apache.lucene.search.similarities.LMDirichletSimilarity;
import org.apache.lucene.search.similarities.LMJelinekMercerSimilarity;
import org.apache.lucene.search.similarities.Lambda;
import org.apache.lucene.search.similarities.LambdaDF;
import org.apache.lucene.search.similarities.LambdaTTF;
import org.apache.lucene.search.similarities.Normalization;
import org.apache.lucene.search.similarities.NormalizationH1;
import org.apache.lucene.search.similarities.NormalizationH2;
import org.apache.lucene.search.similarities.NormalizationH3;
import org.apache.lucene.search.similarities.NormalizationZ;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.search.similarity.LegacyBM25Similarity;

/**
 * Elasticsearch's SimilarityProviders over Lucene's similarities: an `index.similarity.<name>`
 * group (string values, keys relative to the group) to the Similarity Elasticsearch 8 builds,
 * with its defaults (k1 1.2, b 0.75, h1.c 1, h2.c 1, h3.c 800, z.z 0.3, mu 2000, lambda 0.1).
 */
final class EsSimilarity {
  private EsSimilarity() {}

  static Similarity build(Map<String, Object> group) {
    if (group == null) return new LegacyBM25Similarity();
    String type = str(group.get("type"));
    switch (type) {
      case "BM25": {
        LegacyBM25Similarity bm25 = new LegacyBM25Similarity(f(group, "k1", 1.2f), f(group, "b", 0.75f));
        // `discount_overlaps` (default true): whether the norm leaves out tokens of position increment 0
        if ("false".equals(str(group.get("discount_overlaps")))) bm25.setDiscountOverlaps(false);
        return bm25;
      }
      case "boolean": return new BooleanSimilarity();
      case "DFR": return new DFRSimilarity(basicModel(str(group.get("basic_model"))), afterEffect(str(group.get("after_effect"))), normalization(group));
      case "IB": return new IBSimilarity(distribution(str(group.get("distribution"))), lambda(str(group.get("lambda"))), normalization(group));
      case "DFI": return new DFISimilarity(independence(str(group.get("independence_measure"))));
      case "LMDirichlet": return new LMDirichletSimilarity(f(group, "mu", 2000f));
      case "LMJelinekMercer": return new LMJelinekMercerSimilarity(f(group, "lambda", 0.1f));
      default: throw new IllegalArgumentException("unknown similarity type [" + type + "]");
    }
  }

  static String str(Object o) {
    return o == null ? null : o.toString();
  }

  static float f(Map<String, Object> group, String key, float fallback) {
    Object v = group.get(key);
    return v == null ? fallback : Float.parseFloat(v.toString());
  }

  static BasicModel basicModel(String name) {
    switch (name) {
      case "g": return new BasicModelG();
      case "if": return new BasicModelIF();
      case "in": return new BasicModelIn();
      case "ine": return new BasicModelIne();
      default: throw new IllegalArgumentException("basic_model " + name);
    }
  }

  static AfterEffect afterEffect(String name) {
    switch (name) {
      case "b": return new AfterEffectB();
      case "l": return new AfterEffectL();
      default: throw new IllegalArgumentException("after_effect " + name);
    }
  }

  static Normalization normalization(Map<String, Object> group) {
    String name = str(group.get("normalization"));
    switch (name) {
      case "no": return new Normalization.NoNormalization();
      case "h1": return new NormalizationH1(f(group, "normalization.h1.c", 1f));
      case "h2": return new NormalizationH2(f(group, "normalization.h2.c", 1f));
      case "h3": return new NormalizationH3(f(group, "normalization.h3.c", 800f));
      case "z": return new NormalizationZ(f(group, "normalization.z.z", 0.30f));
      default: throw new IllegalArgumentException("normalization " + name);
    }
  }

  static Independence independence(String name) {
    switch (name) {
      case "standardized": return new IndependenceStandardized();
      case "saturated": return new IndependenceSaturated();
      case "chisquared": return new IndependenceChiSquared();
      default: throw new IllegalArgumentException("independence_measure " + name);
    }
  }

  static Distribution distribution(String name) {
    switch (name) {
      case "ll": return new DistributionLL();
      case "spl": return new DistributionSPL();
      default: throw new IllegalArgumentException("distribution " + name);
    }
  }

  static Lambda lambda(String name) {
    switch (name) {
      case "df": return new LambdaDF();
      case "ttf": return new LambdaTTF();
      default: throw new IllegalArgumentException("lambda " + name);
    }
  }
}
