import { describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { VALID_CONFIG, baselineProjects } from '../helpers/project.js';

const project = baselineProjects();

describe('search check', () => {
  it('exits 0 on the bundled demo settings and lists each index with its models and mapping', async () => {
    const result = await runCli(['check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^index blog\n {2}mapping {2}mappings\/blog\.json \(12 fields, sha256 [0-9a-f]{12}\)\n {2}model {4}Post {2}\.\/demo\/models\/post\.ts#Post {2}table posts {2}key id$/m);
    expect(result.stdout).toMatch(/^index people\n {2}mapping {2}mappings\/people\.json \(4 fields, sha256 [0-9a-f]{12}\)\n {2}model {4}Author {2}\.\/demo\/models\/author\.ts#Author/m);
    expect(result.stdout).toMatch(/2 indexes, 2 models: 0 errors, 0 warnings/);
  });

  it('prints the same report as data with --json', async () => {
    const result = await runCli(['check', '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { ok: boolean; indexes: Array<{ name: string; mapping: { exists: boolean; fields: number }; models: Array<{ name: string }> }> };
    expect(body.ok).toBe(true);
    expect(body.indexes.map((i) => [i.name, i.mapping.fields, i.models.map((m) => m.name)])).toEqual([
      ['blog', 12, ['Post']],
      ['people', 4, ['Author']],
    ]);
  });

  it('reads the settings file named by --config, then SEARCH_CONFIG', async () => {
    const p = project({ 'search.config.yaml': undefined, 'conf/a.yaml': VALID_CONFIG.replaceAll('./models', '../models').replace('chunkSize: 100', 'chunkSize: 100\n  mappingsDir: ../mappings') });
    const viaFlag = await runCliInProcess(['check', '--config', 'conf/a.yaml', '--json'], { cwd: p.dir });
    expect(viaFlag.code, viaFlag.stdout).toBe(0);
    expect(JSON.parse(viaFlag.stdout).file).toBe('conf/a.yaml');
    const viaEnv = await runCliInProcess(['check', '--json'], { cwd: p.dir, env: { SEARCH_CONFIG: 'conf/a.yaml' } });
    expect(viaEnv.code).toBe(0);
    const neither = await runCliInProcess(['check'], { cwd: p.dir });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/settings file search\.config\.yaml not found; pass --config <file> or set SEARCH_CONFIG/);
  });

  it('warns about a missing mapping without strictValidation and still exits 0', async () => {
    const result = await runCliInProcess(['check'], { cwd: project({ 'mappings/blog.json': undefined }).dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: index "blog" has no mapping file mappings\/blog\.json \(declared in search\.config\.yaml:4\); Elasticsearch will map its fields dynamically$/m);
  });

  it('suggests the closest command for a typo and exits 2', async () => {
    const result = await runCli(['chek']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"chek" is not a search command; did you mean "check"\?/);
  });
});

describe('secrets', () => {
  const SECRET = 'Xy9-s3cret-Pw';
  const everything = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

  it('never prints the password of a connection URL, in text or JSON', async () => {
    const p = project({ 'search.config.yaml': VALID_CONFIG.replace('embedded:.search/engine', `https://elastic:${SECRET}@search.example.com:9243`) + `database:\n  connection: postgres://app:${SECRET}@db.example.com/app\n` });
    const text = await runCli(['check'], { cwd: p.dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('https://elastic:***@search.example.com:9243');
    expect(everything(text)).not.toContain(SECRET);
    const json = await runCli(['check', '--json'], { cwd: p.dir });
    expect(json.stdout).toContain('postgres://app:***@db.example.com/app');
    expect(everything(json)).not.toContain(SECRET);
  });

  it('never prints a secret in an error message about the connection', async () => {
    const p = project({ 'search.config.yaml': VALID_CONFIG.replace('embedded:.search/engine', `ftp://elastic:${SECRET}@search.example.com`) });
    const result = await runCli(['check'], { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/connections\.default is "ftp:\/\/elastic:\*\*\*@search\.example\.com" in search\.config\.yaml:2/);
    expect(everything(result)).not.toContain(SECRET);
  });

  it('never prints secrets given through ${VAR} interpolation or auth options, even with --debug', async () => {
    const p = project({
      'search.config.yaml': `connections:\n  default:\n    node: https://es.example.com\n    auth:\n      username: elastic\n      password: \${ES_PASSWORD}\n${VALID_CONFIG.split('\n').slice(2).join('\n')}`,
      'models/post.mjs': `throw new Error('cannot reach https://elastic:${SECRET}@es.example.com with ${SECRET}');\n`,
    });
    const result = await runCli(['check', '--debug'], { cwd: p.dir, env: { ES_PASSWORD: SECRET } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/failed to load: Error: cannot reach https:\/\/elastic:\*\*\*@es\.example\.com with \*\*\*/);
    expect(everything(result)).not.toContain(SECRET);
  });
});
