import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The judge of the engine's Painless regexes (src/engine/search/script/java-regex.ts): reads
 * cases `flags<TAB>pattern<TAB>input` (pattern and input as UTF-16 code units in hex, 4 digits
 * each) and prints, per case, `ERR` for a PatternSyntaxException or
 * `OK <matches 0|1> <replaceAll in hex> <find spans>`: every find() match as `start,end` for the
 * whole match and each group (-1 for a group that did not take part), matches separated by `;`.
 */
public class JavaRegexJudge {
  static String decode(String hex) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 4 <= hex.length(); i += 4) sb.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
    return sb.toString();
  }

  static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) sb.append(String.format("%04x", (int) s.charAt(i)));
    return sb.toString();
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split("\t", -1);
      int flags = Integer.parseInt(parts[0]);
      String pattern = decode(parts[1]);
      String input = decode(parts[2]);
      Pattern p;
      try {
        p = Pattern.compile(pattern, flags);
      } catch (PatternSyntaxException e) {
        out.append("ERR\n");
        continue;
      }
      Matcher m = p.matcher(input);
      boolean matches = m.matches();
      m.reset();
      String replaced = m.groupCount() >= 1 ? m.replaceAll("<$1>") : m.replaceAll("<>");
      m.reset();
      StringBuilder spans = new StringBuilder();
      while (m.find()) {
        if (spans.length() > 0) spans.append(';');
        for (int g = 0; g <= m.groupCount(); g++) {
          if (g > 0) spans.append(',');
          spans.append(m.start(g)).append(',').append(m.end(g));
        }
      }
      out.append("OK ").append(matches ? 1 : 0).append(' ').append(encode(replaced)).append(' ').append(spans).append('\n');
    }
    System.out.print(out);
  }
}
