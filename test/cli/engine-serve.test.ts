import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'indexkit-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `search engine serve` on a free port; resolves once it prints its URL. */
function serve(...extra: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'engine', 'serve', '--port', '0', '--data', dir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  const stopped = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, stopped, output: () => output };
}

describe('search engine serve', () => {
  it('serves the data folder on 127.0.0.1 to the real client and flushes it on SIGTERM', async () => {
    const first = serve();
    const client = new Client({ node: await first.url });
    await client.index({ index: 'notes', id: '1', document: { text: 'kept across restarts' }, refresh: true });
    expect((await client.cluster.health()).status).toMatch(/green|yellow/);
    await client.close();
    first.child.kill('SIGTERM');
    expect(await first.stopped).toBe(0);
    expect(first.output()).toMatch(/stopping: finishing requests in flight and flushing/);

    const second = serve();
    const again = new Client({ node: await second.url });
    expect((await again.get<{ text: string }>({ index: 'notes', id: '1' }))._source).toEqual({ text: 'kept across restarts' });
    await again.close();
    second.child.kill('SIGINT');
    expect(await second.stopped).toBe(0);
  });

  it('requires the API key it was given', async () => {
    const server = serve('--api-key', 'test-key-123');
    const url = await server.url;
    const anonymous = new Client({ node: url, maxRetries: 0 });
    const refused = await anonymous.info().catch((e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
    expect(refused).toBe(401);
    const keyed = new Client({ node: url, auth: { apiKey: 'test-key-123' } });
    expect((await keyed.info()).tagline).toBe('You Know, for Search');
    await Promise.all([anonymous.close(), keyed.close()]);
    server.child.kill('SIGTERM');
    await server.stopped;
    expect(server.output()).not.toContain('test-key-123');
  });

  it('refuses a port that is in use with exit code 2', async () => {
    const holder = serve();
    const port = new URL(await holder.url).port;
    const second = await runCli(['engine', 'serve', '--port', port, '--data', mkdtempSync(join(tmpdir(), 'indexkit-serve2-'))]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`error: port ${port} on 127\\.0\\.0\\.1 is in use; pass --port`));
    holder.child.kill('SIGTERM');
    await holder.stopped;
  });

  it('on a folder another process holds, says which process (pid, command, since) and how it serves it, and exits 1', async () => {
    const held = mkdtempSync(join(tmpdir(), 'indexkit-serve-held-'));
    const holder = spawn(process.execPath, ['--import', 'tsx/esm', join(repoRoot, 'test', 'engine', 'fixtures', 'folder-user.ts'), held, 'hold'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
      const result = await runCli(['engine', 'serve', '--port', '0', '--data', held]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`error: data folder ${held} is held by process ${holder.pid} on \\S+ \\(folder-user\\.ts ${held} hold, since \\d{4}-\\d\\d-\\d\\dT`));
      expect(result.stderr).toContain(`serves it privately at unix:${held}/lock/1.sock, with the secret in ${held}/lock/1.json`);
      expect(result.stderr).toContain(`stop process ${holder.pid} and run this command again`);
    } finally {
      holder.kill('SIGKILL');
      rmSync(held, { recursive: true, force: true });
    }
  });
});
