import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JavaPatternSyntax, RegexNotSupported, compileJavaPattern, inexactOn } from '../../src/engine/search/script/java-regex.js';
import { matcherMethod } from '../../src/engine/search/script/java-regex-methods.js';
import type { JavaValue } from '../../src/engine/search/script/java-values.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * Painless's regexes judged by java.util.regex itself (JDK 17, test/lucene/regex-judge): seeded
 * random Java patterns (classes, POSIX properties, \Q..\E, anchors, \b, groups named and not,
 * lazy quantifiers, alternation, inline and Pattern flags) over random inputs with line
 * terminators and non-ASCII letters. For every case the engine answers (not refused by name),
 * matches(), every find() span with its groups, and replaceAll("<$1>") must equal Java's; a
 * pattern Java rejects must be rejected.
 */

const ATOMS = ['a', 'b', 'c', 'A', '.', '\\d', '\\w', '\\s', '\\S', '\\W', '\\b', '[abc]', '[^a]', '[a-c]', '[\\d.]', '\\p{Alpha}', '\\p{Punct}', '\\P{Lower}', '\\Q.a\\E', '^', '$', '\\A', '\\z', '\\Z', ' ', '-', '\\.', '\\t', '\\x41', '\\u00e9', '\\h', '\\v', '[\\s\\w]', 'é', '\\n'];
const QUANT = ['', '', '', '*', '+', '?', '*?', '+?', '??', '{1,2}', '{2}', '{0,}', '++', '{1,2}?'];
const INPUT_CHARS = ['a', 'b', 'c', 'A', 'B', '1', ' ', '_', '.', '-', '\n', '\r', 'é', 'É', '\t'];
// Pattern flags: CASE_INSENSITIVE, COMMENTS, MULTILINE, DOTALL, UNICODE_CASE, UNIX_LINES
const FLAGS = [2, 4, 8, 32, 64, 1];

function pattern(r: Random, depth: number): string {
  const n = int(r, 1, 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    const x = r();
    let atom: string;
    if (depth < 2 && x < 0.15) atom = `(${pattern(r, depth + 1)})`;
    else if (depth < 2 && x < 0.22) atom = `(?:${pattern(r, depth + 1)}|${pattern(r, depth + 1)})`;
    else if (depth < 2 && x < 0.27) atom = `(?<g${i}x>${pattern(r, depth + 1)})`;
    else if (x < 0.31) atom = pick(r, ['(?i)', '(?-i)', '(?m)', '(?s)', '(?x)', '(?d)', '(?u)']);
    else if (depth < 2 && x < 0.34) atom = `(?i:${pattern(r, depth + 1)})`;
    else atom = pick(r, ATOMS);
    out += atom + (atom.startsWith('(?') && atom.endsWith(')') && !atom.includes(':') ? '' : pick(r, QUANT));
  }
  return out;
}

const hex = (s: string): string => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');

interface Case {
  flags: number;
  pattern: string;
  input: string;
}

function cases(seed: number, count: number): Case[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    let flags = 0;
    for (const f of FLAGS) if (r() < 0.15) flags |= f;
    const input = Array.from({ length: int(r, 0, 12) }, () => pick(r, INPUT_CHARS)).join('');
    return { flags, pattern: pattern(r, 0), input };
  });
}

function javaAnswers(list: Case[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'regex-judge-'));
  try {
    const src = join(__dirname, 'regex-judge', 'JavaRegexJudge.java');
    const javac = spawnSync('javac', ['-d', dir, src], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`javac failed: ${javac.stderr}`);
    const run = spawnSync('java', ['-cp', dir, 'JavaRegexJudge'], { input: list.map((c) => `${c.flags}\t${hex(c.pattern)}\t${hex(c.input)}`).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`java failed: ${run.stderr}`);
    return run.stdout.split('\n').slice(0, list.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fail = (type: string, reason: string): never => {
  throw new Error(`${type}: ${reason}`);
};

/** The engine's answer in the judge's format, or 'REFUSED' when it declines the case by name. */
function engineAnswer(c: Case): string {
  let p;
  try {
    p = compileJavaPattern(c.pattern, c.flags);
  } catch (e) {
    if (e instanceof JavaPatternSyntax) return 'ERR';
    if (e instanceof RegexNotSupported) return 'REFUSED';
    throw e;
  }
  if (inexactOn(p, c.input) !== undefined) return 'REFUSED';
  const matcher = (): JavaValue & { t: 'matcher' } => ({ t: 'matcher', v: { pattern: p, input: c.input, m: p.re.matcher(c.input), matched: false } });
  const refuse = (what: string): never => fail('unsupported', what);
  const matches = (matcherMethod(matcher(), 'matches', [], fail, refuse) as { v: boolean }).v;
  const count = p.re.matcher(c.input).groupCount();
  const replaced = (matcherMethod(matcher(), 'replaceAll', [{ t: 'str', v: count >= 1 ? '<$1>' : '<>' }], fail, refuse) as { v: string }).v;
  const m = p.re.matcher(c.input);
  const spans: string[] = [];
  while (m.find()) {
    const g: string[] = [];
    for (let i = 0; i <= count; i++) g.push(`${m.start(i)},${m.end(i)}`);
    spans.push(g.join(','));
  }
  return `OK ${matches ? 1 : 0} ${hex(replaced)} ${spans.join(';')}`;
}

describe('Painless regexes against java.util.regex (JDK 17)', () => {
  it('answers as Java on 8,000 random patterns and inputs, or refuses by name', () => {
    const list = [...cases(15, 4000), ...cases(8, 4000)];
    const java = javaAnswers(list);
    let answered = 0;
    let refused = 0;
    const wrong: string[] = [];
    list.forEach((c, i) => {
      const ours = engineAnswer(c);
      if (ours === 'REFUSED') {
        refused++;
        return;
      }
      answered++;
      if (ours !== java[i]) wrong.push(`${JSON.stringify(c)}\n  java:   ${java[i]}\n  engine: ${ours}`);
    });
    console.log(`java-regex judge: ${answered} answered, ${refused} refused, ${wrong.length} wrong`);
    expect(wrong.slice(0, 10)).toEqual([]);
    // most refusals are inputs with \r or non-ASCII letters under ^/$ in MULTILINE, \b or (?i), and possessive quantifiers
    expect(answered).toBeGreaterThan(list.length / 3);
  });
});
