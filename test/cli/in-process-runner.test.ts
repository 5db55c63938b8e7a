import { describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { VALID_CONFIG, baselineProjects } from '../helpers/project.js';

/**
 * Most CLI tests run the commands in the test process (runCliInProcess) and trust that it gives
 * what a child process gives. This holds it to that: the same stdout, stderr and exit code, byte
 * for byte, on success, on invalid settings (exit 2, in text and --json), on an environment
 * failure (exit 1), and on an unknown command (the hook that sets process.exitCode).
 */
const project = baselineProjects();

describe('runCliInProcess', () => {
  const valid = project({});
  const invalid = project({ 'search.config.yaml': VALID_CONFIG.replace('chunkSize: 100', 'chunkSize: lots') });
  const unreachable = project({ 'search.config.yaml': `${VALID_CONFIG}database:\n  connection: postgres://postgres@127.0.0.1:1/app\n` });
  const runs: Array<[string, string[], string, number]> = [
    ['a valid project', ['check'], valid.dir, 0],
    ['invalid settings', ['check'], invalid.dir, 2],
    ['invalid settings, --json', ['check', '--json'], invalid.dir, 2],
    ['an unreachable database, --json', ['queries', 'list', '--json'], unreachable.dir, 1],
    ['an unknown command', ['chek'], valid.dir, 2],
  ];

  it.each(runs)('prints and exits as the child process does: %s', async (_name, args, cwd, code) => {
    const [child, inProcess] = [await runCli(args, { cwd }), await runCliInProcess(args, { cwd })];
    expect(child.code, child.stderr).toBe(code);
    expect(inProcess).toEqual(child);
  });

  it('leaves the working directory, environment and exit code of the test process as they were', async () => {
    const before = { cwd: process.cwd(), env: { ...process.env }, exitCode: process.exitCode };
    await runCliInProcess(['chek'], { cwd: valid.dir, env: { SEARCH_CONFIG: 'elsewhere.yaml', INDEXKIT_TEST_EXTRA: '1' } });
    expect({ cwd: process.cwd(), env: { ...process.env }, exitCode: process.exitCode }).toEqual(before);
  });
});
