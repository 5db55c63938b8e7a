import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { modelNameMatches, parseModelReference } from '../../src/models/model-reference.js';
import { validateProject } from '../../src/models/validator.js';
import { VALID_MAPPING, VALID_MODEL, makeProject } from '../helpers/project.js';

const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

const MAPPINGS = {
  'mappings/blog.json': VALID_MAPPING,
  'mappings/everything.json': VALID_MAPPING,
};

async function project(config: string, files: Record<string, string> = {}) {
  const p = makeProject({ 'search.config.yaml': config, 'app/models/post.mjs': VALID_MODEL, ...MAPPINGS, ...files });
  projects.push(p);
  return validateProject(await loadConfig({ cwd: p.dir, env: {} }));
}

describe('modelNameMatches', () => {
  const ref = parseModelReference('./app/models/post.ts#Post');
  it.each(['Post', 'post', 'POST', 'app.Post', 'blog.models.Post', 'app:Post', './app/models/post.ts#Post', 'app/models/post#Post', './app/models/post.js#post', 'posts'])(
    'matches %s',
    (written) => {
      expect(modelNameMatches(written, ref, ['Post', 'posts'])).toBe(true);
    },
  );
  it.each(['Author', 'app.Author', './app/models/author.ts#Post', './app/models/post.ts#Author', 'Posting'])('does not match %s', (written) => {
    expect(modelNameMatches(written, ref, ['Post', 'posts'])).toBe(false);
  });
});

describe('ModelRegistry', () => {
  it('holds one model in several indexes and several models in one index', async () => {
    const report = await project(
      'indexes:\n  blog:\n    models: [./app/models/post.mjs#Post, ./app/models/post.mjs#Author]\n  everything:\n    models: [./app/models/post.mjs#Post]\n',
    );
    expect(report.ok).toBe(true);
    const { registry } = report;
    expect(registry.models().map((m) => m.name)).toEqual(['Post', 'Author']);
    expect(registry.modelsFor('blog').map((m) => m.name)).toEqual(['Post', 'Author']);
    expect(registry.modelsFor('everything').map((m) => m.name)).toEqual(['Post']);
    expect(registry.find('app.Post')?.indexes).toEqual(['blog', 'everything']);
  });

  it('switches auto sync off for a model named in neverAutoSync however it is written', async () => {
    for (const written of ['Post', 'app.Post', './app/models/post.mjs#Post', 'posts']) {
      const report = await project(`indexes:\n  blog:\n    models: [./app/models/post.mjs#Post, ./app/models/post.mjs#Author]\nsettings:\n  neverAutoSync: ["${written}"]\n`);
      const post = report.registry.find('Post')!;
      const author = report.registry.find('Author')!;
      expect(report.registry.isAutoSyncDisabled(post), written).toBe(true);
      expect(report.registry.isAutoSyncDisabled(author), written).toBe(false);
      expect(report.problems).toEqual([]);
    }
  });

  it('warns about a neverAutoSync entry that names no model, instead of missing it silently', async () => {
    const report = await project('indexes:\n  blog:\n    models: [./app/models/post.mjs#Post]\nsettings:\n  neverAutoSync: [app.Comment]\n');
    expect(report.ok).toBe(true);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ severity: 'warning', code: 'NEVER_AUTO_SYNC_UNMATCHED', line: 5, path: 'settings.neverAutoSync[0]' });
    expect(report.problems[0]!.message).toMatch(/"app\.Comment" in search\.config\.yaml:5, which names no model/);
  });

  it('turns every model off with autoSync false', async () => {
    const report = await project('indexes:\n  blog:\n    models: [./app/models/post.mjs#Post]\nsettings:\n  autoSync: false\n');
    expect(report.registry.isAutoSyncDisabled(report.registry.find('Post')!)).toBe(true);
  });

  it('loads a model module written in TypeScript without a build step', async () => {
    const report = await project('indexes:\n  blog:\n    models: [./app/models/typed.ts#Typed]\n', {
      'app/models/typed.ts': `interface Row { id: number; title: string }
export const Typed = {
  primaryKey: 'id' as const,
  getSearchQueryset: (db: (table: string) => unknown) => db('typed'),
  asSearchDocument: (row: Row): { title: string } => ({ title: row.title.toUpperCase() }),
};
`,
    });
    expect(report.problems).toEqual([]);
    const typed = report.registry.find('Typed')!;
    expect(await typed.model.asSearchDocument({ id: 1, title: 'hello' }, 'blog')).toEqual({ title: 'HELLO' });
  });
});
