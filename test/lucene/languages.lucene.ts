import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import type { ChainToken, LuceneComponent } from './lucene-harness.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';
import { KSTEM_WORDS } from '../../src/engine/analysis/kstem-data.js';
import { RSLP_RULES } from '../../src/engine/analysis/rslp-rules.js';

/** Every suffix and exception of an RSLP rule file, so that each rule and exception is reached. */
const rslpAffixes = (file: 'galician' | 'portuguese'): string[] =>
  Object.values(RSLP_RULES[file]).flatMap((step) => step.rules.flatMap(([suffix, , , exceptions]) => [suffix, ...exceptions]));

/**
 * The non-Snowball language components (Arabic, Persian, Sorani, Indic, Greek, Czech, Latvian,
 * Bulgarian, Indonesian, German, Serbian, Scandinavian, Turkish and Irish) judged by Lucene 8.7's
 * own factories and analyzers: random words built from each language's letters and the endings
 * its rules know must give the same terms, offsets, positions and types.
 *
 * Lucene 8.7 and Lucene 9 differ here only where Lucene 9 added a component: PersianStemFilter
 * (`persian_stem`, stemmer `persian`) is Lucene 9.4's and has no 8.7 factory, so it is judged by
 * its own unit test (test/engine/analysis/language-filters.test.ts) from Lucene 9's rules.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

const chars = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** Per language: letters to build stems from, and whole endings (or prefixes) the rules look for. */
const ALPHABETS = {
  arabic: {
    letters: [...chars(0x0621, 0x064a), ...chars(0x064b, 0x0652), '\u0640', '\u0649', '\u0629'],
    affixes: ['ال', 'وال', 'بال', 'كال', 'فال', 'لل', 'و', 'ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ية', 'ه', 'ة', 'ي', 'أ', 'إ', 'آ'],
  },
  persian: {
    letters: [...chars(0x0621, 0x064a), '\u06CC', '\u06D2', '\u06A9', '\u06C0', '\u06C1', '\u0654', '\u200C', '\u0647'],
    affixes: ['ات', 'ان', 'ترين', 'تر', 'يي', 'ي', 'ها', '\u200C', 'ی', 'ک', 'ۀ'],
  },
  sorani: {
    letters: ['\u064A', '\u0649', '\u06CC', '\u0643', '\u06A9', '\u0647', '\u06D5', '\u200C', '\u06BE', '\u0629', '\u0631', '\u0695', '\u0692', '\u0640', '\u064E', '\u200E', 'ا', 'ن', 'د', 'م', 'ت', 'ێ', 'و', 'ب', 'ل'],
    affixes: ['دا', 'نا', 'ەوە', 'مان', 'یان', 'تان', 'ێکی', 'یەکی', 'ێک', 'یەک', 'ەکە', 'کە', 'ەکان', 'کان', 'یانی', 'انی', 'ان', 'یانە', 'انە', 'ایە', 'ەیە', 'ە', 'ی'],
  },
  hindi: {
    letters: [...chars(0x0900, 0x097f), '\u200C', '\u200D', 'क', 'र', 'न', 'त', 'ा', 'ि', 'े'],
    affixes: ['ाएंगी', 'ाएगा', 'ियाँ', 'ाकर', 'ाने', 'तीं', 'कर', 'ने', 'ता', 'ों', 'ें', 'ो', 'े', 'ी', 'ि', 'ा', 'न्', 'ँ', '़', 'क़'],
  },
  bengali: {
    // U+09FC-U+09FE are Unicode 10: Lucene 8.7's StandardTokenizer (Unicode 9) does not know them
    letters: [...chars(0x0980, 0x09fb), 'ক', '্', 'ষ', 'য', 'ব', 'া', 'ি', 'ঃ'],
    affixes: ['িয়াছিলাম', 'ি\u09DFাছিলাম', 'য়েদের', '\u09DFেদের', 'িতেছিলি', 'েদেরকে', 'ছিলাম', 'গুলো', 'েদের', 'লাম', 'দের', 'ের', 'কে', 'রা', 'ি', 'া', 'ে', 'ত', 'ক্ষি', '্য', '্যা', '্ব', 'ঃ'],
  },
  greek: {
    letters: [...chars(0x0386, 0x03ce).filter((c) => c !== '\u0387' && c !== '\u038B' && c !== '\u038D' && c !== '\u03A2'), 'σ', 'ς', 'ο', 'υ', 'α', 'ε'],
    affixes: ['αδεσ', 'εδων', 'ουδεσ', 'εωσ', 'ια', 'ιου', 'ικα', 'ικων', 'αμε', 'ηθηκαμε', 'ανε', 'ιουντανε', 'ουντανε', 'ετε', 'ησετε', 'οντασ', 'ομαστε', 'ιομαστε',
      'ιεστε', 'εστε', 'ηθηκεσ', 'ηκα', 'ουσεσ', 'ουσα', 'αγεσ', 'αγα', 'ησου', 'ησα', 'ηστε', 'ουνε', 'ησουνε', 'ουμε', 'ηθουμε', 'ματων', 'ματα', 'ιοντουσαν',
      'οντουσαν', 'ιεμαστε', 'ουνται', 'ονται', 'οταν', 'ουσ', 'οσ', 'ων', 'ος', 'ας', 'εστερ', 'οτατ', 'καθεστωτοσ', 'γεγονοσ', 'φωσ', 'κρεασ', 'Άκης', 'ΐ'],
    words: ['πατερασ', 'προσθηκες', 'ΜΙΑ', 'Μία', 'αρχοντασ', 'κρεοντασ', 'ονομαστε', 'ονιομαστε', 'τραγουδεσ', 'καλιακουδεσ', 'θεων', 'παρεων', 'διαθηκεσ',
      'αγαμε', 'τσαγανε', 'τρουντανε', 'τσοτανε', 'αβαρετε', 'πολυφαγα', 'ψοφαγα', 'χερσονησου', 'ασβηστε', 'νουνε', 'φουμε', 'μαντιλουσα', 'βελουδεσ'],
  },
  czech: {
    letters: ['a', 'e', 'i', 'o', 'u', 'ů', 'y', 'á', 'é', 'í', 'ý', 'ě', 'č', 'š', 'ž', 'c', 'z', 't', 'k', 'm', 'v', 'n', 'l', 'r'],
    affixes: ['atech', 'ětem', 'etem', 'atům', 'ech', 'ého', 'ími', 'ové', 'ými', 'em', 'es', 'ům', 'at', 'ou', 'mi', 'ov', 'in', 'ův', 'čt', 'št', 'ec', 'ůk', 'a', 'y', 'ě'],
  },
  latvian: {
    letters: ['a', 'e', 'i', 'o', 'u', 'ā', 'ī', 'ē', 'ū', 'k', 'š', 'ņ', 'ļ', 'ž', 'č', 'p', 'j', 'b', 'm', 'v', 's', 'n', 'l', 't'],
    affixes: ['ajiem', 'ajai', 'ajām', 'iem', 'ajā', 'ais', 'ai', 'ei', 'ām', 'us', 'os', 'ij', 'īs', 'ie', 'u', 'a', 'i', 'e', 'ū', 's', 'š', 'kšu', 'ņņu', 'pju', 'šņa', 'žļi', 'ļņu', 'ču'],
  },
  bulgarian: {
    letters: [...chars(0x0430, 0x044f)],
    affixes: ['ища', 'ият', 'ът', 'то', 'те', 'та', 'ия', 'ят', 'овци', 'ове', 'еве', 'ци', 'зи', 'еки', 'си', 'и', 'я', 'а', 'о', 'е', 'ен', 'ъл'],
  },
  indonesian: {
    letters: ['a', 'e', 'i', 'o', 'u', 'b', 'd', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'y', 'h', 'j'],
    affixes: ['kah', 'lah', 'pun', 'ku', 'mu', 'nya', 'meng', 'meny', 'men', 'mem', 'me', 'peng', 'peny', 'pen', 'pem', 'di', 'ter', 'ke', 'ber', 'be', 'per', 'pe', 'kan', 'an', 'i', 'si'],
    words: ['belajar', 'pelajar', 'bekerja', 'menyapu', 'penyanyi', 'penarik', 'membaca', 'dibacakan', 'kebersamaan', 'pemerintahan', 'bukunya', 'rumahku', 'apakah', 'pesepeda'],
  },
  german: {
    letters: ['a', 'e', 'i', 'o', 'u', 'ä', 'ö', 'ü', 'ß', 's', 'c', 'h', 't', 'n', 'd', 'm', 'r', 'g', 'z', 'l', 'A', 'S', '1', '-'],
    affixes: ['nd', 'em', 'er', 'e', 's', 'n', 't', 'erin', 'erinnen', 'sch', 'ch', 'ei', 'ie', 'ig', 'st', 'gege', 'ge', 'z', 'ss', 'ß'],
  },
  brazilian: {
    letters: ['a', 'e', 'i', 'o', 'u', 'á', 'â', 'ã', 'é', 'ê', 'í', 'ó', 'ô', 'õ', 'ú', 'ü', 'ç', 'ñ', 'b', 'c', 'd', 'g', 'l', 'm', 'n', 'r', 's', 't', 'v', 'A', 'Ç', '-', '.', '1'],
    affixes: ['uciones', 'imentos', 'adores', 'logias', 'encias', 'amente', 'idades', 'acoes', 'imento', 'ismos', 'logia', 'ucion', 'encia', 'mente', 'idade',
      'acao', 'ezas', 'icos', 'ismo', 'avel', 'ivel', 'ista', 'osos', 'ador', 'ivos', 'eiras', 'eira', 'eza', 'ico', 'oso', 'iva', 'issemos', 'ariamos', 'iremos',
      'avamos', 'asseis', 'arieis', 'irmos', 'iamos', 'areis', 'asses', 'assem', 'ardes', 'ariam', 'arias', 'estes', 'aveis', 'aria', 'asse', 'aste', 'arei', 'aram',
      'avam', 'arem', 'ando', 'endo', 'arao', 'adas', 'aras', 'avas', 'ares', 'ados', 'amos', 'ieis', 'ada', 'ida', 'ara', 'ira', 'iam', 'ado', 'ias', 'ais', 'eis',
      'ear', 'ia', 'ei', 'am', 'em', 'ar', 'er', 'ir', 'as', 'es', 'is', 'eu', 'iu', 'ou', 'os', 'a', 'i', 'o', 'e', 'gue', 'cie', 'ci', '"', "'", '!'],
    words: ['boataria', 'quilométricas', 'corações', 'brasileiros', 'felicidade', 'rapidamente', 'logias', 'terminologias', 'cantaríamos'],
  },
  galician: {
    letters: ['a', 'e', 'i', 'o', 'u', 'á', 'é', 'ê', 'í', 'ó', 'ú', 'ñ', 'b', 'c', 'd', 'g', 'l', 'm', 'n', 'r', 's', 't', 'x'],
    affixes: rslpAffixes('galician'),
    words: ['corresponderá', 'cancións', 'bons', 'mães', 'normais', 'papéis', 'cadrís', 'males', 'rapazóns', 'cantaremos'],
  },
  portuguese: {
    letters: ['a', 'e', 'i', 'o', 'u', 'á', 'à', 'â', 'ã', 'é', 'ê', 'í', 'ó', 'ô', 'õ', 'ú', 'ü', 'ç', 'b', 'c', 'd', 'l', 'm', 'n', 'r', 's', 't', 'ñ', 'ý'],
    affixes: rslpAffixes('portuguese'),
    words: ['quilométricas', 'corações', 'brasileiras', 'felizmente', 'cantaríamos', 'meninas', 'bons', 'mães'],
  },
  english: {
    letters: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'i', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u', 'v', 'y', 'z'],
    affixes: ['s', 'ies', 'es', 'sses', 'ous', 'ied', 'ed', 'ing', 'ity', 'ability', 'ibility', 'ivity', 'ality', 'ness', 'iness', 'ization', 'ition', 'ation',
      'ication', 'ion', 'izer', 'er', 'or', 'ier', 'eer', 'ly', 'ally', 'ably', 'ily', 'al', 'ical', 'ial', 'ive', 'ative', 'ize', 'ment', 'able', 'ible', 'ism',
      'ic', 'ency', 'ancy', 'ence', 'ance', 'un', 'ee', 'ss'],
    words: ['dogs', 'calories', 'aides', 'crosses', 'fled', 'died', 'hopping', 'microcoded', 'backfilled', 'unwanted', 'fingerspelling', 'immunity', 'capacity',
      'disappearance', 'happiness', 'definition', 'complication', 'amplification', 'resignation', 'heuristically', 'militarily', 'optimal', 'bibliographical',
      'injunctive', 'determinative', 'italians', 'aging', 'going', 'americans', 'programme', 'programmes', 'Dogs', 'x1s', 'supercalifragilisticexpialidociousnesses'],
  },
  finnish: {
    letters: ['a', 'e', 'i', 'o', 'u', 'y', 'ä', 'å', 'ö', 'h', 'k', 'p', 't', 's', 'n', 'l', 'd', 'j', 'm', 'r'],
    affixes: ['kin', 'ko', 'dellinen', 'dellisuus', 'lla', 'tse', 'sti', 'ni', 'aa', 'nnen', 'ntena', 'tten', 'eiden', 'neen', 'niin', 'seen', 'teen', 'inen', 'han', 'hyn',
      'den', 'ksen', 'ssa', 'sta', 'lta', 'tta', 'ksi', 'lle', 'na', 'ne', 'nei', 'ja', 'ta', 'a', 'an', 'n', 'hde', 'ei', 'at', 't', 's', 'j', 'e', 'i', 'o', 'u', 'kk', 'pp', 'tt'],
  },
  nordic: {
    letters: ['a', 'e', 'i', 'o', 'u', 'å', 'ä', 'ö', 'ø', 'æ', 'd', 'h', 'k', 'l', 'm', 'n', 'r', 's', 't', 'v', 'g'],
    affixes: ['elser', 'heten', 'arne', 'erna', 'ande', 'else', 'aste', 'orna', 'aren', 'are', 'ast', 'het', 'ar', 'er', 'or', 'en', 'at', 'te', 'et', 's', 't', 'a', 'e', 'n',
      'heter', 'heita', 'heiter', 'leiken', 'leikar', 'dom', 'heit', 'semd', 'leik', 'elsen', 'ende', 'este', 'eren', 'ere', 'est', 'ene', 'ane', 'st'],
  },
  russian: {
    letters: [...chars(0x0430, 0x044f), 'ё'],
    affixes: ['иями', 'оями', 'иям', 'иях', 'оях', 'ями', 'оям', 'оьв', 'ами', 'его', 'ему', 'ери', 'ими', 'ого', 'ому', 'ыми', 'оев', 'ая', 'яя', 'ях', 'юю', 'ах', 'ею', 'их',
      'ия', 'ию', 'ьв', 'ою', 'ую', 'ям', 'ых', 'ея', 'ам', 'ем', 'ей', 'ём', 'ев', 'ий', 'им', 'ое', 'ой', 'ом', 'ов', 'ые', 'ый', 'ым', 'ми', 'а', 'е', 'и', 'о', 'у', 'й',
      'ы', 'я', 'ь', 'нн', 'нь'],
  },
  serbian: {
    letters: [...chars(0x0430, 0x045f), 'đ', 'ž', 'č', 'ć', 'š', 'a', 'b', 'c'],
    affixes: ['ђ', 'љ', 'њ', 'џ', 'đ'],
  },
  scandinavian: {
    letters: ['a', 'A', 'e', 'E', 'o', 'O', 'å', 'Å', 'æ', 'Æ', 'ä', 'Ä', 'ö', 'Ö', 'ø', 'Ø', 'b', 'k', 'r'],
    affixes: ['aa', 'aA', 'Ao', 'ae', 'AE', 'oe', 'oo', 'OO', 'ao'],
  },
  turkish: {
    letters: ['I', 'i', 'İ', 'ı', '\u0307', '\u0301', 'A', 'Ş', 'Ğ', 'Ç', 'Ö', 'Ü', 'k', 'Z', 'Σ'],
    affixes: ['I\u0307', 'I\u0301\u0307', 'IZ', 'İ'],
  },
  irish: {
    letters: ['n', 't', 'A', 'E', 'I', 'O', 'U', 'Á', 'É', 'Í', 'Ó', 'Ú', 'a', 'h', 'B', 'r'],
    affixes: ['nA', 'tÉ', 'nÚ', 'ta'],
  },
} as const;

type Language = keyof typeof ALPHABETS;

function randomWord(r: Random, language: Language): string {
  const spec = ALPHABETS[language];
  if ('words' in spec && r() < 0.25) return pick(r, spec.words);
  const stem = Array.from({ length: int(r, 0, 6) }, () => pick(r, spec.letters)).join('');
  const a = pick(r, spec.affixes);
  const roll = r();
  if (roll < 0.45) return stem + a;
  if (roll < 0.65) return a + stem;
  if (roll < 0.8) return stem + a + pick(r, spec.affixes);
  return stem;
}

const randomText = (r: Random, language: Language): string => Array.from({ length: int(r, 1, 6) }, () => randomWord(r, language)).join(' ');

type EsToken = { token: string; start_offset: number; end_offset: number; position: number; type: string; positionLength?: number };

async function engineTokens(tokenizer: string, filter: unknown[], text: string): Promise<ChainToken[]> {
  const r = await t.client.indices.analyze({ tokenizer, filter: filter as never, text });
  return ((r.tokens ?? []) as EsToken[]).map((x) => [x.token, x.start_offset, x.end_offset, x.position, x.type, x.positionLength ?? 1]);
}

/** Each case: the language whose words it reads, the engine's filters, Lucene's factories. */
const FILTER_CASES: ReadonlyArray<readonly [Language, unknown[], LuceneComponent[]]> = [
  ['arabic', ['arabic_normalization'], [{ name: 'arabicNormalization' }]],
  ['arabic', ['arabic_stem'], [{ name: 'arabicStem' }]],
  ['arabic', ['arabic_normalization', { type: 'stemmer', language: 'arabic' }], [{ name: 'arabicNormalization' }, { name: 'arabicStem' }]],
  ['persian', ['arabic_normalization', 'persian_normalization'], [{ name: 'arabicNormalization' }, { name: 'persianNormalization' }]],
  ['sorani', ['sorani_normalization'], [{ name: 'soraniNormalization' }]],
  ['sorani', ['sorani_normalization', { type: 'stemmer', language: 'sorani' }], [{ name: 'soraniNormalization' }, { name: 'soraniStem' }]],
  ['hindi', ['indic_normalization'], [{ name: 'indicNormalization' }]],
  ['hindi', ['indic_normalization', 'hindi_normalization', { type: 'stemmer', language: 'hindi' }], [{ name: 'indicNormalization' }, { name: 'hindiNormalization' }, { name: 'hindiStem' }]],
  ['hindi', [{ type: 'stemmer', language: 'hindi' }], [{ name: 'hindiStem' }]],
  ['bengali', ['indic_normalization'], [{ name: 'indicNormalization' }]],
  ['bengali', ['bengali_normalization'], [{ name: 'bengaliNormalization' }]],
  ['bengali', [{ type: 'stemmer', language: 'bengali' }], [{ name: 'bengaliStem' }]],
  ['greek', [{ type: 'lowercase', language: 'greek' }], [{ name: 'greekLowerCase' }]],
  ['greek', [{ type: 'lowercase', language: 'greek' }, { type: 'stemmer', language: 'greek' }], [{ name: 'greekLowerCase' }, { name: 'greekStem' }]],
  ['brazilian', ['brazilian_stem'], [{ name: 'brazilianStem' }]],
  ['brazilian', ['lowercase', { type: 'stemmer', language: 'brazilian' }], [{ name: 'lowercase' }, { name: 'brazilianStem' }]],
  ['czech', ['czech_stem'], [{ name: 'czechStem' }]],
  ['english', ['kstem'], [{ name: 'kStem' }]],
  ['english', [{ type: 'stemmer', language: 'light_english' }], [{ name: 'kStem' }]],
  ['english', ['keyword_repeat', { type: 'stemmer', language: 'kstem' }], [{ name: 'keywordRepeat' }, { name: 'kStem' }]],
  ['galician', [{ type: 'stemmer', language: 'galician' }], [{ name: 'galicianStem' }]],
  ['finnish', [{ type: 'stemmer', language: 'light_finnish' }], [{ name: 'finnishLightStem' }]],
  ['nordic', [{ type: 'stemmer', language: 'light_swedish' }], [{ name: 'swedishLightStem' }]],
  ['nordic', [{ type: 'stemmer', language: 'light_norwegian' }], [{ name: 'norwegianLightStem', params: { variant: 'nb' } }]],
  ['nordic', [{ type: 'stemmer', language: 'light_nynorsk' }], [{ name: 'norwegianLightStem', params: { variant: 'nn' } }]],
  ['nordic', [{ type: 'stemmer', language: 'minimal_norwegian' }], [{ name: 'norwegianMinimalStem', params: { variant: 'nb' } }]],
  ['nordic', [{ type: 'stemmer', language: 'minimalNynorsk' }], [{ name: 'norwegianMinimalStem', params: { variant: 'nn' } }]],
  ['russian', [{ type: 'stemmer', language: 'light_russian' }], [{ name: 'russianLightStem' }]],
  ['galician', [{ type: 'stemmer', language: 'minimal_galician' }], [{ name: 'galicianMinimalStem' }]],
  ['portuguese', [{ type: 'stemmer', language: 'portuguese_rslp' }], [{ name: 'portugueseStem' }]],
  ['portuguese', [{ type: 'stemmer', language: 'minimal_portuguese' }], [{ name: 'portugueseMinimalStem' }]],
  ['latvian', [{ type: 'stemmer', language: 'latvian' }], [{ name: 'latvianStem' }]],
  ['bulgarian', [{ type: 'stemmer', language: 'bulgarian' }], [{ name: 'bulgarianStem' }]],
  ['indonesian', [{ type: 'stemmer', language: 'indonesian' }], [{ name: 'indonesianStem' }]],
  ['german', ['german_stem'], [{ name: 'germanStem' }]],
  ['serbian', ['serbian_normalization'], [{ name: 'serbianNormalization' }]],
  ['scandinavian', ['scandinavian_normalization'], [{ name: 'scandinavianNormalization' }]],
  ['scandinavian', ['scandinavian_folding'], [{ name: 'scandinavianFolding' }]],
  ['turkish', [{ type: 'lowercase', language: 'turkish' }], [{ name: 'turkishLowerCase' }]],
  ['irish', [{ type: 'lowercase', language: 'irish' }], [{ name: 'irishLowerCase' }]],
];

describe('non-Snowball language filters agree with Lucene', () => {
  for (const [language, es, luceneChain] of FILTER_CASES) {
    it(`${language}: ${JSON.stringify(es)} over 400 random texts`, async () => {
      const r = rng(language.length * 97 + JSON.stringify(es).length);
      const diffs: string[] = [];
      for (let n = 0; n < 400; n++) {
        const text = randomText(r, language);
        const expected = await lucene.chain({ name: 'whitespace' }, luceneChain, text);
        const actual = await engineTokens('whitespace', es, text);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
      }
      expect(diffs.slice(0, 5)).toEqual([]);
    });
  }
});

/** Each analyzer: the language whose words it reads, and Lucene's analyzer class. */
const ANALYZER_CASES: ReadonlyArray<readonly [string, Language, string]> = [
  ['arabic', 'arabic', 'ar.ArabicAnalyzer'],
  ['bengali', 'bengali', 'bn.BengaliAnalyzer'],
  ['brazilian', 'brazilian', 'br.BrazilianAnalyzer'],
  ['bulgarian', 'bulgarian', 'bg.BulgarianAnalyzer'],
  ['czech', 'czech', 'cz.CzechAnalyzer'],
  ['galician', 'galician', 'gl.GalicianAnalyzer'],
  ['greek', 'greek', 'el.GreekAnalyzer'],
  ['hindi', 'hindi', 'hi.HindiAnalyzer'],
  ['indonesian', 'indonesian', 'id.IndonesianAnalyzer'],
  ['latvian', 'latvian', 'lv.LatvianAnalyzer'],
  ['persian', 'persian', 'fa.PersianAnalyzer'],
  ['sorani', 'sorani', 'ckb.SoraniAnalyzer'],
];

/** A few stop words per language, so the stop filter's place in the chain is tested too. */
const STOPS = ['de', 'da', 'Não', 'dos', 'o', 'unha', 'من', 'و', 'که', 'এবং', 'и', 'a', 'και', 'के', 'dan', 'un', 'از', 'ها', 'کە', 'о', 'ا', 'यह', 'Και', 'ΤΟ', 'ΑΠΟ', '٣٤', '১২', '४२'];

describe('non-Snowball language analyzers agree with Lucene', () => {
  for (const [analyzer, language, luceneClass] of ANALYZER_CASES) {
    it(`${analyzer}: 400 random texts`, async () => {
      const r = rng(analyzer.length * 131);
      const diffs: string[] = [];
      for (let n = 0; n < 400; n++) {
        const words = Array.from({ length: int(r, 1, 7) }, () => (r() < 0.2 ? pick(r, STOPS) : randomWord(r, language)));
        const text = words.join(pick(r, [' ', ', ', '\u200C', ' - ']));
        const expected = (await lucene.analyze(`org.apache.lucene.analysis.${luceneClass}`, text)).map(([term, start, end, position]) => [term, start, end, position]);
        const actual = ((await t.client.indices.analyze({ analyzer, text })).tokens ?? []).map((x) => [x.token, x.start_offset, x.end_offset, x.position]);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
      }
      expect(diffs.slice(0, 5)).toEqual([]);
    });
  }
});

describe('KStem agrees with Lucene on its own dictionary', () => {
  it('4,000 dictionary words, bare and with inflectional and derivational endings', async () => {
    const dictionary = KSTEM_WORDS.flatMap((line) => line.split(' '));
    const r = rng(5150);
    const endings = ALPHABETS.english.affixes;
    const words = Array.from({ length: 4000 }, () => {
      const w = pick(r, dictionary);
      const roll = r();
      if (roll < 0.25) return w;
      if (roll < 0.9) return w + pick(r, endings);
      return w.slice(0, -1) + pick(r, endings);
    });
    const diffs: string[] = [];
    for (let i = 0; i < words.length; i += 100) {
      const text = words.slice(i, i + 100).join(' ');
      const expected = (await lucene.chain({ name: 'whitespace' }, [{ name: 'kStem' }], text)).map((x) => x[0]);
      const actual = ((await t.client.indices.analyze({ tokenizer: 'whitespace', filter: ['kstem'], text })).tokens ?? []).map((x) => x.token);
      expected.forEach((term, n) => {
        if (actual[n] !== term) diffs.push(`${words[i + n]}: engine ${actual[n]}, lucene ${term}`);
      });
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
