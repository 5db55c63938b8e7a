import { describe, expect, it } from 'vitest';
import { checkModelContract } from '../../src/models/model-loader.js';

const base = { getSearchQueryset: () => null, asSearchDocument: () => ({}) };
const problems = (relatedTables: unknown): string[] => checkModelContract({ ...base, relatedTables }).map(([, message]) => message);

describe('the model contract: relatedTables', () => {
  it('accepts entries with or without a link (a missing link is inferred at sync install)', () => {
    expect(problems([{ table: 'authors', columns: ['name'] }, { table: 'comments', keyColumn: 'post_id' }, { table: 'tags', select: 'select post_id from post_tags where tag_id = ?' }])).toEqual([]);
    expect(problems([{ table: 'authors', foreignKey: 'author_id', references: 'uuid' }])).toEqual([]);
  });

  it('names the entry and what is wrong with it', () => {
    expect(problems('authors')).toEqual(['relatedTables is string, expected a list of { table, columns?, foreignKey? | keyColumn? | select? }']);
    expect(problems([{ table: '' }])).toEqual(['relatedTables[0].table is "", expected a non-empty string']);
    expect(problems([{ table: 'a' }, { table: 'b', columns: 'name' }])).toEqual(['relatedTables[1].columns is "name", expected a list of column names']);
    expect(problems([{ table: 'a', key: 'x' }])).toEqual(['relatedTables[0] has an unknown key "key", expected table, columns, foreignKey, references, keyColumn, select, param']);
    expect(problems([{ table: 'a', foreignKey: 'a_id', keyColumn: 'b_id' }])).toEqual(['relatedTables[0] gives foreignKey and keyColumn, expected exactly one of foreignKey, keyColumn, select']);
    expect(problems([{ table: 'a', select: 'select id from x' }])[0]).toMatch(/^relatedTables\[0\]\.select has 0 \? placeholders, expected exactly one/);
    expect(problems([{ table: 'a', references: 'id' }])).toEqual(['relatedTables[0].references is given without foreignKey']);
  });
});
