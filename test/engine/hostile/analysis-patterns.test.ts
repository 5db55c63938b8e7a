import { describe, expect, it } from 'vitest';
import { analyzeRequest, createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { EngineError } from '../../../src/engine/errors.js';

/**
 * Issue 12: patterns in analysis settings are user input too. They run on RE2 (linear time), with
 * Java's flags read as Elasticsearch's Regex.flagsFromString reads them, and what RE2 cannot match
 * in linear time is refused with a 400 naming the pattern and the setting.
 */
const analyzeTerms = (body: Record<string, unknown>): string[] => (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);

function refusal(settings: Record<string, unknown>): EngineError {
  try {
    createAnalysisRegistry(settings);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('analysis patterns on RE2', () => {
  it('(a+)+b and (a|aa)*b over 40 a characters answer (a backtracking matcher takes ~2^40 steps)', () => {
    const text = `${'a'.repeat(40)} x`;
    expect(analyzeTerms({ tokenizer: { type: 'pattern', pattern: '(a+)+b' }, text })).toEqual([text]);
    expect(analyzeTerms({ char_filter: [{ type: 'pattern_replace', pattern: '(a|aa)*b', replacement: '' }], tokenizer: 'keyword', text })).toEqual([text]);
    expect(analyzeTerms({ tokenizer: 'keyword', filter: [{ type: 'pattern_replace', pattern: '(a+)+b', replacement: 'x' }], text })).toEqual([text]);
  });

  it('reads Java flags: CASE_INSENSITIVE|COMMENTS (whitespace and # comments dropped), LITERAL, and refuses an unknown one', () => {
    const pattern = ' X   # the separator\n | y ';
    expect(analyzeTerms({ tokenizer: { type: 'pattern', pattern, flags: 'CASE_INSENSITIVE|COMMENTS' }, text: 'axbYc' })).toEqual(['a', 'b', 'c']);
    expect(analyzeTerms({ tokenizer: { type: 'pattern', pattern: '.', flags: 'LITERAL' }, text: 'a.b' })).toEqual(['a', 'b']);
    expect(() => analyzeTerms({ tokenizer: { type: 'pattern', pattern: 'x', flags: 'CASE_INSENSITIVE|NOPE' }, text: 'axb' })).toThrow('Unknown regex flag [NOPE]');
  });

  it('keeps groups, named groups and a trailing lookahead (the docs example) as Java matches them', () => {
    expect(analyzeTerms({ tokenizer: 'keyword', filter: [{ type: 'pattern_replace', pattern: '(?<animal>dog)', replacement: 'watch${animal}' }], text: 'dogs' })).toEqual(['watchdogs']);
    expect(analyzeTerms({ tokenizer: 'keyword', char_filter: [{ type: 'pattern_replace', pattern: '(\\d+)-(?=\\d)', replacement: '$1_' }], text: '123-456-789' })).toEqual(['123_456_789']);
    expect(analyzeTerms({ tokenizer: { type: 'pattern', pattern: '"((?:\\\\"|[^"])+)"', group: 1 }, text: '"a", "b c"' })).toEqual(['a', 'b c']);
  });

  it('refuses backreferences and lookarounds with a 400 naming the pattern and the setting', () => {
    for (const [kind, settings, path, pattern] of [
      ['tokenizer', { tokenizer: { t: { type: 'pattern', pattern: '(a)\\1' } } }, 'index.analysis.tokenizer.t.pattern', '(a)\\1'],
      ['char_filter', { char_filter: { c: { type: 'pattern_replace', pattern: '(?<=a)b', replacement: '' } } }, 'index.analysis.char_filter.c.pattern', '(?<=a)b'],
      ['filter', { filter: { f: { type: 'pattern_replace', pattern: 'a(?!b)', replacement: '' } } }, 'index.analysis.filter.f.pattern', 'a(?!b)'],
    ] as const) {
      const error = refusal({ 'index.analysis': settings } as Record<string, unknown>);
      expect(error.status, kind).toBe(400);
      expect(error.message).toContain(`pattern [${pattern}] of [${path}]`);
    }
  });
});
