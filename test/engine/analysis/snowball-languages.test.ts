import { describe, expect, it } from 'vitest';
import { analyzeRequest } from '../../../src/engine/analysis/index.js';
import { createBuiltInAnalyzer } from '../../../src/engine/analysis/built-in-analyzers.js';
import { irishLowercase, turkishLowercase } from '../../../src/engine/analysis/language-lowercase.js';
import { SNOWBALL_LANGUAGES, snowballStemmer } from '../../../src/engine/analysis/snowball/snowball-languages.js';
import { engineError } from './token-helpers.js';
import { useTestClient } from '../helpers.js';

/**
 * The Snowball stemmers, the `snowball`/`stemmer` filters and the language analyzers on them, with
 * the values of Elasticsearch's own REST tests (modules/analysis-common 20_analyzers.yml) and
 * Lucene's. test/lucene/snowball.lucene.ts judges the same code against Lucene on random words.
 */

type Json = Record<string, unknown>;
const terms = (body: Json) => (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);
const configured = (type: string, settings: Json, text: string) => (createBuiltInAnalyzer(type, 'my', settings)?.analyze(text) ?? []).map((t) => t.term);

describe('language analyzers (20_analyzers.yml)', () => {
  const CASES: Array<[string, string, string[]]> = [
    ['armenian', 'արծիվ', ['արծ']],
    ['basque', 'zaldiak', ['zaldi']],
    ['catalan', 'llengües', ['llengu']],
    ['danish', 'undersøgelse', ['undersøg']],
    ['dutch', 'lidstaten', ['lidstat']],
    ['finnish', 'edeltäjiinsä', ['edeltäj']],
    ['hungarian', 'babakocsi', ['babakocs']],
    ['irish', 'siopadóireacht', ['siopadóir']],
    ['norwegian', 'havnedistriktene', ['havnedistrikt']],
    ['russian', 'Вместе с тем о', ['вмест']],
    ['swedish', 'jaktkarlarne', ['jaktkarl']],
    ['turkish', 'ağacı', ['ağaç']],
    ['estonian', 'teadaolevalt', ['teadaole']],
    ['lithuanian', 'vaikų', ['vaik']],
    ['serbian', 'будите шампиони', ['sampion']],
    // 20_analyzers.yml on Elasticsearch 9 expects absenț: Lucene 10's Romanian stemmer works on
    // comma-below letters; Lucene 9's (Elasticsearch 8's) knows the cedilla forms and keeps them
    ['romanian', 'absenţa', ['absenţ']],
  ];
  for (const [analyzer, text, expected] of CASES) {
    it(`${analyzer}: ${text}`, () => {
      expect(terms({ analyzer, text })).toEqual(expected);
    });
  }

  it('estonian: Lucene EstonianAnalyzer (stop words, Snowball Estonian of 2019)', () => {
    expect(terms({ analyzer: 'estonian', text: 'Raamatutest ja aastat' })).toEqual(['raama', 'aasta']);
    // irregular verbs are whole-word exceptions; -ki and -gi are emphasis
    expect(terms({ analyzer: 'estonian', text: 'jõin sõime kookki' })).toEqual(['joo', 'söö', 'kook']);
    // a partitive -t goes after a vowel only (agent stays)
    expect(terms({ analyzer: 'estonian', text: 'agent debüüt' })).toEqual(['agent', 'debüü']);
  });

  it('lithuanian: Lucene 9 LithuanianAnalyzer (stop words, Snowball Lithuanian)', () => {
    expect(terms({ analyzer: 'lithuanian', text: 'Vilniaus universitetas ir bibliotekos' })).toEqual(['viln', 'universitet', 'bibliotek']);
    expect(configured('lithuanian', { stem_exclusion: ['bibliotekos'] }, 'bibliotekos knygomis')).toEqual(['bibliotekos', 'knyg']);
  });

  it('serbian: Lucene 9 SerbianAnalyzer stems, then normalizes Cyrillic and diacritics to bald Latin', () => {
    // _serbian_ (156 words, Latin and Cyrillic) are dropped; the stem of Cyrillic and Latin spellings meets
    expect(terms({ analyzer: 'serbian', text: 'Ја сам у Београду и ja sam u Beogradu' })).toEqual(['ja', 'u', 'beograd', 'ja', 'u', 'beograd']);
    expect(terms({ analyzer: 'serbian', text: 'ćevapčići đaci' })).toEqual(['cevapcic', 'djac']);
    expect(configured('serbian', { stopwords: '_none_' }, 'i')).toEqual(['i']);
  });

  it('snowball: English by default, Dutch with its stop words and stemmer', () => {
    expect(terms({ analyzer: 'snowball', text: 'the brown foxes' })).toEqual(['brown', 'fox']);
    expect(configured('snowball', { language: 'Dutch' }, 'de bruine vossen')).toEqual(['bruin', 'voss']);
    // the language is not capitalized by the analyzer (SnowballFilter's class lookup is exact)
    expect(engineError(() => createBuiltInAnalyzer('snowball', 'my', { language: 'dutch' })).message).toContain('Invalid stemmer class specified: dutch');
    // English, Porter and Lovins drop possessives first; Turkish lowercases the Turkish way
    expect(configured('snowball', { language: 'Porter' }, "nation's")).toEqual(['nation']);
    expect(configured('snowball', { language: 'Lovins' }, "the nation's nationally")).toEqual(['th', 'nat', 'nat']);
    // German2 shares German's default stop words and reads ue as ü
    expect(configured('snowball', { language: 'German2' }, 'und die Bücher Buecher')).toEqual(['buch', 'buch']);
    expect(configured('snowball', { language: 'Turkish' }, 'KITAPLAR')).toEqual(['kıtap']);
    // languages without default stop words have none
    expect(configured('snowball', { language: 'Danish' }, 'og hestene')).toEqual(['og', 'hest']);
  });

  it('stopwords and stem_exclusion, as every Elasticsearch language analyzer takes them', () => {
    expect(terms({ analyzer: 'danish', text: 'og hestene bilerne' })).toEqual(['hest', 'bil']);
    expect(configured('danish', { stem_exclusion: ['hestene'], stopwords: ['bilerne'] }, 'og hestene bilerne')).toEqual(['og', 'hestene']);
    expect(configured('dutch', { stem_exclusion: ['kind'] }, 'kind ei')).toEqual(['kind', 'eier']);
  });

  it('dutch keeps Lucene\'s stem dictionary: fiets, bromfiets, ei -> eier, kind -> kinder', () => {
    expect(terms({ analyzer: 'dutch', text: 'fiets bromfiets ei kind fietsen' })).toEqual(['fiets', 'bromfiets', 'eier', 'kinder', 'fiets']);
  });

  it('catalan and irish elide, irish hyphenates n and t before capital vowels and drops h, n, t', () => {
    expect(terms({ analyzer: 'catalan', text: "l'home D'Artagnan" })).toEqual(['hom', 'artagn']);
    expect(terms({ analyzer: 'irish', text: "nAthair h tUisce d'fhág" })).toEqual(['athair', 'uisce', 'fág']);
  });

  it('turkish: apostrophe suffixes go, I is dotless, İ is i', () => {
    expect(terms({ analyzer: 'turkish', text: "Türkiye'de KITAP İstanbul" })).toEqual(['türki', 'kıtap', 'istanbul']);
  });
});

describe('snowball and stemmer filters', () => {
  it('the snowball filter takes the Lucene 9 Snowball languages it has, capitalized as Elasticsearch does', () => {
    expect(SNOWBALL_LANGUAGES).toEqual([
      'Arabic', 'Armenian', 'Basque', 'Catalan', 'Danish', 'Dutch', 'English', 'Estonian', 'Finnish', 'French', 'German', 'German2', 'Greek',
      'Hindi', 'Hungarian', 'Indonesian', 'Irish', 'Italian', 'Kp', 'Lithuanian', 'Lovins', 'Nepali', 'Norwegian', 'Porter', 'Portuguese',
      'Romanian', 'Russian', 'Serbian', 'Spanish', 'Swedish', 'Turkish', 'Yiddish',
    ]);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'snowball', language: 'danish' }], text: 'hestene' })).toEqual(['hest']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'snowball', language: 'Russian' }], text: 'книгами' })).toEqual(['книг']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'snowball', language: 'english' }], text: 'generously' })).toEqual(['generous']);
  });

  it('the Snowball 2.x languages of Lucene 9 stem as Snowball vocabularies say (snowball-vocab.lucene.ts has all of them)', () => {
    const stem = (language: string, word: string) => (snowballStemmer(language) as (w: string) => string)(word);
    expect(stem('Greek', 'ανθρώπων')).toBe('ανθρωπ');
    expect(stem('Hindi', 'लड़कियों')).toBe('लड़क');
    expect(stem('Indonesian', 'pembangunan')).toBe('bangun');
    expect(stem('Lithuanian', 'knygomis')).toBe('knyg');
    expect(stem('Serbian', 'ćevapčići')).toBe('ćevapčić');
    // Snowball 2.x's Russian reads ё as е and French's ë, ï as e, i (the older package did not)
    expect(stem('Russian', 'актёр')).toBe('актер');
    expect(stem('French', 'aiguë')).toBe('aigu');
    // German2: ae, oe, ue are umlauts, except in qu followed by two letters
    expect(stem('German2', 'Buecher'.toLowerCase())).toBe('buch');
    expect(stem('German2', 'quae')).toBe('quae');
    // Kraaij-Pohlmann: suffixes, then the ge- of a participle; Lovins: longest ending, then respelling
    expect(stem('Kp', 'lichamelijke')).toBe('lichamelijk');
    expect(stem('Kp', 'opgelopen')).toBe('oploop');
    expect(stem('Kp', 'gelopen')).toBe('loop');
    expect(stem('Lovins', 'nationally')).toBe('nat');
    // Yiddish: points and final letters normalized, ge- and -t of the participle gone
    expect(stem('Yiddish', 'געשפּילט')).toBe('שפיל');
  });

  it('arabic keeps punctuation as Lucene does (the package alone would delete it)', () => {
    const stem = snowballStemmer('Arabic') as (w: string) => string;
    expect(stem('%/*')).toBe('%/*');
    expect(stem('الكتاب')).toBe('كتاب');
    expect(stem('الكتاب!')).toBe('كتاب!');
    expect(stem('\u060Cالكتاب')).toBe('\u060Cالكتاب');
    // placeholders never collide with the word's own Private Use Area characters
    expect(stem('\uE000!\uE001')).toBe('\uE000!\uE001');
  });

  it('the Lucene 9 Snowball languages the engine lacks are a 400 naming them', () => {
    for (const language of ['Tamil']) {
      const error = engineError(() => analyzeRequest(undefined, { tokenizer: 'whitespace', filter: [{ type: 'snowball', language }], text: 'x' }));
      expect(error.status, language).toBe(400);
      expect(error.message).toBe(`[snowball language ${language}] is not supported by the indexkit embedded engine`);
    }
    // the stemmer filter's last resort is SnowballFilter by the capitalized name, as Elasticsearch's
    for (const language of ['tamil']) {
      const error = engineError(() => analyzeRequest(undefined, { tokenizer: 'whitespace', filter: [{ type: 'stemmer', language }], text: 'x' }));
      expect(error.message).toBe(`[snowball language ${language.charAt(0).toUpperCase() + language.slice(1)}] is not supported by the indexkit embedded engine`);
    }
    const klingon = engineError(() => analyzeRequest(undefined, { tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'klingon' }], text: 'x' }));
    expect([klingon.status, klingon.message]).toEqual([400, 'Invalid stemmer class specified: Klingon']);
  });

  it('the stemmer filter takes any other Snowball language by its capitalized class name (nepali is Nepali)', () => {
    const stem = snowballStemmer('Nepali') as (w: string) => string;
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'nepali' }], text: 'नेपालका' })).toEqual([stem('नेपालका')]);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'Porter' }], text: 'nationalities' })).toEqual(['nation']);
  });

  it('the stemmer filter names that run a Snowball stemmer give its stems', () => {
    const pairs: Array<[string, string]> = [
      ['danish', 'Danish'], ['dutch', 'Dutch'], ['finnish', 'Finnish'],
      ['hungarian', 'Hungarian'], ['norwegian', 'Norwegian'], ['russian', 'Russian'], ['swedish', 'Swedish'], ['turkish', 'Turkish'],
      ['romanian', 'Romanian'], ['basque', 'Basque'], ['catalan', 'Catalan'], ['armenian', 'Armenian'], ['irish', 'Irish'],
      ['german', 'German'], ['french', 'French'], ['spanish', 'Spanish'], ['italian', 'Italian'], ['portuguese', 'Portuguese'],
      ['german2', 'German2'], ['lithuanian', 'Lithuanian'], ['serbian', 'Serbian'], ['estonian', 'Estonian'], ['lovins', 'Lovins'],
      ['dutch_kp', 'Kp'], ['dutchKp', 'Kp'], ['kp', 'Kp'],
    ];
    const words = 'undersøgelse lidstaten edeltäjiinsä babakocsi havnedistriktene jaktkarlarne ağacı zaldiak llengües nationalities книгами Häuser';
    for (const [name, snowball] of pairs) {
      const stem = snowballStemmer(snowball) as (w: string) => string;
      expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: name }], text: words }), name).toEqual(words.split(' ').map(stem));
    }
  });

  it('stem_exclusion and keyword_marker keep words from the Snowball stemmer', () => {
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'keyword_marker', keywords: ['hestene'] }, { type: 'snowball', language: 'Danish' }], text: 'hestene bilerne' })).toEqual([
      'hestene',
      'bil',
    ]);
  });

  it('lowercase with language turkish and irish; others are refused', () => {
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'turkish' }], text: 'KIŞ İZMİR' })).toEqual(['kış', 'izmir']);
    expect(terms({ tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'irish' }], text: 'nAthair tÉan' })).toEqual(['n-athair', 't-éan']);
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: 'whitespace', filter: [{ type: 'lowercase', language: 'klingon' }], text: 'x' })).message).toBe(
      'language [klingon] not support for lower case',
    );
  });
});

describe('Turkish and Irish lowercasing as Lucene', () => {
  it('turkish: I before a combining dot above is i and the dot goes', () => {
    expect(turkishLowercase('I\u0307')).toBe('i');
    expect(turkishLowercase('I\u0316\u0307X')).toBe('i\u0316x');
    expect(turkishLowercase('II')).toBe('ıı');
  });

  it('irish: only an initial n or t before an uppercase vowel gets the hyphen', () => {
    expect(irishLowercase('nAthair')).toBe('n-athair');
    expect(irishLowercase('NAthair')).toBe('nathair');
    expect(irishLowercase('tb')).toBe('tb');
  });
});

describe('Snowball analyzers in an index', () => {
  const t = useTestClient();

  it('a danish text field and a custom analyzer with a snowball filter find inflected forms', async () => {
    await t.client.indices.create({
      index: 'sb',
      settings: {
        analysis: {
          filter: { ru_stem: { type: 'snowball', language: 'Russian' } },
          analyzer: { ru: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'ru_stem'] } },
        },
      },
      mappings: { properties: { da: { type: 'text', analyzer: 'danish' }, ru: { type: 'text', analyzer: 'ru' }, tr: { type: 'text', analyzer: 'turkish' } } },
    });
    await t.client.index({ index: 'sb', id: '1', document: { da: 'hestene løber', ru: 'книгами', tr: "Ankara'nın KITAPLARI" }, refresh: true });
    const hits = async (query: Json) => (await t.client.search({ index: 'sb', query })).hits.hits.map((h) => h._id);
    expect(await hits({ match: { da: 'hest' } })).toEqual(['1']);
    expect(await hits({ match: { ru: 'книга' } })).toEqual(['1']);
    expect(await hits({ match: { tr: 'kıtap ankara' } })).toEqual(['1']);
    const bad = await t.client.indices
      .create({ index: 'sb2', settings: { analysis: { filter: { x: { type: 'snowball', language: 'Klingon' as never } } } } })
      .catch((e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
    expect(bad).toBe(400);
  });

  it('estonian, lithuanian and serbian fields, and german2, lovins and dutch_kp stemmer filters, match inflected forms', async () => {
    await t.client.indices.create({
      index: 'sb3',
      settings: {
        analysis: {
          filter: {
            de2: { type: 'stemmer', language: 'german2' },
            lov: { type: 'stemmer', language: 'lovins' },
            kp: { type: 'stemmer', language: 'dutch_kp' },
          },
          analyzer: {
            de2: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'de2'] },
            lov: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'lov'] },
            kp: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'kp'] },
          },
        },
      },
      mappings: {
        properties: {
          et: { type: 'text', analyzer: 'estonian' },
          lt: { type: 'text', analyzer: 'lithuanian' },
          sr: { type: 'text', analyzer: 'serbian' },
          de: { type: 'text', analyzer: 'de2' },
          en: { type: 'text', analyzer: 'lov' },
          nl: { type: 'text', analyzer: 'kp' },
        },
      },
    });
    await t.client.index({
      index: 'sb3',
      id: '1',
      document: { et: 'raamatutest', lt: 'knygomis', sr: 'Београду', de: 'Buecher', en: 'nationally', nl: 'opgelopen' },
      refresh: true,
    });
    const hits = async (query: Json) => (await t.client.search({ index: 'sb3', query })).hits.hits.map((h) => h._id);
    expect(await hits({ match: { et: 'raamat' } })).toEqual(['1']);
    expect(await hits({ match: { lt: 'knyga' } })).toEqual(['1']);
    expect(await hits({ match: { sr: 'beograd' } })).toEqual(['1']);
    expect(await hits({ match: { de: 'Bücher' } })).toEqual(['1']);
    expect(await hits({ match: { en: 'nation' } })).toEqual(['1']);
    expect(await hits({ match: { nl: 'oploop' } })).toEqual(['1']);
    const refused = await t.client.indices
      .create({ index: 'sb4', settings: { analysis: { filter: { x: { type: 'snowball', language: 'Tamil' as never } } } } })
      .catch((e: { meta?: { statusCode?: number; body?: { error?: { reason?: string } } } }) => [e.meta?.statusCode, e.meta?.body?.error?.reason]);
    expect(refused).toEqual([400, '[snowball language Tamil] is not supported by the indexkit embedded engine']);
  });

  it('dutch_kp and lovins are answered with their 8.16+ deprecation warnings, other stemmers with none', async () => {
    const warnings = async (language: string) =>
      (
        await t.client.indices.analyze(
          { tokenizer: 'standard', filter: [{ type: 'stemmer', language }], text: 'lopen' } as never,
          { meta: true },
        )
      ).warnings;
    expect(await warnings('dutch_kp')).toEqual([expect.stringMatching(/^299 Elasticsearch-\S+ "The \[dutch_kp\] stemmer is deprecated and will be removed in a future version\."$/)]);
    expect(await warnings('kp')).toEqual([expect.stringContaining('The [dutch_kp] stemmer is deprecated')]);
    expect(await warnings('lovins')).toEqual([expect.stringContaining('"The [lovins] stemmer is deprecated and will be removed in a future version."')]);
    expect(await warnings('dutch')).toBeNull();
  });
});
