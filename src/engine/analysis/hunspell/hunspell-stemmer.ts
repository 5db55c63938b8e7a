import type { Token } from '../../contract.js';
import type { TokenFilter } from '../analysis-types.js';
import { KEYWORD_TOKENS } from '../english-stemmers.js';
import { cleanInput } from './affix-file.js';
import type { Affix } from './affix-file.js';
import { hasFlag } from './flags.js';
import { wordCaseOf } from './hunspell-dictionary.js';
import type { DictEntry, HunspellDictionary, WordCase } from './hunspell-dictionary.js';

/**
 * Hunspell stemming as Lucene 9's hunspell.Stemmer does it (the version Elasticsearch 8 runs): a
 * word's stems are the dictionary entries it is, then the roots found by taking off one prefix or
 * suffix at a time. An affix is taken off when the text before (prefix) or after (suffix) matches
 * it, its condition holds on the root (strip restored), and the root's entry carries the affix's
 * flag. Cross-product affixes recurse once more: after a prefix, a suffix; after a suffix, a second
 * suffix whose flag the first one's continuation classes carry (twofold suffixes); with
 * COMPLEXPREFIXES, two prefixes and one suffix instead. NEEDAFFIX entries are stems only with an
 * affix (and NEEDAFFIX affixes only with another), ONLYINCOMPOUND entries and affixes never stand
 * alone, a CIRCUMFIX suffix is taken off only after a CIRCUMFIX prefix and the other way round.
 * Upper- and title-case words are also tried in title and lower case, with CHECKSHARPS's ss/ß
 * variants, and `SANT'ELIA` as `Sant'Elia`. OCONV is applied to the stems, and an entry's `st:`
 * field replaces its spelling. Since LUCENE-9769 (Lucene 9.0) stemming, unlike spell checking,
 * disregards KEEPCASE, FORBIDDENWORD and the hidden title-case twins' flag ("hunspell -s" does).
 */
export class HunspellStemmer {
  private readonly affixes: readonly Affix[];
  private readonly maxPrefix: number;
  private readonly maxSuffix: number;

  constructor(private readonly dict: HunspellDictionary) {
    this.affixes = dict.aff.affixes;
    this.maxPrefix = Math.max(0, ...[...dict.aff.prefixes.keys()].map((k) => k.length));
    this.maxSuffix = Math.max(0, ...[...dict.aff.suffixes.keys()].map((k) => k.length));
  }

  /** Every stem of `input`, in Lucene's order (duplicates kept). */
  stem(input: string): string[] {
    const word = this.dict.mayNeedCleaning ? cleanInput(input, this.dict.aff) : input;
    if (word.length === 0) return [];
    const out: string[] = [];
    this.doStem(word, out);
    const wc = this.caseOf(word);
    if (wc === 'upper' || wc === 'title') this.caseVariations(word, wc, out);
    return out;
  }

  /** The stems without repeats (compared ignoring case when the dictionary ignores case). */
  uniqueStems(input: string): string[] {
    const stems = this.stem(input);
    if (stems.length < 2) return stems;
    const seen = new Set<string>();
    const out: string[] = [];
    for (const s of stems) {
      const key = this.dict.aff.ignoreCase ? lowerCodePoints(s) : s;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
    return out;
  }

  private caseOf(word: string): WordCase {
    const first = word[0] as string;
    if (this.dict.aff.ignoreCase || /\p{Lowercase}/u.test(first)) return 'mixed';
    return wordCaseOf(word);
  }

  private caseVariations(word: string, wc: WordCase, out: string[]): void {
    let title: string | undefined;
    if (wc === 'upper') {
      title = word[0] as string;
      for (let i = 1; i < word.length; i++) title += this.dict.caseFold(word[i] as string);
      const apos = capitalizeAfterApostrophe(title);
      if (apos !== undefined) this.doStem(apos, out);
      this.doStem(title, out);
      for (const v of this.sharpSVariations(title)) this.doStem(v, out);
    }
    if (word[0] === 'İ' && !this.dict.aff.alternateCasing) return;
    const base = title ?? word;
    const lower = this.dict.caseFold(base[0] as string) + base.slice(1);
    this.doStem(lower, out);
    if (wc === 'upper') for (const v of this.sharpSVariations(lower)) this.doStem(v, out);
  }

  /** CHECKSHARPS: every way of writing the word's `ss` pairs as `ss` or `ß` (at most 6 pairs varied), but the word itself. */
  private sharpSVariations(word: string): string[] {
    if (!this.dict.aff.checkSharpS) return [];
    const replace = (start: number, depth: number): string[] | undefined => {
      if (depth > 5) return [word.slice(start)];
      const ss = word.indexOf('ss', start);
      if (ss < 0) return undefined;
      const prefix = word.slice(start, ss);
      const tails = replace(ss + 2, depth + 1) ?? [word.slice(ss + 2)];
      return tails.flatMap((t) => [`${prefix}ss${t}`, `${prefix}ß${t}`]);
    };
    return (replace(0, 0) ?? []).filter((s) => s !== word);
  }

  private newStem(word: string, entry: DictEntry): string {
    const stem = entry.stemException ?? word;
    return this.dict.aff.oconv ? this.dict.aff.oconv.apply(stem) : stem;
  }

  private doStem(word: string, out: string[]): void {
    const aff = this.dict.aff;
    for (const entry of this.dict.lookup(word) ?? []) {
      // a pseudo-stem that needs an affix, or a word only allowed inside compounds
      if (hasFlag(entry.flags, aff.needaffix) || hasFlag(entry.flags, aff.onlyincompound)) continue;
      out.push(this.newStem(word, entry));
    }
    this.strip(word, { previous: -1, prevFlag: 0, prefixId: -1, depth: 0, doPrefix: true, previousWasPrefix: false }, out);
  }

  private appended(affixId: number, flag: number): boolean {
    return affixId >= 0 && flag !== 0 && hasFlag((this.affixes[affixId] as Affix).appendFlags, flag);
  }

  private strip(word: string, s: StripState, out: string[]): void {
    const aff = this.dict.aff;
    if (s.doPrefix && aff.prefixes.size > 0) {
      const limit = Math.min(aff.fullStrip ? word.length + 1 : word.length, this.maxPrefix + 1);
      for (let i = 0; i < limit; i++) {
        for (const id of aff.prefixes.get(word.slice(0, i)) ?? []) {
          if (id === s.previous || !this.compatible(id, s, true)) continue;
          const root = this.stripAffix(word, i, id, true);
          if (root !== undefined) this.applyAffix(root, id, s, -1, true, out);
        }
      }
    }
    if (aff.suffixes.size > 0) {
      const limit = Math.max(aff.fullStrip ? 0 : 1, word.length - this.maxSuffix);
      for (let i = word.length; i >= limit; i--) {
        for (const id of aff.suffixes.get(word.slice(i)) ?? []) {
          if (id === s.previous || !this.compatible(id, s, false)) continue;
          const root = this.stripAffix(word, word.length - i, id, false);
          if (root !== undefined) this.applyAffix(root, id, s, s.prefixId, false, out);
        }
      }
    }
  }

  private compatible(id: number, s: StripState, isPrefix: boolean): boolean {
    const affix = this.affixes[id] as Affix;
    if (hasFlag(affix.appendFlags, this.dict.aff.onlyincompound)) return false;
    if (s.depth === 0) return true;
    // the second affix: any suffix after a prefix, else one whose continuation classes name the first
    if (affix.crossProduct) return (!isPrefix && s.previousWasPrefix) || hasFlag(affix.appendFlags, s.prevFlag);
    return false;
  }

  /** The root once the affix is taken off and its strip put back, or undefined when the condition fails. */
  private stripAffix(word: string, affixLength: number, id: number, isPrefix: boolean): string | undefined {
    const affix = this.affixes[id] as Affix;
    const rest = isPrefix ? word.slice(affixLength) : word.slice(0, word.length - affixLength);
    const root = isPrefix ? affix.strip + rest : rest + affix.strip;
    if (root.length === 0) return undefined;
    if (affix.condition !== undefined && !affix.condition.accepts(root)) return undefined;
    return root;
  }

  private applyAffix(root: string, id: number, s: StripState, prefixIdIn: number, prefix: boolean, out: string[]): void {
    const aff = this.dict.aff;
    const affix = this.affixes[id] as Affix;
    const flag = affix.flag;
    let prefixId = prefixIdIn;
    if (!this.needsAnotherAffix(id, s.previous, !prefix, prefixId)) {
      for (const entry of this.dict.lookup(root) ?? []) {
        if (!hasFlag(entry.flags, flag) && !this.appended(prefixId, flag)) continue;
        // with COMPLEXPREFIXES the second prefix was already checked against the first
        const chainedPrefix = aff.complexPrefixes && s.depth === 1 && prefix;
        if (!chainedPrefix && prefixId >= 0) {
          const prefixFlag = (this.affixes[prefixId] as Affix).flag;
          if (!hasFlag(entry.flags, prefixFlag) && !this.appended(id, prefixFlag)) continue;
        }
        if (hasFlag(entry.flags, aff.onlyincompound)) continue;
        out.push(this.newStem(root, entry));
      }
    }
    if (!affix.crossProduct || s.depth > 1) return;
    // recurse only where a second affix can follow: its continuation classes must name this flag
    const secondStagePrefix = aff.prefixContinuations.has(flag);
    const secondStageSuffix = aff.suffixContinuations.has(flag);
    let doPrefix: boolean;
    if (s.depth === 0) {
      if (prefix) {
        prefixId = id;
        doPrefix = aff.complexPrefixes && secondStagePrefix;
      } else if (!aff.complexPrefixes && secondStageSuffix) {
        doPrefix = false;
      } else return;
    } else {
      doPrefix = false;
      if (prefix && aff.complexPrefixes) prefixId = id;
      else if (prefix || aff.complexPrefixes || !secondStageSuffix) return;
    }
    this.strip(root, { previous: id, prevFlag: flag, prefixId, depth: s.depth + 1, doPrefix, previousWasPrefix: prefix }, out);
  }

  /** Whether the root must not be looked up yet: a NEEDAFFIX affix alone, or a CIRCUMFIX mismatch between prefix and suffix. */
  private needsAnotherAffix(id: number, previousAffix: number, isSuffix: boolean, prefixId: number): boolean {
    const { needaffix, circumfix } = this.dict.aff;
    if (isSuffix && this.appended(prefixId, circumfix) !== this.appended(id, circumfix)) return true;
    if (this.appended(id, needaffix)) return !isSuffix || previousAffix < 0 || this.appended(previousAffix, needaffix);
    return false;
  }
}

interface StripState {
  /** The affix taken off just before (not taken off again). */
  previous: number;
  /** Its flag, which a cross-product affix at the next level must carry among its continuation classes. */
  prevFlag: number;
  /** The (innermost) prefix taken off, whose flag the root must carry too. */
  prefixId: number;
  depth: number;
  doPrefix: boolean;
  previousWasPrefix: boolean;
}

/** `SANT'ELIA` folded to title case (`Sant'elia`) gets `Sant'Elia` too (Catalan, French, Italian). */
function capitalizeAfterApostrophe(word: string): string | undefined {
  for (let i = 1; i < word.length - 1; i++) {
    if (word[i] !== "'") continue;
    const next = word[i + 1] as string;
    const upper = next.toUpperCase();
    if (upper.length === 1 && upper !== next) return word.slice(0, i + 1) + upper + word.slice(i + 2);
  }
  return undefined;
}

function lowerCodePoints(s: string): string {
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : ch;
  }
  return out;
}

/**
 * Lucene's HunspellStemFilter: each token (not marked a keyword) is replaced by its stems, the
 * first in its place and the others after it at the same position; a word with no stem is kept.
 * `longest_only` keeps the longest stem (ties: the greatest text); `dedup` (when not longest_only)
 * drops repeated stems.
 */
export class HunspellStemFilter implements TokenFilter {
  private readonly stemmer: HunspellStemmer;
  private readonly dedup: boolean;

  constructor(dictionary: HunspellDictionary, dedup: boolean, private readonly longestOnly: boolean) {
    this.stemmer = new HunspellStemmer(dictionary);
    this.dedup = dedup && !longestOnly;
  }

  filter(tokens: Token[]): Token[] {
    const out: Token[] = [];
    for (const t of tokens) {
      if (KEYWORD_TOKENS.has(t)) {
        out.push(t);
        continue;
      }
      const stems = this.dedup ? this.stemmer.uniqueStems(t.term) : this.stemmer.stem(t.term);
      if (stems.length === 0) {
        out.push(t);
        continue;
      }
      if (this.longestOnly && stems.length > 1) {
        stems.sort((a, b) => b.length - a.length || (a < b ? 1 : a > b ? -1 : 0));
      }
      const rest = this.longestOnly ? [] : stems.slice(1);
      t.term = stems[0] as string;
      out.push(t);
      for (const s of rest) out.push({ ...t, term: s });
    }
    return out;
  }
}
