import type { Conversion } from './conversions.js';
import type { IndexQueryStats, TermCount, TermStats } from './query-stats.js';
import type { SearchQuery } from './search-query.js';

/** Text renderings of the query log for `search queries`: pure functions from data to lines. */

export const CSV_COLUMNS = ['id', 'executed_at', 'query_type', 'index', 'search_terms', 'total_hits', 'total_hits_relation', 'hit_count', 'max_score', 'min_score', 'page_from', 'page_size', 'duration_ms', 'user', 'reference'] as const;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The queries as CSV with a header line. */
export function queriesToCsv(queries: readonly SearchQuery[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const q of queries) {
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: q.id,
      executed_at: q.executedAt,
      query_type: q.queryType,
      index: q.index,
      search_terms: q.searchTerms,
      total_hits: q.totalHits,
      total_hits_relation: q.totalHitsRelation,
      hit_count: q.hits.length,
      max_score: q.maxScore,
      min_score: q.minScore,
      page_from: q.page.from,
      page_size: q.page.size,
      duration_ms: round(q.durationMs, 3),
      user: q.user,
      reference: q.reference,
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;
const ms = (n: number): string => n.toFixed(2);
/** Terms are what people typed: shown quoted, control characters escaped, so a term cannot fake output lines. */
const term = (text: string): string => JSON.stringify(text);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** The list of `search queries list`: newest first, one line each. */
export function formatQueryList(queries: readonly SearchQuery[]): string[] {
  if (!queries.length) return ['no logged queries match'];
  const rows = [['executed at', 'id', 'index', 'hits', 'ms', 'user', 'terms']];
  for (const q of queries) {
    rows.push([
      q.executedAt.toISOString(),
      q.id,
      q.queryType === 'count' ? `${q.index} (count)` : q.index,
      `${q.totalHits}${q.totalHitsRelation === 'gte' ? '+' : ''}`,
      ms(q.durationMs),
      q.user ?? '-',
      term(q.searchTerms),
    ]);
  }
  return table(rows);
}

/** One query for `search queries show`: its fields, the request pretty-printed, the hits, the conversions. */
export function formatQuery(q: SearchQuery, conversions: readonly Conversion[] = []): string[] {
  const lines = [
    `id            ${q.id}`,
    `type          ${q.queryType}`,
    `index         ${q.index}`,
    `search terms  ${term(q.searchTerms)}`,
    `executed at   ${q.executedAt.toISOString()}`,
    `duration      ${ms(q.durationMs)} ms`,
    `user          ${q.user ?? '-'}`,
    `reference     ${q.reference ?? '-'}`,
    `total hits    ${q.totalHits}${q.totalHitsRelation === 'gte' ? ' or more' : ''}`,
    `scores        max ${q.maxScore ?? '-'}  min ${q.minScore ?? '-'}`,
    `page          ${q.page.number} (from ${q.page.from}, size ${q.page.size})`,
    '',
    'query',
    ...JSON.stringify(q.query, null, 2).split('\n').map((l) => `  ${l}`),
  ];
  if (q.aggregations) lines.push('', 'aggregations', ...JSON.stringify(q.aggregations, null, 2).split('\n').map((l) => `  ${l}`));
  lines.push('', q.hits.length ? `hits (${q.hits.length})` : 'hits: none');
  if (q.hits.length) {
    const rows = [['rank', 'id', 'index', 'score', 'sort']];
    for (const h of q.hits) rows.push([String(h.rank), JSON.stringify(h.id), h.index, h.score === null ? '-' : String(h.score), h.sort ? JSON.stringify(h.sort) : '']);
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  lines.push('', conversions.length ? `conversions (${conversions.length})` : 'conversions: none');
  if (conversions.length) {
    const rows = [['converted at', 'kind', 'position', 'hit', 'index', 'value']];
    for (const c of conversions) rows.push([c.convertedAt.toISOString(), c.kind, c.position === null ? '-' : String(c.position), JSON.stringify(c.hitId), c.index ?? '-', c.value === null ? '' : String(c.value)]);
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  return lines;
}

const terms = (list: readonly TermCount[]): string => (list.length ? list.map((t) => `${term(t.term)} (${t.count})`).join(', ') : '-');
const pct = (rate: number): string => `${(rate * 100).toFixed(1)}%`;
const position = (n: number | null): string => (n === null ? '-' : n.toFixed(2));
/** Terms with their conversion rate: `"postgres" (3, 33.3% converted)`. */
const convertingTerms = (list: readonly TermStats[]): string => (list.length ? list.map((t) => `${term(t.term)} (${t.count}, ${pct(t.conversionRate)} converted)`).join(', ') : '-');

/** The figures of `search queries stats`, one block per index. */
export function formatStats(stats: readonly IndexQueryStats[], period: { since?: Date; until?: Date }): string[] {
  const span = `${period.since ? period.since.toISOString() : 'the first query'} to ${period.until ? period.until.toISOString() : 'now'}`;
  if (!stats.length) return [`no searches logged from ${span}`];
  const lines = [`searches from ${span}`];
  for (const s of stats) {
    lines.push(
      '',
      `index ${s.index}`,
      `  searches               ${s.volume}`,
      `  distinct users         ${s.users}`,
      `  zero results           ${s.zeroHits} (${(s.zeroHitRate * 100).toFixed(1)}%)`,
      `  mean hits              ${s.meanHits.toFixed(2)}`,
      `  latency ms             p50 ${ms(s.latency.p50)}  p95 ${ms(s.latency.p95)}  p99 ${ms(s.latency.p99)}  max ${ms(s.latency.max)}`,
      `  converted              ${s.conversion.converted} (${pct(s.conversion.conversionRate)}), ${s.conversion.conversions} conversions`,
      `  converted position     mean ${position(s.conversion.meanPosition)}  median ${position(s.conversion.medianPosition)}`,
      `  top terms              ${convertingTerms(s.topTerms)}`,
      `  top zero-result terms  ${terms(s.topZeroHitTerms)}`,
      `  low-converting terms   ${convertingTerms(s.lowConvertingTerms)}`,
      `  first / last           ${s.first?.toISOString() ?? '-'} / ${s.last?.toISOString() ?? '-'}`,
    );
  }
  return lines;
}
