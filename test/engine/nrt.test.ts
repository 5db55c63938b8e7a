import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient();

const count = async (index: string): Promise<number> => (await t.client.count({ index })).count;

describe('near-real-time refresh', () => {
  it('does not show writes to searches before a refresh, and shows them after POST /_refresh', async () => {
    await t.client.indices.create({ index: 'nrt1', settings: { refresh_interval: '-1' } });
    await t.client.index({ index: 'nrt1', id: '1', document: { a: 1 } });
    expect(await count('nrt1')).toBe(0);
    // realtime get sees it anyway
    expect((await t.client.get({ index: 'nrt1', id: '1' })).found).toBe(true);
    await t.client.indices.refresh({ index: 'nrt1' });
    expect(await count('nrt1')).toBe(1);
  });

  it('shows writes at once with refresh=true and refresh=wait_for', async () => {
    await t.client.indices.create({ index: 'nrt2', settings: { refresh_interval: '-1' } });
    await t.client.index({ index: 'nrt2', id: '1', document: { a: 1 }, refresh: true });
    expect(await count('nrt2')).toBe(1);
    await t.client.index({ index: 'nrt2', id: '2', document: { a: 1 }, refresh: 'wait_for' });
    expect(await count('nrt2')).toBe(2);
    await t.client.delete({ index: 'nrt2', id: '1' });
    expect(await count('nrt2')).toBe(2);
    await t.client.indices.refresh();
    expect(await count('nrt2')).toBe(1);
  });

  it('refreshes once index.refresh_interval has elapsed', async () => {
    await t.client.indices.create({ index: 'nrt3', settings: { refresh_interval: '200ms' } });
    await t.client.index({ index: 'nrt3', id: '1', document: { a: 1 } });
    expect(await count('nrt3')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await count('nrt3')).toBe(1);
  });

  it('uses a 1s interval by default and honours a changed interval', async () => {
    await t.client.index({ index: 'nrt4', id: '1', document: { a: 1 } });
    expect(await count('nrt4')).toBe(0);
    await t.client.indices.putSettings({ index: 'nrt4', settings: { refresh_interval: '10ms' } });
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(await count('nrt4')).toBe(1);
  });
});
