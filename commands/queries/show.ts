import { Args } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { listConversions, type Conversion } from '../../src/search/conversions.js';
import { getQuery, readQueryLog } from '../../src/search/query-audit.js';
import { formatQuery } from '../../src/search/query-report.js';
import type { SearchQuery } from '../../src/search/search-query.js';

export default class QueriesShow extends SearchCommand<typeof QueriesShow> {
  static override summary = 'Show one logged query: its request, its hits and its conversions.';
  static override description = 'Prints the fields of one logged query, the request body as sent (pretty-printed) the hits with rank, id, index, score and sort values, and the conversions recorded against it (kind, position, hit). Exit code 1 when no query has the id.';
  static override examples = ['<%= config.bin %> queries show 0b6f5c1e-3f5e-4c8e-9a57-1f2d7a9f6c10', '<%= config.bin %> queries show 0b6f5c1e-3f5e-4c8e-9a57-1f2d7a9f6c10 --json'];
  static override args = {
    id: Args.string({ description: 'The query id, as `search queries list` shows it.', required: true }),
  };

  public async run(): Promise<SearchQuery & { conversions: Conversion[] }> {
    const db = await this.db();
    const query = await readQueryLog(() => getQuery(db, this.args.id));
    const conversions = await readQueryLog(() => listConversions(db, query.id));
    if (!this.jsonEnabled()) for (const line of formatQuery(query, conversions)) this.log(line);
    return { ...query, conversions };
  }
}
