/**
 * Child processes of the benchmark: the engine server, and each measured pipeline, timed from
 * spawn to exit (start-up included) with its peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak resident set size of the child, in KiB (process.resourceUsage().maxRSS at exit). */
  maxRssKb: number;
  /** CPU seconds (user + system) the child used. */
  cpuSeconds: number;
}

/**
 * Preloaded into a child (`node --import <this>`): writes the process's peak RSS and CPU time
 * to $BENCH_RSS_FILE at exit, whatever the program (the built CLI exits through process.exit).
 */
const RSS_PRELOAD =
  'data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeFileSync(process.env.BENCH_RSS_FILE,JSON.stringify([u.maxRSS,(u.userCPUTime+u.systemCPUTime)/1e6]))})';

/** Runs `node [...nodeArgs]` to completion. */
export async function runNode(nodeArgs: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildRun> {
  const rssDir = mkdtempSync(join(tmpdir(), 'indexkit-bench-rss-'));
  const rssFile = join(rssDir, 'rss');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_PRELOAD, ...nodeArgs], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  let maxRssKb = 0;
  let cpuSeconds = 0;
  try {
    [maxRssKb, cpuSeconds] = JSON.parse(readFileSync(rssFile, 'utf8')) as [number, number];
  } catch {
    // The child died before its exit handler ran; the caller reports the exit code.
  } finally {
    rmSync(rssDir, { recursive: true, force: true });
  }
  return { code, stdout, stderr, seconds, maxRssKb, cpuSeconds };
}

export interface EngineProcess {
  url: string;
  pid: number;
  /** Peak RSS of the engine process so far, in KiB (from /proc; 0 where there is none). */
  peakRssKb(): number;
  stop(): Promise<void>;
}

/** Starts `bench/lib/engine-server.ts` over `dataDir` in a child process and waits for its URL. */
export async function startEngineProcess(script: string, dataDir: string): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the engine server exited with code ${code} before it listened`)));
    lines.once('line', resolve);
  });
  const { url } = JSON.parse(first) as { url: string };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    peakRssKb() {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return match ? Number(match[1]) : 0;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
