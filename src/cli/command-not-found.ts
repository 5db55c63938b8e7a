import type { Hook } from '@oclif/core';
import { closest } from '../config/suggest.js';
import { EXIT } from '../errors.js';

/** `search nope`: one clear line, a suggestion, exit 2 (bad usage). */
const hook: Hook<'command_not_found'> = async function (options) {
  const ids = options.config.commandIDs.map((id) => id.replaceAll(':', ' '));
  const typed = options.id.replaceAll(':', ' ');
  const hint = closest(typed, ids);
  process.stderr.write(`error: "${typed}" is not a search command${hint ? `; did you mean "${hint}"?` : ''} (see search --help)\n`);
  process.exitCode = EXIT.usage;
  this.exit(EXIT.usage);
};

export default hook;
