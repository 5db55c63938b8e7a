import { describe, expect, it } from 'vitest';
import { classifyDrift } from '../../src/indexes/mapping-drift.js';

const base = {
  settings: { analysis: { analyzer: { folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] } } }, refresh_interval: '1s' },
  mappings: {
    dynamic: 'strict',
    properties: {
      title: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } },
      author: { properties: { name: { type: 'text' } } },
      price: { type: 'long' },
    },
  },
};
const clone = () => JSON.parse(JSON.stringify(base)) as typeof base & { mappings: { properties: Record<string, Record<string, unknown>> } };

describe('classifyDrift', () => {
  it('is in sync when only formatting or key order differ, or settings are written flat', () => {
    const flat = { ...clone(), settings: { 'index.refresh_interval': '1s', 'index.analysis': base.settings.analysis } };
    expect(classifyDrift(base, flat)).toEqual({ kind: 'in-sync', changes: [] });
  });

  it('calls a new field, a new multi-field, a new object property and an updatable parameter additive', () => {
    const next = clone();
    next.mappings.properties.subtitle = { type: 'text' };
    (next.mappings.properties.title!.fields as Record<string, unknown>).english = { type: 'text', analyzer: 'english' };
    (next.mappings.properties.author!.properties as Record<string, unknown>).id = { type: 'long' };
    (next.mappings.properties.title!.fields as Record<string, Record<string, unknown>>).raw!.ignore_above = 512;
    next.settings.refresh_interval = '30s';
    const drift = classifyDrift(base, next);
    expect(drift.kind).toBe('additive');
    expect(drift.changes.sort()).toEqual(
      [
        '+ mappings.properties.subtitle (text)',
        '+ mappings.properties.title.fields.english (text)',
        '+ mappings.properties.author.properties.id (long)',
        '~ mappings.properties.title.fields.raw.ignore_above 256 -> 512',
        '~ settings.refresh_interval "1s" -> "30s"',
      ].sort(),
    );
  });

  it('calls a changed type, a removed field, a changed analyzer and changed analysis breaking', () => {
    const typeChange = clone();
    typeChange.mappings.properties.price = { type: 'keyword' };
    expect(classifyDrift(base, typeChange)).toEqual({ kind: 'breaking', changes: ['~ mappings.properties.price.type "long" -> "keyword"'] });

    const removed = clone();
    delete (removed.mappings.properties as Record<string, unknown>).price;
    expect(classifyDrift(base, removed).kind).toBe('breaking');

    const analyzer = clone();
    (analyzer.mappings.properties.title as Record<string, unknown>).analyzer = 'english';
    expect(classifyDrift(base, analyzer).changes).toEqual(['~ mappings.properties.title.analyzer (none) -> "english"']);
    expect(classifyDrift(base, analyzer).kind).toBe('breaking');

    const analysis = clone();
    analysis.settings.analysis.analyzer.folded.filter = ['lowercase', 'asciifolding'];
    expect(classifyDrift(base, analysis).kind).toBe('breaking');
  });

  it('lists breaking changes before additive ones when both are present', () => {
    const next = clone();
    next.mappings.properties.subtitle = { type: 'text' };
    next.mappings.properties.price = { type: 'integer' };
    const drift = classifyDrift(base, next);
    expect(drift.kind).toBe('breaking');
    expect(drift.changes[0]).toMatch(/^~ mappings\.properties\.price\.type/);
  });
});
