/**
 * Unicode Word_Break classes (UAX#29) as Lucene's StandardTokenizer grammar uses them, with the
 * extra script classes its rules need (Han, Hiragana, Complex_Context, Hangul, emoji).
 *
 * JavaScript regular expressions expose scripts and general categories but not the Word_Break
 * property, so the classes are derived from those (the derivation UAX#29 itself gives) plus the
 * short explicit lists of MidLetter, MidNum, MidNumLet and ExtendNumLet characters. BMP classes
 * are cached in a 64K table filled lazily; Latin (below U+0300) is filled at load so the hot
 * path is one array read per character.
 */

export const WB_OTHER = 0;
export const WB_ALETTER = 1;
export const WB_HEBREW = 2;
export const WB_NUMERIC = 3;
export const WB_KATAKANA = 4;
export const WB_EXTEND_NUM_LET = 5;
export const WB_MID_LETTER = 6;
export const WB_MID_NUM = 7;
export const WB_MID_NUM_LET = 8;
export const WB_SINGLE_QUOTE = 9;
export const WB_DOUBLE_QUOTE = 10;
/** Extend or Format (WB4 attaches these to the preceding character). */
export const WB_EXTEND = 11;
export const WB_ZWJ = 12;
/** U+FE0E / U+FE0F variation selectors (Extend, but special in emoji sequences). */
export const WB_PRESENTATION = 13;
/** U+20E3 COMBINING ENCLOSING KEYCAP (Extend). */
export const WB_KEYCAP = 14;
export const WB_HAN = 15;
export const WB_HIRAGANA = 16;
/** Line_Break=Complex_Context: Thai, Lao, Myanmar, Khmer... kept together as one token. */
export const WB_SOUTHEAST_ASIAN = 17;
/** ALetter in the Hangul script (typed `<HANGUL>` when a token has nothing else). */
export const WB_HANGUL = 18;
/** Extended_Pictographic. */
export const WB_EMOJI = 19;
/** Emoji_Modifier (skin tones): Extend since Unicode 11. */
export const WB_EMOJI_MODIFIER = 20;
export const WB_REGIONAL_INDICATOR = 21;
/** A high surrogate: look the code point up with {@link astralClass}. */
export const WB_HIGH_SURROGATE = 22;

const UNKNOWN = 255;

/** Word_Break class of every BMP code unit; UNKNOWN until first seen. */
export const BMP_CLASS = new Uint8Array(65536).fill(UNKNOWN);

const MID_LETTER = [0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a];
const MID_NUM_LET = [0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e];
const MID_NUM = [
  0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b,
];
const EXTEND_NUM_LET = [0x5f, 0x202f, 0x203f, 0x2040, 0x2054, 0xfe33, 0xfe34, 0xfe4d, 0xfe4e, 0xfe4f, 0xff3f];
/** Characters UAX#29 counts as ALetter although they are not Alphabetic (modifier letters, geresh...). */
const EXTRA_ALETTER: ReadonlyArray<readonly [number, number]> = [
  [0x2c2, 0x2c5],
  [0x2d2, 0x2d7],
  [0x2de, 0x2df],
  [0x2e5, 0x2eb],
  [0x2ed, 0x2ed],
  [0x2ef, 0x2ff],
  [0x5f3, 0x5f3],
  [0xa708, 0xa716],
  [0xa720, 0xa721],
  [0xa789, 0xa78a],
  [0xab5b, 0xab5b],
];
/** Katakana Word_Break beyond Script=Katakana. */
const EXTRA_KATAKANA: ReadonlyArray<readonly [number, number]> = [
  [0x3031, 0x3035],
  [0x309b, 0x309c],
  [0x30a0, 0x30a0],
  [0x30fc, 0x30fc],
  [0xff70, 0xff70],
];
/** Grapheme_Cluster_Break=Prepend format characters, which Word_Break does not count as Format. */
const PREPEND_FORMAT = new Set([0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6dd, 0x70f, 0x8e2, 0x110bd, 0x110cd]);

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean =>
  ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

const RE_EXTEND = /^[\p{Grapheme_Extend}\p{Mc}]$/u;
const RE_FORMAT = /^\p{Cf}$/u;
const RE_EXT_PICT = /^\p{Extended_Pictographic}$/u;
const RE_EMOJI_MODIFIER = /^\p{Emoji_Modifier}$/u;
const RE_REGIONAL_INDICATOR = /^\p{Regional_Indicator}$/u;
const RE_HAN = /^\p{Script=Han}$/u;
const RE_HIRAGANA = /^\p{Script=Hiragana}$/u;
const RE_KATAKANA = /^\p{Script=Katakana}$/u;
const RE_SOUTHEAST_ASIAN =
  /^[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=Ahom}]$/u;
const RE_HEBREW_LETTER = /^(?=\p{Script=Hebrew})\p{Lo}$/u;
const RE_DIGIT = /^\p{Nd}$/u;
const RE_ALPHABETIC = /^\p{Alphabetic}$/u;
const RE_IDEOGRAPHIC = /^\p{Ideographic}$/u;
const RE_HANGUL = /^\p{Script=Hangul}$/u;
const RE_LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;

/** Computes the class of one code point (no caching). */
export function classifyCodePoint(cp: number): number {
  if (MID_LETTER.includes(cp)) return WB_MID_LETTER;
  if (MID_NUM_LET.includes(cp)) return WB_MID_NUM_LET;
  if (MID_NUM.includes(cp)) return WB_MID_NUM;
  if (EXTEND_NUM_LET.includes(cp)) return WB_EXTEND_NUM_LET;
  if (cp === 0x66b) return WB_NUMERIC; // ARABIC DECIMAL SEPARATOR is Numeric in Word_Break
  if (cp === 0x27) return WB_SINGLE_QUOTE;
  if (cp === 0x22) return WB_DOUBLE_QUOTE;
  if (cp === 0x200d) return WB_ZWJ;
  if (cp === 0xfe0e || cp === 0xfe0f) return WB_PRESENTATION;
  if (cp === 0x20e3) return WB_KEYCAP;
  if (cp >= 0xd800 && cp <= 0xdbff) return WB_HIGH_SURROGATE;
  if (cp >= 0xdc00 && cp <= 0xdfff) return WB_OTHER;
  const ch = String.fromCodePoint(cp);
  if (RE_REGIONAL_INDICATOR.test(ch)) return WB_REGIONAL_INDICATOR;
  if (RE_EMOJI_MODIFIER.test(ch)) return WB_EMOJI_MODIFIER;
  if (cp >= 0xe0020 && cp <= 0xe007f) return WB_EXTEND; // emoji tag characters
  if (RE_EXT_PICT.test(ch)) return WB_EMOJI;
  if (cp !== 0x200b && !PREPEND_FORMAT.has(cp) && (RE_EXTEND.test(ch) || RE_FORMAT.test(ch))) return WB_EXTEND;
  if (RE_HAN.test(ch)) return WB_HAN;
  if (RE_HIRAGANA.test(ch)) return WB_HIRAGANA;
  if (RE_KATAKANA.test(ch) || inRanges(cp, EXTRA_KATAKANA)) return WB_KATAKANA;
  if (RE_DIGIT.test(ch)) return WB_NUMERIC;
  if (RE_SOUTHEAST_ASIAN.test(ch) && RE_LETTER_OR_MARK.test(ch)) return WB_SOUTHEAST_ASIAN;
  if (RE_HEBREW_LETTER.test(ch)) return WB_HEBREW;
  if ((RE_ALPHABETIC.test(ch) && !RE_IDEOGRAPHIC.test(ch)) || inRanges(cp, EXTRA_ALETTER)) {
    return RE_HANGUL.test(ch) ? WB_HANGUL : WB_ALETTER;
  }
  return WB_OTHER;
}

/** Class of a BMP code unit, through the lazily filled table. */
export function bmpClass(code: number): number {
  const cls = BMP_CLASS[code] ?? UNKNOWN;
  if (cls !== UNKNOWN) return cls;
  const computed = classifyCodePoint(code);
  BMP_CLASS[code] = computed;
  return computed;
}

const ASTRAL_CLASS = new Map<number, number>();

/** Class of a supplementary code point (emoji, CJK extension B...), cached. */
export function astralClass(cp: number): number {
  let cls = ASTRAL_CLASS.get(cp);
  if (cls === undefined) {
    cls = classifyCodePoint(cp);
    ASTRAL_CLASS.set(cp, cls);
  }
  return cls;
}

/**
 * Class of the character at `i`, and its width in code units, packed as `class | width << 8`.
 * A lone surrogate is OTHER with width 1.
 */
export function classAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const cls = bmpClass(code);
  if (cls !== WB_HIGH_SURROGATE) return cls | 256;
  const low = text.charCodeAt(i + 1);
  if (low >= 0xdc00 && low <= 0xdfff) {
    return astralClass(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000) | 512;
  }
  return WB_OTHER | 256;
}

/** Whether WB4 attaches a character of this class to the one before it. */
export const isExtendClass = (cls: number): boolean =>
  cls === WB_EXTEND || cls === WB_ZWJ || cls === WB_PRESENTATION || cls === WB_KEYCAP || cls === WB_EMOJI_MODIFIER;

/** Class of the character at i: one table read for BMP text, classAt for the rest. */
export function cls(text: string, i: number): number {
  const v = BMP_CLASS[text.charCodeAt(i)] ?? 255;
  return v < WB_HIGH_SURROGATE ? v : classAt(text, i) & 255;
}

export function width(text: string, i: number): number {
  const v = BMP_CLASS[text.charCodeAt(i)] ?? 255;
  return v < WB_HIGH_SURROGATE ? 1 : classAt(text, i) >> 8;
}

/** Skips the Extend/Format/ZWJ characters after position i (WB4). */
export function skipExtend(text: string, i: number, end: number): number {
  while (i < end) {
    const c = cls(text, i);
    if (!isExtendClass(c)) return i;
    i += width(text, i);
  }
  return i;
}

// Latin is classified up front: the hot path never calls a regular expression for it.
for (let c = 0; c < 0x300; c++) bmpClass(c);
