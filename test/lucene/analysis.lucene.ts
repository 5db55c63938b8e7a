import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import type { ChainToken, LuceneComponent } from './lucene-harness.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * Analysis components judged by Lucene 8.7's own factories (CustomAnalyzer by SPI name): random
 * texts full of delimiters, case changes, digits, possessives and non-Latin letters, through
 * random flag combinations, must give the same terms, offsets, positions, position lengths and
 * types from the engine's `_analyze` as from Lucene.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

const PIECES = [
  'the', 'a', 'of',
  'Wi-Fi', 'PowerShot', 'SD500', "O'Neil's", '500-42', 'j2se', '--', '...', 'wi_fi', 'AutoCoder!',
  'Super-Duper-XL500-42-AutoCoder!', 'ÄpfelBaum', '日本語', 'x', "'s", "A's+B's&C's", '123abc456', 'abcDEF',
  'ABCdef', 'e.g.', 'U.S.A.', '𝒜bc', 'café-au-lait', 'Ⅳv', '½', 'ª', 'hello---there', "'dude'", '$42', '33%',
  'MiXeD_CaSe-99x', "rock'n'roll", "JOHN'S", 'iPhone15Pro', 'α-β', 'Σσς', 'ǅx', 'ab\u0301c', '٣٤', 'x1', '1x',
];
const CHARS = ['a', 'B', 'c', 'D', '0', '7', '-', '_', "'", 's', 'S', '.', ',', '/', 'é', 'É', 'ª', '日', '½', '+', '&'];

function randomWord(r: Random): string {
  if (r() < 0.6) return pick(r, PIECES);
  let w = '';
  const n = int(r, 1, 9);
  for (let i = 0; i < n; i++) w += pick(r, CHARS);
  return w;
}

const randomText = (r: Random): string => Array.from({ length: int(r, 1, 6) }, () => randomWord(r)).join(pick(r, [' ', '  ', ' \t ']));

const WD_PARAMS = [
  ['generate_word_parts', 'generateWordParts', true],
  ['generate_number_parts', 'generateNumberParts', true],
  ['catenate_words', 'catenateWords', false],
  ['catenate_numbers', 'catenateNumbers', false],
  ['catenate_all', 'catenateAll', false],
  ['split_on_case_change', 'splitOnCaseChange', true],
  ['preserve_original', 'preserveOriginal', false],
  ['split_on_numerics', 'splitOnNumerics', true],
  ['stem_english_possessive', 'stemEnglishPossessive', true],
] as const;

/** Random word_delimiter(_graph) settings and the same as Lucene factory arguments. */
function randomWordDelimiter(r: Random, graph: boolean): { es: Record<string, unknown>; lucene: LuceneComponent } {
  const es: Record<string, unknown> = { type: graph ? 'word_delimiter_graph' : 'word_delimiter' };
  const params: Record<string, string> = {};
  for (const [esName, luceneName, fallback] of WD_PARAMS) {
    const value = r() < 0.5 ? fallback : r() < 0.5;
    if (value !== fallback || r() < 0.3) es[esName] = value;
    params[luceneName] = value ? '1' : '0';
  }
  if (graph) {
    const adjust = r() < 0.8;
    if (!adjust) es.adjust_offsets = false;
    params.adjustOffsets = String(adjust);
  }
  return { es, lucene: { name: graph ? 'wordDelimiterGraph' : 'wordDelimiter', params } };
}

type EsToken = { token: string; start_offset: number; end_offset: number; position: number; type: string; positionLength?: number };

async function engineTokens(tokenizer: string, filter: unknown[], text: string): Promise<ChainToken[]> {
  const r = await t.client.indices.analyze({ tokenizer, filter: filter as never, text });
  return ((r.tokens ?? []) as EsToken[]).map((x) => [x.token, x.start_offset, x.end_offset, x.position, x.type, x.positionLength ?? 1]);
}

async function compare(cases: number, seed: number, make: (r: Random) => { es: unknown[]; lucene: LuceneComponent[] }): Promise<string[]> {
  const r = rng(seed);
  const diffs: string[] = [];
  for (let n = 0; n < cases; n++) {
    const text = randomText(r);
    const chain = make(r);
    const tokenizer = r() < 0.85 ? 'whitespace' : 'keyword';
    const expected = await lucene.chain({ name: tokenizer }, chain.lucene, text);
    const actual = await engineTokens(tokenizer, chain.es, text);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      diffs.push(`${JSON.stringify(text)} ${tokenizer} ${JSON.stringify(chain.es)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
  }
  return diffs;
}

describe('analysis components agree with Lucene', () => {
  it('word_delimiter_graph: 1,500 random texts and flag combinations', async () => {
    const diffs = await compare(1500, 811, (r) => {
      const wd = randomWordDelimiter(r, true);
      return { es: [wd.es], lucene: [wd.lucene] };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it('word_delimiter: 1,500 random texts and flag combinations', async () => {
    const diffs = await compare(1500, 812, (r) => {
      const wd = randomWordDelimiter(r, false);
      return { es: [wd.es], lucene: [wd.lucene] };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it('keyword_repeat, a stemmer and remove_duplicates (the usual stem-and-keep chain), with word_delimiter_graph before them', async () => {
    const diffs = await compare(600, 813, (r) => {
      const es: unknown[] = [];
      const luceneChain: LuceneComponent[] = [];
      if (r() < 0.5) {
        const wd = randomWordDelimiter(r, true);
        es.push(wd.es);
        luceneChain.push(wd.lucene);
      }
      es.push('lowercase', 'keyword_repeat', 'porter_stem', 'remove_duplicates');
      luceneChain.push({ name: 'lowercase' }, { name: 'keywordRepeat' }, { name: 'porterStem' }, { name: 'removeDuplicates' });
      return { es, lucene: luceneChain };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

/** Words and endings that reach every rule of the light stemmers, per language. */
const LANGUAGES = {
  french: {
    lucene: 'org.apache.lucene.analysis.fr.FrenchAnalyzer',
    words: ["L'avion", "qu'il", "jusqu'à", 'chevaux', 'travaux', 'beaux', 'Élégantes', 'établissement', 'finissant', 'rapidement', 'naïvement',
      'vérificatrice', 'vérificateur', 'éducatrice', 'éducateur', 'admiratrice', 'amateur', 'actrice', 'deuxième', 'chanteuse', 'chanteur',
      'heureuse', 'boulangère', 'active', 'folle', 'molle', 'personnelle', 'personnel', 'complète', 'électronique', 'politesse', 'jardinage',
      'organisation', 'individualisation', 'organisateur', 'nation', 'définition', 'allée', 'succès', 'le', 'la', 'et', 'des', 'aussi', 'Ça'],
    endings: ['x', 'aux', 'eaux', 's', 'issement', 'issant', 'ement', 'ivement', 'ficatrice', 'ficateur', 'catrice', 'cateur', 'atrice', 'ateur',
      'trice', 'ième', 'teuse', 'teur', 'euse', 'ère', 'ive', 'folle', 'nnelle', 'nnel', 'ète', 'ique', 'esse', 'inage', 'isation', 'ualisation',
      'isateur', 'ation', 'ition', 'ie', 'er', 'ee', 'rr', 'é'],
  },
  german: {
    lucene: 'org.apache.lucene.analysis.de.GermanAnalyzer',
    words: ['Häuser', 'Bücher', 'Straße', 'größten', 'schönsten', 'Kindern', 'Frauen', 'gemacht', 'Mädchen', 'Quelle', 'Bauer', 'Häuschen',
      'Äpfel', 'Öfen', 'Übungen', 'aeußerst', 'Koeln', 'Muenchen', 'quer', 'Feuer', 'ist', 'der', 'die', 'und', 'sehr', 'Kaiserin'],
    endings: ['ern', 'em', 'en', 'er', 'es', 'e', 'bs', 'ds', 'ts', 'est', 'bst', 'nst', 'ae', 'oe', 'ue', 'ß', 'ä', 'ö', 'ü'],
  },
  spanish: {
    lucene: 'org.apache.lucene.analysis.es.SpanishAnalyzer',
    words: ['canciones', 'niños', 'casas', 'luces', 'peces', 'árboles', 'corriendo', 'rápidamente', 'intereses', 'meses', 'José', 'café',
      'el', 'la', 'de', 'que', 'también', 'Nación'],
    endings: ['o', 'a', 'e', 'eses', 'ces', 'os', 'as', 'es', 'ó', 'á', 'é', 'ü'],
  },
  italian: {
    lucene: 'org.apache.lucene.analysis.it.ItalianAnalyzer',
    words: ["l'amico", "dell'arte", "un'amica", 'amiche', 'ragazzi', 'librerie', 'bellissimo', 'specie', 'città', 'perché', 'negozio', 'camicia',
      'il', 'di', 'che', 'anche', 'Università'],
    endings: ['ie', 'he', 'e', 'hi', 'ii', 'i', 'ia', 'a', 'io', 'o', 'à', 'ò', 'ì'],
  },
  portuguese: {
    lucene: 'org.apache.lucene.analysis.pt.PortugueseAnalyzer',
    words: ['canções', 'pães', 'homens', 'papéis', 'animais', 'anzóis', 'fuzis', 'rapidamente', 'gatinha', 'brasileira', 'famosa', 'bonita',
      'leona', 'senhora', 'princesa', 'menina', 'professores', 'meses', 'luzes', 'o', 'de', 'que', 'também', 'Ação'],
    endings: ['es', 'res', 'ses', 'les', 'zes', 'ns', 'eis', 'éis', 'ais', 'óis', 'is', 'ões', 'ães', 'mente', 's', 'inha', 'iaca', 'eira',
      'osa', 'ica', 'ida', 'ada', 'iva', 'ama', 'ona', 'ora', 'esa', 'na', 'e', 'a', 'o'],
  },
} as const;

const STEM_CHARS = ['a', 'b', 'c', 'd', 'e', 'i', 'l', 'm', 'n', 'o', 'r', 's', 't', 'u', 'é', 'è', 'à', 'ç', 'ä', 'ö', 'ü', 'ß', 'ã', 'õ', 'î'];

describe('language analyzers agree with Lucene', () => {
  for (const [language, spec] of Object.entries(LANGUAGES)) {
    it(`${language}: 400 random texts of real words and rule endings`, async () => {
      const r = rng(900 + language.length);
      const diffs: string[] = [];
      for (let n = 0; n < 400; n++) {
        const words = Array.from({ length: int(r, 1, 8) }, () => {
          if (r() < 0.4) return pick(r, spec.words);
          const stem = Array.from({ length: int(r, 0, 7) }, () => pick(r, STEM_CHARS)).join('');
          return (r() < 0.2 ? stem.toUpperCase() : stem) + pick(r, spec.endings);
        });
        const text = words.join(' ');
        const expected = (await lucene.analyze(spec.lucene, text)).map(([term, start, end, position]) => [term, start, end, position]);
        const actual = ((await t.client.indices.analyze({ analyzer: language, text })).tokens ?? []).map((x) => [x.token, x.start_offset, x.end_offset, x.position]);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
      }
      expect(diffs.slice(0, 5)).toEqual([]);
    });
  }
});

describe('stemmer filter languages agree with Lucene', () => {
  const STEMMERS = [
    ['light_french', 'frenchLightStem', 'french'],
    ['minimal_french', 'frenchMinimalStem', 'french'],
    ['light_german', 'germanLightStem', 'german'],
    ['minimal_german', 'germanMinimalStem', 'german'],
    ['light_spanish', 'spanishLightStem', 'spanish'],
    ['light_italian', 'italianLightStem', 'italian'],
    ['light_portuguese', 'portugueseLightStem', 'portuguese'],
  ] as const;
  it('light and minimal stemmers, with german_normalization, over 300 texts each', async () => {
    const r = rng(977);
    const diffs: string[] = [];
    for (const [language, factory, words] of STEMMERS) {
      const spec = LANGUAGES[words];
      for (let n = 0; n < 300; n++) {
        const text = Array.from({ length: int(r, 1, 6) }, () =>
          r() < 0.4 ? pick(r, spec.words) : Array.from({ length: int(r, 0, 7) }, () => pick(r, STEM_CHARS)).join('') + pick(r, spec.endings),
        ).join(' ');
        const normalize = r() < 0.3;
        const es = ['lowercase', ...(normalize ? ['german_normalization'] : []), { type: 'stemmer', language }];
        const luceneChain: LuceneComponent[] = [{ name: 'lowercase' }, ...(normalize ? [{ name: 'germanNormalization' }] : []), { name: factory }];
        const expected = await lucene.chain({ name: 'standard' }, luceneChain, text);
        const actual = await engineTokens('standard', es, text);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${language} ${JSON.stringify(text)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('path_hierarchy agrees with Lucene', () => {
  it('400 random paths, forward and reverse, with delimiters, replacements and skips', async () => {
    const r = rng(991);
    const diffs: string[] = [];
    for (let n = 0; n < 400; n++) {
      const delimiter = pick(r, ['/', '.', '-']);
      const parts = Array.from({ length: int(r, 0, 5) }, () => pick(r, ['', 'a', 'usr', 'Local', 'x-y', 'b.c', '日本']));
      const text = (r() < 0.5 ? delimiter : '') + parts.join(delimiter) + (r() < 0.2 ? delimiter : '');
      const reverse = r() < 0.4;
      const skip = r() < 0.5 ? 0 : int(r, 1, 3);
      const replacement = r() < 0.3 ? '|' : undefined;
      const es = { type: 'path_hierarchy', delimiter, reverse, skip, ...(replacement ? { replacement } : {}) };
      const params: Record<string, string> = { delimiter, reverse: String(reverse), skip: String(skip), ...(replacement ? { replace: replacement } : {}) };
      const expected = await lucene.chain({ name: 'pathHierarchy', params }, [], text);
      const got = await t.client.indices.analyze({ tokenizer: es as never, text });
      const actual = ((got.tokens ?? []) as EsToken[]).map((x) => [x.token, x.start_offset, x.end_offset, x.position, x.type, x.positionLength ?? 1]);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)} ${JSON.stringify(es)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('the snowball English stemmer agrees with Lucene', () => {
  const SUFFIXES = [
    '', 's', "'s", "'", "'s'", 'sses', 'ied', 'ies', 'us', 'ss', 'eed', 'eedly', 'ed', 'edly', 'ing', 'ingly', 'at', 'bl', 'iz', 'bb', 'dd', 'ff', 'gg', 'mm',
    'nn', 'pp', 'rr', 'tt', 'y', 'Y', 'tional', 'enci', 'anci', 'abli', 'entli', 'izer', 'ization', 'ational', 'ation', 'ator', 'alism', 'aliti',
    'alli', 'fulness', 'ousli', 'ousness', 'iveness', 'iviti', 'biliti', 'bli', 'logi', 'ogi', 'fulli', 'lessli', 'li', 'cli', 'alize', 'icate',
    'iciti', 'ical', 'ful', 'ness', 'ative', 'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti',
    'ous', 'ive', 'ize', 'ion', 'sion', 'tion', 'e', 'l', 'll', 'ly', 'ying', 'yed',
  ];
  const STEMS = ['gener', 'commun', 'arsen', 'y', 'ay', "'", 'sky', 'new', 'inn', 'proce', 'succ', 'cr', 't', 'h', 'hop', 'fil', 'ab', 'b', 'ca', 'kiw'];
  const LETTERS = 'abcdefghijklmnopqrstuvwxyzaeiouyyy'.split('');
  const REAL = [
    'skis', 'skies', 'dying', 'lying', 'tying', 'idly', 'gently', 'ugly', 'early', 'only', 'singly', 'sky', 'news', 'howe', 'atlas', 'cosmos', 'bias',
    'andes', 'inning', 'innings', 'outing', 'canning', 'herring', 'earrings', 'proceed', 'exceeded', 'succeeding', 'consign', 'consigned',
    'consignment', 'generously', 'generation', 'communism', 'arsenal', 'cried', 'ties', 'gas', 'gaps', 'kiwis', 'hoped', 'hopping', 'luxuriating',
    'happy', 'sayyid', 'yell', 'youth', 'boy', 'boyish', 'cry', 'by', 'say', 'agreed', 'feed', 'bleed', 'fling', 'falling', 'filing', 'abbreviation',
  ];
  it('3,000 words: real words, rule endings on random stems', async () => {
    const r = rng(4242);
    const words = [...REAL];
    while (words.length < 3000) {
      const stem = r() < 0.3 ? pick(r, STEMS) : Array.from({ length: int(r, 1, 7) }, () => pick(r, LETTERS)).join('');
      words.push(stem + pick(r, SUFFIXES) + (r() < 0.15 ? pick(r, SUFFIXES) : ''));
    }
    const diffs: string[] = [];
    for (let i = 0; i < words.length; i += 100) {
      const text = words.slice(i, i + 100).join(' ');
      const expected = (await lucene.chain({ name: 'whitespace' }, [{ name: 'snowballPorter', params: { language: 'English' } }], text)).map((x) => x[0]);
      const actual = ((await t.client.indices.analyze({ tokenizer: 'whitespace', filter: ['snowball'], text })).tokens ?? []).map((x) => x.token);
      expected.forEach((term, k) => {
        if (actual[k] !== term) diffs.push(`${words[i + k]}: engine ${actual[k]}, lucene ${term}`);
      });
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});

describe('flatten_graph agrees with Lucene', () => {
  it('1,000 word_delimiter_graph graphs (with stop-word holes before them) flattened', async () => {
    const diffs = await compare(1000, 815, (r) => {
      const wd = randomWordDelimiter(r, true);
      const stop = r() < 0.4;
      return {
        es: [...(stop ? ['stop'] : []), wd.es, 'flatten_graph'],
        lucene: [...(stop ? [{ name: 'stop' }] : []), wd.lucene, { name: 'flattenGraph' }],
      };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('pattern_capture agrees with Lucene', () => {
  const PATTERNS = ['(\\w+)', '([a-z]+)', '(\\d+)', '(...)', '([A-Z]{2,})', '([a-z])([a-z]+)?', '(x)?(y)', '(a*)', '()', '([^-]+)-([^-]+)', '(?:^|_)([a-z]+)', '\\d', '((\\p{L})\\p{L}*)'];
  it('800 random terms, patterns and preserve_original', async () => {
    const r = rng(1234);
    const diffs: string[] = [];
    for (let n = 0; n < 800; n++) {
      const text = randomText(r);
      const pattern = pick(r, PATTERNS);
      const preserve = r() < 0.5;
      const es = [{ type: 'pattern_capture', patterns: [pattern], preserve_original: preserve }];
      const expected = await lucene.chain({ name: 'whitespace' }, [{ name: 'patternCaptureGroup', params: { pattern, preserve_original: String(preserve) } }], text);
      const actual = await engineTokens('whitespace', es, text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)} ${pattern} ${preserve}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
