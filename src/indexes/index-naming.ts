/**
 * The alias scheme: users query `<name>` (an alias); the documents live in the concrete index
 * `<name>-<yyyymmddhhmmssSSS>` (UTC), so a rebuild can fill a new concrete index and swap the
 * alias atomically.
 */
export function concreteIndexName(alias: string, at: Date = new Date()): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}${pad(at.getUTCMilliseconds(), 3)}`;
  return `${alias}-${stamp}`;
}

/** Whether `index` is a concrete index of `alias` under the naming scheme. */
export function isConcreteIndexOf(alias: string, index: string): boolean {
  return index.length === alias.length + 18 && index.startsWith(`${alias}-`) && /^\d{17}$/.test(index.slice(alias.length + 1));
}
