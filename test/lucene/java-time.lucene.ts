import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { removeDir, tempDir } from '../engine/helpers.js';

/**
 * The engine's Painless date values judged by java.time itself: seeded random cases (instants from
 * 1900 to 2100 with nanoseconds, fixed offsets and region zones, every ChronoUnit from NANOS to
 * MILLENNIA) run once through test/lucene/java-time/JavaTimeOracle.java on the machine's JDK and
 * once through one Painless script on the embedded engine; every answer must be the same text.
 * The JVM runs with `-Djava.locale.providers=SPI,COMPAT`, the locale data Elasticsearch 8 answers
 * with (DayOfWeek.MONDAY.getDisplayName(TextStyle.FULL, Locale.ROOT) is "Monday" there, as
 * runtime_fields/80_multiple_indices.yml expects; JDK 17's default CLDR data says "Mon").
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const UNITS = ['NANOS', 'MICROS', 'MILLIS', 'SECONDS', 'MINUTES', 'HOURS', 'HALF_DAYS', 'DAYS', 'WEEKS', 'MONTHS', 'YEARS', 'DECADES', 'CENTURIES', 'MILLENNIA'];
const TIME_UNITS = UNITS.slice(0, 8);
const OFFSET_ZONES = ['Z', 'UTC', '+05:30', '-08:00', '+14:00'];
// region zones only over 1971..2037, where Node's ICU and the JDK's tzdata agree on the rules
const REGION_ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Tokyo'];
const PATTERNS = ['yyyy-MM-dd HH:mm:ss', 'EEE, d MMM yyyy HH:mm:ss Z', "uuuu-MM-dd'T'HH:mm:ss.SSSXXX", 'EEEE d MMMM', 'hh:mm a', 'D', 'dd/MM/yy', 'yyyyMMddHHmmssSSS', 'x xx xxx X XX', 'E MMM d H:m:s.S', "'week' D 'of' u"];

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  op: string;
  s: number;
  n: number;
  zone: string;
  a?: number;
  unit?: string;
  s2?: number;
  n2?: number;
  pattern?: string;
  zone2?: string;
}

function cases(seed: number, count: number): Case[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const instant = (region: boolean): [number, number] => {
    const lo = region ? 31_536_000 : -2_208_988_800;
    const hi = region ? 2_145_916_800 : 4_102_444_800;
    const s = Math.floor(lo + r() * (hi - lo));
    const kind = r();
    const n = kind < 0.3 ? 0 : kind < 0.6 ? Math.floor(r() * 1000) * 1_000_000 : kind < 0.8 ? Math.floor(r() * 1_000_000) * 1000 : Math.floor(r() * 1_000_000_000);
    return [s, n];
  };
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const region = r() < 0.5;
    const zone = pick(region ? REGION_ZONES : OFFSET_ZONES);
    const [s, n] = instant(region);
    const op = pick(['plus', 'minus', 'between', 'fields', 'iso', 'pattern', 'truncated', 'sameLocal', 'parse']);
    const c: Case = { op, s, n, zone };
    if (op === 'plus' || op === 'minus') {
      c.unit = pick(UNITS);
      // amounts that stay within 1900..2100 (so region zones stay where the tz data agree)
      const big = ['NANOS', 'MICROS', 'MILLIS', 'SECONDS'].includes(c.unit);
      c.a = Math.floor((r() - 0.5) * (big ? 2_000_000_000 : ['MINUTES', 'HOURS', 'HALF_DAYS', 'DAYS', 'WEEKS', 'MONTHS'].includes(c.unit) ? 400 : 3));
      if (region && ['DECADES', 'CENTURIES', 'MILLENNIA'].includes(c.unit)) c.unit = 'YEARS';
    } else if (op === 'between') {
      [c.s2, c.n2] = r() < 0.3 ? [s + Math.floor((r() - 0.5) * 200_000), Math.floor(r() * 1_000_000_000)] : instant(region);
      c.unit = pick(UNITS);
    } else if (op === 'pattern') c.pattern = pick(PATTERNS);
    else if (op === 'truncated') c.unit = pick(TIME_UNITS);
    else if (op === 'sameLocal') c.zone2 = pick([...OFFSET_ZONES, ...(region ? REGION_ZONES : [])]);
    out.push(c);
  }
  return out;
}

function oracle(list: Case[]): string[] {
  const classes = mkdtempSync(join(tmpdir(), 'java-time-oracle-'));
  try {
    const source = join(import.meta.dirname, 'java-time', 'JavaTimeOracle.java');
    const javac = spawnSync('javac', ['-nowarn', '-d', classes, source], { encoding: 'utf8' });
    if (javac.error) throw new Error(`javac could not run (${javac.error.message}): install \`default-jdk-headless\``);
    if (javac.status !== 0) throw new Error(`javac failed:\n${javac.stderr}`);
    const input = list.map((c) => [c.op, c.s, c.n, c.zone, ...(c.op === 'between' ? [c.s2, c.n2, c.unit] : c.op === 'pattern' ? [c.pattern] : c.op === 'sameLocal' ? [c.zone2] : c.op === 'truncated' ? [c.unit] : [c.a ?? '', c.unit ?? ''])].join('\t')).join('\n');
    const run = spawnSync('java', ['-Djava.locale.providers=SPI,COMPAT', '-cp', classes, 'JavaTimeOracle'], { input: `${input}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`JavaTimeOracle failed:\n${run.stderr}`);
    return run.stdout.split('\n').slice(0, list.length);
  } finally {
    rmSync(classes, { recursive: true, force: true });
  }
}

const SCRIPT = `
List out = new ArrayList();
for (def c : params.cases) {
  ZonedDateTime z = ZonedDateTime.ofInstant(Instant.ofEpochSecond(c.s, c.n), ZoneId.of(c.zone));
  String op = c.op;
  if (op == 'plus') { out.add(z.plus(c.a, ChronoUnit.valueOf(c.unit)).toString()); }
  else if (op == 'minus') { out.add(z.minus(c.a, ChronoUnit.valueOf(c.unit)).toString()); }
  else if (op == 'between') {
    ZonedDateTime w = ZonedDateTime.ofInstant(Instant.ofEpochSecond(c.s2, c.n2), ZoneId.of(c.zone));
    out.add('' + ChronoUnit.valueOf(c.unit).between(z, w));
  }
  else if (op == 'fields') {
    out.add(z.getYear() + ',' + z.getMonthValue() + ',' + z.getDayOfMonth() + ',' + z.getHour() + ',' + z.getMinute() + ',' + z.getSecond() + ','
      + z.getNano() + ',' + z.getDayOfWeek() + ',' + z.getDayOfYear() + ',' + z.getMonth() + ',' + z.toEpochSecond() + ',' + z.toInstant().toEpochMilli()
      + ',' + z.dayOfWeekEnum.getDisplayName(TextStyle.FULL, Locale.ROOT) + ',' + z.month.getDisplayName(TextStyle.SHORT, Locale.ROOT) + ',' + z.toInstant());
  }
  else if (op == 'iso') {
    out.add(z.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + '|' + z.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + '|' + z.format(DateTimeFormatter.ISO_ZONED_DATE_TIME) + '|'
      + DateTimeFormatter.ISO_INSTANT.format(z) + '|' + z.format(DateTimeFormatter.ISO_DATE) + '|' + z.format(DateTimeFormatter.BASIC_ISO_DATE));
  }
  else if (op == 'pattern') { out.add(z.format(DateTimeFormatter.ofPattern(c.pattern, Locale.ROOT))); }
  else if (op == 'truncated') { out.add(z.truncatedTo(ChronoUnit.valueOf(c.unit)).toString()); }
  else if (op == 'sameLocal') { out.add(z.withZoneSameLocal(ZoneId.of(c.zone2)).toString()); }
  else if (op == 'parse') { ZonedDateTime p = ZonedDateTime.parse(z.toString()); out.add(p.toInstant().toString() + '|' + p.getZone()); }
}
return out;
`;

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  await engine.handle({ method: 'PUT', path: '/t/_doc/1', body: '{}' });
  await engine.handle({ method: 'POST', path: '/t/_refresh' });
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

async function painless(list: Case[]): Promise<string[]> {
  const res = await engine.handle({ method: 'POST', path: '/t/_search', body: JSON.stringify({ script_fields: { v: { script: { source: SCRIPT, params: { cases: list } } } } }) });
  const body = JSON.parse(String(res.body)) as Json;
  if (res.statusCode !== 200) throw new Error(String(res.body));
  return (body.hits.hits[0].fields as Json).v as string[];
}

describe('Painless java.time against the JDK', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives java.time's answers for 1,500 random cases (seed ${seed})`, async () => {
      const list = cases(seed, 1500);
      const expected = oracle(list);
      const actual = await painless(list);
      const wrong = list.map((c, i) => ({ c, expected: expected[i], actual: actual[i] })).filter((x) => x.expected !== x.actual);
      expect(wrong.slice(0, 10)).toEqual([]);
      expect(actual).toHaveLength(list.length);
    });
  }
});
