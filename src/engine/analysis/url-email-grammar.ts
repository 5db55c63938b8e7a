import { IANA_TLDS } from './iana-tlds.js';

/**
 * The URL and e-mail grammar of Lucene's UAX29URLEmailTokenizer (RFC 952/1035/1123 host names,
 * RFC 1738/3986 URLs, RFC 5321/5322 addresses), as matchers that return EVERY position where a
 * match starting at `at` can end. The tokenizer needs all of them, not the first one: Lucene's
 * scanner takes the longest match over all its rules, and some rules look one character past a
 * host name. A matcher never reads at or beyond `lim` (the scanner's buffer end).
 *
 *   host (strict)  "[" IPv6 "]" | IPv4 | label ("." label)* "." TLD "."?
 *   host (loose)   "[" IPv6 "]" | IPv4 | label ("." label)*
 *   URL            http(s)://[login@]looseHost[:port][/path][?query][#fragment]
 *                | strictHost followed by at least one of :port /path ?query #fragment
 *                | ftp://[login@]looseHost[:port]/path[;type=a|i|d][#fragment]
 *                | file://[looseHost]/path[#fragment]
 *   e-mail         local ("." local)* "@" (strictHost-by-name | "[" domain literal "]")
 *
 * TLDs come from IANA's list (iana-tlds.ts), grouped as Lucene's generator groups them
 * (LUCENE-8278): a TLD that is another one minus its last character, or minus its last two, sits
 * in its own group, because the scanner tries the groups' rules in order and that order decides
 * ties (see uax-url-email-tokenizer.ts).
 */

type Ends = readonly number[];
export type Matcher = (s: string, at: number, lim: number) => Ends;

const NONE: Ends = [];

const code = (s: string, p: number, lim: number): number => (p < lim ? s.charCodeAt(p) : -1);

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
const isHex = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

function seq(...parts: Matcher[]): Matcher {
  return (s, at, lim) => {
    let current: Ends = [at];
    for (const m of parts) {
      const next = new Set<number>();
      for (const p of current) for (const e of m(s, p, lim)) next.add(e);
      if (next.size === 0) return NONE;
      current = [...next];
    }
    return current;
  };
}

function alt(...parts: Matcher[]): Matcher {
  return (s, at, lim) => {
    const out = new Set<number>();
    for (const m of parts) for (const e of m(s, at, lim)) out.add(e);
    return [...out];
  };
}

const opt = (m: Matcher): Matcher => (s, at, lim) => {
  const ends = m(s, at, lim);
  return ends.includes(at) ? ends : [at, ...ends];
};

/** `m*`: every position reachable by repeating `m`, `at` included. */
const star = (m: Matcher): Matcher => (s, at, lim) => {
  const seen = new Set<number>([at]);
  const queue = [at];
  while (queue.length > 0) {
    const p = queue.pop() as number;
    for (const e of m(s, p, lim)) {
      if (!seen.has(e)) {
        seen.add(e);
        queue.push(e);
      }
    }
  }
  return [...seen];
};

/** `m{min,max}`. */
function rep(m: Matcher, min: number, max: number): Matcher {
  return (s, at, lim) => {
    let current: Ends = [at];
    const out = new Set<number>(min === 0 ? [at] : []);
    for (let k = 1; k <= max && current.length > 0; k++) {
      const next = new Set<number>();
      for (const p of current) for (const e of m(s, p, lim)) next.add(e);
      current = [...next];
      if (k >= min) for (const e of current) out.add(e);
    }
    return [...out];
  };
}

/** A literal, ASCII letters matched in either case when `anyCase`. */
function lit(text: string, anyCase = false): Matcher {
  const want = anyCase ? text.toLowerCase() : text;
  return (s, at, lim) => {
    if (at + want.length > lim) return NONE;
    for (let k = 0; k < want.length; k++) {
      let c = s.charCodeAt(at + k);
      if (anyCase && isAlpha(c)) c |= 0x20;
      if (c !== want.charCodeAt(k)) return NONE;
    }
    return [at + want.length];
  };
}

/** One character of a class. */
const one = (test: (c: number) => boolean): Matcher => (s, at, lim) => (test(code(s, at, lim)) ? [at + 1] : NONE);

/** `(class | "%" hex hex)*`: every end of the run, `at` included. */
function run(test: (c: number) => boolean, percentEncoded: boolean): Matcher {
  return (s, at, lim) => {
    const out = [at];
    let p = at;
    for (;;) {
      const c = code(s, p, lim);
      if (test(c)) p += 1;
      else if (percentEncoded && c === 0x25 && isHex(code(s, p + 1, lim)) && isHex(code(s, p + 2, lim))) p += 3;
      else return out;
      out.push(p);
    }
  };
}

const charSet = (chars: string): ((c: number) => boolean) => {
  const set = new Set([...chars].map((ch) => ch.charCodeAt(0)));
  return (c) => set.has(c);
};

// RFC 3986 character classes, as Lucene's grammar spells them.
const UNRESERVED = (c: number): boolean => isAlnum(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
const SUB_DELIMS = charSet("!$&'()*+,;=");
const QUERY_EXTRA = charSet(':@/?');
const HTTP_SEGMENT_EXTRA = charSet(';:@&=');
const FTP_SEGMENT_EXTRA = charSet('?:@&=');

/** An IPv4 octet: one to three digits worth at most 255 (leading zeros allowed). */
const octet: Matcher = (s, at, lim) => {
  const out: number[] = [];
  let value = 0;
  for (let k = 0; k < 3; k++) {
    const c = code(s, at + k, lim);
    if (!isDigit(c)) break;
    value = value * 10 + (c - 0x30);
    if (value > 255) break;
    out.push(at + k + 1);
  }
  return out;
};

const dot = lit('.');
const colon = lit(':');
const ipv4 = seq(octet, rep(seq(dot, octet), 3, 3));
const hex16 = rep(one(isHex), 1, 4);
const hex16Colon = seq(hex16, colon);
const ls32 = alt(ipv4, seq(hex16, colon, hex16));
const dc = lit('::');
/** `((hex16 ":"){0,k} hex16)?` */
const lead = (k: number): Matcher => opt(seq(rep(hex16Colon, 0, k), hex16));
const ipv6 = alt(
  seq(rep(hex16Colon, 6, 6), ls32),
  seq(dc, rep(hex16Colon, 5, 5), ls32),
  seq(opt(hex16), dc, rep(hex16Colon, 4, 4), ls32),
  seq(lead(1), dc, rep(hex16Colon, 3, 3), ls32),
  seq(lead(2), dc, rep(hex16Colon, 2, 2), ls32),
  seq(lead(3), dc, hex16, colon, ls32),
  seq(lead(4), dc, ls32),
  seq(lead(5), dc, hex16),
  seq(lead(6), dc),
);
const ipv6Host = seq(lit('['), ipv6, lit(']'));

/** A DNS label: starts and ends with a letter or digit, hyphens inside. */
const label: Matcher = (s, at, lim) => {
  if (!isAlnum(code(s, at, lim))) return NONE;
  const out: number[] = [];
  for (let p = at; ; p++) {
    const c = code(s, p, lim);
    if (isAlnum(c)) out.push(p + 1);
    else if (c !== 0x2d) return out;
  }
};
const labels = seq(label, star(seq(dot, label)));

/** TLD group (0: no TLD is it plus one character; 1, 2: a prefix of a longer TLD by that many). */
const TLD_GROUP = new Map<string, number>();
{
  const tlds = IANA_TLDS.trim().split(/\s+/);
  const known = new Set(tlds);
  const placed = new Set<string>();
  // Lucene's GenerateJflexTLDMacros: longest first (then alphabetical); each TLD not yet placed
  // goes to group 0, then its prefixes one, two... characters shorter, while they are TLDs not
  // yet placed, go to the group of that many characters.
  const order = [...tlds].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const tld of order) {
    if (placed.has(tld)) continue;
    placed.add(tld);
    TLD_GROUP.set(tld, 0);
    for (let k = 1; tld.length - k >= 2; k++) {
      const prefix = tld.slice(0, tld.length - k);
      if (!known.has(prefix) || placed.has(prefix)) break;
      placed.add(prefix);
      TLD_GROUP.set(prefix, k);
    }
  }
}
/** How many TLD groups the grammar has rules for (Lucene's has three). */
export const TLD_GROUPS = 3;
const LONGEST_TLD = Math.max(...[...TLD_GROUP.keys()].map((t) => t.length));

/** "." TLD "."? with the TLD in `group` (any group when undefined), in any letter case. */
function tld(group: number | undefined): Matcher {
  return (s, at, lim) => {
    if (code(s, at, lim) !== 0x2e) return NONE;
    const out: number[] = [];
    let name = '';
    for (let p = at + 1; p < lim && name.length < LONGEST_TLD; p++) {
      const c = s.charCodeAt(p);
      if (!isAlnum(c) && c !== 0x2d) break;
      name += String.fromCharCode(isAlpha(c) ? c | 0x20 : c);
      const g = TLD_GROUP.get(name);
      if (g !== undefined && (group === undefined || g === group)) {
        out.push(p + 1);
        if (code(s, p + 1, lim) === 0x2e) out.push(p + 2);
      }
    }
    return out;
  };
}

const strictHosts = [undefined, 0, 1, 2].map((g) => alt(ipv6Host, ipv4, seq(labels, tld(g))));
/** A host name ending in a known TLD, an IPv4 address or a bracketed IPv6 address. */
export const strictHost: Matcher = strictHosts[0] as Matcher;
/** {@link strictHost} with its TLD in one group (IP addresses belong to every group). */
export const strictHostOfGroup = (group: number): Matcher => strictHosts[group + 1] as Matcher;
const looseHost = alt(ipv6Host, ipv4, labels);

const loginSegment = run((c) => UNRESERVED(c) || SUB_DELIMS(c), true);
const login = seq(loginSegment, opt(seq(colon, loginSegment)), lit('@'));
const queryChars = run((c) => UNRESERVED(c) || SUB_DELIMS(c) || QUERY_EXTRA(c), true);
const query = seq(lit('?'), queryChars);
const fragment = seq(lit('#'), queryChars);
const port = seq(colon, rep(one(isDigit), 1, 5));
const httpPath = seq(lit('/'), run((c) => UNRESERVED(c) || HTTP_SEGMENT_EXTRA(c), true));
const httpPaths = seq(httpPath, star(httpPath));
const afterHost = seq(opt(port), opt(httpPaths), opt(query), opt(fragment));

const httpFull = seq(lit('http', true), opt(lit('s', true)), lit('://'), opt(login), looseHost, afterHost);
/** A scheme-less URL: a strict host and at least one of port, path, query, fragment. */
const httpNoScheme: Matcher = (s, at, lim) => {
  const out = new Set<number>();
  for (const host of strictHost(s, at, lim)) for (const e of afterHost(s, host, lim)) if (e > host) out.add(e);
  return [...out];
};
const ftpSegment = run((c) => UNRESERVED(c) || FTP_SEGMENT_EXTRA(c), true);
const ftpPath = seq(lit('/'), ftpSegment, star(seq(lit('/'), ftpSegment)));
const ftpType = seq(lit(';type=', true), one(charSet('aAiIdD')));
const ftp = seq(lit('ftp://', true), opt(login), looseHost, opt(port), ftpPath, opt(ftpType), opt(fragment));
const file = seq(lit('file://', true), opt(looseHost), ftpPath, opt(fragment));

/** Lucene's {URL}. */
export const url: Matcher = alt(httpFull, httpNoScheme, ftp, file);

// RFC 5322 atoms. Lucene's class [A-Za-z0-9!#$%&'*+-/=?\^_`{|}~] holds the range +-/, so it
// also takes ',' and '.'.
const ATOM = (c: number): boolean => isAlnum(c) || (c >= 0x2b && c <= 0x2f) || charSet("!#$%&'*=?^_`{|}~")(c);
const atoms: Matcher = (s, at, lim) => {
  const all = run(ATOM, false)(s, at, lim);
  return all.length > 1 ? all.slice(1) : NONE;
};
const isAscii = (c: number): boolean => c >= 0 && c <= 0x7f;
/** `[\u0001-\u007F] minus (excluded) | "\" ascii`, repeated: the inside of a quoted string or a domain literal. */
function escapedRun(excluded: (c: number) => boolean): Matcher {
  return (s, at, lim) => {
    const out = [at];
    let p = at;
    for (;;) {
      const c = code(s, p, lim);
      if (c === 0x5c && isAscii(code(s, p + 1, lim))) p += 2;
      else if (c >= 1 && c <= 0x7f && !excluded(c)) p += 1;
      else return out;
      out.push(p);
    }
  };
}
const quoted = seq(lit('"'), escapedRun((c) => c === 0x09 || c === 0x0a || c === 0x0d || c === 0x22 || c === 0x5c || c === 0x7f), lit('"'));
const localLabel = alt(atoms, quoted);
const localPart = seq(localLabel, star(seq(dot, localLabel)));
const domainLiteral = seq(lit('['), escapedRun((c) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x5b && c <= 0x5d)), lit(']'));
const emailDomain = alt(seq(labels, tld(undefined)), domainLiteral);

/** Lucene's {EMAIL}. */
export const email: Matcher = seq(localPart, lit('@'), emailDomain);

/** Characters a URL, host or e-mail match can start with. */
export const canStartUrlOrEmail = (c: number): boolean => ATOM(c) || c === 0x22 || c === 0x5b;

/** The largest of `ends`, or -1. */
export const longest = (ends: Ends): number => (ends.length === 0 ? -1 : Math.max(...ends));
