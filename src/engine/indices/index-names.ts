import { EngineError } from '../errors.js';
import { simpleMatch } from '../automaton/simple-match.js';
import { UTC, parseTimeZone, resolveDateMath } from '../search/date-math.js';
import { dateFormatter } from '../search/aggs/value-format.js';
import { compileDateFormat } from '../search/date-format.js';

const INVALID_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];

export function invalidIndexName(name: string, reason: string): EngineError {
  return new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${reason}`, { index_uuid: '_na_', index: name });
}

export function invalidAliasName(name: string, reason: string): EngineError {
  return new EngineError(400, 'invalid_alias_name_exception', `Invalid alias name [${name}], ${reason}`);
}

/** Elasticsearch's rules for index and alias names (MetadataCreateIndexService.validateIndexOrAliasName). */
export function validateName(name: string, error: (name: string, reason: string) => EngineError = invalidIndexName): void {
  if (INVALID_CHARS.some((c) => name.includes(c))) {
    throw error(name, 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]');
  }
  if (name.includes('#')) throw error(name, "must not contain '#'");
  if (name.includes(':')) throw error(name, "must not contain ':'");
  if (name.startsWith('_') || name.startsWith('-') || name.startsWith('+')) throw error(name, "must not start with '_', '-', or '+'");
  if (name !== name.toLowerCase()) throw error(name, 'must be lowercase');
  if (name === '.' || name === '..') throw error(name, "must not be '.' or '..'");
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) throw error(name, `index name is too long, (${bytes} > 255)`);
  if (name.length === 0) throw error(name, 'must not be empty');
}

export function isWildcard(expression: string): boolean {
  return expression.includes('*');
}

export function wildcardMatch(pattern: string, name: string): boolean {
  return simpleMatch(pattern, name);
}

/** Auto-generated ids: 20 chars of URL-safe base64, time-based like Elasticsearch's. */
let sequence = Math.floor(Math.random() * 0xffffff);
const node = Buffer.from(Array.from({ length: 6 }, () => Math.floor(Math.random() * 256)));

export function generateId(): string {
  const bytes = Buffer.alloc(15);
  sequence = (sequence + 1) & 0xffffff;
  const now = Date.now();
  bytes[0] = sequence & 0xff;
  bytes[1] = (sequence >>> 16) & 0xff;
  bytes.writeUIntBE(now, 2, 6);
  node.copy(bytes, 8);
  bytes[14] = (sequence >>> 8) & 0xff;
  return bytes.toString('base64url');
}

/** A random 22-char URL-safe uuid (index uuids, cluster uuid). */
export function randomUuid(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}

/**
 * Date math in index names (IndexNameExpressionResolver.DateMathExpressionResolver):
 * `<static{date_math{format|time_zone}}static>`, e.g. `<logstash-{now/M}>` -> `logstash-2024.05.01`
 * (default format `uuuu.MM.dd`, UTC). A name not wrapped in `<...>` is returned unchanged.
 */
export function resolveDateMathName(name: string, nowMs: number): string {
  if (!name.startsWith('<') || !name.endsWith('>')) return name;
  const text = name.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      out += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '}') throw invalidIndexName(name, 'invalid character in placeholder at position [' + i + ']');
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    // a placeholder: the math, then an optional `{format|zone}`, then the closing brace
    const close = text.indexOf('}', i);
    if (close === -1) throw invalidIndexName(name, 'date math placeholder is open ended');
    const inner = text.slice(i + 1, close);
    const brace = inner.indexOf('{');
    let math = inner;
    let format = 'uuuu.MM.dd';
    let zone = UTC;
    let end = close + 1;
    if (brace !== -1) {
      math = inner.slice(0, brace);
      const spec = inner.slice(brace + 1);
      const bar = spec.indexOf('|');
      format = bar === -1 ? spec : spec.slice(0, bar);
      if (bar !== -1) zone = parseTimeZone(spec.slice(bar + 1));
      if (text[close + 1] !== '}') throw invalidIndexName(name, 'date math placeholder is open ended');
      end = close + 2;
    }
    // the anchor before `||` is read with the name's own format (DateFormatter.toDateMathParser)
    const parseAnchor = (anchor: string, roundUp: boolean): number => {
      const ms = compileDateFormat(format)(anchor, roundUp, zone);
      if (ms === undefined) throw new EngineError(400, 'parse_exception', `failed to parse date field [${anchor}] with format [${format}]`);
      return ms;
    };
    const ms = resolveDateMath(math, nowMs, false, zone, parseAnchor);
    out += dateFormatter(format, zone)(ms);
    i = end;
  }
  return out;
}
