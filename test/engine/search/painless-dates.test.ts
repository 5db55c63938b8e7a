import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

/**
 * Date doc values as Painless sees them (ZonedDateTime in UTC; date_nanos keeps its nanoseconds),
 * java.time arithmetic and the fields API. The expected strings were printed by JDK 17's java.time
 * (a throw-away D.java calling the same methods on Instant.ofEpochMilli(1516729294000L) at
 * ZoneOffset.UTC and Instant.ofEpochSecond(1516729294L, 123456789L)); the broad comparison with
 * the JDK is test/lucene/java-time.lucene.ts.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

async function values(source: string, id = 'a'): Promise<unknown[]> {
  const r = await call('POST', '/dates/_search', { query: { ids: { values: [id] } }, script_fields: { v: { script: { source } } } });
  if (r.status !== 200) throw new Error(`script failed: ${JSON.stringify(r.body)}`);
  return (r.body.hits.hits[0].fields as Json).v as unknown[];
}
const value = async (source: string, id = 'a'): Promise<unknown> => (await values(source, id))[0];

async function failure(source: string): Promise<Json> {
  const r = await call('POST', '/dates/_search', { query: { ids: { values: ['a'] } }, script_fields: { v: { script: { source } } } });
  expect(r.status).toBe(400);
  return r.body.error.caused_by.caused_by as Json;
}

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = {
    runtime: { day: { type: 'keyword', script: "emit(doc['d'].value.dayOfWeekEnum.getDisplayName(TextStyle.FULL, Locale.ROOT))" } },
    properties: { d: { type: 'date' }, n: { type: 'date_nanos' }, k: { type: 'keyword' }, many: { type: 'long' }, x: { type: 'double' }, i: { type: 'integer' } },
  };
  expect((await call('PUT', '/dates', { mappings })).status).toBe(200);
  expect((await call('PUT', '/dates/_doc/a', { d: 1516729294000, n: '2018-01-23T17:41:34.123456789Z', k: 'kw', many: [3, 1, 2], i: 134134566 })).status).toBe(201);
  expect((await call('PUT', '/dates/_doc/b', { d: '2020-01-31T00:00:00Z' })).status).toBe(201);
  await call('POST', '/dates/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('date doc values', () => {
  it('reads a date as a ZonedDateTime in UTC with its calendar fields', async () => {
    expect(await value("doc['d'].value.toString()")).toBe('2018-01-23T17:41:34Z');
    expect(await value("doc['d'].value.getDayOfWeek().toString()")).toBe('TUESDAY');
    expect(await value("def v = doc['d'].value; return v.year + '-' + v.monthValue + '-' + v.dayOfMonth + ' ' + v.hour + ':' + v.minute + ':' + v.second")).toBe('2018-1-23 17:41:34');
    expect(await value("doc['d'].value.toInstant().toEpochMilli()")).toBe(1516729294000);
    // Painless's augmentations of TemporalAccessor: epoch millis straight from the date
    expect(await value("doc['n'].value.millis + ':' + doc['n'].value.toEpochMilli()")).toBe('1516729294123:1516729294123');
  });
  it('keeps the nanoseconds of a date_nanos value', async () => {
    expect(await value("doc['n'].value.toString()")).toBe('2018-01-23T17:41:34.123456789Z');
    expect(await value("doc['n'].value.getNano()")).toBe(123456789);
    expect(await value("doc['n'].value.toInstant().toEpochMilli()")).toBe(1516729294123);
    expect(await value("doc['n'].value.plusNanos(1).toString()")).toBe('2018-01-23T17:41:34.123456790Z');
  });
  it('does java.time arithmetic: plus with a ChronoUnit, month ends, between, zones, patterns', async () => {
    expect(await value("doc['d'].value.plus(1, ChronoUnit.DAYS).toInstant().toEpochMilli()")).toBe(1516815694000);
    expect(await value("doc['d'].value.plusMonths(1).toString()")).toBe('2018-02-23T17:41:34Z');
    expect(await value("doc['d'].value.plusMonths(1).toString()", 'b')).toBe('2020-02-29T00:00Z');
    expect(await value("ChronoUnit.DAYS.between(doc['d'].value, doc['n'].value.plusDays(10))")).toBe(10);
    expect(await value("ChronoUnit.MONTHS.between(doc['d'].value, ZonedDateTime.parse('2020-02-29T00:00:00Z'))", 'b')).toBe(0);
    expect(await value("doc['d'].value.withZoneSameInstant(ZoneId.of('Europe/Paris')).toString()")).toBe('2018-01-23T18:41:34+01:00[Europe/Paris]');
    expect(await value("doc['d'].value.format(DateTimeFormatter.ofPattern('yyyy/MM/dd HH:mm'))")).toBe('2018/01/23 17:41');
    expect(await value("doc['d'].value.isBefore(doc['n'].value) && doc['n'].value.isAfter(doc['d'].value)")).toBe(true);
  });
  it('writes a returned ZonedDateTime as strict_date_optional_time_nanos', async () => {
    expect(await value("doc['d'].value")).toBe('2018-01-23T17:41:34.000Z');
  });
  it('fails as Java does on what java.time refuses or does not have', async () => {
    expect(await failure("doc['d'].value.toInstant().plus(1, ChronoUnit.MONTHS)")).toMatchObject({ type: 'unsupported_temporal_type_exception', reason: 'Unsupported unit: Months' });
    // Joda-Time's getters are kept on ZonedDateTime only to name their replacement (Painless's Augmentation)
    expect(await failure("doc['d'].value.getHourOfDay()")).toMatchObject({ type: 'unsupported_operation_exception', reason: '[getHourOfDay] is no longer available; use [getHour()] instead' });
    expect(await failure("doc['d'].value.getFoo()")).toMatchObject({ type: 'illegal_argument_exception', reason: 'dynamic method [java.time.ZonedDateTime, getFoo/0] not found' });
    expect(await failure("ZoneId.of('Nowhere/Land')")).toMatchObject({ type: 'zone_rules_exception' });
    // zone names are left to Elasticsearch: the engine refuses the letter rather than approximate it
    const r = await call('POST', '/dates/_search', { script_fields: { v: { script: { source: "doc['d'].value.format(DateTimeFormatter.ofPattern('HH:mm z'))" } } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error)).toContain('the pattern letter [z]');
  });
  it('emits from a runtime field script that reads dates', async () => {
    const r = await call('POST', '/dates/_search', { query: { term: { day: 'Tuesday' } }, fields: ['day'] });
    expect(r.body.hits.hits.map((h: Json) => h._id)).toEqual(['a']);
    expect(r.body.hits.hits[0].fields.day).toEqual(['Tuesday']);
  });
});

describe('the fields API', () => {
  it("reads a field's values with a default for a missing one", async () => {
    expect(await value("field('k').get('none')")).toBe('kw');
    expect(await value("field('k').get('none')", 'b')).toBe('none');
    expect(await value("$('k', 'dne') + '_' + $('many', 7)", 'b')).toBe('dne_7');
    expect(await value("field('many').get(1, 0)")).toBe(2);
    expect(await value("field('many').get(5, -1)")).toBe(-1);
    expect(await value("field('unmapped').isEmpty() && field('unmapped').get('x') == 'x'")).toBe(true);
  });
  it("reads an integer field as ints (IntegerDocValuesField), where doc['x'] reads longs", async () => {
    // 134134566 * 100 overflows an int: 13413456600 - 3 * 2^32 = 528554712
    expect(await value("field('i').get(0) * 100")).toBe(528554712);
    expect(await value("doc['i'].value * 100")).toBe(13413456600);
  });
  it('sizes and iterates a field', async () => {
    expect(await value("long s = 0; for (def v : field('many')) { s += v; } return s + field('many').size() * 100;")).toBe(306);
  });
  it("refuses a default of another type than the field's", async () => {
    expect(await failure("field('many').get('x')")).toMatchObject({ type: 'class_cast_exception' });
  });
});
