import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'run.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** The environment a command runs with: the test's, plus `env`, without colours, and SEARCH_CONFIG only when `env` gives it. */
function commandEnv(options: CliOptions): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.SEARCH_CONFIG;
  if (options.env && 'SEARCH_CONFIG' in options.env) env.SEARCH_CONFIG = options.env.SEARCH_CONFIG;
  return env;
}

/** Runs the built `search` CLI (dist/, built by `npm test`) as a child process. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = commandEnv(options);
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the built `search` CLI inside this test process, as bin/run.js does (oclif's `execute`),
 * with the child's working directory, environment and pipes: stdout and stderr captured, no
 * terminal, and the exit code that `process.exit` would have been given (oclif's `Exit`, which it
 * provides to be stubbed in tests) or that the command left in `process.exitCode`.
 *
 * A child process costs a Node start and the loading of the CLI's modules (0.3 to 1 s of CPU
 * each); this costs the command's own work. For what a command prints and exits with; tests of a
 * process's own behaviour (signals, a second process on one folder, exiting at all) use runCli.
 * Runs one command at a time: the working directory, environment and console are the process's.
 */
export function runCliInProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const run = queue.then(() => inProcess(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function inProcess(args: string[], options: CliOptions): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const text = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
  const writer = (into: string[]) =>
    ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
      into.push(text(chunk));
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  // oclif prints through console.log / console.error, which vitest replaces with its own.
  const line = (into: string[]) => (...values: unknown[]) => into.push(`${format(...values)}\n`);
  // The same @oclif/core as the CLI's (node_modules is not bundled by vitest), loaded on first use.
  const [{ execute }, { Exit }] = await Promise.all([import('@oclif/core'), import('@oclif/core/handle')]);

  const saved = {
    cwd: process.cwd(),
    env: { ...process.env },
    exitCode: process.exitCode,
    exit: Exit.exit,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    console: { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug },
    tty: [process.stdin, process.stdout, process.stderr].map((s) => Object.getOwnPropertyDescriptor(s, 'isTTY')),
  };
  let exitCode: number | undefined;
  const env = commandEnv(options);
  try {
    process.chdir(options.cwd ?? repoRoot);
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
    else process.env[key] = value;
    process.exitCode = undefined;
    // oclif's handle() calls Exit.exit last and returns when it comes back: the code is recorded instead.
    Exit.exit = ((code = 0) => {
      exitCode ??= code;
    }) as typeof Exit.exit;
    process.stdout.write = writer(stdout);
    process.stderr.write = writer(stderr);
    Object.assign(console, { log: line(stdout), info: line(stdout), debug: line(stdout), warn: line(stderr), error: line(stderr) });
    // A child's stdio are pipes, never a terminal.
    for (const stream of [process.stdin, process.stdout, process.stderr]) Object.defineProperty(stream, 'isTTY', { value: false, configurable: true, writable: true });

    await execute({ args, dir: pathToFileURL(bin).href });
    exitCode ??= typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0);
  } finally {
    Object.assign(console, saved.console);
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    [process.stdin, process.stdout, process.stderr].forEach((stream, i) => {
      const descriptor = saved.tty[i];
      if (descriptor) Object.defineProperty(stream, 'isTTY', descriptor);
      else delete (stream as { isTTY?: boolean }).isTTY;
    });
    Exit.exit = saved.exit;
    process.exitCode = saved.exitCode;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    process.chdir(saved.cwd);
  }
  return { code: exitCode, stdout: stdout.join(''), stderr: stderr.join('') };
}
