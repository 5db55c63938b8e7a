import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress, formatEta } from '../../src/cli/progress.js';

function terminal(): { stream: NodeJS.WriteStream; text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  (stream as unknown as PassThrough).on('data', (c: Buffer) => (out += c.toString()));
  Object.assign(stream, { columns: 200, isTTY: true });
  return { stream, text: () => out };
}

describe('Progress', () => {
  it('shows the ETA with its unit', () => {
    expect([formatEta(4.2), formatEta(59), formatEta(61), formatEta(725), formatEta(3 * 3600 + 7 * 60 + 5)]).toEqual(['5s', '59s', '1m01s', '12m05s', '3h07m']);
  });

  it('draws rate and ETA with units, and prints a notice on a line of its own after clearing the bar', async () => {
    const t = terminal();
    const progress = new Progress(true, t.stream);
    await new Promise((r) => setTimeout(r, 20));
    progress.update('blog Post', 100, 1000);
    progress.interject('warning: no answer from http://127.0.0.1:9200');
    progress.stop();
    const text = t.text();
    expect(text).toMatch(/blog Post \[.*\] 100\/1,000 10% [\d,]+ rows\/s ETA \d+(s|m\d\ds)/);
    // The bar's line is cleared (carriage return, erase line) before the notice, which ends its own line.
    const clear = '\r\u001b[2K';
    expect(text.endsWith(`${clear}warning: no answer from http://127.0.0.1:9200\n`)).toBe(true);
    expect(text.split(clear).slice(-2)[0]).toMatch(/ETA /);
  });

  it('writes nothing when disabled (not a terminal, or --json)', () => {
    const t = terminal();
    const progress = new Progress(false, t.stream);
    progress.update('x', 1, 2);
    progress.stop();
    expect(t.text()).toBe('');
  });
});
