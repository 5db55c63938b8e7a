import type { Knex } from 'knex';
import { ClientRegistry } from './client/client-registry.js';
import { Redactor, secretsOf } from './client/redact.js';
import { loadConfig, type LoadConfigOptions } from './config/load-config.js';
import type { LoadedConfig } from './config/settings-types.js';
import { createKnex } from './db/knex-factory.js';
import { ProjectInvalidError } from './models/project-invalid-error.js';
import { validateProject, type ValidationReport } from './models/validator.js';

/**
 * A loaded, validated project: settings, models per index, mapping files, one client per
 * connection and one knex instance (both built on first use). The CLI and applications call
 * the library through the same object.
 *
 * @example
 * const project = await openProject();
 * try { await createIndex(project, 'blog'); } finally { await project.close(); }
 */
export class Project {
  readonly clients: ClientRegistry;
  readonly redactor: Redactor;
  private knex?: Promise<Knex>;

  constructor(
    readonly report: ValidationReport,
    options: { db?: Knex; redactor?: Redactor; onNotice?: (line: string) => void } = {},
  ) {
    this.clients = new ClientRegistry(report.config, { onNotice: options.onNotice });
    this.redactor = options.redactor ?? new Redactor(secretsOf(report.config));
    if (options.db) this.knex = Promise.resolve(options.db);
    this.ownsDb = !options.db;
  }

  private readonly ownsDb: boolean;

  get config(): LoadedConfig {
    return this.report.config;
  }

  get registry(): ValidationReport['registry'] {
    return this.report.registry;
  }

  /** The application database (built once; closed by close() unless it was passed in). */
  db(): Promise<Knex> {
    this.knex ??= createKnex(this.config.database, { baseDir: this.config.baseDir });
    return this.knex;
  }

  /** Index names to act on: the given ones (each must be configured), or every configured index. */
  indexNames(names: readonly string[] = []): string[] {
    const configured = Object.keys(this.config.indexes);
    if (names.length === 0) return configured;
    const unknown = names.filter((n) => !configured.includes(n));
    if (unknown.length > 0) {
      throw new ProjectInvalidError([
        {
          severity: 'error',
          code: 'CONFIG_INVALID',
          message: `index ${unknown.map((n) => `"${n}"`).join(', ')} is not configured in ${this.config.displayFile} (configured: ${configured.join(', ') || 'none'})`,
          file: this.config.displayFile,
        },
      ]);
    }
    return [...names];
  }

  async close(): Promise<void> {
    await this.clients.close();
    if (this.knex && this.ownsDb) await (await this.knex.catch(() => undefined))?.destroy();
  }
}

export interface OpenProjectOptions extends LoadConfigOptions {
  /** Use this knex instance instead of building one from the settings (it is not closed by close()). */
  db?: Knex;
  /** Throw when the validator finds errors (default true). */
  failOnInvalid?: boolean;
}

/** Loads and validates the settings and returns the project. Throws ProjectInvalidError on errors. */
export async function openProject(options: OpenProjectOptions = {}): Promise<Project> {
  const config = await loadConfig(options);
  const report = await validateProject(config);
  if (options.failOnInvalid !== false && !report.ok) throw new ProjectInvalidError(report.problems.filter((p) => p.severity === 'error'));
  return new Project(report, { db: options.db });
}
