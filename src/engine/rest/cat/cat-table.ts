import { EngineError } from '../../errors.js';
import { simpleMatch } from '../../automaton/simple-match.js';
import { boolParam } from '../request-params.js';
import type { RestRequest, RestResult } from '../rest-types.js';

/**
 * The `_cat` tables, rendered as Elasticsearch's RestTable and AbstractCatAction render their
 * `Table`: `help`, `h` (names, aliases, `*` patterns), `s` (`:asc`/`:desc`, aliases), `v`, `ts`,
 * `bytes`, `format=json`, columns padded to their widest cell and right-aligned where the column
 * says `text-align:right`.
 */

/** A column header: its name and the attributes Elasticsearch's Table.addCell parses from `alias:..;desc:..`. */
export interface CatColumn {
  name: string;
  aliases?: readonly string[];
  desc?: string;
  /** `text-align:right`: numbers are padded on the left. */
  right?: boolean;
  /** `default:false`: shown only when `h` asks for it. */
  hidden?: boolean;
}

/** A byte size (ByteSizeValue): printed `12.3kb`, or in the unit the `bytes` parameter names. */
export class ByteSize {
  constructor(readonly bytes: number) {}

  toString(): string {
    return formatByteSize(this.bytes);
  }
}

/** A cell: numbers and strings sort by their own order, byte sizes by their bytes, null first. */
export type CatCell = string | number | ByteSize | null | undefined;

export interface CatTable {
  columns: readonly CatColumn[];
  rows: Record<string, CatCell>[];
  /**
   * Elasticsearch's table has columns this one lacks (statistics the engine does not keep): `h`
   * may then name only columns built here, and no pattern, or the answer would silently differ.
   */
  partial?: string;
}

const EPOCH_COLUMNS: readonly CatColumn[] = [
  { name: 'epoch', aliases: ['t', 'time'], desc: 'seconds since 1970-01-01 00:00:00' },
  { name: 'timestamp', aliases: ['ts', 'hms', 'hhmmss'], desc: 'time in HH:MM:SS' },
];

/** Table.startHeadersWithTimestamp's two columns, and their cells for `now`. */
export function timestampColumns(): readonly CatColumn[] {
  return EPOCH_COLUMNS;
}

export function timestampCells(now = Date.now()): Record<string, CatCell> {
  return { epoch: Math.floor(now / 1000), timestamp: new Date(now).toISOString().slice(11, 19) };
}

/** ByteSizeValue.toString: the largest unit the value reaches, with at most one decimal. */
export function formatByteSize(bytes: number): string {
  const units: [string, number][] = [
    ['pb', 1024 ** 5],
    ['tb', 1024 ** 4],
    ['gb', 1024 ** 3],
    ['mb', 1024 ** 2],
    ['kb', 1024],
  ];
  for (const [suffix, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : Math.round(value * 10) / 10}${suffix}`;
    }
  }
  return `${bytes}b`;
}

const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, p: 1024 ** 5, pb: 1024 ** 5 };

function render(req: RestRequest, value: CatCell): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof ByteSize) {
    const unit = req.query.bytes === undefined ? undefined : BYTE_UNITS[req.query.bytes];
    return unit === undefined ? value.toString() : String(Math.floor(value.bytes / unit));
  }
  return String(value);
}

/** RestTable's comparator: null first, same-kind values by their own order, else their strings. */
function compareCells(a: CatCell, b: CatCell): number {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (x instanceof ByteSize && y instanceof ByteSize) return x.bytes - y.bytes;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

interface DisplayHeader {
  name: string;
  display: string;
}

function listParam(req: RestRequest, name: string): string[] {
  return (req.query[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function showsTimestamp(req: RestRequest, name: string): boolean {
  return name !== 'epoch' && name !== 'timestamp' ? true : boolParam(req, 'ts', true);
}

/** RestTable.buildDisplayHeaders: `h` names, aliases and patterns, else the default columns. */
function displayHeaders(req: RestRequest, table: CatTable): DisplayHeader[] {
  if (req.query.h === undefined) return table.columns.filter((c) => !c.hidden && showsTimestamp(req, c.name)).map((c) => ({ name: c.name, display: c.name }));
  const wanted = new Set<string>();
  for (const h of listParam(req, 'h')) {
    if (h.includes('*')) {
      if (table.partial) throw notBuilt(table, `a pattern [${h}] in [h]`);
      for (const c of table.columns) if (simpleMatch(h, c.name) || (c.aliases ?? []).some((a) => simpleMatch(h, a))) wanted.add(c.name);
    } else wanted.add(h);
  }
  const out: DisplayHeader[] = [];
  for (const h of wanted) {
    const column = table.columns.find((c) => c.name === h) ?? table.columns.find((c) => (c.aliases ?? []).includes(h));
    if (!column) {
      if (table.partial) throw notBuilt(table, `the column [${h}]`);
      continue;
    }
    // an alias asked for is the column's title (DisplayHeader(name, alias))
    if (showsTimestamp(req, column.name)) out.push({ name: column.name, display: h });
  }
  return out;
}

function notBuilt(table: CatTable, what: string): EngineError {
  return new EngineError(400, 'illegal_argument_exception', `${what} of ${table.partial} is not supported by the indexkit embedded engine (it keeps only the columns it has statistics for)`);
}

/** RestTable.getRowOrder: `s` columns (names or aliases) with `:asc`/`:desc`; an unknown one is an error. */
function rowOrder(req: RestRequest, table: CatTable): Record<string, CatCell>[] {
  const rows = [...table.rows];
  const keys = listParam(req, 's');
  if (keys.length === 0) return rows;
  const ordering = keys.map((key) => {
    let name = key;
    let reverse = false;
    if (name.endsWith(':desc')) {
      name = name.slice(0, -':desc'.length);
      reverse = true;
    } else if (name.endsWith(':asc')) name = name.slice(0, -':asc'.length);
    const column = table.columns.find((c) => c.name === name) ?? table.columns.find((c) => (c.aliases ?? []).includes(name));
    if (!column) throw new EngineError(500, 'unsupported_operation_exception', `Unable to sort by unknown sort key \`${name}\``);
    return { name: column.name, reverse };
  });
  // a stable sort, as Collections.sort
  return rows.sort((a, b) => {
    for (const { name, reverse } of ordering) {
      const cmp = compareCells(a[name], b[name]);
      if (cmp !== 0) return reverse ? -cmp : cmp;
    }
    return 0;
  });
}

function pad(value: string | null, width: number, right: boolean, last: boolean): string {
  const text = value ?? '';
  const left = width - text.length;
  if (left > 0 && right) return ' '.repeat(left) + text;
  return last ? text : text + ' '.repeat(Math.max(0, left));
}

/** AbstractCatAction's `help`: name | aliases | description, every cell padded. */
function help(table: CatTable): RestResult {
  const cells = table.columns.map((c) => [c.name, (c.aliases ?? []).join(','), c.desc ?? 'not available']);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((r) => r[i]!.length)));
  const text = cells.map((r) => r.map((cell, i) => pad(cell, widths[i]!, false, false)).join(' | ') + '\n').join('');
  return { status: 200, body: text, text: true };
}

/**
 * RestTable.getResponseContentType without `format`: the Accept header's media type, unless it is
 * a list (ParsedMediaType reads `a, b` as a media range, i.e. none: the Elasticsearch clients send
 * `...+json; compatible-with=8,text/plain` and get the text table).
 */
function acceptFormat(req: RestRequest): string | undefined {
  const raw = req.headers.accept ?? req.headers.Accept;
  const accept = (Array.isArray(raw) ? raw[0] : raw)?.toLowerCase();
  if (accept === undefined || accept.includes(',')) return undefined;
  const type = accept.split(';')[0]!.trim();
  if (type === 'application/json' || type === 'application/vnd.elasticsearch+json') return 'json';
  if (type === 'application/yaml' || type === 'application/vnd.elasticsearch+yaml') return 'yaml';
  if (type === 'application/cbor' || type === 'application/smile' || type.endsWith('+cbor') || type.endsWith('+smile')) return 'cbor';
  return undefined;
}

/** The answer to a `_cat` request for `table`. */
export function renderCat(req: RestRequest, table: CatTable): RestResult {
  if (boolParam(req, 'help', false)) return help(table);
  const headers = displayHeaders(req, table);
  const rows = rowOrder(req, table);
  const format = req.query.format ?? acceptFormat(req);
  // XContentType.fromFormat: another name is the text table
  if (format === 'yaml' || format === 'cbor' || format === 'smile') throw new EngineError(400, 'illegal_argument_exception', `[format=${format}] of the _cat APIs is not supported by the indexkit embedded engine (json and text are)`);
  if (format === 'json') return { status: 200, body: rows.map((row) => Object.fromEntries(headers.map((h) => [h.display, render(req, row[h.name])]))) };
  const verbose = boolParam(req, 'v', false);
  const columns = headers.map((h) => table.columns.find((c) => c.name === h.name)!);
  const rendered = rows.map((row) => headers.map((h) => render(req, row[h.name])));
  const widths = headers.map((h, i) => Math.max(verbose ? h.display.length : 0, ...rendered.map((r) => (r[i] ?? '').length)));
  const line = (cells: (string | null)[]): string => cells.map((cell, i) => pad(cell, widths[i]!, columns[i]!.right === true, i === cells.length - 1)).join(' ') + '\n';
  const lines = rendered.map(line);
  if (verbose) lines.unshift(line(headers.map((h) => h.display)));
  return { status: 200, body: lines.join(''), text: true };
}
