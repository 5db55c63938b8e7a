import { describe, expect, it } from 'vitest';
import { analyzeRequest, createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { persianStem } from '../../../src/engine/analysis/arabic-script.js';
import { engineError } from './token-helpers.js';

/**
 * The non-Snowball language analyzers and filters with the values of Elasticsearch's own REST
 * tests (modules/analysis-common 20_analyzers.yml) and Lucene 9's unit tests; the Lucene
 * judge (test/lucene/languages.lucene.ts) compares the same code with Lucene 8.7 on random words.
 */

type Json = Record<string, unknown>;
const terms = (body: Json) => (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);

describe('language analyzers (20_analyzers.yml)', () => {
  const CASES: ReadonlyArray<readonly [string, string, string[]]> = [
    ['arabic', 'كبيرة', ['كبير']],
    ['bengali', 'বাড়ী', ['বার']],
    ['brazilian', 'boataria', ['boat']],
    ['bulgarian', 'градове', ['град']],
    ['chinese', 'only for old indices', ['only', 'old', 'indices']],
    ['czech', 'Pokud mluvime o volnem', ['mluvim', 'voln']],
    ['galician', 'corresponderá', ['correspond']],
    ['greek', 'Μία', ['μια']],
    ['hindi', 'हिन्दी', ['हिंद']],
    ['indonesian', 'peledakan', ['ledak']],
    ['latvian', 'tirgiem', ['tirg']],
    ['persian', 'می\u200Cخورد', ['خورد']],
    ['sorani', 'پیاوە', ['پیاو']],
  ];
  for (const [analyzer, text, expected] of CASES) {
    it(`${analyzer}: ${text} -> ${expected.join(' ')}, pre-built and as an index analyzer type`, () => {
      expect(terms({ analyzer, text })).toEqual(expected);
      const registry = createAnalysisRegistry({ analysis: { analyzer: { my_analyzer: { type: analyzer } } } });
      expect(registry.analyzer('my_analyzer')?.analyze(text).map((t) => t.term)).toEqual(expected);
    });
  }

  it('persian does not stem (Lucene 9; stemming came with Lucene 10) and splits on the zero-width non-joiner', () => {
    expect(terms({ analyzer: 'persian', text: 'كتابها' })).toEqual(['كتابها']);
    expect(terms({ analyzer: 'persian', text: 'می\u200Cخورد' })).toEqual(['خورد']);
  });

  it('stem_exclusion keeps a word whole; stopwords replaces the language list', () => {
    // Arabic marks keywords after normalization (teh marbuta is heh by then), as Lucene's ArabicAnalyzer does
    const registry = createAnalysisRegistry({
      analysis: { analyzer: { kept: { type: 'arabic', stem_exclusion: ['كبيره'] }, raw: { type: 'arabic', stem_exclusion: ['كبيرة'] }, nostop: { type: 'hindi', stopwords: '_none_' } } },
    });
    expect(registry.analyzer('kept')?.analyze('كبيرة').map((t) => t.term)).toEqual(['كبيره']);
    expect(registry.analyzer('raw')?.analyze('كبيرة').map((t) => t.term)).toEqual(['كبير']);
    expect(registry.analyzer('nostop')?.analyze('के').map((t) => t.term)).toEqual(['के']);
    expect(terms({ analyzer: 'hindi', text: 'के' })).toEqual([]);
  });

  it('the sorani stop set holds the empty word, as Lucene reads its blank line: a token normalized to nothing is dropped', () => {
    expect(terms({ analyzer: 'sorani', text: 'ـ' })).toEqual([]);
    expect(terms({ tokenizer: 'whitespace', filter: ['sorani_normalization'], text: 'ـ' })).toEqual(['']);
  });

  it('thai is refused with a 400 naming it: its tokenizer is Java\'s dictionary BreakIterator', () => {
    const error = engineError(() => terms({ analyzer: 'thai', text: '๑๒๓๔' }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('thai');
  });
});

describe('language token filters', () => {
  it('persian_stem and stemmer persian strip Lucene 9\'s suffixes, each leaving two characters', () => {
    expect(persianStem('كتابها')).toBe('كتاب');
    expect(persianStem('بزرگترين')).toBe('بزرگ');
    expect(persianStem('ها')).toBe('ها');
    expect(terms({ tokenizer: 'whitespace', filter: ['persian_stem'], text: 'كتابها' })).toEqual(['كتاب']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'Persian' }], text: 'درختان' })).toEqual(['درخت']);
  });

  it('lowercase with language greek, turkish or irish; any other language is a 400', () => {
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'greek' }], text: 'ΟΔΟΣ Άκης' })).toEqual(['οδοσ', 'ακησ']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'turkish' }], text: 'KIZ İSTANBUL' })).toEqual(['kız', 'istanbul']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'irish' }], text: 'nAthair tUISCE' })).toEqual(['n-athair', 't-uisce']);
    const error = engineError(() => terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'klingon' }], text: 'x' }));
    expect([error.status, error.type, error.message]).toEqual([400, 'illegal_argument_exception', 'language [klingon] not support for lower case']);
  });

  it('the normalization filters work in normalizers', () => {
    const registry = createAnalysisRegistry({
      analysis: { normalizer: { ar: { type: 'custom', filter: ['arabic_normalization', 'persian_normalization', 'scandinavian_folding', 'serbian_normalization'] } } },
    });
    expect(registry.normalizer('ar')?.normalize('أحمد ی blåbær ђак')).toBe('احمد ي blabar djak');
  });

  it('german_stem is the old Caumanns stemmer, not Snowball', () => {
    // Caumanns strips e, s, n, t, em, er, nd down to three letters: häuser -> hauser -> haus -> hau
    expect(terms({ tokenizer: 'whitespace', filter: ['german_stem'], text: 'Häuser Matrizen Lehrerinnen' })).toEqual(['hau', 'matrix', 'lehreri']);
  });
});

describe('kstem (Krovetz, from Lucene KStemmer\'s dictionary)', () => {
  it('stems only into dictionary words, with the productive endings as defaults', () => {
    // dogs, happiness and definition are head words of the dictionary themselves, so they stay
    const text = 'cats dogs calories aides fled hopping immunity capacity happiness definition amplification italians aging programmes x1s';
    const expected = ['cat', 'dogs', 'calorie', 'aide', 'flee', 'hop', 'immune', 'capacity', 'happiness', 'definition', 'amplify', 'italy', 'age', 'programme', 'x1s'];
    expect(terms({ tokenizer: 'whitespace', filter: ['kstem'], text })).toEqual(expected);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'light_english' }], text })).toEqual(expected);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', name: 'lightEnglish' }], text: 'Cats cats' })).toEqual(['Cats', 'cat']);
  });

  it('leaves keyword-marked tokens alone', () => {
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'keyword_marker', keywords: ['cats'] }, 'kstem'], text: 'cats calories' })).toEqual(['cats', 'calorie']);
  });
});

describe('spanish_plural (Lucene 9\'s SpanishPluralStemmer; Lucene 8.7 has none to compare with)', () => {
  it('follows the plural rules of the source\'s own examples, accents off, invariants kept', () => {
    const pairs: ReadonlyArray<readonly [string, string]> = [
      ['casas', 'casa'], ['voces', 'voz'], ['jerseis', 'jersey'], ['brandis', 'brandy'], ['leyes', 'ley'], ['bambues', 'bambu'],
      ['amores', 'amor'], ['abades', 'abad'], ['relojes', 'reloj'], ['parques', 'parque'], ['crisis', 'crisis'], ['análisis', 'analisis'],
      ['jabalíes', 'jabali'], ['reses', 'res'], ['clubes', 'club'], ['Lunes', 'Lunes'], ['bus', 'bus'], ['relojs', 'reloj'],
    ];
    const text = pairs.map(([w]) => w).join(' ');
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'spanish_plural' }], text })).toEqual(pairs.map(([, stem]) => stem));
  });
});
