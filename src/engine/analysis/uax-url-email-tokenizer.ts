import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, makeToken, type Tokenizer } from './analysis-types.js';
import { DEFAULT_MAX_TOKEN_LENGTH, scanned, standardTokenAt } from './standard-tokenizer.js';
import { TLD_GROUPS, canStartUrlOrEmail, email, longest, strictHost, strictHostOfGroup, url } from './url-email-grammar.js';

/**
 * Lucene's UAX29URLEmailTokenizer (Elasticsearch's `uax_url_email`): the standard tokenizer's
 * UAX#29 rules plus URLs (`<URL>`) and e-mail addresses (`<EMAIL>`), with the scanner's semantics
 * of UAX29URLEmailTokenizerImpl.jflex: at each position the longest match over all rules wins, and
 * on a tie the rule written first. The rules, in order:
 *
 *   1. URL                                     -> <URL>
 *   2. strict host, then a character not [-\w] -> <URL> (the host)
 *   3-8. per TLD group g (0, 1, 2):
 *        strict host(g), then a [-\w] character   -> rescan from the same place without rules 3-8
 *        strict host(g)                            -> <URL>
 *   9. "mailto", then ":" and an e-mail          -> <ALPHANUM> (mailto)
 *   10. e-mail                                  -> <EMAIL>
 *   11. the standard tokenizer's rules
 *
 * A match that looks ahead counts the character it looks at in its length. Rules 3-8 keep
 * `example.comx` whole (a host glued to a word is not a URL, LUCENE-5391) while `example.com,`
 * is a URL. A rescan ends at the next token; a skipped character keeps it.
 *
 * `\w` is JFlex's: Alphabetic, decimal digits, connector punctuation and marks.
 */

const WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Pc}\p{M}]/u;
/** Lucene's MAX_TOKEN_LENGTH_LIMIT. */
const MAX_TOKEN_LENGTH_LIMIT = 1024 * 1024;

const isWordOrHyphen = (cp: number): boolean => cp === 0x2d || WORD_CHAR.test(String.fromCodePoint(cp));

/** Whether the printable ASCII run at `i` holds a character every URL, host or e-mail needs one of. */
function mayHoldUrlOrEmail(text: string, i: number, lim: number): boolean {
  for (let p = i; p < lim; p++) {
    const c = text.charCodeAt(p);
    if (c === 0x2e || c === 0x40 || c === 0x3a || c === 0x22) return true;
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return false;
}

/** Where the host of {@link hostThen}'s match ends. */
let hostEnd = -1;

/**
 * The longest host match followed (inside `lim`) by a character `follow` accepts: its length with
 * that character (the host's end in {@link hostEnd}), or -1.
 */
function hostThen(ends: readonly number[], text: string, i: number, lim: number, follow: (cp: number) => boolean): number {
  let best = -1;
  for (const h of ends) {
    if (h >= lim) continue;
    const cp = text.codePointAt(h) as number;
    const w = cp > 0xffff ? 2 : 1;
    if (h + w <= lim && follow(cp) && h + w - i > best) {
      best = h + w - i;
      hostEnd = h;
    }
  }
  return best;
}

const RULE_URL = 1;
const RULE_HOST_THEN_OTHER = 2;
const RULE_AVOID = 3;
const RULE_HOST = 4;
const RULE_MAILTO = 9;
const RULE_EMAIL = 10;
const RULE_STANDARD = 11;

/**
 * The scanner described at the top of this file.
 *
 * @example new UaxUrlEmailTokenizer().tokenize('mail me@x.org') // mail <ALPHANUM>, me@x.org <EMAIL>
 */
export class UaxUrlEmailTokenizer implements Tokenizer {
  readonly maxTokenLength: number;

  constructor(maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH) {
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 1 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
      throw illegalArgument(`maxTokenLength must be greater than 0 and less than ${MAX_TOKEN_LENGTH_LIMIT} passed: ${maxTokenLength}`);
    }
    this.maxTokenLength = maxTokenLength;
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const n = text.length;
    const max = this.maxTokenLength;
    let position = 0;
    let avoidBadUrl = false;
    let i = 0;
    while (i < n) {
      const lim = n - i > max ? i + max : n;
      let bestLength = 0;
      let rule = 0;
      let tokenEnd = -1;
      const consider = (length: number, r: number, end: number) => {
        if (length > bestLength) {
          bestLength = length;
          rule = r;
          tokenEnd = end;
        }
      };
      const c = text.charCodeAt(i);
      if (canStartUrlOrEmail(c) && mayHoldUrlOrEmail(text, i, lim)) {
        const u = longest(url(text, i, lim));
        if (u > 0) consider(u - i, RULE_URL, u);
        const hosts = strictHost(text, i, lim);
        const other = hostThen(hosts, text, i, lim, (cp) => !isWordOrHyphen(cp));
        if (other > 0) consider(other, RULE_HOST_THEN_OTHER, hostEnd);
        if (!avoidBadUrl) {
          for (let g = 0; g < TLD_GROUPS; g++) {
            const ofGroup = strictHostOfGroup(g)(text, i, lim);
            const glued = hostThen(ofGroup, text, i, lim, isWordOrHyphen);
            if (glued > 0) consider(glued, RULE_AVOID + 2 * g, -1);
            const h = longest(ofGroup);
            if (h > 0) consider(h - i, RULE_HOST + 2 * g, h);
          }
        }
        if ((c | 0x20) === 0x6d && text.slice(i, i + 7).toLowerCase() === 'mailto:' && i + 7 <= lim) {
          const e = longest(email(text, i + 7, lim));
          if (e > 0) consider(e - i, RULE_MAILTO, i + 6);
        }
        const e = longest(email(text, i, lim));
        if (e > 0) consider(e - i, RULE_EMAIL, e);
      }
      const standardEnd = standardTokenAt(text, i, n, max);
      if (standardEnd > 0) consider(standardEnd - i, RULE_STANDARD, standardEnd);
      if (rule === 0) {
        // Nothing starts here: skip the character (a rescan stays one).
        i = scanned.next;
        continue;
      }
      if (rule >= RULE_AVOID && rule < RULE_MAILTO && (rule - RULE_AVOID) % 2 === 0) {
        avoidBadUrl = true;
        continue;
      }
      avoidBadUrl = false;
      const type =
        rule === RULE_EMAIL ? '<EMAIL>' : rule === RULE_MAILTO ? TOKEN_TYPES.alphanum : rule === RULE_STANDARD ? scanned.type : '<URL>';
      out.push(makeToken(text.slice(i, tokenEnd), position++, i, tokenEnd, type));
      i = tokenEnd;
    }
    return out;
  }
}
