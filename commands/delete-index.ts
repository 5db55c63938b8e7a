import { createInterface } from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { EXIT, LifecycleError } from '../src/errors.js';
import { deleteIndex, type DeleteIndexResult } from '../src/indexes/delete-index.js';

export default class DeleteIndex extends SearchCommand<typeof DeleteIndex> {
  static override summary = 'Delete indexes and every document in them.';
  static override description = 'Deletes the alias <index> and the concrete indexes behind it. Asks for confirmation on a terminal; --force (or --yes) skips the question and is required when not on a terminal. Refuses to run without an index name.';
  static override examples = ['<%= config.bin %> delete-index blog', '<%= config.bin %> delete-index blog people --force'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (at least one).', required: true }) };
  static override flags = {
    force: Flags.boolean({ char: 'f', summary: 'Do not ask for confirmation.', aliases: ['yes'], charAliases: ['y'] }),
    'if-exists': Flags.boolean({ summary: 'Skip indexes that do not exist instead of failing.' }),
  };

  public async run(): Promise<{ indexes: DeleteIndexResult[] }> {
    const names = this.indexNames();
    if (!this.flags.force) {
      if (!process.stdin.isTTY || this.jsonEnabled()) {
        throw new LifecycleError('CONFIRMATION_REQUIRED', `refusing to delete ${names.join(', ')} without confirmation: not on a terminal; pass --force`, { exitCode: EXIT.usage });
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`Delete ${names.join(', ')} and every document in ${names.length === 1 ? 'it' : 'them'}? Type the name${names.length === 1 ? '' : 's'} to confirm: `);
      rl.close();
      if (answer.trim() !== names.join(' ') && answer.trim() !== names.join(', ')) {
        this.logToStderr('not deleted');
        this.exit(EXIT.failure);
      }
    }
    const indexes: DeleteIndexResult[] = [];
    for (const name of names) {
      const result = await deleteIndex(this.project, name, { ifExists: this.flags['if-exists'] });
      indexes.push(result);
      this.log(result.deleted.length ? `deleted ${name} (${result.deleted.join(', ')})` : `${name} does not exist: skipped`);
    }
    return { indexes };
  }
}
