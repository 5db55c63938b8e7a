import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.hunspell.Dictionary;
import org.apache.lucene.analysis.hunspell.HunspellStemFilter;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Elasticsearch's hunspell token filter on real Lucene: a Dictionary read from an .aff file and
 * .dic files (paths), then the whitespace tokenizer and HunspellStemFilter with dedup and
 * longestOnly as Elasticsearch's HunspellTokenFilterFactory passes them.
 *   {"op":"hunspell","aff":"/p/x.aff","dics":["/p/x.dic"],"ignoreCase":false,"dedup":true,"longestOnly":false,"text":"..."}
 *   -> {"tokens":[[term,start,end,position,type],...]}
 */
final class EsHunspell {
  private static final Map<String, Dictionary> DICTIONARIES = new HashMap<>();

  static String analyze(Map<String, Object> req) throws Exception {
    String aff = (String) req.get("aff");
    List<String> dics = new ArrayList<>();
    for (Object d : (List<?>) req.get("dics")) dics.add((String) d);
    boolean ignoreCase = Boolean.TRUE.equals(req.get("ignoreCase"));
    String key = aff + "|" + dics + "|" + ignoreCase;
    Dictionary dictionary = DICTIONARIES.get(key);
    if (dictionary == null) {
      List<InputStream> streams = new ArrayList<>();
      try (InputStream affix = Files.newInputStream(Paths.get(aff))) {
        for (String d : dics) streams.add(Files.newInputStream(Paths.get(d)));
        dictionary = new Dictionary(new ByteBuffersDirectory(), "hunspell", affix, streams, ignoreCase);
      } finally {
        for (InputStream s : streams) s.close();
      }
      DICTIONARIES.put(key, dictionary);
    }
    final Dictionary dict = dictionary;
    final boolean dedup = !Boolean.FALSE.equals(req.get("dedup"));
    final boolean longestOnly = Boolean.TRUE.equals(req.get("longestOnly"));
    try (Analyzer analyzer = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer source = new WhitespaceTokenizer();
        return new TokenStreamComponents(source, new HunspellStemFilter(source, dict, dedup, longestOnly));
      }
    }) {
      return LuceneHarness.analyze(analyzer, (String) req.get("text"), false);
    }
  }
}
