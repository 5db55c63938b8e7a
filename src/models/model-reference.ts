/**
 * A model reference as the settings write it: `<module path>#<export name>`;
 * without `#`, the module's default export.
 */
export interface ModelReference {
  /** The reference exactly as written. */
  raw: string;
  /** Module specifier: a path relative to the settings file, or a package name. */
  module: string;
  /** Export name (`default` when none is written). */
  exportName: string;
}

export function parseModelReference(raw: string): ModelReference {
  const hash = raw.lastIndexOf('#');
  if (hash === -1) return { raw, module: raw, exportName: 'default' };
  return { raw, module: raw.slice(0, hash), exportName: raw.slice(hash + 1) };
}

/** Module path without extension, `./` and `/index`, lower-cased: `./app/models/post.ts` -> `app/models/post`. */
export function normalizeModulePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\.(c|m)?(t|j)sx?$/, '')
    .replace(/\/index$/, '')
    .toLowerCase();
}

/**
 * Whether a name written in `neverAutoSync` designates the model `ref` (also known by `aliases`:
 * its display name and table).
 * Accepted spellings, all case-insensitive: `Post`, `post`, `./models/post.ts#Post`,
 * `models/post#Post`, `app.Post` or `blog.models.Post` (a dotted prefix, as Django writes `app.Model`).
 * The Python original compared `app.ModelName` with the bare class name and silently missed it.
 */
export function modelNameMatches(written: string, ref: ModelReference, aliases: readonly string[]): boolean {
  const w = written.trim();
  const lower = (s: string) => s.toLowerCase();
  const names = new Set([lower(ref.exportName), ...aliases.map(lower)]);
  if (w.includes('#')) {
    const other = parseModelReference(w);
    return normalizeModulePath(other.module) === normalizeModulePath(ref.module) && lower(other.exportName) === lower(ref.exportName);
  }
  if (names.has(lower(w))) return true;
  const last = w.split(/[.:/]/).pop() ?? w;
  return names.has(lower(last));
}
