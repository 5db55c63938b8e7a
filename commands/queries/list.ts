import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { durationArgument, timeArgument } from '../../src/config/duration.js';
import { listQueries, readQueryLog, type ListOptions } from '../../src/search/query-audit.js';
import { formatQueryList, queriesToCsv } from '../../src/search/query-report.js';
import type { SearchQuery } from '../../src/search/search-query.js';

export default class QueriesList extends SearchCommand<typeof QueriesList> {
  static override summary = 'List logged search queries, newest first.';
  static override description = `Reads the query log (table indexkit_search_queries) that executeSearch writes. Filters combine with AND. Times are ISO dates (2026-01-31, 2026-01-31T12:00:00Z) or durations ago (7d, 12h, 30m).`;
  static override examples = [
    '<%= config.bin %> queries list',
    '<%= config.bin %> queries list --index blog --zero-hits --since 7d',
    '<%= config.bin %> queries list --contains postgres --slower-than 200ms --csv > slow.csv',
    '<%= config.bin %> queries list --user 42 --json',
    '<%= config.bin %> queries list --index blog --not-converted --since 7d',
  ];
  static override flags = {
    index: Flags.string({ summary: 'Only queries of this index (or alias, as searched).' }),
    user: Flags.string({ summary: 'Only queries of this user id.' }),
    reference: Flags.string({ summary: 'Only queries with this reference (session id, request id, ...).' }),
    contains: Flags.string({ summary: 'Only queries whose search terms contain this text (case-insensitive).' }),
    since: Flags.string({ summary: 'Only queries executed at or after this time (ISO date or duration ago: 7d).' }),
    until: Flags.string({ summary: 'Only queries executed before this time (ISO date or duration ago).' }),
    'zero-hits': Flags.boolean({ summary: 'Only queries that found nothing.' }),
    'slower-than': Flags.string({ summary: 'Only queries that took longer than this (250ms, 2s).' }),
    converted: Flags.boolean({ summary: 'Only queries with at least one recorded conversion.', exclusive: ['not-converted'] }),
    'not-converted': Flags.boolean({ summary: 'Only queries without any recorded conversion.', exclusive: ['converted'] }),
    limit: Flags.integer({ summary: 'Most queries listed.', default: 50, min: 1, max: 100_000 }),
    offset: Flags.integer({ summary: 'Skip this many of the newest matching queries.', default: 0, min: 0 }),
    csv: Flags.boolean({ summary: 'Print CSV (one header line, one line per query).', exclusive: ['json'] }),
  };

  public async run(): Promise<SearchQuery[]> {
    const f = this.flags;
    const options: ListOptions = {
      index: f.index,
      user: f.user,
      reference: f.reference,
      contains: f.contains,
      since: f.since === undefined ? undefined : timeArgument(f.since, '--since'),
      until: f.until === undefined ? undefined : timeArgument(f.until, '--until'),
      zeroHits: f['zero-hits'],
      slowerThanMs: f['slower-than'] === undefined ? undefined : durationArgument(f['slower-than'], '--slower-than'),
      converted: f.converted ? true : f['not-converted'] ? false : undefined,
      limit: f.limit,
      offset: f.offset,
    };
    const db = await this.db();
    const queries = await readQueryLog(() => listQueries(db, options));
    if (this.jsonEnabled()) return queries;
    if (f.csv) process.stdout.write(queriesToCsv(queries));
    else for (const line of formatQueryList(queries)) this.log(line);
    return queries;
  }
}
