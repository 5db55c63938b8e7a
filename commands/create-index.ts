import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { createIndex, type CreateIndexResult } from '../src/indexes/create-index.js';

export default class CreateIndex extends SearchCommand<typeof CreateIndex> {
  static override summary = 'Create indexes from their mapping files.';
  static override description = `Creates <index>-<timestamp> from mappings/<index>.json (mappings, settings, aliases) with the alias <index> pointing at it, and records the mapping file's hash and the indexkit version in the index _meta. An existing index is an error unless --if-not-exists. Without names, every configured index.`;
  static override examples = ['<%= config.bin %> create-index blog', '<%= config.bin %> create-index --if-not-exists'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };
  static override flags = { 'if-not-exists': Flags.boolean({ summary: 'Skip indexes that already exist instead of failing.' }) };

  public async run(): Promise<{ indexes: CreateIndexResult[] }> {
    const indexes: CreateIndexResult[] = [];
    for (const name of this.indexNames()) {
      const result = await createIndex(this.project, name, { ifNotExists: this.flags['if-not-exists'] });
      indexes.push(result);
      this.log(result.created ? `created ${name} (concrete index ${result.concrete})` : `${name} exists: skipped`);
    }
    return { indexes };
  }
}
