import { caseFold, cleanInput, parseFlagsWithAliases, readAffixFile } from './affix-file.js';
import type { AffixData } from './affix-file.js';

/**
 * A Hunspell dictionary: one affix file and one or more word (.dic) files, read as Lucene 9's
 * hunspell.Dictionary reads them. A .dic file's first line is its (approximate) word count;
 * then one entry a line: `word/FLAGS morphological fields`, where `\` escapes the next character,
 * a `/` after the first character starts the flags, and the word ends at a tab or at a space
 * followed by a field (`st:`, `po:`...). Lines that are empty or start with `#` or a tab are
 * skipped. Words are cleaned like the input (IGNORE, case folding when ignore_case, ICONV). An
 * entry in mixed case, or in upper case with flags, also gets a hidden title-case twin (Lucene 9's
 * HIDDEN_FLAG), found only when no visible entry has that spelling.
 */

/** Lucene's HIDDEN_FLAG (Hunspell's ONLYUPCASEFLAG). */
export const HIDDEN_FLAG = 65511;

export interface DictEntry {
  /** The entry's flags, one UTF-16 unit each. */
  flags: string;
  /** The `st:` field: the stem this entry gives instead of its own spelling. */
  stemException: string | undefined;
}

const FLAG_SEPARATOR = '\u001f';
const MORPH_SEPARATOR = '\u001e';

/** Java's Character.isLetter for one UTF-16 unit (near enough: letters of every script). */
const isLetter = (c: string | undefined): boolean => c !== undefined && /\p{L}/u.test(c);

function indexOfSpaceOrTab(text: string, start: number): number {
  const tab = text.indexOf('\t', start);
  const space = text.indexOf(' ', start);
  return tab >= 0 && space >= 0 ? Math.min(tab, space) : Math.max(tab, space);
}

/** Where the word (and its flags) ends: a tab, or a space followed by a `xx:` field. */
function morphBoundary(line: string): number {
  let end = indexOfSpaceOrTab(line, 0);
  if (end === -1) return line.length;
  while (end >= 0 && end < line.length) {
    if (line[end] === '\t' || (end > 0 && end + 3 < line.length && isLetter(line[end + 1]) && isLetter(line[end + 2]) && line[end + 3] === ':')) break;
    end = indexOfSpaceOrTab(line, end + 1);
  }
  return end === -1 ? line.length : end;
}

/** The entry with escapes resolved, FLAG_SEPARATOR before the flags and MORPH_SEPARATOR before the fields. */
function unescapeEntry(entry: string): string {
  let out = '';
  const end = morphBoundary(entry);
  for (let i = 0; i < end; i++) {
    const ch = entry[i] as string;
    if (ch === '\\' && i + 1 < entry.length) {
      out += entry[i + 1];
      i++;
    } else if (ch === '/' && i > 0) out += FLAG_SEPARATOR;
    else if (ch !== FLAG_SEPARATOR && ch !== MORPH_SEPARATOR) out += ch;
  }
  out += MORPH_SEPARATOR;
  for (let i = end; i < entry.length; i++) {
    const c = entry[i] as string;
    if (c !== FLAG_SEPARATOR && c !== MORPH_SEPARATOR) out += c;
  }
  return out;
}

/** Java's Character.isUpperCase / isLowerCase-with-an-upper-case for one unit (WordCase.charCase). */
function charCase(c: string): 'upper' | 'lower' | 'neutral' {
  if (/\p{Uppercase}/u.test(c)) return 'upper';
  // Java's toUpperCase(char) keeps a letter whose upper case is two characters (ß)
  const upper = c.toUpperCase();
  if (/\p{Lowercase}/u.test(c) && upper.length === 1 && upper !== c) return 'lower';
  return 'neutral';
}

export type WordCase = 'upper' | 'title' | 'lower' | 'mixed' | 'neutral';

/** Lucene's WordCase.caseOf. */
export function wordCaseOf(word: string): WordCase {
  const start = charCase(word[0] as string);
  let seenUpper = false;
  let seenLower = false;
  for (let i = 1; i < word.length; i++) {
    const cc = charCase(word[i] as string);
    if (cc === 'upper') seenUpper = true;
    else if (cc === 'lower') seenLower = true;
    if (seenUpper && seenLower) break;
  }
  if (seenUpper && seenLower) return 'mixed';
  if (start === 'lower') return seenUpper ? 'mixed' : 'lower';
  if (start === 'upper') return seenLower ? 'title' : 'upper';
  return seenLower ? 'lower' : seenUpper ? 'upper' : 'neutral';
}

/** Splits morphological data into its `xx:value` fields (through the AM aliases). */
function morphFields(data: AffixData, raw: string): string[] {
  let text = raw;
  if (data.morphAliases.length > 0 && /^\s*[+-]?\d+\s*$/.test(text)) {
    text = data.morphAliases[Number.parseInt(text.trim(), 10) - 1] ?? text;
  }
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || /\s/.test(text[i] as string)) {
      if (i - start > 3 && isLetter(text[start]) && isLetter(text[start + 1]) && text[start + 2] === ':') out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

export class HunspellDictionary {
  readonly words = new Map<string, DictEntry[]>();

  constructor(
    readonly aff: AffixData,
    dicFiles: readonly Uint8Array[],
  ) {
    // the entries of every file, as sorted lines (the sort decides the order of a word's homonyms)
    const lines: string[] = [];
    for (const bytes of dicFiles) {
      const text = aff.decode(bytes).split(/\r\n|\r|\n/);
      for (let k = 1; k < text.length; k++) {
        const raw = text[k] as string;
        if (raw === '' || raw[0] === '#' || raw[0] === '\t') continue;
        this.normalizedEntry(unescapeEntry(raw), lines);
      }
    }
    lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const groups = new Map<string, Array<DictEntry & { hidden: boolean }>>();
    for (const line of lines) {
      const flagSep = line.indexOf(FLAG_SEPARATOR);
      const end = line.indexOf(MORPH_SEPARATOR);
      let word: string;
      let flags = '';
      let hidden = false;
      if (flagSep === -1 || flagSep > end) {
        word = line.slice(0, end);
      } else {
        hidden = line.charCodeAt(flagSep + 1) === HIDDEN_FLAG;
        const flagPart = line.slice(flagSep + (hidden ? 2 : 1), end).trim();
        flags = flagPart === '' ? '' : parseFlagsWithAliases(aff, flagPart);
        if (hidden) flags += String.fromCharCode(HIDDEN_FLAG);
        word = line.slice(0, flagSep);
      }
      if (word === '') continue;
      let stemException: string | undefined;
      if (end + 1 < line.length) {
        const fields = morphFields(aff, line.slice(end + 1)).filter((f) => !f.startsWith('ph:')).sort();
        const st = fields.find((f) => f.startsWith('st:'));
        if (st !== undefined) stemException = st.slice(3);
      }
      let group = groups.get(word);
      if (!group) groups.set(word, (group = []));
      group.push({ flags, stemException, hidden });
    }
    for (const [word, group] of groups) {
      const visible = group.some((e) => !e.hidden);
      this.words.set(word, group.filter((e) => !visible || !e.hidden).map(({ flags, stemException }) => ({ flags, stemException })));
    }
  }

  private normalizedEntry(line: string, out: string[]): void {
    const flagSep = line.indexOf(FLAG_SEPARATOR);
    const morphSep = line.indexOf(MORPH_SEPARATOR);
    const sep = flagSep < 0 || flagSep > morphSep ? morphSep : flagSep;
    if (sep === 0) return;
    const word = cleanInput(line.slice(0, sep), this.aff);
    const rest = line.slice(sep);
    out.push(word + rest);
    if (word === '') return;
    const wc = wordCaseOf(word);
    if (wc === 'mixed' || (wc === 'upper' && flagSep > 0 && flagSep < morphSep)) {
      let title = (word[0] as string).toUpperCase().length === 1 ? (word[0] as string).toUpperCase() : (word[0] as string);
      for (let i = 1; i < word.length; i++) title += caseFold(word[i] as string, this.aff.alternateCasing);
      out.push(title + FLAG_SEPARATOR + String.fromCharCode(HIDDEN_FLAG) + rest.slice(rest[0] === FLAG_SEPARATOR ? 1 : 0));
    }
  }

  /** Reads an affix file and word files (their bytes). */
  static read(affix: Uint8Array, dics: readonly Uint8Array[], ignoreCase: boolean): HunspellDictionary {
    return new HunspellDictionary(readAffixFile(affix, ignoreCase), dics);
  }

  lookup(word: string): DictEntry[] | undefined {
    return this.words.get(word);
  }

  caseFold(c: string): string {
    return caseFold(c, this.aff.alternateCasing);
  }

  /** Whether the input needs IGNORE, case folding or ICONV. */
  get mayNeedCleaning(): boolean {
    return this.aff.ignoreCase || this.aff.ignore !== undefined || this.aff.iconv !== undefined;
  }
}
