import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { openTestClient, removeDir, tempDir } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function spawnScript(script: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx/esm', join(FIXTURES, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('persistence', () => {
  it('keeps documents, mappings, settings and aliases across close and reopen', async () => {
    const dir = tempDir();
    const first = await openTestClient(dir);
    await first.client.indices.create({ index: 'keep', settings: { refresh_interval: '5s' }, mappings: { properties: { title: { type: 'text' } } }, aliases: { 'keep-alias': {} } });
    await first.client.index({ index: 'keep', id: '1', document: { title: 'one', extra: 5 } });
    await first.client.index({ index: 'keep', id: '2', document: { title: 'two' } });
    await first.client.delete({ index: 'keep', id: '2' });
    await first.close();

    const second = await openTestClient(dir);
    expect((await second.client.get({ index: 'keep', id: '1' }))._source).toEqual({ title: 'one', extra: 5 });
    expect(await second.client.exists({ index: 'keep', id: '2' })).toBe(false);
    const mapping = await second.client.indices.getMapping({ index: 'keep' });
    expect(mapping.keep!.mappings.properties).toEqual({ extra: { type: 'long' }, title: { type: 'text' } });
    const settings = await second.client.indices.getSettings({ index: 'keep' });
    expect(settings.keep!.settings!.index!.refresh_interval).toBe('5s');
    expect(await second.client.indices.existsAlias({ name: 'keep-alias' })).toBe(true);
    const count = await second.client.count({ index: 'keep' });
    expect(count.count).toBe(1);
    await second.close();
    removeDir(dir);
  });

  it('recovers from the translog without a flush, and discards a torn tail record', async () => {
    const dir = tempDir();
    const engine = await Engine.open(dir);
    await engine.handle({ method: 'PUT', path: '/torn/_doc/1', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    await engine.handle({ method: 'PUT', path: '/torn/_doc/2', body: JSON.stringify({ a: 2 }), headers: { 'content-type': 'application/json' } });
    // Simulate a crash: no close (no flush), then a half-written record at the end of the translog.
    const indexDir = join(dir, 'indices', readdirSync(join(dir, 'indices'))[0]!);
    appendFileSync(join(indexDir, 'translog.bin'), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
    (engine as unknown as { lock: { release(): void } }).lock.release();

    const reopened = await Engine.open(dir);
    const one = await reopened.handle({ method: 'GET', path: '/torn/_doc/1' });
    const two = await reopened.handle({ method: 'GET', path: '/torn/_doc/2' });
    expect(JSON.parse(one.body)._source).toEqual({ a: 1 });
    expect(JSON.parse(two.body)._source).toEqual({ a: 2 });
    const three = await reopened.handle({ method: 'PUT', path: '/torn/_doc/3', body: JSON.stringify({ a: 3 }) });
    expect(three.statusCode).toBe(201);
    expect(JSON.parse(three.body)._seq_no).toBe(2);
    await reopened.close();
    removeDir(dir);
  });

  it.each([['plain', ''], ['with frequent flushes', 'flushy']])('keeps every acknowledged document when the writer is SIGKILLed at a random moment (%s)', async (_name, mode) => {
    const dir = tempDir();
    const child = spawnScript('crash-writer.ts', mode ? [dir, mode] : [dir]);
    const acked = new Set<string>();
    const deleted = new Set<string>();
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === 'ready') resolve();
          else if (line.startsWith('ack ')) for (const id of line.slice(4).split(' ')) acked.add(id);
          else if (line.startsWith('del ')) deleted.add(line.slice(4));
        }
      });
    });
    await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error(`child not ready: ${stderr}`)), 20_000))]);
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 700)));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(acked.size).toBeGreaterThan(20);

    const t = await openTestClient(dir);
    const ids = [...acked].filter((id) => !deleted.has(id));
    const found = await t.client.mget({ index: 'crash', ids });
    const missing = found.docs.filter((d) => !('found' in d) || !d.found).map((d) => d._id);
    expect(missing).toEqual([]);
    const sample = found.docs.find((d) => d._id.startsWith('bulk-')) as { _id: string; _source: { body: string } } | undefined;
    if (sample) expect(sample._source.body).toBe(`bulk document ${sample._id} with some text`);
    // The recovered index takes new writes after the replayed ones.
    const next = await t.client.index({ index: 'crash', id: 'after-restart', document: { ok: true }, refresh: true });
    expect(next.result).toBe('created');
    await t.close();
    removeDir(dir);
  });

  it('refuses a second process on the same directory, naming the holder', async () => {
    const dir = tempDir();
    const engine = await Engine.open(dir);
    const child = spawnScript('lock-holder.ts', [dir]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out).toContain(`is locked by another engine: process ${process.pid} on host`);
    await engine.close();
    removeDir(dir);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = tempDir();
    const child = spawnScript('lock-holder.ts', [dir, 'hold']);
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const engine = await Engine.open(dir);
    await engine.close();
    removeDir(dir);
  });
});
