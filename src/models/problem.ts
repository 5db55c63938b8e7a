import type { ErrorCode } from '../errors.js';

export const WARNING_CODES = ['MAPPING_MISSING', 'NEVER_AUTO_SYNC_UNMATCHED', 'MODEL_UNUSED_OPTION'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** One finding of the validator: what is wrong, and where, as text and as data. */
export interface Problem {
  severity: 'error' | 'warning';
  code: ErrorCode | WarningCode;
  /** One line, naming the file and line or path. */
  message: string;
  file?: string;
  line?: number;
  path?: string;
  index?: string;
  model?: string;
}
