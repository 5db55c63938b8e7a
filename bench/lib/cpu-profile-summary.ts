/**
 * Where the time goes, from a V8 `.cpuprofile` (`node --cpu-prof`): samples are split into phases
 * by their time stamps (monotonic µs, the clock of `process.hrtime`), because async code loses
 * its caller in sampled stacks; per phase, the functions with the most self time and the most
 * inclusive time (a recursive function counted once per sample), as shares of the phase's samples.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Phase {
  name: string;
  startUs: number;
  endUs: number;
}

function frameName(frame: CallFrame): string {
  const where = frame.url.replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|node_modules)\//, '$1/');
  // Code loaded through tsx reports line 0 for every function: the file names it then.
  const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}${where ? line : ''}`.trim();
}

/** Lines of text: per phase, the `top` functions by self time and by inclusive time. */
export function summarizeCpuProfile(file: string, phases: Phase[], top = 20): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);

  const stats = phases.map(() => ({ total: 0, self: new Map<string, number>(), inclusive: new Map<string, number>() }));
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the interval up to the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    const p = phases.findIndex((ph) => at >= ph.startUs && at < ph.endUs);
    if (p < 0) return;
    const s = stats[p]!;
    s.total += weight;
    const self = frameName(nodes.get(id)!.callFrame);
    s.self.set(self, (s.self.get(self) ?? 0) + weight);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parents.get(cur)) {
      const name = frameName(nodes.get(cur)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      s.inclusive.set(name, (s.inclusive.get(name) ?? 0) + weight);
    }
  });

  const lines: string[] = [];
  phases.forEach((phase, p) => {
    const s = stats[p]!;
    const list = (title: string, m: Map<string, number>, skip: (name: string) => boolean) => {
      lines.push(`  ${title}:`);
      const rows = [...m].filter(([name]) => !skip(name)).sort((a, b) => b[1] - a[1]).slice(0, top);
      for (const [name, us] of rows) lines.push(`    ${((100 * us) / s.total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
    };
    lines.push(`${phase.name}: ${(s.total / 1000).toFixed(0)} ms of samples (wall ${((phase.endUs - phase.startUs) / 1000).toFixed(0)} ms)`);
    list('self time', s.self, () => false);
    // Roots and the benchmark's own frames say nothing about the engine.
    list('inclusive time', s.inclusive, (name) => name.startsWith('(root)') || name.includes('bench/'));
  });
  return lines;
}
