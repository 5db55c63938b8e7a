import type { AnalysisRegistry, FieldInfo, FieldType } from '../../contract.js';
import type { DateParser } from './date-format.js';

export const DYNAMIC_MODES = ['true', 'false', 'strict', 'runtime'] as const;
export type DynamicMode = (typeof DYNAMIC_MODES)[number];

export type LeafType = Exclude<FieldType, 'object' | 'nested'>;

/** A leaf field (text, keyword, numbers, ...) with its multi-fields. */
export interface FieldMapper {
  readonly kind: 'field';
  readonly name: string;
  readonly path: string;
  readonly type: LeafType;
  /** Parameters as the user gave them (minus `type` and `fields`), for GET _mapping and merges. */
  readonly params: Record<string, unknown>;
  readonly info: FieldInfo;
  readonly copyTo: readonly string[];
  readonly multiFields: ReadonlyMap<string, FieldMapper>;
  readonly coerce: boolean;
  readonly ignoreMalformed: boolean;
  readonly nullValue: unknown;
  readonly dateParser?: DateParser;
  readonly dateFormat?: string;
  /** Whether the field's values are searchable (false for `index: false` and inside `enabled: false`). */
  readonly indexed: boolean;
  /** A subfield search_as_you_type builds itself (`._<n>gram`, `._index_prefix`): indexed and searched as a multi-field, never printed in the mapping. */
  readonly builtIn?: 'shingle' | 'prefix';
}

/** An object or nested field. */
export interface ObjectMapper {
  readonly kind: 'object';
  readonly name: string;
  readonly path: string;
  readonly type: 'object' | 'nested';
  readonly dynamic?: DynamicMode;
  readonly enabled: boolean;
  readonly params: Record<string, unknown>;
  /** Children by name; with `subobjects: false` a name may hold dots (`user.id` is one field). */
  readonly properties: Map<string, Mapper>;
  /** `subobjects: false`: dotted names are fields of this object, never objects of their own. */
  readonly subobjects?: false;
  /**
   * A nested object's `include_in_parent` / `include_in_root` as NestedObjectMapper.Builder settles
   * them: its fields are also indexed into the enclosing document / the root document. include_in_root
   * is dropped where include_in_parent already reaches the root (a top-level nested object, or one
   * whose parent is itself included in the root).
   */
  readonly includeInParent?: boolean;
  readonly includeInRoot?: boolean;
}

/** A field alias (FieldAliasMapper): another name for the field at `target`; nothing is indexed under it. */
export interface AliasMapper {
  readonly kind: 'alias';
  readonly name: string;
  readonly path: string;
  readonly type: 'alias';
  /** Full path of the aliased field. */
  readonly target: string;
  /** Path of the nearest enclosing nested object, if any (the target's must be the same). */
  readonly nestedPath?: string;
}

export type Mapper = FieldMapper | ObjectMapper | AliasMapper;

/** The mapping defaults an index's settings give (`index.mapping.ignore_above`, `.coerce`, `.ignore_malformed`). */
export interface MappingDefaults {
  ignoreAbove?: number;
  coerce?: boolean;
  ignoreMalformed?: boolean;
}

/** What a mapper needs while being built. */
export interface MapperContext {
  analysis: AnalysisRegistry;
  /** Path of the nearest enclosing nested object. */
  nestedPath?: string;
  /** Inside an `enabled: false` object. */
  disabled?: boolean;
  /** `index.mapping.ignore_above`: keyword fields without their own ignore_above take it. */
  defaultIgnoreAbove?: number;
  /** `index.mapping.coerce`: the coerce of the fields that take one and set none (true unless set). */
  defaultCoerce?: boolean;
  /** `index.mapping.ignore_malformed`: the ignore_malformed of the fields that take one and set none. */
  defaultIgnoreMalformed?: boolean;
  /** The dynamic mode the enclosing objects give (what an auto-flattened object's own must equal). */
  dynamic?: DynamicMode;
  /** Inside a nested object whose fields reach the root document (NestedMapperBuilderContext.parentIncludedInRoot). */
  parentIncludedInRoot?: boolean;
}
