/**
 * Elasticsearch's index name rules (MetadataCreateIndexService.validateIndexOrAliasName):
 * lowercase; none of `\ / * ? " < > | , #`, space or `:`; not `.` or `..`; not starting
 * with `-`, `_` or `+`; at most 255 bytes. Names that pass can never escape a folder when
 * they become `<name>.json`.
 *
 * Returns the reason a name is invalid, or undefined when it is valid.
 */
export function indexNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  const bad = name.match(/[\\/*?"<>|,# :]/);
  if (bad) return `must not contain "${bad[0] === ' ' ? 'space' : bad[0]}" (none of \\ / * ? " < > | , # : or space)`;
  if (/^[-_+]/.test(name)) return 'must not start with "-", "_" or "+"';
  if (Buffer.byteLength(name, 'utf8') > 255) return `is ${Buffer.byteLength(name, 'utf8')} bytes long, at most 255 allowed`;
  // Control characters are rejected by Elasticsearch's URL layer; refuse them here too.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'must not contain control characters';
  return undefined;
}

export function isValidIndexName(name: string): boolean {
  return indexNameProblem(name) === undefined;
}
