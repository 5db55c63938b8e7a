import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { timeArgument } from '../../src/config/duration.js';
import { readQueryLog } from '../../src/search/query-audit.js';
import { formatStats } from '../../src/search/query-report.js';
import { queryStats, type IndexQueryStats } from '../../src/search/query-stats.js';

export interface QueriesStatsResult {
  since: string | null;
  until: string | null;
  indexes: IndexQueryStats[];
}

export default class QueriesStats extends SearchCommand<typeof QueriesStats> {
  static override summary = 'Search statistics per index: volume, zero results, conversions, top terms, latency.';
  static override description = `For each index over the period: the number of searches, the zero-result rate and the most frequent zero-result terms, the most frequent terms (lower-cased and trimmed), latency percentiles p50/p95/p99 (interpolated, as PostgreSQL's percentile_cont) and the maximum, the mean number of hits, the conversion rate (searches with at least one recorded conversion), the mean and median position of converted hits, and the lowest-converting terms (searched at least --min-searches times). Counts (executeCount) are left out.`;
  static override examples = ['<%= config.bin %> queries stats', '<%= config.bin %> queries stats --index blog --since 7d', '<%= config.bin %> queries stats --since 2026-01-01 --until 2026-02-01 --top 20 --json'];
  static override flags = {
    index: Flags.string({ summary: 'Only this index.' }),
    since: Flags.string({ summary: 'Period start (ISO date or duration ago: 30d). Default: the first logged query.' }),
    until: Flags.string({ summary: 'Period end, exclusive (ISO date or duration ago). Default: now.' }),
    top: Flags.integer({ summary: 'Terms listed per index.', default: 10, min: 1, max: 1000 }),
    user: Flags.string({ summary: 'Only searches of this user id.' }),
    reference: Flags.string({ summary: 'Only searches with this reference.' }),
    'min-searches': Flags.integer({ summary: 'Low-converting terms need at least this many searches.', default: 5, min: 1 }),
  };

  public async run(): Promise<QueriesStatsResult> {
    const f = this.flags;
    const since = f.since === undefined ? undefined : timeArgument(f.since, '--since');
    const until = f.until === undefined ? undefined : timeArgument(f.until, '--until');
    const db = await this.db();
    const indexes = await readQueryLog(() => queryStats(db, { index: f.index, since, until, user: f.user, reference: f.reference, top: f.top, minSearches: f['min-searches'] }));
    if (!this.jsonEnabled()) for (const line of formatStats(indexes, { since, until })) this.log(line);
    return { since: since?.toISOString() ?? null, until: until?.toISOString() ?? null, indexes };
  }
}
