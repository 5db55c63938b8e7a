import { EngineError } from '../../errors.js';
import type { SearchPhase } from '../phases.js';

/** The suggest phase: completion, term and phrase suggesters. */
export const suggestPhase: SearchPhase = {
  keys: ['suggest'],
  run() {
    throw new EngineError(400, 'illegal_argument_exception', '[suggest] is not supported by the indexkit embedded engine');
  },
};
