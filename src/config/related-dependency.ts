import type { RelatedDependency } from './settings-types.js';

/** How a related table's row leads to the model rows it affects. */
export type RelatedLink =
  | { kind: 'foreignKey'; foreignKey: string; references: string }
  | { kind: 'keyColumn'; column: string }
  | { kind: 'select'; sql: string; param: string };

/**
 * Reads the relation of a `settings.sync.related` entry: exactly one of foreignKey, keyColumn
 * or select (with exactly one `?`). Returns the link, or the reason it is invalid, phrased
 * after `where` (the entry's path and file). Pure: `search check` and `search sync install`
 * both use it.
 */
export function readRelatedLink(dep: RelatedDependency, where: string): { link: RelatedLink } | { problem: string } {
  const given = (['foreignKey', 'keyColumn', 'select'] as const).filter((k) => dep[k] !== undefined);
  if (given.length !== 1) {
    return { problem: `${where} gives ${given.length ? given.join(' and ') : 'none of foreignKey, keyColumn, select'}, expected exactly one of foreignKey, keyColumn, select` };
  }
  if (dep.foreignKey) return { link: { kind: 'foreignKey', foreignKey: dep.foreignKey, references: dep.references ?? 'id' } };
  if (dep.keyColumn) return { link: { kind: 'keyColumn', column: dep.keyColumn } };
  const placeholders = dep.select!.split(/(?<!\\)\?/).length - 1;
  if (placeholders !== 1) {
    return { problem: `${where}.select has ${placeholders} ? placeholders, expected exactly one (bound to the related row's "${dep.param ?? 'id'}"; write \\? for a literal ?)` };
  }
  return { link: { kind: 'select', sql: dep.select!, param: dep.param ?? 'id' } };
}
