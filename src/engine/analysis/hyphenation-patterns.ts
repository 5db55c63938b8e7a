import { EngineError, illegalArgument, unsupported } from '../errors.js';

/**
 * TeX hyphenation (Liang's algorithm) over patterns in the XML format of Apache FOP that Lucene's
 * HyphenationTree reads (`hyphenation_patterns_path`):
 *
 *   <hyphenation-info><hyphen-char value="-"/></hyphenation-info>
 *   <classes> aA bB ... </classes>        first character of each group: what the others normalize to
 *   <exceptions> ta-ble ... </exceptions> words hyphenated by hand (at the hyphen character)
 *   <patterns> .ab1c 2bc ... </patterns>  letters with interletter digits; `.` marks a word edge
 *
 * A word with a character in no class after its first letter is not hyphenated (characters in no
 * class before the first letter are skipped). Each pattern found in `.word.` raises the interletter
 * values it covers to its own; odd values are hyphenation points.
 */

/** Hyphenation points of a word: 0, the points, and the word's letter count; undefined when none. */
export type HyphenationPoints = readonly number[] | undefined;

const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] as string;
  });

/** The text inside the first `<name>...</name>`, or undefined. */
function elementText(xml: string, name: string): string | undefined {
  const open = new RegExp(`<${name}(\\s[^>]*)?>`).exec(xml);
  if (!open) return undefined;
  const start = open.index + open[0].length;
  const end = xml.indexOf(`</${name}>`, start);
  if (end < 0) throw new Error(`no </${name}>`);
  return xml.slice(start, end);
}

/** PatternParser.getInterletterValues: one digit per letter gap (0 unless the pattern gives one). */
function interletterValues(pattern: string): number[] {
  const values: number[] = [];
  const word = `${pattern}a`;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      values.push(c - 0x30);
      i++;
    } else values.push(0);
  }
  return values;
}

export class HyphenationTree {
  private readonly classes = new Map<string, string>();
  private readonly patterns = new Map<string, number[]>();
  private readonly exceptions = new Map<string, number[]>();
  private longestPattern = 0;

  /** Parses a FOP hyphenation file; throws (Elasticsearch answers "Exception while reading ...") on a malformed one. */
  constructor(xml: string) {
    const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/g, '').replace(/<\?[\s\S]*?\?>/g, '');
    if (!/<hyphenation-info[\s>]/.test(text)) throw new Error('not a hyphenation file: no <hyphenation-info>');
    const hyphenChar = /<hyphen-char\s+value\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
    const hyphen = hyphenChar === undefined || hyphenChar === '' ? '-' : decodeEntities(hyphenChar);
    for (const group of decodeEntities(elementText(text, 'classes') ?? '').split(/\s+/)) {
      if (group === '') continue;
      const canonical = group[0] as string;
      for (const ch of group) this.classes.set(ch, canonical);
    }
    const exceptions = elementText(text, 'exceptions');
    if (exceptions !== undefined) {
      if (/<hyphen[\s/>]/.test(exceptions)) throw unsupported('<hyphen> elements in hyphenation exceptions');
      for (const word of decodeEntities(exceptions).split(/\s+/)) {
        if (word === '') continue;
        const parts = word.split(hyphen);
        const points: number[] = [];
        let at = 0;
        for (const part of parts) points.push((at += part.length));
        this.exceptions.set(parts.join(''), points);
      }
    }
    for (const pattern of decodeEntities(elementText(text, 'patterns') ?? '').split(/\s+/)) {
      if (pattern === '') continue;
      const letters = pattern.replace(/[0-9]/g, '');
      this.patterns.set(letters, interletterValues(pattern));
      this.longestPattern = Math.max(this.longestPattern, letters.length);
    }
  }

  /**
   * Lucene's HyphenationTree.hyphenate(word, remainCharCount, pushCharCount): the hyphenation
   * points of `word` (UTF-16 indexes), with at least `remain` letters before and `push` after each.
   */
  hyphenate(word: string, remain: number, push: number): HyphenationPoints {
    let skipped = 0;
    let letters = '';
    let endOfLetters = false;
    for (let i = 0; i < word.length; i++) {
      const normal = this.classes.get(word[i] as string);
      if (normal === undefined) {
        if (i === skipped) skipped++;
        else endOfLetters = true;
      } else if (endOfLetters) {
        return undefined;
      } else {
        letters += normal;
      }
    }
    const len = letters.length;
    if (len < remain + push) return undefined;
    const points: number[] = [];
    const exception = this.exceptions.get(letters);
    if (exception !== undefined) {
      for (const j of exception) if (j >= remain && j < len - push) points.push(j + skipped);
    } else {
      const marked = `.${letters}.`;
      const values = new Array<number>(len + 3).fill(0);
      for (let i = 0; i < len + 1; i++) {
        for (let k = 1; k <= this.longestPattern && i + k <= marked.length; k++) {
          const found = this.patterns.get(marked.slice(i, i + k));
          if (found === undefined) continue;
          for (let v = 0; v < found.length && i + v < values.length; v++) {
            if ((found[v] as number) > (values[i + v] as number)) values[i + v] = found[v] as number;
          }
        }
      }
      for (let i = 0; i < len; i++) {
        if (((values[i + 1] as number) & 1) === 1 && i >= remain && i <= len - push) points.push(i + skipped);
      }
    }
    return points.length > 0 ? [0, ...points, len] : undefined;
  }
}

/** Parses a hyphenation patterns file with Elasticsearch's error for a bad one. */
export function loadHyphenationTree(xml: string): HyphenationTree {
  try {
    return new HyphenationTree(xml);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw illegalArgument('Exception while reading hyphenation_patterns_path.');
  }
}
