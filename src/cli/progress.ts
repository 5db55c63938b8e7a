/**
 * A one-line progress display for long commands: counts, percentage, rate and ETA, redrawn
 * at most ten times a second on a terminal. Off (silent) when stderr is not a TTY or under
 * --json, where the command prints only its summary.
 */
export class Progress {
  private lastDraw = 0;
  private started = performance.now();
  private drawn = false;

  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Starts timing a new unit of work (an index, a model). */
  restart(): void {
    this.started = performance.now();
  }

  update(label: string, done: number, total: number, extra = ''): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}`;
    const eta = rate > 0 && total > done ? ` ETA ${formatEta((total - done) / rate)}` : '';
    const line = `${label} [${bar}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${Math.round(fraction * 100)}% ${Math.round(rate).toLocaleString('en-US')} rows/s${eta}${extra ? ` ${extra}` : ''}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    this.drawn = true;
  }

  /** Prints a line of its own (a warning, a notice) above the bar: the bar's line is cleared first and redrawn on the next update. */
  interject(text: string): void {
    this.stop();
    this.stream.write(`${text}\n`);
    this.lastDraw = 0;
  }

  /** Clears the line so the summary starts clean. */
  stop(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

/** Seconds left as a person reads them: `45s`, `12m05s`, `3h07m`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
