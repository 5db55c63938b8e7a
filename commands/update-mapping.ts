import { Args } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { updateMapping, type UpdateMappingResult } from '../src/indexes/update-mapping.js';

export default class UpdateMapping extends SearchCommand<typeof UpdateMapping> {
  static override summary = 'Apply an additive mapping change to a live index.';
  static override description = 'Applies new fields, new multi-fields, updatable parameters, dynamic settings and aliases from the mapping file in place, and records the new hash. A breaking change (a changed or removed field, analysis) is refused with the advice to run search rebuild-index.';
  static override examples = ['<%= config.bin %> update-mapping blog'];
  static override args = { index: Args.string({ description: 'Index name.', required: true }) };

  public async run(): Promise<UpdateMappingResult> {
    const [name] = this.project.indexNames([this.args.index]);
    const result = await updateMapping(this.project, name!);
    if (!result.applied) this.log(`${name}: the mapping is in sync; nothing to do`);
    else {
      this.log(`${name}: applied ${result.changes.length} change${result.changes.length === 1 ? '' : 's'}`);
      for (const change of result.changes) this.log(`  ${change}`);
    }
    return result;
  }
}
