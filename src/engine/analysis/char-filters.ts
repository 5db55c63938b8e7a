import { illegalArgument, unsupported } from '../errors.js';
import type { CharFilter, CharFilterResult } from './analysis-types.js';
import { OffsetRewriter } from './offset-rewriter.js';
import type { ComponentParams } from './analysis-settings.js';
import { PatternReplaceCharFilter, compileJavaPattern } from './pattern-components.js';

/** Parses Elasticsearch mapping rules (`"ph => f"`, with \\n, \\t, \\uXXXX escapes). */
export function parseMappingRules(rules: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const rule of rules) {
    const m = /^(.+?)\s*=>\s*(.*)$/s.exec(rule);
    if (!m) throw illegalArgument(`Invalid Mapping Rule : [${rule}]`);
    const key = unescape(m[1]?.trim() ?? '');
    if (key.length === 0) throw illegalArgument(`Invalid Mapping Rule : [${rule}]`);
    map.set(key, unescape(m[2] ?? ''));
  }
  return map;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_all, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

/** Elasticsearch's `mapping` char filter: longest match first, left to right. */
export class MappingCharFilter implements CharFilter {
  readonly normalizes = true;
  private readonly maxKey: number;

  constructor(private readonly mappings: Map<string, string>) {
    this.maxKey = Math.max(0, ...Array.from(mappings.keys(), (k) => k.length));
  }

  apply(text: string): CharFilterResult {
    const rw = new OffsetRewriter(text);
    let copied = 0;
    let i = 0;
    while (i < text.length) {
      let matched = 0;
      let replacement = '';
      for (let len = Math.min(this.maxKey, text.length - i); len > 0; len--) {
        const r = this.mappings.get(text.slice(i, i + len));
        if (r !== undefined) {
          matched = len;
          replacement = r;
          break;
        }
      }
      if (matched === 0) {
        i++;
        continue;
      }
      rw.copy(copied, i);
      rw.replace(i, matched, replacement);
      i += matched;
      copied = i;
    }
    rw.copy(copied, text.length);
    return rw.result();
  }
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'isindex', 'li', 'menu', 'nav', 'noframes', 'noscript', 'ol', 'p', 'pre', 'section', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', eacute: 'é',
  egrave: 'è', agrave: 'à', aacute: 'á', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß',
};
const RE_TAG = /^<(\/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>/;
const RE_ENTITY = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});?/;

/**
 * Elasticsearch's `html_strip`, simplified from Lucene's HTMLStripCharFilter: removes tags,
 * comments and the content of script/style elements, turns block-level tags into a newline and
 * decodes character entities. `escaped_tags` are left in the text.
 */
export class HtmlStripCharFilter implements CharFilter {
  private readonly escaped: ReadonlySet<string>;

  constructor(escapedTags: readonly string[] = []) {
    this.escaped = new Set(escapedTags.map((t) => t.toLowerCase()));
  }

  apply(text: string): CharFilterResult {
    const rw = new OffsetRewriter(text);
    let copied = 0;
    let i = 0;
    const replace = (length: number, replacement: string): void => {
      rw.copy(copied, i);
      rw.replace(i, length, replacement);
      i += length;
      copied = i;
    };
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x3c /* < */) {
        if (text.startsWith('<!--', i)) {
          const end = text.indexOf('-->', i + 4);
          replace((end < 0 ? text.length : end + 3) - i, '');
          continue;
        }
        const m = RE_TAG.exec(text.slice(i, i + 2048));
        if (m) {
          const name = (m[2] ?? '').toLowerCase();
          if (this.escaped.has(name)) {
            i += m[0].length;
            continue;
          }
          let length = m[0].length;
          if (m[1] === '' && (name === 'script' || name === 'style')) {
            const close = text.toLowerCase().indexOf(`</${name}`, i + length);
            const closeEnd = close < 0 ? -1 : text.indexOf('>', close);
            length = (closeEnd < 0 ? text.length : closeEnd + 1) - i;
          }
          replace(length, BLOCK_TAGS.has(name) ? '\n' : '');
          continue;
        }
      } else if (c === 0x26 /* & */) {
        const m = RE_ENTITY.exec(text.slice(i, i + 12));
        if (m) {
          const decoded = decodeEntity(m[1] ?? '');
          if (decoded !== undefined) {
            replace(m[0].length, decoded);
            continue;
          }
        }
      }
      i++;
    }
    rw.copy(copied, text.length);
    return rw.result();
  }
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#')) {
    const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  return ENTITIES[body] ?? ENTITIES[body.toLowerCase()];
}

type CharFilterFactory = (params: ComponentParams) => CharFilter;

/** Char filter types by Elasticsearch name. */
export const CHAR_FILTER_FACTORIES: Record<string, CharFilterFactory> = {
  html_strip: (p) => new HtmlStripCharFilter(p.list('escaped_tags', true) ?? []),
  pattern_replace: (p) => {
    if (!p.has('pattern')) throw illegalArgument(`pattern is missing for [${p.name}] char filter of type 'pattern_replace'`);
    return new PatternReplaceCharFilter(compileJavaPattern(p.string('pattern', ''), p.string('flags', ''), p, 'pattern'), p.string('replacement', ''));
  },
  mapping: (p) => {
    const rules = p.words('mappings');
    if (rules === undefined) throw illegalArgument('mapping requires either `mappings` or `mappings_path` to be configured');
    return new MappingCharFilter(parseMappingRules(rules));
  },
};

const UNSUPPORTED_CHAR_FILTERS = new Set(['icu_normalizer', 'kuromoji_iteration_mark']);

/** Builds a char filter of `type`; undefined when Elasticsearch has no such type. */
export function createCharFilter(type: string, params: ComponentParams): CharFilter | undefined {
  const factory = Object.hasOwn(CHAR_FILTER_FACTORIES, type) ? CHAR_FILTER_FACTORIES[type] : undefined;
  if (factory) return factory(params);
  if (UNSUPPORTED_CHAR_FILTERS.has(type)) throw unsupported(`${type} char filter`);
  return undefined;
}
