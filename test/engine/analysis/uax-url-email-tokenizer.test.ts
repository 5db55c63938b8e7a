import { describe, expect, it } from 'vitest';
import { UaxUrlEmailTokenizer } from '../../../src/engine/analysis/uax-url-email-tokenizer.js';

/** term type start-end, as Lucene 8.7's UAX29URLEmailTokenizer gives them for the same text. */
const tokens = (text: string, max?: number): string[] =>
  new UaxUrlEmailTokenizer(max).tokenize(text).map((t) => `${t.term} ${t.type} ${t.startOffset}-${t.endOffset}`);

describe('UaxUrlEmailTokenizer', () => {
  it('keeps e-mail addresses and URLs whole, typed <EMAIL> and <URL>', () => {
    expect(tokens('Email me at john.smith@global-international.com')).toEqual([
      'Email <ALPHANUM> 0-5', 'me <ALPHANUM> 6-8', 'at <ALPHANUM> 9-11', 'john.smith@global-international.com <EMAIL> 12-47',
    ]);
    expect(tokens('http://user:pw@host:8080/a/b;c?q=1#frag and ftp://ftp.x.org/pub/file;type=a')).toEqual([
      'http://user:pw@host:8080/a/b;c?q=1#frag <URL> 0-39', 'and <ALPHANUM> 40-43', 'ftp://ftp.x.org/pub/file;type=a <URL> 44-75',
    ]);
  });

  it('takes a host with a known TLD as a URL unless a word character or hyphen is glued to it', () => {
    expect(tokens('see example.com, and example.comx or 192.168.0.1:80/x')).toEqual([
      'see <ALPHANUM> 0-3', 'example.com <URL> 4-15', 'and <ALPHANUM> 17-20', 'example.comx <ALPHANUM> 21-33', 'or <ALPHANUM> 34-36',
      '192.168.0.1:80/x <URL> 37-53',
    ]);
    expect(tokens('a example.com- b')).toEqual(['a <ALPHANUM> 0-1', 'example.com <ALPHANUM> 2-13', 'b <ALPHANUM> 15-16']);
    expect(tokens('x.cab x.ca x.zz')).toEqual(['x.cab <URL> 0-5', 'x.ca <URL> 6-10', 'x.zz <ALPHANUM> 11-15']);
  });

  it('reads e-mail local parts as RFC 5322 (quoted strings; the atom class includes , and .)', () => {
    expect(tokens('"john smith"@example.com a,b@example.com')).toEqual(['"john smith"@example.com <EMAIL> 0-24', 'a,b@example.com <EMAIL> 25-40']);
    expect(tokens('mailto:test@example.org')).toEqual(['mailto <ALPHANUM> 0-6', 'test@example.org <EMAIL> 7-23']);
    expect(tokens('foo@example.comx')).toEqual(['foo@example.com <EMAIL> 0-15', 'x <ALPHANUM> 15-16']);
  });

  it('falls back to the standard tokenizer rules elsewhere', () => {
    expect(tokens('e.g. U.S.A. 北京 256.1.1.1x')).toEqual([
      'e.g <ALPHANUM> 0-3', 'U.S.A <ALPHANUM> 5-10', '北 <IDEOGRAPHIC> 12-13', '京 <IDEOGRAPHIC> 13-14', '256.1.1.1x <ALPHANUM> 15-25',
    ]);
  });

  it('cuts matches at max_token_length, where Lucene\'s scanner buffer ends', () => {
    expect(tokens('www.example.com/path', 8)).toEqual(['www.exam <ALPHANUM> 0-8', 'ple.com/ <URL> 8-16', 'path <ALPHANUM> 16-20']);
  });
});
