/**
 * The parts of a Hunspell affix (.aff) file that stemming uses, read as Lucene 9's
 * hunspell.Dictionary reads them: the encoding (`SET`, or a UTF-8 byte order mark) and flag type
 * (`FLAG`) from the file's first 30 KiB, then PFX/SFX classes, the special flags (NEEDAFFIX,
 * ONLYINCOMPOUND, KEEPCASE, CIRCUMFIX, FORBIDDENWORD), IGNORE, ICONV/OCONV, FULLSTRIP,
 * COMPLEXPREFIXES, CHECKSHARPS, LANG, and flag aliases (AF) and morphological aliases (AM). The
 * directives of spelling suggestion and compounding are read past (their extra lines consumed),
 * as stemming does not use them.
 */

import { ConvTable } from './conv-table.js';
import { AffixCondition } from './affix-condition.js';
import { flagParser } from './flags.js';
import type { FlagParser } from './flags.js';

/** A Java ParseException (or IllegalArgumentException) from reading the dictionary files. */
export class HunspellParseError extends Error {
  constructor(
    message: string,
    /** The Java exception's type as Elasticsearch names it. */
    readonly javaType = 'parse_exception',
  ) {
    super(message);
  }
}

export interface Affix {
  /** The class's flag. */
  flag: number;
  strip: string;
  /** The affix text after IGNORE/ICONV cleaning. */
  append: string;
  /** Continuation classes (flags as characters). */
  appendFlags: string;
  condition: AffixCondition | undefined;
  crossProduct: boolean;
}

/** The settings that cleaning and case folding need (shared by the .aff and .dic readers). */
export interface Cleaning {
  ignoreCase: boolean;
  ignore: string | undefined;
  iconv: ConvTable | undefined;
  alternateCasing: boolean;
}

export interface AffixData extends Cleaning {
  flags: FlagParser;
  decode: (bytes: Uint8Array) => string;
  affixes: Affix[];
  /** Affix ids by their (cleaned) text, in file order. */
  prefixes: Map<string, number[]>;
  suffixes: Map<string, number[]>;
  complexPrefixes: boolean;
  fullStrip: boolean;
  checkSharpS: boolean;
  /** Every flag named in a prefix's / a suffix's continuation classes (Lucene's second-stage flags). */
  prefixContinuations: Set<number>;
  suffixContinuations: Set<number>;
  needaffix: number;
  onlyincompound: number;
  keepcase: number;
  circumfix: number;
  forbiddenword: number;
  oconv: ConvTable | undefined;
  aliases: string[];
  morphAliases: string[];
}

const PROLOGUE = 30 * 1024;
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const isLatin1 = (name: string): boolean => ['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'iso88591'].includes(name.toLowerCase());
const CHARSET_ALIASES: Record<string, string> = { 'microsoft-cp1251': 'windows-1251', 'TIS620-2533': 'TIS-620' };

/** A decoder for a `SET` name (Java's Charset.forName through Lucene's aliases), with replacement of malformed input. */
export function decoderFor(name: string): (bytes: Uint8Array) => string {
  const canon = CHARSET_ALIASES[name] ?? name;
  const lower = canon.toLowerCase();
  // TextDecoder's "iso-8859-1" is windows-1252; Java's is Latin-1 proper
  if (isLatin1(lower)) return latin1;
  let decoder: { decode(b: Uint8Array): string };
  try {
    decoder = new TextDecoder(lower);
  } catch {
    throw new HunspellParseError(canon, 'unsupported_charset_exception');
  }
  return (b) => decoder.decode(b);
}


/** Java's String.split("\\s+") (trailing empty strings dropped). */
export function splitSpaces(line: string): string[] {
  // Java's \s: space, tab, line feed, vertical tab, form feed, carriage return
  const parts = line.split(/[ \t\n\v\f\r]+/);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's String.trim. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Java's Character.toLowerCase on one UTF-16 unit, or the Turkish/Azeri dotless i rule under LANG tr/az. */
export function caseFold(c: string, alternateCasing: boolean): string {
  if (alternateCasing) {
    if (c === 'I') return 'ı';
    if (c === 'İ') return 'i';
  }
  const lower = c.toLowerCase();
  // a unit whose lower case is not one unit (U+0130 -> i + combining dot) stays as Java's char mapping gives it
  return lower.length === 1 ? lower : c === 'İ' ? 'i' : c;
}

/** Dictionary.cleanInput: drops IGNORE characters, folds case when ignoreCase, applies ICONV. */
export function cleanInput(input: string, c: Cleaning): string {
  let out = '';
  for (const ch of input) {
    for (let k = 0; k < ch.length; k++) {
      const unit = ch[k] as string;
      if (c.ignore !== undefined && c.ignore.includes(unit)) continue;
      out += c.ignoreCase && c.iconv === undefined ? caseFold(unit, c.alternateCasing) : unit;
    }
  }
  if (c.iconv !== undefined) {
    out = c.iconv.apply(out);
    if (c.ignoreCase) out = [...out].map((u) => (u.length === 1 ? caseFold(u, c.alternateCasing) : u)).join('');
  }
  return out;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Reads an affix file's bytes. */
export function readAffixFile(bytes: Uint8Array, ignoreCase: boolean): AffixData {
  let body = bytes;
  let streamDecode = latin1;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    streamDecode = (b) => Buffer.from(b).toString('utf8');
  }
  // pass 1: SET and FLAG in the prologue
  let decode = streamDecode;
  let flagLine: string | undefined;
  let charsetFound = false;
  for (const line of lines(streamDecode(body.subarray(0, PROLOGUE - 1)))) {
    if (line.trim() === '') continue;
    const first = line.split(/\s/)[0];
    if (first === 'SET') {
      decode = decoderFor(singleArgument(line));
      charsetFound = true;
    } else if (first === 'FLAG') {
      flagLine = line;
    } else continue;
    if (charsetFound && flagLine !== undefined) break;
  }
  // the FLAG UTF-8 type reads flags as UTF-8 bytes only in a file decoded as Latin-1 (Lucene's DEFAULT_CHARSET)
  const isDefaultCharset = decode === latin1;
  const flags = flagLine === undefined ? flagParser('char', isDefaultCharset) : parseFlagLine(flagLine, isDefaultCharset);

  const data: AffixData = {
    flags, decode, affixes: [], prefixes: new Map(), suffixes: new Map(),
    ignoreCase, ignore: undefined, iconv: undefined, alternateCasing: false,
    complexPrefixes: false, fullStrip: false, checkSharpS: false, prefixContinuations: new Set(), suffixContinuations: new Set(),
    needaffix: 0, onlyincompound: 0, keepcase: 0, circumfix: 0, forbiddenword: 0,
    oconv: undefined, aliases: [], morphAliases: [],
  };
  let aliasCount: number | undefined;
  let morphAliasCount: number | undefined;
  const all = lines(decode(body));
  let at = 0;
  const next = (): string | undefined => (at < all.length ? all[at++] : undefined);
  const readCounted = (line: string): string[] => {
    const n = parseNum(line);
    const out: string[] = [];
    for (let k = 0; k < n; k++) {
      const l = next();
      if (l === undefined) throw new HunspellParseError(`Premature end of file after: ${line}`);
      out.push(l);
    }
    return out;
  };
  for (let raw = next(); raw !== undefined; raw = next()) {
    let line = raw;
    if (at === 1 && line.startsWith('\uFEFF')) line = line.slice(1);
    line = javaTrim(line);
    if (line === '') continue;
    const first = line.split(/\s/)[0] as string;
    const flag = (): number => flags.parseFlag(singleArgument(line));
    switch (first) {
      case 'AF': {
        const args = splitSpaces(line);
        if (aliasCount === undefined) aliasCount = Number.parseInt(args[1] ?? '', 10);
        else data.aliases.push(args.length === 1 ? '' : (args[1] as string));
        break;
      }
      case 'AM':
        if (morphAliasCount === undefined) morphAliasCount = Number.parseInt(line.slice(3), 10);
        else data.morphAliases.push(line.slice(2));
        break;
      case 'PFX':
      case 'SFX':
        parseAffixClass(data, line, first === 'PFX', next);
        break;
      case 'CIRCUMFIX': data.circumfix = flag(); break;
      case 'KEEPCASE': data.keepcase = flag(); break;
      case 'NEEDAFFIX':
      case 'PSEUDOROOT': data.needaffix = flag(); break;
      case 'ONLYINCOMPOUND': data.onlyincompound = flag(); break;
      case 'FORBIDDENWORD': data.forbiddenword = flag(); break;
      case 'CHECKSHARPS': data.checkSharpS = true; break;
      case 'FULLSTRIP': data.fullStrip = true; break;
      case 'IGNORE': data.ignore = singleArgument(line); break;
      case 'ICONV':
      case 'OCONV': {
        const table = new Map<string, string>();
        for (const l of readCounted(line)) {
          const parts = splitBySpace(l, 3, 3);
          if (table.has(parts[1] as string)) throw new HunspellParseError(`duplicate mapping specified for: ${parts[1]}`, 'illegal_state_exception');
          table.set(parts[1] as string, parts[2] as string);
        }
        if (first === 'ICONV') data.iconv = new ConvTable(table);
        else data.oconv = new ConvTable(table);
        break;
      }
      case 'LANG': {
        const lang = singleArgument(line);
        const code = lang.includes('_') ? lang.slice(0, lang.indexOf('_')) : lang;
        data.alternateCasing = code === 'tr' || code === 'az';
        break;
      }
      case 'REP':
        for (const l of readCounted(line)) splitBySpace(l, 3, Number.MAX_SAFE_INTEGER);
        break;
      case 'MAP':
      case 'BREAK':
      case 'COMPOUNDRULE':
      case 'CHECKCOMPOUNDPATTERN':
        readCounted(line);
        break;
      case 'MAXDIFF': {
        const n = Number.parseInt(singleArgument(line), 10);
        if (!(n >= 0 && n <= 10)) throw new HunspellParseError('MAXDIFF should be between 0 and 10');
        break;
      }
      case 'SET':
        if (decoderName(singleArgument(line)) !== decoderName(charsetFound ? firstSet(all) : undefined)) {
          throw new HunspellParseError(`SET directive should occur at most once, and in the first ${PROLOGUE} bytes of the *.aff file`);
        }
        break;
      case 'FLAG':
        if (parseFlagLine(line, isDefaultCharset).kind !== flags.kind) {
          throw new HunspellParseError(`FLAG directive should occur at most once, and in the first ${PROLOGUE} bytes of the *.aff file`);
        }
        break;
      default:
        if (line === 'COMPLEXPREFIXES') data.complexPrefixes = true;
    }
  }
  return data;
}

function firstSet(all: string[]): string | undefined {
  for (const l of all) if (l.split(/\s/)[0] === 'SET') return splitSpaces(l)[1];
  return undefined;
}

function decoderName(name: string | undefined): string {
  return (name === undefined ? 'ISO-8859-1' : CHARSET_ALIASES[name] ?? name).toLowerCase().replace(/[^a-z0-9]/g, '');
}

function parseFlagLine(line: string, defaultCharset: boolean): FlagParser {
  const parts = splitSpaces(line);
  if (parts.length !== 2) throw new HunspellParseError(`Illegal FLAG specification: ${line}`, 'illegal_argument_exception');
  const type = parts[1] as string;
  if (type === 'num' || type === 'UTF-8' || type === 'long') return flagParser(type, defaultCharset);
  throw new HunspellParseError(`Unknown flag type: ${type}`, 'illegal_argument_exception');
}

function splitBySpace(line: string, min: number, max: number): string[] {
  const parts = splitSpaces(line);
  if (parts.length < min || (parts.length > max && !(parts[max] as string).startsWith('#'))) {
    throw new HunspellParseError(`Invalid syntax: ${line}`);
  }
  return parts;
}

function singleArgument(line: string): string {
  return splitBySpace(line, 2, 2)[1] as string;
}

function parseNum(line: string): number {
  const n = Number(splitBySpace(line, 2, Number.MAX_SAFE_INTEGER)[1]);
  if (!Number.isInteger(n)) throw new HunspellParseError(`For input string: "${splitSpaces(line)[1]}"`, 'number_format_exception');
  return n;
}

function aliasValue(data: AffixData, id: string): string {
  const n = Number(id);
  const v = Number.isInteger(n) ? data.aliases[n - 1] : undefined;
  if (v === undefined) throw new HunspellParseError(Number.isInteger(n) ? `Bad flag alias number:${id}` : `For input string: "${id}"`, Number.isInteger(n) ? 'illegal_argument_exception' : 'number_format_exception');
  return v;
}

/** Flags of a .dic entry or an affix's continuation, through the AF aliases when there are any. */
export function parseFlagsWithAliases(data: AffixData, raw: string): string {
  return data.flags.parseFlags(data.aliases.length > 0 ? aliasValue(data, raw) : raw);
}

function parseAffixClass(data: AffixData, header: string, isPrefix: boolean, next: () => string | undefined): void {
  const args = splitSpaces(header);
  const cross = args[2] === 'Y';
  const count = Number(args[3]);
  if (args[3] === undefined || !/^[+-]?\d+$/.test(args[3])) throw new HunspellParseError(`Affix rule header expected; got ${header}`);
  const table = isPrefix ? data.prefixes : data.suffixes;
  for (let k = 0; k < count; k++) {
    const line = next();
    if (line === undefined) throw new HunspellParseError(`Premature end of rules for ${header}`);
    const rule = splitBySpace(line, 4, Number.MAX_SAFE_INTEGER);
    if (rule[1] !== args[1]) throw new HunspellParseError(`Affix rule mismatch. Header: ${header}; rule: ${line}`);
    const flag = data.flags.parseFlag(rule[1] as string);
    const strip = rule[2] === '0' ? '' : (rule[2] as string);
    let affixArg = rule[3] as string;
    let appendFlags = '';
    const sep = affixArg.lastIndexOf('/');
    if (sep !== -1) {
      const flagPart = affixArg.slice(sep + 1);
      affixArg = affixArg.slice(0, sep);
      appendFlags = parseFlagsWithAliases(data, flagPart);
      const continuations = isPrefix ? data.prefixContinuations : data.suffixContinuations;
      for (let f = 0; f < appendFlags.length; f++) continuations.add(appendFlags.charCodeAt(f));
    }
    if (affixArg === '0') affixArg = '';
    const conditionText = rule.length > 4 ? (rule[4] as string) : '.';
    const append = cleanInput(affixArg, data);
    const id = data.affixes.length;
    data.affixes.push({ flag, strip, append, appendFlags, condition: AffixCondition.compile(conditionText, isPrefix, strip), crossProduct: cross });
    const ids = table.get(append);
    if (ids) ids.push(id);
    else table.set(append, [id]);
  }
}
