import type { Knex } from 'knex';
import { ClientRegistry } from './client/client-registry.js';
import { Redactor, secretsOf } from './client/redact.js';
import { loadConfig, type LoadConfigOptions } from './config/load-config.js';
import type { LoadedConfig } from './config/settings-types.js';
import { createKnex } from './db/knex-factory.js';
import { ProjectInvalidError } from './models/project-invalid-error.js';
import { validateProject, type ValidationReport } from './models/validator.js';
import type { ConversionInput } from './search/conversions.js';
import type { ExecuteSearchOptions, SearchBody } from './search/execute-search.js';
import { fromSearchQuery, type FromSearchQueryOptions, type SearchRows } from './search/from-search-query.js';
import { QueryLog } from './search/query-log.js';
import type { SearchAggregations, SearchQuery, SearchSuggestions } from './search/search-query.js';

/**
 * A loaded, validated project: settings, models per index, mapping files, one client per
 * connection and one knex instance (both built on first use). The CLI and applications call
 * the library through the same object.
 *
 * @example
 * const search = await openProject();
 * const result = await search.executeSearch('blog', { query: { match: { title: q } } }, { searchTerms: q, user: req.user });
 * const { rows } = await search.fromSearchQuery((db) => db('posts'), result);
 * await search.close(); // at shutdown
 */
export class Project {
  readonly clients: ClientRegistry;
  readonly redactor: Redactor;
  private knex?: Promise<Knex>;
  private log?: Promise<QueryLog>;

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

  /** The query log of this project's searches (settings.queryLog, in the project's database), built on first use. */
  async queryLog(): Promise<QueryLog> {
    this.log ??= this.db().then((db) => new QueryLog({ db, ...this.config.settings.queryLog, redact: (text) => this.redactor.redact(text) }));
    return this.log;
  }

  /**
   * Records a conversion on a hit of a logged search (see QueryLog.recordConversion): queued
   * and written behind the searches, never waiting for the database.
   *
   * @example
   * project.recordConversion(result.id, { hitId: '42' }); // the person opened post 42
   */
  async recordConversion(queryId: string, conversion: ConversionInput): Promise<void> {
    (await this.queryLog()).recordConversion(queryId, conversion);
  }

  /**
   * executeSearch with the project's client (the index's connection) and query log.
   *
   * @example
   * const result = await search.executeSearch<{ brands: estypes.AggregationsStringTermsAggregate }>('products',
   *   { query: { match: { name: q } }, aggs: { brands: { terms: { field: 'brand' } } } }, { searchTerms: q, user: req.user });
   * result.aggregations?.brands.buckets;
   */
  async executeSearch<TAggregations = SearchAggregations, TSuggestions = SearchSuggestions>(
    index: string,
    body: SearchBody,
    options: ProjectSearchOptions = {},
  ): Promise<SearchQuery<TAggregations, TSuggestions>> {
    const log = options.save === false ? undefined : await this.queryLog();
    const { executeSearch } = await searchModule();
    return executeSearch<TAggregations, TSuggestions>(index, body, { pageSize: this.config.settings.pageSize, ...options, client: this.clients, log });
  }

  /** executeCount with the project's client and query log. */
  async executeCount(index: string, body: SearchBody, options: Omit<ProjectSearchOptions, 'from' | 'size' | 'pageSize'> = {}): Promise<SearchQuery> {
    const log = options.save === false ? undefined : await this.queryLog();
    const { executeCount } = await searchModule();
    return executeCount(index, body, { ...options, client: this.clients, log });
  }

  /**
   * fromSearchQuery on the project's database: the rows of a search's hits, in hit order. The
   * builder may be given as a function of the database, `(db) => db('posts').where(...)`.
   */
  async fromSearchQuery<R extends Record<string, unknown> = Record<string, unknown>>(
    builder: Knex.QueryBuilder | ((db: Knex) => Knex.QueryBuilder),
    searchQuery: Pick<SearchQuery, 'hits'>,
    options: FromSearchQueryOptions = {},
  ): Promise<SearchRows<R & { search_score: number | null; search_rank: number }>> {
    const query = typeof builder === 'function' ? builder(await this.db()) : builder;
    return fromSearchQuery<R>(query, searchQuery, options);
  }

  /** Writes what the query log still holds, then closes the clients and (unless it was passed in) the database. */
  async close(): Promise<void> {
    if (this.log) await (await this.log.catch(() => undefined))?.close();
    await this.clients.close();
    if (this.knex && this.ownsDb) await (await this.knex.catch(() => undefined))?.destroy();
  }
}

/**
 * executeSearch's module, imported on first search: it brings in the search client's errors, which
 * a CLI command that never searches (search check, the sync and query log commands) should not load.
 */
const searchModule = () => import('./search/execute-search.js');

/** Options of Project.executeSearch: those of executeSearch without client and log (the project's). */
export type ProjectSearchOptions = Omit<ExecuteSearchOptions, 'client' | 'log'>;

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
