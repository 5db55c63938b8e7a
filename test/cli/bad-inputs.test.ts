import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { VALID_CONFIG, VALID_MAPPING, baseline, makeProject } from '../helpers/project.js';

/**
 * Every bad input gives exit code 2 (bad usage or invalid settings), one error line on
 * stderr that names the file and the line or the path, no stack trace, and nothing on
 * stdout that pretends success.
 */
interface BadInput {
  name: string;
  files: Record<string, string | undefined>;
  args?: string[];
  env?: Record<string, string>;
  /** What the one error line must contain. */
  expect: RegExp;
}

const config = (text: string) => ({ 'search.config.yaml': text });
const withSettings = (extra: string) => config(`${VALID_CONFIG}${extra}`);
const mapping = (text: string) => ({ 'mappings/blog.json': text });
const model = (text: string) => ({ 'models/post.mjs': text });

const cases: BadInput[] = [
  { name: 'malformed YAML', files: config('indexes:\n  blog:\n    models: [./models/post.mjs#Post\n'), expect: /search\.config\.yaml:\d+:\d+: invalid YAML/ },
  { name: 'a YAML duplicate key', files: config(`${VALID_CONFIG}indexes:\n  other:\n    models: [./models/post.mjs#Post]\n`), expect: /search\.config\.yaml:9:\d+: invalid YAML: duplicate key/ },
  { name: 'an unknown top-level key', files: config(`${VALID_CONFIG}indexs: {}\n`), expect: /indexs is not a known setting in search\.config\.yaml:9; did you mean "indexes"\?/ },
  { name: 'an unknown setting', files: withSettings('  chunkSise: 10\n'), expect: /settings\.chunkSise is not a known setting in search\.config\.yaml:9; did you mean "chunkSize"\?/ },
  { name: 'a wrong type', files: config(VALID_CONFIG.replace('chunkSize: 100', 'chunkSize: lots')), expect: /settings\.chunkSize is "lots" in search\.config\.yaml:8, expected an integer/ },
  { name: 'a value out of range', files: config(VALID_CONFIG.replace('chunkSize: 100', 'chunkSize: 0')), expect: /settings\.chunkSize is 0 in search\.config\.yaml:8, expected at least 1/ },
  { name: 'updateStrategy fast', files: withSettings('  updateStrategy: fast\n'), expect: /settings\.updateStrategy is "fast" in search\.config\.yaml:9, expected "full" or "partial"/ },
  { name: 'a boolean written as yes-string', files: withSettings('  autoSync: "yes"\n'), expect: /settings\.autoSync is "yes" in search\.config\.yaml:9, expected true or false/ },
  { name: 'neverAutoSync not a list', files: withSettings('  neverAutoSync: Post\n'), expect: /settings\.neverAutoSync is "Post" in search\.config\.yaml:9, expected a list/ },
  { name: 'an unset ${VAR} without default', files: config(VALID_CONFIG.replace('embedded:.search/engine', '${INDEXKIT_TEST_UNSET_URL}')), expect: /search\.config\.yaml:2: environment variable INDEXKIT_TEST_UNSET_URL is not set/ },
  { name: 'a malformed ${...} reference', files: config(VALID_CONFIG.replace('embedded:.search/engine', '${1BAD}')), expect: /search\.config\.yaml:2: "\$\{1BAD\}" is not a valid variable reference/ },
  { name: 'an empty settings file', files: config(''), expect: /search\.config\.yaml is empty/ },
  { name: 'no indexes key', files: config('settings:\n  chunkSize: 10\n'), expect: /search\.config\.yaml.* is missing "indexes"/ },
  { name: 'an index with an empty model list', files: config('indexes:\n  blog:\n    models: []\n'), expect: /indexes\.blog\.models is a list in search\.config\.yaml:3, expected a non-empty list/ },
  { name: 'an index name with ../', files: config('indexes:\n  ../etc:\n    models: [./models/post.mjs#Post]\n'), expect: /index name "\.\.\/etc" in search\.config\.yaml:2 is not a valid Elasticsearch index name: it must not contain "\/"/ },
  { name: 'an uppercase index name', files: config('indexes:\n  Blog:\n    models: [./models/post.mjs#Post]\n'), expect: /index name "Blog" in search\.config\.yaml:2 .* must be lowercase/ },
  { name: 'an index on an unknown connection', files: config('indexes:\n  blog:\n    connection: archive\n    models: [./models/post.mjs#Post]\n'), expect: /indexes\.blog\.connection is "archive" in search\.config\.yaml:3, expected a name under connections/ },
  { name: 'a connection with a bad scheme', files: config(VALID_CONFIG.replace('embedded:.search/engine', 'ftp://search.example.com')), expect: /connections\.default is "ftp:\/\/search\.example\.com" in search\.config\.yaml:2 uses ftp:/ },
  { name: 'a connection object without node or cloudId', files: config(VALID_CONFIG.replace('default: embedded:.search/engine', 'default:\n    requestTimeout: 1000')), expect: /connections\.default in search\.config\.yaml:3 has neither node nor cloudId/ },
  { name: 'a settings file that does not exist', files: {}, args: ['check', '--config', 'nowhere.yaml'], expect: /settings file nowhere\.yaml not found/ },
  { name: 'a mapping file that is not JSON', files: mapping('{\n  "mappings": {\n    "properties": {,}\n  }\n}\n'), expect: /mappings\/blog\.json:3:\d+: mapping file for index "blog" is not valid JSON/ },
  { name: 'a mapping with an unknown field type', files: mapping('{\n  "mappings": {\n    "properties": {\n      "title": { "type": "txt" }\n    }\n  }\n}\n'), expect: /mappings\.properties\.title\.type is "txt" in mappings\/blog\.json:4, expected an Elasticsearch field type \(did you mean "text"\?\)/ },
  { name: 'a mapping without "mappings"', files: mapping('{ "settings": {} }\n'), expect: /mappings\/blog\.json.* is missing "mappings"/ },
  { name: 'a mapping with an unknown top-level key', files: mapping('{\n  "mappings": {},\n  "mapping": {}\n}\n'), expect: /mapping is not a known setting in mappings\/blog\.json:3; did you mean "mappings"\?/ },
  { name: 'a mapping field without type', files: mapping('{\n  "mappings": {\n    "properties": {\n      "title": { "analyzer": "english" }\n    }\n  }\n}\n'), expect: /mappings\.properties\.title in mappings\/blog\.json:4 has no "type"/ },
  { name: 'a keyword field with properties', files: mapping('{"mappings": {"properties": {"tags": {"type": "keyword", "properties": {"x": {"type": "text"}}}}}}'), expect: /mappings\.properties\.tags is of type "keyword" in mappings\/blog\.json:1 and cannot have "properties"/ },
  { name: 'a bad dynamic value', files: mapping('{\n  "mappings": {\n    "dynamic": "sometimes"\n  }\n}\n'), expect: /mappings\.dynamic is "sometimes" in mappings\/blog\.json:3, expected true or false or "true" or "false" or "strict" or "runtime"/ },
  { name: 'a missing mapping under strictValidation', files: { ...withSettings('  strictValidation: true\n'), 'mappings/blog.json': undefined }, expect: /index "blog" has no mapping file mappings\/blog\.json \(declared in search\.config\.yaml:4\); strictValidation requires one/ },
  { name: 'a model path that does not exist', files: config(VALID_CONFIG.replace('./models/post.mjs#Post', './models/missing.ts#Post')), expect: /model module "\.\/models\/missing\.ts" does not exist .*search\.config\.yaml:6, indexes\.blog\.models\[0\]/ },
  { name: 'a missing export', files: config(VALID_CONFIG.replace('#Post', '#Article')), expect: /has no export "Article" \(it exports: Author, Post\).*search\.config\.yaml:6, indexes\.blog\.models\[0\]/ },
  { name: 'a model without asSearchDocument', files: model("export const Post = { getSearchQueryset: (db) => db('posts') };\n"), expect: /model \.\/models\/post\.mjs#Post of index "blog" has no asSearchDocument, expected a function .*search\.config\.yaml:6/ },
  { name: 'getSearchQueryset not a function', files: model("export const Post = { getSearchQueryset: 'posts', asSearchDocument: (r) => r };\n"), expect: /model \.\/models\/post\.mjs#Post of index "blog" getSearchQueryset is string, expected a function .*search\.config\.yaml:6/ },
  { name: 'a model module that fails to load', files: model('export const Post = {;\n'), expect: /model module "\.\/models\/post\.mjs" failed to load: SyntaxError: .*search\.config\.yaml:6/ },
  { name: 'a model export that is not an object', files: model('export const Post = 42;\n'), expect: /model \.\/models\/post\.mjs#Post of index "blog" is number, expected a model object .*search\.config\.yaml:6/ },
  { name: 'a model reference ending in #', files: config(VALID_CONFIG.replace('#Post', '#')), expect: /indexes\.blog\.models\[0\] is "\.\/models\/post\.mjs#" in search\.config\.yaml:6, expected "<module path>#<export name>"/ },
  { name: 'a related dependency naming no model', files: withSettings('  sync:\n    related:\n      - { model: Comment, table: comments, keyColumn: post_id }\n'), expect: /settings\.sync\.related\[0\] in search\.config\.yaml:11 names model "Comment", which no index holds \(models: Post\)/ },
  { name: 'a related dependency with two ways to find rows', files: withSettings('  sync:\n    related:\n      - { model: Post, table: authors, foreignKey: author_id, keyColumn: id }\n'), expect: /settings\.sync\.related\[0\] in search\.config\.yaml:11 gives foreignKey and keyColumn, expected exactly one of foreignKey, keyColumn, select/ },
  { name: 'an unknown flag', files: {}, args: ['check', '--colour'], expect: /Nonexistent flag: --colour/ },
];

const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

describe('search check on bad input', () => {
  it('covers at least 25 distinct bad inputs', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('reports $name with exit code 2 and one line naming the file and where', async (c) => {
    const project = makeProject(baseline(c.files));
    projects.push(project);
    const result = await runCliInProcess(c.args ?? ['check'], { cwd: project.dir, env: c.env });
    expect(result.code, result.stderr).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors, result.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(c.expect);
    expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  });

  it('prints the stack of an error with --debug', async () => {
    const project = makeProject(baseline(model('export const Post = {;\n')));
    projects.push(project);
    const result = await runCli(['check', '--debug'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/failed to load: SyntaxError/);
  });

  it('reports the same problems as data with --json', async () => {
    const project = makeProject(baseline(withSettings('  updateStrategy: fast\n')));
    projects.push(project);
    const result = await runCli(['check', '--json'], { cwd: project.dir });
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CONFIG_INVALID');
    expect(body.error.message).toMatch(/settings\.updateStrategy is "fast" in search\.config\.yaml:9/);
  });

  it('lists every problem of a project with several, one per line', async () => {
    const project = makeProject(
      baseline({
        ...mapping('{"mappings": {"properties": {"title": {"type": "txt"}}}}'),
        ...model("export const Post = { getSearchQueryset: 1, asSearchDocument: 2 };\n"),
      }),
    );
    projects.push(project);
    const result = await runCli(['check', '--json'], { cwd: project.dir });
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { ok: boolean; problems: Array<{ severity: string; code: string; index?: string; model?: string }> };
    expect(body.ok).toBe(false);
    expect(body.problems.map((p) => p.code).sort()).toEqual(['MAPPING_INVALID', 'MODEL_INVALID', 'MODEL_INVALID']);
    expect(body.problems.every((p) => p.index === 'blog')).toBe(true);
  });
});

export { VALID_MAPPING };
