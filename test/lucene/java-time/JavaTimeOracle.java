import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * java.time as the oracle of the engine's Painless date values (test/lucene/java-time.lucene.ts):
 * one case per stdin line, tab-separated `op, epochSecond, nanos, zone, a, b, c`, one answer per
 * stdout line, computed by the same java.time calls a Painless script makes.
 */
public class JavaTimeOracle {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.split("\t", -1);
      ZonedDateTime z = ZonedDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(f[1]), Long.parseLong(f[2])), ZoneId.of(f[3]));
      String r;
      switch (f[0]) {
        case "plus": r = z.plus(Long.parseLong(f[4]), ChronoUnit.valueOf(f[5])).toString(); break;
        case "minus": r = z.minus(Long.parseLong(f[4]), ChronoUnit.valueOf(f[5])).toString(); break;
        case "between": {
          ZonedDateTime w = ZonedDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(f[4]), Long.parseLong(f[5])), ZoneId.of(f[3]));
          r = String.valueOf(ChronoUnit.valueOf(f[6]).between(z, w));
          break;
        }
        case "fields":
          r = z.getYear() + "," + z.getMonthValue() + "," + z.getDayOfMonth() + "," + z.getHour() + "," + z.getMinute() + "," + z.getSecond() + ","
              + z.getNano() + "," + z.getDayOfWeek() + "," + z.getDayOfYear() + "," + z.getMonth() + "," + z.toEpochSecond() + "," + z.toInstant().toEpochMilli()
              + "," + z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT) + "," + z.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT) + "," + z.toInstant();
          break;
        case "iso":
          r = z.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "|" + z.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "|" + z.format(DateTimeFormatter.ISO_ZONED_DATE_TIME) + "|"
              + z.format(DateTimeFormatter.ISO_INSTANT) + "|" + z.format(DateTimeFormatter.ISO_DATE) + "|" + z.format(DateTimeFormatter.BASIC_ISO_DATE);
          break;
        case "pattern": r = z.format(DateTimeFormatter.ofPattern(f[4], Locale.ROOT)); break;
        case "truncated": r = z.truncatedTo(ChronoUnit.valueOf(f[4])).toString(); break;
        case "sameLocal": r = z.withZoneSameLocal(ZoneId.of(f[4])).toString(); break;
        case "parse": r = ZonedDateTime.parse(z.toString()).toInstant().toString() + "|" + ZonedDateTime.parse(z.toString()).getZone(); break;
        default: throw new IllegalArgumentException(f[0]);
      }
      out.append(r).append('\n');
    }
    System.out.print(out);
  }
}
