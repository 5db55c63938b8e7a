import type { Interval } from './bootstrap.js';
import type { EvaluationReport } from './evaluate.js';

/**
 * An evaluation as text lines for the CLI: the judgments and their biases, the metric overall
 * with its interval on each side and the paired change, then the terms (the largest changes
 * first when comparing), and the searches that failed.
 */
export function formatEvaluation(report: EvaluationReport, { top = 25 }: { top?: number } = {}): string[] {
  const j = report.judgments;
  const lines: string[] = [];
  const period = report.since ? ` since ${report.since}${report.until ? ` until ${report.until}` : ''}` : '';
  lines.push(`${report.metric} on the logged searches of ${report.index}${period}`);
  lines.push(
    `judgments     ${j.judgments} on ${j.terms} terms (${j.searches} searches); ${j.fromRank1} (${pct(j.fromRank1, j.judgments)}) only ever converted at rank 1; left out: ${j.belowMinSearches} terms with too few searches, ${j.withoutConversions} without a conversion`,
  );
  lines.push(`${side(report.target.index, report.target.concrete)}${figure(report.target.overall)}`);
  if (report.against) {
    lines.push(`${side(report.against.index, report.against.concrete)}${figure(report.against.overall)}`);
    lines.push(`change        ${signed(report.change?.estimate)}${report.change ? ` [${signed(report.change.low)}, ${signed(report.change.high)}]` : ''} (${report.target.index} minus ${report.against.index}; paired over terms)`);
  }
  const shown = top > 0 ? report.terms.slice(0, top) : report.terms;
  lines.push('');
  lines.push(report.against ? `terms, largest change first${shown.length < report.terms.length ? ` (${shown.length} of ${report.terms.length})` : ''}:` : `terms${shown.length < report.terms.length ? ` (${shown.length} of ${report.terms.length})` : ''}:`);
  const width = Math.min(40, Math.max(4, ...shown.map((t) => JSON.stringify(t.term).length)));
  lines.push(`  ${'term'.padEnd(width)}  searches  judged  ${report.against ? 'score    against  change   unrated' : 'score    unrated'}`);
  for (const t of shown) {
    const name = JSON.stringify(t.term);
    const cells = [`  ${(name.length > width ? `${name.slice(0, width - 1)}…` : name).padEnd(width)}`, String(t.searches).padStart(8), String(t.judgments).padStart(6), ` ${score(t.score)}`];
    if (t.against) cells.push(score(t.against.score), signed(t.change ?? undefined).padStart(7), `${t.unrated}/${t.against.unrated}`.padStart(8));
    else cells.push(String(t.unrated).padStart(7));
    lines.push(cells.join('  '));
  }
  if (report.failures.length) {
    lines.push('');
    lines.push(`failed searches (${report.failures.length}):`);
    for (const f of report.failures) lines.push(`  ${JSON.stringify(f.term)} on ${f.index}: ${f.reason}`);
  }
  return lines;
}

const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '0.0'}%`;
const score = (v: number | null | undefined) => (v === null || v === undefined ? '   -   ' : v.toFixed(4).padStart(7));
const signed = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(4)}`);
const side = (index: string, concrete: string[]) => `${index}${concrete.length && (concrete.length > 1 || concrete[0] !== index) ? ` (${concrete.join(', ')})` : ''}: `.padEnd(14);
function figure(interval: Interval | null): string {
  if (!interval) return 'no term scored';
  return `${interval.estimate.toFixed(4)} [${interval.low.toFixed(4)}, ${interval.high.toFixed(4)}] (${Math.round(interval.confidence * 100)}% bootstrap interval over terms)`;
}
