/** Timing helpers the benchmarks share. */

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Runs `a` and `b` alternately, `warmup` untimed rounds then `rounds` timed ones (which goes first
 * alternates too, so drift on a loaded machine hits both alike); their median times in ms.
 */
export async function compareAlternating(rounds: number, warmup: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: number; b: number }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const order: Array<[() => Promise<unknown>, number[]]> = i % 2 === 0 ? [[a, ta], [b, tb]] : [[b, tb], [a, ta]];
    for (const [run, into] of order) {
      const t = performance.now();
      await run();
      into.push(performance.now() - t);
    }
  }
  return { a: median(ta), b: median(tb) };
}
