import { describe, expect, it } from 'vitest';
import { analyzeRequest, createAnalysisRegistry } from '../../../src/engine/analysis/index.js';

type AnalyzedToken = { token: string; start_offset: number; end_offset: number; type: string; position: number; positionLength?: number };

/** `token|type|start-end|position[/positionLength]` per token of an ad-hoc `_analyze`. */
function summary(filter: Record<string, unknown>, text: string, before: unknown[] = []): string[] {
  const tokens = analyzeRequest(undefined, { tokenizer: 'standard', filter: [...before, filter], text }).tokens as AnalyzedToken[];
  return tokens.map((t) => `${t.token}|${t.type}|${t.start_offset}-${t.end_offset}|${t.position}${t.positionLength ? `/${t.positionLength}` : ''}`);
}

describe('synonym_graph', () => {
  it('expands a word to a longer phrase, shifting later positions', () => {
    expect(summary({ type: 'synonym_graph', synonyms: ['ny, new york'] }, 'ny city')).toEqual([
      'new|SYNONYM|0-2|0',
      'ny|<ALPHANUM>|0-2|0/2',
      'york|SYNONYM|0-2|1',
      'city|<ALPHANUM>|3-7|2',
    ]);
  });

  it('maps a phrase to an acronym spanning its positions (docs example)', () => {
    expect(summary({ type: 'synonym_graph', synonyms: ['dns, domain name system'] }, 'domain name system is fragile')).toEqual([
      'dns|SYNONYM|0-18|0/3',
      'domain|<ALPHANUM>|0-6|0',
      'name|<ALPHANUM>|7-11|1',
      'system|<ALPHANUM>|12-18|2',
      'is|<ALPHANUM>|19-21|3',
      'fragile|<ALPHANUM>|22-29|4',
    ]);
  });

  it('replaces the left side of an explicit rule and closes the position gap', () => {
    expect(summary({ type: 'synonym_graph', synonyms: ['i-pod, i pod => ipod'] }, 'I-Pod rocks', ['lowercase'])).toEqual([
      'ipod|SYNONYM|0-5|0',
      'rocks|<ALPHANUM>|6-11|1',
    ]);
  });
});

describe('synonym', () => {
  it('stacks single-word synonyms on the original position, original first', () => {
    expect(summary({ type: 'synonym', synonyms: ['quick, fast'] }, 'the quick fox')).toEqual([
      'the|<ALPHANUM>|0-3|0',
      'quick|<ALPHANUM>|4-9|1',
      'fast|SYNONYM|4-9|1',
      'fox|<ALPHANUM>|10-13|2',
    ]);
  });

  it('maps every equivalent to the first one when expand is false', () => {
    expect(summary({ type: 'synonym', synonyms: ['ipod, i-pod, i pod'], expand: false }, 'i pod')).toEqual(['ipod|SYNONYM|0-5|0/2']);
  });

  it('analyzes rules with the chain before the filter (lowercase here)', () => {
    const registry = createAnalysisRegistry({
      analysis: {
        filter: { syn: { type: 'synonym', synonyms: ['Universe, COSMOS'] } },
        analyzer: { syn: { tokenizer: 'standard', filter: ['lowercase', 'syn'] } },
      },
    });
    expect(registry.analyzer('syn')?.analyze('The universe').map((t) => `${t.term}@${t.position}`)).toEqual(['the@0', 'universe@1', 'cosmos@1']);
  });

  it('rejects a rule whose terms the chain removes, unless lenient', () => {
    const settings = (lenient: boolean) => ({
      analysis: {
        filter: { syn: { type: 'synonym', synonyms: ['the, a => x', 'fast, quick'], lenient } },
        analyzer: { syn: { tokenizer: 'standard', filter: ['stop', 'syn'] } },
      },
    });
    expect(() => createAnalysisRegistry(settings(false))).toThrow('failed to build synonyms: term: the was completely eliminated by analyzer');
    expect(createAnalysisRegistry(settings(true)).analyzer('syn')?.analyze('fast').map((t) => t.term)).toEqual(['fast', 'quick']);
  });

  it('requires inline rules', () => {
    expect(() => createAnalysisRegistry({ analysis: { filter: { syn: { type: 'synonym' } } } })).toThrow(
      'synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured',
    );
  });
});
