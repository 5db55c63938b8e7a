/** One completion input with its weight (for the completion suggester). */
export interface CompletionEntry {
  input: string;
  weight: number;
  /** The contexts given with the input (`contexts: {name: value}`), before the mapping resolves them. */
  given?: Record<string, unknown>;
  /** Its indexed contexts (`<name>\0<value>`), for a field with context mappings. */
  contexts?: string[];
}

/**
 * The indexable values of one field of one document, as the document parser produced them.
 * Text: `terms[i]` at `positions[i]`; keyword: normalised values (also indexed as terms);
 * numbers (dates as epoch millis, booleans 0/1).
 */
export interface ParsedField {
  terms?: string[];
  positions?: number[];
  /** Token count for norms (overlapping tokens not counted, as Lucene's discountOverlaps). */
  length: number;
  /** Next position base for a following value of a multi-valued text field. */
  nextPosition: number;
  keywords?: string[];
  numbers?: number[];
  completions?: CompletionEntry[];
  /** Whether the field has postings (false for `index: false`). */
  indexed: boolean;
  docValues: boolean;
}

export type ParsedFields = Map<string, ParsedField>;

/** A nested child document (Lucene block join: stored before its parent). */
export interface ParsedChild {
  path: string;
  offset: number;
  fields: ParsedFields;
}

export interface ParsedDocument {
  fields: ParsedFields;
  /** Children in block order (deepest first, siblings in source order). */
  children: ParsedChild[];
}

export function emptyField(indexed: boolean, docValues: boolean): ParsedField {
  return { length: 0, nextPosition: 0, indexed, docValues };
}
