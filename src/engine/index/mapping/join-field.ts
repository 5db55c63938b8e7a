import type { FieldInfo, MappingLookup } from '../../contract.js';
import { EngineError, illegalArgument, tokenOf, unsupported } from '../../errors.js';
import { mapperParsing } from './mapping-errors.js';

/**
 * The `join` field (Elasticsearch's parent-join module: ParentJoinFieldMapper, ParentIdFieldMapper,
 * Joiner). A document names its relation (`{name: "answer", parent: "1"}` or `"question"`); the
 * relation name is indexed as a keyword of the join field, and for every relation that has a
 * parent the hidden field `<join>#<parent relation>` holds the link: the parent's `_id` on a child,
 * the document's own `_id` on a parent. has_child, has_parent, parent_id and the children/parent
 * aggregations join on those values within a shard (children are routed to their parent's shard).
 */

export interface JoinRelation {
  parent: string;
  children: string[];
}

/** Parameters of a join field (ParentJoinFieldMapper.Builder). */
export const JOIN_PARAMS = ['type', 'relations', 'eager_global_ordinals', 'meta'] as const;

/** The hidden field of a parent relation: `<join>#<parent>`. */
export function parentIdField(joinField: string, parent: string): string {
  return `${joinField}#${parent}`;
}

/** Relations.parse: `{parent: child}` or `{parent: [child, ...]}`; a child has one parent (Joiner). */
export function parseRelations(value: unknown, path: string): JoinRelation[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw mapperParsing(`relations should be a hash but was of type: ${Array.isArray(value) ? 'java.util.ArrayList' : 'java.lang.String'}`);
  }
  const relations: JoinRelation[] = [];
  const parents = new Map<string, string>();
  for (const [parent, children] of Object.entries(value as Record<string, unknown>)) {
    const list = Array.isArray(children) ? children.map(String) : [String(children)];
    for (const child of list) {
      if (parents.has(child)) throw illegalArgument(`[${child}] cannot have multiple parents`);
      parents.set(child, parent);
    }
    relations.push({ parent, children: [...new Set(list)] });
  }
  if (path.includes('.')) throw illegalArgument(`join field [${path}] cannot be added inside an object or in a multi-field`);
  return relations;
}

/** Joiner: the relations of an index's join field. */
export class Joiner {
  private readonly childToParent = new Map<string, string>();
  private readonly parentToChildren = new Map<string, readonly string[]>();

  constructor(
    readonly field: string,
    relations: ReadonlyArray<{ parent: string; children: readonly string[] }>,
  ) {
    for (const r of relations) {
      this.parentToChildren.set(r.parent, r.children);
      for (const child of r.children) this.childToParent.set(child, r.parent);
    }
  }

  isChild(name: string): boolean {
    return this.childToParent.has(name);
  }

  isParent(name: string): boolean {
    return this.parentToChildren.has(name);
  }

  /** The parent relation of a child relation. */
  parentOf(child: string): string | undefined {
    return this.childToParent.get(child);
  }

  childrenOf(parent: string): readonly string[] {
    return this.parentToChildren.get(parent) ?? [];
  }

  /** The hidden field a child relation's documents link through (its parent's). */
  parentJoinField(child: string): string {
    return parentIdField(this.field, this.childToParent.get(child) ?? '');
  }

  /** The hidden field a parent relation's documents hold their own `_id` in. */
  childJoinField(parent: string): string {
    return parentIdField(this.field, parent);
  }

  /** The hidden fields, one per parent relation. */
  hiddenFields(): string[] {
    return [...this.parentToChildren.keys()].map((p) => parentIdField(this.field, p));
  }

  /** Joiner.canMerge: relations may be added, never removed or moved. */
  mergeConflicts(next: Joiner): string[] {
    const out: string[] = [];
    for (const parent of this.parentToChildren.keys()) if (!next.parentToChildren.has(parent)) out.push(`Cannot remove parent [${parent}]`);
    for (const child of this.childToParent.keys()) if (!next.childToParent.has(child)) out.push(`Cannot remove child [${child}]`);
    for (const parent of next.parentToChildren.keys()) {
      if (this.childToParent.has(parent) && !this.parentToChildren.has(parent)) out.push(`Cannot create parent [${parent}] from an existing child`);
    }
    for (const [child, parent] of next.childToParent) {
      if (this.childToParent.has(child) && this.childToParent.get(child) !== parent) out.push(`Cannot change parent of [${child}]`);
      if (this.parentToChildren.has(child) && this.childToParent.get(child) !== next.childToParent.get(child)) out.push(`Cannot create child [${child}] from an existing root`);
    }
    return out;
  }
}

/** The relations of a join field's definition, as put-mapping compares them (`relations` parameter). */
export function relationConflicts(path: string, before: unknown, after: unknown): string[] {
  return new Joiner(path, parseRelations(before, path)).mergeConflicts(new Joiner(path, parseRelations(after, path)));
}

/** A join field's definition as GET _mapping prints it: eager_global_ordinals always, a lone child as a string. */
export function joinMappingJson(def: Record<string, unknown>, path: string): Record<string, unknown> {
  const relations: Record<string, unknown> = {};
  for (const r of parseRelations(def.relations, path)) relations[r.parent] = r.children.length === 1 ? r.children[0] : r.children;
  const eager = def.eager_global_ordinals === undefined ? true : def.eager_global_ordinals;
  return { type: 'join', eager_global_ordinals: eager, relations };
}

const joiners = new WeakMap<MappingLookup, Joiner | null>();

/** The index's join field (Joiner.getJoiner), or undefined when it has none. */
export function joinerOf(mapping: MappingLookup): Joiner | undefined {
  let j = joiners.get(mapping);
  if (j === undefined) {
    j = null;
    for (const path of mapping.fieldPaths()) {
      const info = mapping.field(path);
      if (info?.join) {
        j = new Joiner(path, info.join.relations);
        break;
      }
    }
    joiners.set(mapping, j);
  }
  return j ?? undefined;
}

/** The FieldInfo of a hidden `<join>#<parent>` field: a keyword with doc values, out of `*` expansions. */
export function parentIdInfo(joinField: string, parent: string): FieldInfo {
  return { path: parentIdField(joinField, parent), type: 'keyword', indexed: true, docValues: true };
}

/** What one document's join value indexes: its relation name and the hidden link fields. */
export interface JoinValue {
  name: string;
  links: Array<{ field: string; value: string }>;
}


/** ParentJoinFieldMapper.parse: the errors are its IllegalArgument/IllegalState exceptions. */
export function parseJoinValue(joiner: Joiner, value: unknown, id: string | undefined, routing: string | undefined): JoinValue {
  const field = joiner.field;
  let name: string | undefined;
  let parent: string | undefined;
  if (typeof value === 'string') name = value;
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        if (key === 'name') name = v;
        else if (key === 'parent') parent = v;
        else throw illegalArgument(`unknown field name [${key}] in join field [${field}]`);
      } else if (typeof v === 'number') {
        if (key === 'parent') parent = String(v);
        else throw illegalArgument(`unknown field name [${key}] in join field [${field}]`);
      } else if (typeof v === 'object' && v !== null) {
        throw unsupported(`an ${Array.isArray(v) ? 'array' : 'object'} value under [${key}] in join field [${field}]`);
      }
    }
  } else if (Array.isArray(value)) {
    throw unsupported(`an array of values for the join field [${field}]`);
  } else {
    throw new EngineError(400, 'illegal_state_exception', `[${field}] expected START_OBJECT or VALUE_STRING but was: ${tokenOf(value)}`);
  }
  if (name === undefined) throw illegalArgument(`null join name in field [${field}]`);
  if (!joiner.isChild(name) && !joiner.isParent(name)) throw illegalArgument(`unknown join name [${name}] for field [${field}]`);
  const links: JoinValue['links'] = [];
  if (joiner.isChild(name)) {
    if (parent === undefined) throw illegalArgument(`[parent] is missing for join field [${field}]`);
    if (routing === undefined) throw illegalArgument(`[routing] is missing for join field [${field}]`);
    links.push({ field: joiner.parentJoinField(name), value: parent });
  }
  if (joiner.isParent(name)) links.push({ field: joiner.childJoinField(name), value: id ?? '' });
  return { name, links };
}
