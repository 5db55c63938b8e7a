import { EngineError } from '../../errors.js';
import type { SearchPhase } from '../phases.js';

/** The highlight phase: `highlight` on the returned hits. */
export const highlightPhase: SearchPhase = {
  keys: ['highlight'],
  run() {
    throw new EngineError(400, 'illegal_argument_exception', '[highlight] is not supported by the indexkit embedded engine');
  },
};
