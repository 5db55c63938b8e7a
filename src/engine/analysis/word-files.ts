import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { illegalArgument } from '../errors.js';

/**
 * Word files of the analysis settings (`stopwords_path`, `keywords_path`, `synonyms_path`...), read
 * as Elasticsearch's Analysis.getWordList reads them: the path is resolved against the node's
 * config directory, the file is UTF-8, and its lines, trimmed, are the words (blank lines and, for
 * word lists, lines starting with `#` left out). Elasticsearch's security policy lets a node read
 * only inside its config directory; a path that leads outside it (`../x`, `/etc/passwd`, a
 * symbolic link out) is refused here with the same "Access denied" message.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Java's String.trim: code units up to U+0020 at either end. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Java's Character.isWhitespace (for Strings.hasText): separators but no-break spaces, and the controls 9-13, 28-31. */
function isJavaWhitespace(c: number): boolean {
  if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20)) return true;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

function hasText(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (!isJavaWhitespace(s.charCodeAt(k))) return true;
  return false;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The text of the file `setting` names, resolved in `configDir`, with Elasticsearch's errors. */
export function readConfigFile(configDir: string | undefined, setting: string, file: string): string {
  const path = resolve(configDir ?? '', file);
  if (configDir === undefined) throw illegalArgument(`IOException while reading ${setting}: ${file}`);
  let real: string | undefined;
  try {
    real = realpathSync(path);
  } catch {
    real = undefined;
  }
  const root = (() => {
    try {
      return realpathSync(configDir);
    } catch {
      return resolve(configDir);
    }
  })();
  if (!inside(resolve(configDir), path) || (real !== undefined && !inside(root, real))) {
    throw illegalArgument(`Access denied trying to read file ${setting}: ${path}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw illegalArgument(`IOException while reading ${setting}: ${path}`);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw illegalArgument(`Unsupported character encoding detected while reading ${setting}: ${path} - files must be UTF-8 encoded`);
  }
}

/** The lines of a word file as Analysis.loadWordList keeps them. */
export function wordLines(text: string, removeComments: boolean): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (!hasText(line)) continue;
    if (!removeComments || !line.startsWith('#')) out.push(javaTrim(line));
  }
  return out;
}
