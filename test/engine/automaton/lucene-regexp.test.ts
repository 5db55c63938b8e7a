import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TooComplexError } from '../../../src/engine/automaton/automaton.js';
import { ALL, COMPLEMENT, NONE, PatternSyntaxError, compileLuceneRegExp } from '../../../src/engine/automaton/lucene-regexp.js';
import { compileWildcard } from '../../../src/engine/automaton/wildcard.js';

const matches = (pattern: string, term: string, flags = ALL): boolean => compileLuceneRegExp(pattern, { flags }).test(term);

describe('compileLuceneRegExp', () => {
  it('answers the issue\'s catastrophic patterns in one step per character, on 40 and 100,000 characters', () => {
    for (const pattern of ['(a+)+b', '(a|aa)*b', '(a*)*b', '(.*a){20}b']) {
      const dfa = compileLuceneRegExp(pattern);
      for (const n of [40, 100_000]) {
        const term = 'a'.repeat(n);
        const { accepted, steps } = dfa.run(term);
        expect(accepted).toBe(false);
        expect(steps).toBeLessThanOrEqual(n);
        expect(dfa.test(`${term}b`)).toBe(true);
      }
    }
  });

  it('parses "..." as a literal string (always enabled in Lucene\'s syntax)', () => {
    expect(matches('"a+b"', 'a+b')).toBe(true);
    expect(matches('"a+b"', 'aab')).toBe(false);
    expect(matches('x"(y)|"z', 'x(y)|z')).toBe(true);
    expect(matches('"ab"*', 'ababab')).toBe(true);
    expect(matches('""', '')).toBe(true);
    expect(() => compileLuceneRegExp('"abc')).toThrow(new PatternSyntaxError('expected \'"\' at position 4'));
  });

  it('enables ~ & # @ <n-m> only with their flags, and treats them as characters otherwise', () => {
    expect(matches('ab~(cd)', 'abxx')).toBe(true);
    expect(matches('ab~(cd)', 'abcd')).toBe(false);
    expect(matches('ab~c', 'ab~c', NONE)).toBe(true);
    expect(matches('a~c', 'abc', COMPLEMENT)).toBe(true);
    expect(matches('a~c', 'ac', COMPLEMENT)).toBe(false);
    expect(matches('[a-c]+&.*b.*', 'acb')).toBe(true);
    expect(matches('[a-c]+&.*b.*', 'acc')).toBe(false);
    expect(matches('a&b', 'a&b', NONE)).toBe(true);
    expect(matches('#|a', 'a')).toBe(true);
    expect(matches('#', '')).toBe(false);
    expect(matches('a@', 'anything')).toBe(true);
    expect(matches('a@', 'a@', NONE)).toBe(true);
    expect(matches('<1-10>', '7')).toBe(true);
    expect(matches('<1-10>', '007')).toBe(true);
    expect(matches('<1-10>', '11')).toBe(false);
    expect(matches('<01-10>', '07')).toBe(true);
    expect(matches('<01-10>', '7')).toBe(false);
    expect(matches('<95-1203>', '600')).toBe(true);
    expect(matches('<95-1203>', '1204')).toBe(false);
    expect(() => compileLuceneRegExp('<name>')).toThrow("'name' not found");
  });

  it('follows Lucene\'s grammar where it differs from JavaScript', () => {
    expect(matches('^a$', '^a$')).toBe(true);
    expect(matches('*a', '*a')).toBe(true);
    expect(matches('a{2,3}', 'aaa')).toBe(true);
    expect(matches('a{2,3}', 'aaaa')).toBe(false);
    expect(matches('a{2,}', 'aaaaa')).toBe(true);
    expect(matches('a{3,2}', 'aa')).toBe(false);
    expect(matches('[^a]', '😀')).toBe(true);
    expect(matches('.', '😀')).toBe(true);
    expect(matches('\\d\\s\\w', '1 _')).toBe(true);
    expect(matches('[\\D]', '1')).toBe(false);
    expect(matches('()', '')).toBe(true);
    expect(() => compileLuceneRegExp('\\n')).toThrow(new PatternSyntaxError('invalid character class \\n'));
    expect(() => compileLuceneRegExp('(ab')).toThrow(new PatternSyntaxError("expected ')' at position 3"));
    expect(() => compileLuceneRegExp('ab)')).toThrow(new PatternSyntaxError('end-of-string expected at position 2'));
    expect(() => compileLuceneRegExp('[b-a]')).toThrow(new PatternSyntaxError('invalid range: from (98) cannot be > to (97)'));
    expect(() => compileLuceneRegExp('a{x}')).toThrow(new PatternSyntaxError('integer expected at position 2'));
  });

  it('folds ASCII case only when case-insensitive, as ASCII_CASE_INSENSITIVE does', () => {
    const dfa = compileLuceneRegExp('ab[c]"dé"', { caseInsensitive: true });
    expect(dfa.test('ABCDé')).toBe(true);
    expect(dfa.test('abcdÉ')).toBe(false);
  });

  it('refuses patterns past max_determinized_states instead of building them', () => {
    expect(() => compileLuceneRegExp('[ac]*a[ac]{50,200}')).toThrow(TooComplexError);
    expect(() => compileLuceneRegExp('x{0,1000000}')).toThrow(TooComplexError);
    expect(() => compileLuceneRegExp('(a|b)*a(a|b){12}', { maxDeterminizedStates: 100 })).toThrow(TooComplexError);
    expect(compileLuceneRegExp('(a|b)*a(a|b){12}').test(`b${'a'.repeat(13)}`)).toBe(true);
    expect(() => compileLuceneRegExp(`${'('.repeat(2000)}a${')'.repeat(2000)}`)).toThrow(PatternSyntaxError);
  });
});

describe('compileWildcard', () => {
  it('matches the issue\'s *a*a*a*a*a*b in one step per character', () => {
    const dfa = compileWildcard('*a*a*a*a*a*b', false);
    const term = 'a'.repeat(100_000);
    expect(dfa.run(term)).toEqual({ accepted: false, steps: 100_000 });
    expect(dfa.test(`${term}b`)).toBe(true);
    expect(dfa.test('aaaab')).toBe(false);
  });

  it('treats \\ as an escape, a trailing \\ as a character, and folds case when asked', () => {
    expect(compileWildcard('a\\*b', false).test('a*b')).toBe(true);
    expect(compileWildcard('a\\*b', false).test('axb')).toBe(false);
    expect(compileWildcard('a\\', false).test('a\\')).toBe(true);
    expect(compileWildcard('?É*', true).test('😀éx')).toBe(true);
  });
});

// ---- property: the DFA accepts exactly what a reference matcher over the pattern's tree accepts

type Ast =
  | { k: 'lit'; c: string }
  | { k: 'str'; s: string }
  | { k: 'any' }
  | { k: 'cls'; neg: boolean; cs: string[] }
  | { k: 'cat' | 'or' | 'and'; a: Ast; b: Ast }
  | { k: 'not'; a: Ast }
  | { k: 'rep'; a: Ast; min: number; max: number };

const ALPHABET = ['a', 'b', 'c', '😀'];

const astArb = fc.letrec<{ ast: Ast }>((tie) => ({
  ast: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ALPHABET).map((c): Ast => ({ k: 'lit', c })),
    fc.array(fc.constantFrom(...ALPHABET), { maxLength: 3 }).map((cs): Ast => ({ k: 'str', s: cs.join('') })),
    fc.constant<Ast>({ k: 'any' }),
    fc.record({ neg: fc.boolean(), cs: fc.uniqueArray(fc.constantFrom(...ALPHABET), { minLength: 1 }) }).map((r): Ast => ({ k: 'cls', ...r })),
    fc.record({ k: fc.constantFrom('cat' as const, 'or' as const, 'and' as const), a: tie('ast'), b: tie('ast') }).map((r): Ast => r),
    tie('ast').map((a): Ast => ({ k: 'not', a })),
    fc.record({ a: tie('ast'), min: fc.integer({ min: 0, max: 3 }), extra: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(Infinity)) }).map((r): Ast => ({ k: 'rep', a: r.a, min: r.min, max: r.min + r.extra })),
  ),
})).ast;

function render(n: Ast): string {
  switch (n.k) {
    case 'lit':
      return n.c;
    case 'str':
      return `"${n.s}"`;
    case 'any':
      return '.';
    case 'cls':
      return `[${n.neg ? '^' : ''}${n.cs.join('')}]`;
    case 'cat':
      return `(${render(n.a)}${render(n.b)})`;
    case 'or':
      return `(${render(n.a)}|${render(n.b)})`;
    case 'and':
      return `(${render(n.a)}&${render(n.b)})`;
    case 'not':
      return `(~(${render(n.a)}))`;
    case 'rep': {
      const op = n.min === 0 && n.max === Infinity ? '*' : n.min === 1 && n.max === Infinity ? '+' : n.min === 0 && n.max === 1 ? '?' : n.max === Infinity ? `{${n.min},}` : `{${n.min},${n.max}}`;
      return `(${render(n.a)})${op}`;
    }
  }
}

/** End positions of the matches of `n` starting at `i` in `s` (code points): no automaton involved. */
function ends(n: Ast, s: string[], i: number): Set<number> {
  switch (n.k) {
    case 'lit':
      return new Set(s[i] === n.c ? [i + 1] : []);
    case 'str': {
      const cs = [...n.s];
      return new Set(cs.every((c, k) => s[i + k] === c) ? [i + cs.length] : []);
    }
    case 'any':
      return new Set(i < s.length ? [i + 1] : []);
    case 'cls':
      return new Set(i < s.length && n.cs.includes(s[i] as string) !== n.neg ? [i + 1] : []);
    case 'cat':
      return new Set([...ends(n.a, s, i)].flatMap((j) => [...ends(n.b, s, j)]));
    case 'or':
      return new Set([...ends(n.a, s, i), ...ends(n.b, s, i)]);
    case 'and': {
      const b = ends(n.b, s, i);
      return new Set([...ends(n.a, s, i)].filter((j) => b.has(j)));
    }
    case 'not': {
      const a = ends(n.a, s, i);
      return new Set(Array.from({ length: s.length - i + 1 }, (_, k) => i + k).filter((j) => !a.has(j)));
    }
    case 'rep': {
      let reached = new Set([i]);
      let all = new Set<number>(n.min === 0 ? [i] : []);
      for (let count = 1; count <= Math.min(n.max, n.min + s.length + 1); count++) {
        reached = new Set([...reached].flatMap((j) => [...ends(n.a, s, j)]));
        if (count >= n.min) all = new Set([...all, ...reached]);
        if (reached.size === 0) break;
      }
      return all;
    }
  }
}

const termArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 7 });

describe('automata against a reference matcher (fast-check)', () => {
  it('random Lucene regexps accept exactly what the reference accepts, in at most one step per code point', () => {
    fc.assert(
      fc.property(astArb, fc.array(termArb, { minLength: 1, maxLength: 8 }), (ast, terms) => {
        let dfa;
        try {
          dfa = compileLuceneRegExp(render(ast));
        } catch (e) {
          if (e instanceof TooComplexError) return;
          throw e;
        }
        for (const t of terms) {
          const { accepted, steps } = dfa.run(t.join(''));
          expect(accepted, `${render(ast)} on ${t.join('')}`).toBe(ends(ast, t, 0).has(t.length));
          expect(steps).toBeLessThanOrEqual(t.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random wildcards accept exactly what the reference accepts, in at most one step per code point', () => {
    const token = fc.constantFrom('a', 'b', '😀', '*', '?', '\\*', '\\?', '\\a');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), fc.array(termArb, { minLength: 1, maxLength: 8 }), (tokens, terms) => {
        const ast: Ast = tokens
          .map((t): Ast => (t === '*' ? { k: 'rep', a: { k: 'any' }, min: 0, max: Infinity } : t === '?' ? { k: 'any' } : { k: 'lit', c: t.startsWith('\\') ? (t[1] as string) : t }))
          .reduce((a: Ast, b: Ast): Ast => ({ k: 'cat', a, b }), { k: 'str', s: '' });
        const dfa = compileWildcard(tokens.join(''), false);
        for (const t of terms) {
          const { accepted, steps } = dfa.run(t.join(''));
          expect(accepted).toBe(ends(ast, t, 0).has(t.length));
          expect(steps).toBeLessThanOrEqual(t.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
