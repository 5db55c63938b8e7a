import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';
import { timeValueString } from '../../../src/engine/indices/rollover.js';

const t = useTestClient();

describe('timeValueString', () => {
  it('shows a duration in its largest unit with one decimal at most, as TimeValue.toString', () => {
    expect(timeValueString(0)).toBe('0s');
    expect(timeValueString(90_000)).toBe('1.5m');
    expect(timeValueString(7 * 86_400_000)).toBe('7d');
    expect(timeValueString(1500)).toBe('1.5s');
    expect(timeValueString(250)).toBe('250ms');
  });
});

describe('rollover of an alias', () => {
  it('keeps an explicit write alias on both indices and moves the write flag, with the new index from templates', async () => {
    await t.client.indices.putIndexTemplate({ name: 'roll', index_patterns: ['w-*'], template: { settings: { number_of_shards: 2 } } });
    await t.client.indices.create({ index: 'w-000007', aliases: { w: { is_write_index: true } } });
    await t.client.index({ index: 'w', id: '1', document: { a: 1 }, refresh: true });
    const res = await t.client.indices.rollover({ alias: 'w', conditions: { max_docs: 1, max_age: '90s' } });
    expect(res).toMatchObject({ old_index: 'w-000007', new_index: 'w-000008', rolled_over: true, dry_run: false, conditions: { '[max_docs: 1]': true, '[max_age: 1.5m]': false } });
    const aliases = await t.client.indices.getAlias({ name: 'w' });
    expect(aliases).toEqual({ 'w-000007': { aliases: { w: { is_write_index: false } } }, 'w-000008': { aliases: { w: { is_write_index: true } } } });
    expect((await t.client.indices.getSettings({ index: 'w-000008', flat_settings: true }))['w-000008']!.settings!['index.number_of_shards']).toBe('2');
    await t.client.index({ index: 'w', id: '2', document: { a: 2 }, refresh: true });
    expect((await t.client.count({ index: 'w-000008' })).count).toBe(1);
  });

  it('refuses size conditions, a concrete index target, an alias without a write index, and an unnumbered name', async () => {
    await t.client.indices.create({ index: 'plain', aliases: { p: {} } });
    expect((await failure(t.client.indices.rollover({ alias: 'p', conditions: { max_size: '1gb' } }))).error.reason).toContain('max_size');
    expect((await failure(t.client.indices.rollover({ alias: 'plain' }))).error.reason).toBe('rollover target is a [concrete index] but one of [alias,data_stream] was expected');
    expect((await failure(t.client.indices.rollover({ alias: 'p' }))).error.reason).toBe("index name [plain] does not match pattern '^.*-\\d+$'");
    await t.client.indices.create({ index: 'two-1', aliases: { two: {} } });
    await t.client.indices.create({ index: 'two-2', aliases: { two: {} } });
    expect((await failure(t.client.indices.rollover({ alias: 'two' }))).error.reason).toBe('rollover target [two] does not point to a write index');
  });
});
