import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const created = await call('PUT', '/logs', {
    mappings: {
      properties: {
        message: { type: 'keyword' },
        ip: { type: 'ip', script: "Matcher m = /([^ ]+) .+/.matcher(doc['message'].value); if (m.matches()) { emit(m.group(1)); }" },
      },
    },
  });
  expect(created.status).toBe(200);
  const r = await call('PUT', '/logs/_doc/1?refresh=true', { message: '40.135.0.0 - - [1998-04-30T14:30:17-05:00] "GET /images/hm_bg.jpg HTTP/1.0" 200 24736' });
  expect(r.status).toBe(201);
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

type Body = Awaited<ReturnType<typeof call>>['body'];

/** The innermost cause of an error response (the Java exception). */
function rootCause(body: Body): { type: string; reason: string } {
  let e = body.error;
  while (e.caused_by) e = e.caused_by;
  return e;
}

/** Runs a script_fields script over the one document and returns its value (or the error response). */
async function run(source: string, params: Record<string, unknown> = {}): Promise<{ status: number; value?: unknown; body: Body }> {
  const r = await call('POST', '/logs/_search', { script_fields: { v: { script: { source, params } } } });
  return { status: r.status, value: r.status === 200 ? r.body.hits.hits[0]?.fields?.v?.[0] : undefined, body: r.body };
}

describe('Painless regexes', () => {
  it('index-time scripts match with a regex literal', async () => {
    const r = await call('POST', '/logs/_search', { fields: ['ip'] });
    expect(r.body.hits.hits[0].fields.ip).toEqual(['40.135.0.0']);
  });

  it('=~ finds and ==~ matches', async () => {
    expect((await run("'foobar' =~ /oba/")).value).toBe(true);
    expect((await run("'foobar' ==~ /oba/")).value).toBe(false);
    expect((await run("'foobar' ==~ /fo+bar/")).value).toBe(true);
    expect((await run("'FOOBAR' ==~ /foobar/i")).value).toBe(true);
  });

  it('Matcher groups, named groups, start/end, replaceAll with $n', async () => {
    expect((await run("Matcher m = /(?<y>\\d{4})-(\\d\\d)/.matcher('on 2020-12 and 2021-01'); List out = []; while (m.find()) { out.add(m.namedGroup('y') + '/' + m.group(2) + '@' + m.start() + '-' + m.end()); } return out.toString();")).value).toBe('[2020/12@3-10, 2021/01@15-22]');
    expect((await run("/(\\w+)@(\\w+)/.matcher('a@b c@d').replaceAll('$2 at $1')")).value).toBe('b at a d at c');
    expect((await run("/o/.matcher('foo').replaceFirst('0')")).value).toBe('f0o');
    expect((await run("/(a)(b)?/.matcher('a').groupCount()")).value).toBe(2);
  });

  it('translates Java-only syntax exactly', async () => {
    expect((await run("'abc1' ==~ /\\p{Alpha}+\\p{Digit}/")).value).toBe(true);
    expect((await run("'a.b' ==~ /\\Qa.b\\E/")).value).toBe(true);
    expect((await run("'axb' ==~ /\\Qa.b\\E/")).value).toBe(false);
    expect((await run("'abc' =~ /\\Aabc\\z/")).value).toBe(true);
    expect((await run("'a b' ==~ /a b/x")).value).toBe(false);
    expect((await run("'ab' ==~ /a b # comment/x")).value).toBe(true);
    expect((await run("'a\u000bb' ==~ /a\\sb/")).value).toBe(true);
    expect((await run("'AbC' ==~ /a(?i)bc/")).value).toBe(false);
    expect((await run("'abC' ==~ /a(?i)bc/")).value).toBe(true);
  });

  it('refuses what it cannot translate exactly, naming it', async () => {
    for (const [source, what] of [
      ["'aa' ==~ /(a)\\1/", 'backreferences'],
      ["'ab' =~ /a(?=b)/", 'lookaround groups'],
      ["'aaa' ==~ /a++/", 'possessive quantifiers'],
      ["'a' ==~ /(?>a)/", 'atomic groups'],
      ["'a' ==~ /[a-z&&[^b]]/", 'character class intersection'],
      ["'é' ==~ /\\p{L}/", 'the character property'],
    ]) {
      const r = await run(source as string);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(what as string);
    }
  });

  it('refuses inputs where Java and the translation would differ', async () => {
    const r = await run("'ÉCOLE' ==~ /école/i");
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('case-insensitive');
    // Java's $ also matches before a final line terminator; RE2's \z does not, so that input is refused
    const t = await run('params.s =~ /abc$/', { s: 'abc\n' });
    expect(t.status).toBe(400);
    expect(JSON.stringify(t.body)).toContain('$ on text ending with a line terminator');
    expect((await run('params.s =~ /abc$/', { s: 'xabc' })).value).toBe(true);
  });

  it('gives Java errors: invalid patterns at compile time, group before a match', async () => {
    const bad = await run("'a' ==~ /a{/");
    expect(bad.status).toBe(400);
    expect(rootCause(bad.body).reason).toBe('Error compiling regex: Illegal repetition');
    const nomatch = await run("Matcher m = /a/.matcher('b'); return m.group();");
    expect(rootCause(nomatch.body).type).toBe('illegal_state_exception');
    expect(rootCause(nomatch.body).reason).toBe('No match found');
    const compile = await run("Pattern.compile('a')");
    expect(compile.status).toBe(400);
    expect(rootCause(compile.body).reason).toBe('Unknown call [compile] with [1] arguments on type [Pattern].');
  });

  it('division still parses after values', async () => {
    expect((await run('int a = 6; int b = 3; return a / b / 1;')).value).toBe(2);
    expect((await run("return ('abcd'.length()) / 2;")).value).toBe(2);
  });

  it('a catastrophic pattern cannot freeze the engine (linear-time matching)', async () => {
    const started = Date.now();
    const r = await run("String s = ''; for (int i = 0; i < 40; i++) { s += 'a'; } return s + '!' ==~ /(a+)+b/;");
    expect(r.value).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('Painless regex node settings', () => {
  it('accepts limited and true with a limit factor, refuses false by name and bad values', async () => {
    for (const nodeSettings of [{ 'script.painless.regex.enabled': 'limited', 'script.painless.regex.limit-factor': 10 }, { 'script.painless.regex.enabled': true }]) {
      const d = tempDir();
      const e = await Engine.open(d, { nodeSettings });
      await e.close();
      removeDir(d);
    }
    for (const [nodeSettings, message] of [
      [{ 'script.painless.regex.enabled': 'false' }, 'script.painless.regex.enabled: false'],
      [{ 'script.painless.regex.enabled': 'maybe' }, 'must be one of [true, false, limited]'],
      [{ 'script.painless.regex.limit-factor': 0 }, 'script.painless.regex.limit-factor'],
    ] as const) {
      const d = tempDir();
      await expect(Engine.open(d, { nodeSettings })).rejects.toThrow(message);
      removeDir(d);
    }
  });
});
