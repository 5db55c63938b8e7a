import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import type { ChainToken } from './lucene-harness.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';
import { IANA_TLDS } from '../../src/engine/analysis/iana-tlds.js';

/**
 * The uax_url_email tokenizer judged by Lucene 8.7's UAX29URLEmailTokenizer (factory
 * `uax29UrlEmail`): random texts of URLs (http, https, ftp, file, scheme-less), hosts, e-mail
 * addresses (quoted local parts, domain literals), IPv4 and IPv6 addresses, hosts glued to words,
 * punctuation, non-ASCII letters and ideographs must give the same terms, offsets, positions and
 * types from the engine's `_analyze` as from Lucene, with the default and small max_token_length.
 *
 * The texts use TLDs that were in the root zone when Lucene 8.7's list was generated and still are.
 * The engine's list is IANA's of 2026 (iana-tlds.ts); the last test pins the difference to the
 * TLDs delegated since, which Lucene 8.7 does not know.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

type EsToken = { token: string; start_offset: number; end_offset: number; position: number; type: string; positionLength?: number };

async function engineTokens(maxTokenLength: number | undefined, text: string): Promise<ChainToken[]> {
  const tokenizer = { type: 'uax_url_email', ...(maxTokenLength === undefined ? {} : { max_token_length: maxTokenLength }) };
  const r = await t.client.indices.analyze({ tokenizer: tokenizer as never, text });
  return ((r.tokens ?? []) as EsToken[]).map((x) => [x.token, x.start_offset, x.end_offset, x.position, x.type, x.positionLength ?? 1]);
}

async function luceneTokens(maxTokenLength: number | undefined, text: string): Promise<ChainToken[]> {
  return lucene.chain({ name: 'uax29UrlEmail', ...(maxTokenLength === undefined ? {} : { params: { maxTokenLength: String(maxTokenLength) } }) }, [], text);
}

// TLDs of every group (co/com, ca/cab/call, ...), internationalized ones, and look-alikes that are none.
const TLDS = ['com', 'co', 'org', 'net', 'uk', 'de', 'io', 'ca', 'cab', 'cafe', 'call', 'info', 'museum', 'travel', 'xn--p1ai', 'xn--80asehdb', 'be', 'bet', 'beer'];
const NOT_TLDS = ['comx', 'zz', 'invalid', 'c', 'xn--', 'co-'];
const LABELS = ['example', 'www', 'a', 'x1', 'my-site', 'sub', 'EXAMPLE', 'foo-bar', '9', 'global-international', 'b2b'];
const WORDS = ['the', 'Email', 'me', 'at', 'see', 'über', 'naïve', '北京', 'ひらがな', 'カタカナ', '한국어', 'ภาษาไทย', 'don\'t', '3.14', '1,000', 'U.S.A.', 'x86_64', 'mailto', 'http', 'ftp', 'file', 'v2', '😀', 'e-mail'];
const PUNCT = [' ', ' ', ' ', ', ', '. ', '; ', ' (', ') ', '\n', ' "', '" ', ' <', '> ', ' [', '] ', '...', ' - ', '!', '?', ':', '/', '', '-', '_', 'é', '中'];

const anyCase = (r: Random, s: string): string => (r() < 0.2 ? s.toUpperCase() : r() < 0.2 ? s[0]?.toUpperCase() + s.slice(1) : s);

function host(r: Random): string {
  const k = int(r, 1, 3);
  const labels = Array.from({ length: k }, () => pick(r, LABELS));
  const tld = r() < 0.85 ? anyCase(r, pick(r, TLDS)) : pick(r, NOT_TLDS);
  return `${labels.join('.')}.${tld}${r() < 0.08 ? '.' : ''}`;
}

function ipv4(r: Random): string {
  return Array.from({ length: r() < 0.9 ? 4 : 3 }, () => String(r() < 0.1 ? int(r, 250, 300) : int(r, 0, 255))).join('.');
}

function ipv6(r: Random): string {
  const groups = Array.from({ length: int(r, 1, 8) }, () => int(r, 0, 0xffff).toString(16));
  if (r() < 0.5) return groups.join(':');
  const at = int(r, 0, groups.length);
  return `${groups.slice(0, at).join(':')}::${groups.slice(at, at + int(r, 0, 3)).join(':')}`;
}

const PATH_CHARS = ['a', 'b', '/', '-', '.', '_', '~', '%20', '%zz', ';', ':', '@', '&', '=', '+', '!', '$', "'", '(', ')', '*', ',', '?', '#', 'é', ' '];

function tail(r: Random, p: number): string {
  let s = '';
  if (r() < p) s += `:${int(r, 0, 999999)}`;
  if (r() < p) s += `/${Array.from({ length: int(r, 0, 8) }, () => pick(r, PATH_CHARS)).join('')}`;
  if (r() < p / 2) s += `?${Array.from({ length: int(r, 0, 6) }, () => pick(r, PATH_CHARS)).join('')}`;
  if (r() < p / 3) s += `#${Array.from({ length: int(r, 0, 4) }, () => pick(r, PATH_CHARS)).join('')}`;
  return s;
}

function someHost(r: Random): string {
  const u = r();
  return u < 0.7 ? host(r) : u < 0.85 ? ipv4(r) : `[${ipv6(r)}]`;
}

function url(r: Random): string {
  const u = r();
  const login = r() < 0.15 ? `${pick(r, ['user', 'u:pw', 'a%41', 'x;y'])}@` : '';
  if (u < 0.3) return `${anyCase(r, pick(r, ['http', 'https']))}://${login}${r() < 0.8 ? someHost(r) : pick(r, LABELS)}${tail(r, 0.5)}`;
  if (u < 0.4) return `${anyCase(r, 'ftp')}://${login}${someHost(r)}${r() < 0.8 ? `/${pick(r, ['pub', 'a/b', '', 'x?y'])}` : ''}${r() < 0.3 ? pick(r, [';type=a', ';TYPE=i', ';type=x']) : ''}`;
  if (u < 0.48) return `${anyCase(r, 'file')}://${r() < 0.5 ? someHost(r) : ''}/${pick(r, ['etc/passwd', 'a b', 'x', ''])}${r() < 0.2 ? '#f' : ''}`;
  return `${someHost(r)}${tail(r, 0.4)}`;
}

const LOCAL = ['john.smith', 'a', 'x+y', 'first_last', "o'neil", 'a,b', '-x', '.dot', 'a..b', '"quoted string"', '"a\\"b"', 'x."y z"', 'UPPER', 'a/b=c'];

function emailAddress(r: Random): string {
  const domain = r() < 0.85 ? host(r) : pick(r, ['[127.0.0.1]', '[IPv6:::1]', '[any thing]', '[a\\]b]', '[x']);
  return `${r() < 0.1 ? 'mailto:' : ''}${pick(r, LOCAL)}@${domain}`;
}

function randomText(r: Random): string {
  let s = '';
  const parts = int(r, 1, 10);
  for (let k = 0; k < parts; k++) {
    const u = r();
    s += u < 0.3 ? url(r) : u < 0.5 ? emailAddress(r) : u < 0.6 ? someHost(r) : pick(r, WORDS);
    s += pick(r, PUNCT);
  }
  return s;
}

async function judge(cases: number, seed: number, maxTokenLength: (r: Random) => number | undefined): Promise<string[]> {
  const r = rng(seed);
  const diffs: string[] = [];
  for (let n = 0; n < cases; n++) {
    const text = randomText(r);
    const max = maxTokenLength(r);
    const expected = await luceneTokens(max, text);
    const actual = await engineTokens(max, text);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      diffs.push(`${JSON.stringify(text)} max_token_length ${String(max)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
  }
  return diffs;
}

describe('uax_url_email agrees with Lucene', () => {
  it('600 random texts of URLs, hosts, e-mail addresses, IP addresses, words and punctuation', async () => {
    const diffs = await judge(600, 2701, () => undefined);
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it('200 random texts with a small max_token_length (tokens cut where the scanner buffer ends)', async () => {
    const diffs = await judge(200, 2702, (r) => int(r, 3, 30));
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it('knows every TLD Lucene 8.7 knows; its extra ones are TLDs delegated after Lucene 8.7 took its list', async () => {
    const tlds = IANA_TLDS.trim().split(/\s+/);
    const onlyEngine: string[] = [];
    for (const tld of tlds) {
      const text = `x example.${tld} y`;
      const [ours, theirs] = await Promise.all([engineTokens(undefined, text), luceneTokens(undefined, text)]);
      expect(ours[1]).toEqual([`example.${tld}`, 2, 10 + tld.length, 1, '<URL>', 1]);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) onlyEngine.push(tld);
    }
    // delegated in 2019-2022, after Lucene 8.x's TLD list was generated
    expect(onlyEngine).toEqual([
      'amazon', 'charity', 'cpa', 'gay', 'inc', 'kids', 'llp', 'merck', 'music', 'spa', 'ss',
      'xn--4dbrk0ce', 'xn--cckwcxetd', 'xn--jlq480n2rg', 'xn--mgbah1a3hjkrd', 'xn--mgbcpq6gpa1a', 'xn--q7ce6a', 'xn--qxa6a',
    ]);
  });
});
