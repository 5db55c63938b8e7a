import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

/**
 * `*_path` settings: word files in the engine's config directory (`<data dir>/config` by default),
 * read as Elasticsearch reads them (trimmed lines, blank lines and # comments left out, UTF-8 only),
 * with Elasticsearch's errors for a missing file, another encoding, and a path outside the directory.
 */

const t = useTestClient();

function configFile(path: string, content: string | Buffer): void {
  const full = join(t.dir, 'config', path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
}

const analyze = async (body: Record<string, unknown>): Promise<string[]> =>
  ((await t.client.indices.analyze(body as never)).tokens ?? []).map((x) => x.token);

async function refusal(body: Record<string, unknown>): Promise<{ status: number; type: string; reason: string }> {
  try {
    await t.client.indices.analyze(body as never);
  } catch (error) {
    const e = error as { meta: { statusCode: number; body: { error: { type: string; reason: string } } } };
    return { status: e.meta.statusCode, type: e.meta.body.error.type, reason: e.meta.body.error.reason };
  }
  throw new Error('expected the request to fail');
}

describe('word files of the analysis settings', () => {
  it('reads stopwords_path relative to the config directory, without comments and blank lines', async () => {
    configFile('analysis/stop.txt', '# my stop words\nthe\n\n  a  \r\n#and\nof\n');
    expect(await analyze({ tokenizer: 'whitespace', filter: [{ type: 'stop', stopwords_path: 'analysis/stop.txt' }], text: 'the cat of a dog and #and' })).toEqual([
      'cat', 'dog', 'and', '#and',
    ]);
  });

  it('reads keywords_path, rules_path, word_list_path, articles_path, mappings_path and synonyms_path', async () => {
    configFile('kw.txt', 'running\n');
    expect(await analyze({ tokenizer: 'whitespace', filter: [{ type: 'keyword_marker', keywords_path: 'kw.txt' }, 'porter_stem'], text: 'running jumping' })).toEqual([
      'running', 'jump',
    ]);
    configFile('rules.txt', 'mice => mouse\n# comment\nfeet => foot\n');
    expect(await analyze({ tokenizer: 'whitespace', filter: [{ type: 'stemmer_override', rules_path: 'rules.txt' }], text: 'mice feet' })).toEqual(['mouse', 'foot']);
    configFile('words.txt', 'donau\ndampf\nschiff\n');
    expect(await analyze({ tokenizer: 'whitespace', filter: [{ type: 'dictionary_decompounder', word_list_path: 'words.txt' }], text: 'donaudampfschiff' })).toEqual([
      'donaudampfschiff', 'donau', 'dampf', 'schiff',
    ]);
    configFile('articles.txt', 'l\n');
    expect(await analyze({ tokenizer: 'standard', filter: [{ type: 'elision', articles_path: 'articles.txt' }], text: "l'avion d'abord" })).toEqual(['avion', "d'abord"]);
    configFile('mappings.txt', 'ph => f\n');
    expect(await analyze({ tokenizer: 'keyword', char_filter: [{ type: 'mapping', mappings_path: 'mappings.txt' }], text: 'phone' })).toEqual(['fone']);
    configFile('synonyms.txt', '# synonyms\nquick, fast\n');
    expect(await analyze({ tokenizer: 'whitespace', filter: [{ type: 'synonym', synonyms_path: 'synonyms.txt' }], text: 'quick' })).toEqual(['quick', 'fast']);
  });

  it('reads an analyzer\'s stopwords_path in an index', async () => {
    configFile('analyzer-stop.txt', 'hello\n');
    await t.client.indices.create({ index: 'wordfiles', settings: { analysis: { analyzer: { my: { type: 'standard', stopwords_path: 'analyzer-stop.txt' } } } } });
    const r = await t.client.indices.analyze({ index: 'wordfiles', analyzer: 'my', text: 'Hello World' });
    expect((r.tokens ?? []).map((x) => x.token)).toEqual(['world']);
  });

  it('answers Elasticsearch\'s errors for a missing file, a file that is not UTF-8 and a path leaving the config directory', async () => {
    const config = join(t.dir, 'config');
    expect(await refusal({ tokenizer: 'whitespace', filter: [{ type: 'stop', stopwords_path: 'missing.txt' }], text: 'x' })).toEqual({
      status: 400, type: 'illegal_argument_exception', reason: `IOException while reading stopwords_path: ${join(config, 'missing.txt')}`,
    });
    configFile('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect((await refusal({ tokenizer: 'whitespace', filter: [{ type: 'keep', keep_words_path: 'latin1.txt' }], text: 'x' })).reason).toBe(
      `Unsupported character encoding detected while reading keep_words_path: ${join(config, 'latin1.txt')} - files must be UTF-8 encoded`,
    );
    expect(await refusal({ tokenizer: 'whitespace', filter: [{ type: 'stop', stopwords_path: '../cluster.json' }], text: 'x' })).toEqual({
      status: 400, type: 'illegal_argument_exception', reason: `Access denied trying to read file stopwords_path: ${join(t.dir, 'cluster.json')}`,
    });
    symlinkSync(join(t.dir, 'cluster.json'), join(config, 'link.txt'));
    expect((await refusal({ tokenizer: 'whitespace', filter: [{ type: 'stop', stopwords_path: 'link.txt' }], text: 'x' })).reason).toBe(
      `Access denied trying to read file stopwords_path: ${join(config, 'link.txt')}`,
    );
  });

  it('hyphenation_decompounder reads FOP patterns from hyphenation_patterns_path', async () => {
    configFile('hyph/de.xml', `<?xml version="1.0" encoding="utf-8"?>
<hyphenation-info><hyphen-char value="-"/>
<classes>aA bB cC dD eE fF gG hH iI kK lL mM nN oO pP rR sS tT uU</classes>
<exceptions>fuss-ball</exceptions>
<patterns>.ha1 1s 1b 1k 1g</patterns>
</hyphenation-info>`);
    const filter = { type: 'hyphenation_decompounder', hyphenation_patterns_path: 'hyph/de.xml', word_list: ['haus', 'boot', 'fuss', 'ball'] };
    // haus-boot splits at the pattern 1b; Fussball by its exception; "hauses" finds haus once its binding s is dropped
    expect(await analyze({ tokenizer: 'whitespace', filter: [filter], text: 'hausboot fussball hausesboot' })).toEqual([
      'hausboot', 'haus', 'boot', 'fussball', 'fuss', 'ball', 'hausesboot', 'haus', 'boot',
    ]);
    expect(await refusal({ tokenizer: 'whitespace', filter: [{ ...filter, hyphenation_patterns_path: 'none.xml' }], text: 'x' })).toEqual({
      status: 400, type: 'illegal_argument_exception', reason: 'Exception while reading hyphenation_patterns_path.',
    });
    expect((await refusal({ tokenizer: 'whitespace', filter: [{ type: 'hyphenation_decompounder', hyphenation_patterns_path: 'hyph/de.xml' }], text: 'x' })).reason).toBe(
      'word_list must be provided for [__anonymous__hyphenation_decompounder], either as a path to a file, or directly',
    );
  });
});
