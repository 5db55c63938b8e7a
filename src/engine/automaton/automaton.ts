/**
 * Finite automata over Unicode code points, as Lucene's `util/automaton` builds them for regexp,
 * wildcard and prefix patterns: a Thompson NFA (epsilon edges, code point ranges) determinized
 * by subset construction into a DFA that matches a term in one step per code point, never
 * backtracking. Complement and intersection (Lucene's `~` and `&`) work on DFAs.
 *
 * Work is bounded as Lucene bounds it: building more than `limit` DFA states (Elasticsearch's
 * `max_determinized_states`, 10,000 by default) or an NFA past a multiple of it throws
 * {@link TooComplexError}, which the query layer reports as Elasticsearch's
 * `too_complex_to_determinize_exception`.
 */

export const MAX_CODE_POINT = 0x10ffff;

/** A pattern whose automaton would take more than the allowed work to build. */
export class TooComplexError extends Error {
  override readonly name = 'TooComplexError';
  constructor(readonly limit: number) {
    super(`automaton would require more than ${limit} states`);
  }
}

/** Sorted, non-overlapping inclusive code point ranges. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/** Code point ranges normalized: sorted, merged, empty ones dropped. */
export function normalizeRanges(ranges: Iterable<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...ranges].filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The code points of [0, MAX_CODE_POINT] not in `ranges`. */
export function complementRanges(ranges: Iterable<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [a, b] of normalizeRanges(ranges)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** A fragment of an NFA under construction: one entry and one exit state. */
export interface Fragment {
  start: number;
  end: number;
}

/** A nondeterministic automaton under construction (Thompson's construction). */
export class Nfa {
  /** Per state: epsilon targets. */
  readonly eps: number[][] = [];
  /** Per state: flat [min, max, to, ...] edges. */
  readonly edges: number[][] = [];

  /** `budget`: most states allowed before the pattern counts as too complex. */
  constructor(private readonly budget: number, private readonly limit: number) {}

  get size(): number {
    return this.eps.length;
  }

  newState(): number {
    if (this.eps.length >= this.budget) throw new TooComplexError(this.limit);
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  epsilon(from: number, to: number): void {
    (this.eps[from] as number[]).push(to);
  }

  edge(from: number, min: number, max: number, to: number): void {
    (this.edges[from] as number[]).push(min, max, to);
  }

  /** A fragment accepting one code point of `ranges`. */
  chars(ranges: Ranges): Fragment {
    const start = this.newState();
    const end = this.newState();
    for (const [a, b] of ranges) this.edge(start, a, b, end);
    return { start, end };
  }

  /** A fragment accepting exactly the empty string. */
  emptyString(): Fragment {
    const start = this.newState();
    const end = this.newState();
    this.epsilon(start, end);
    return { start, end };
  }

  /** A fragment accepting nothing (Lucene's `#`). */
  emptyLanguage(): Fragment {
    return { start: this.newState(), end: this.newState() };
  }

  concat(parts: Fragment[]): Fragment {
    if (parts.length === 0) return this.emptyString();
    for (let i = 1; i < parts.length; i++) this.epsilon((parts[i - 1] as Fragment).end, (parts[i] as Fragment).start);
    return { start: (parts[0] as Fragment).start, end: (parts[parts.length - 1] as Fragment).end };
  }

  union(parts: Fragment[]): Fragment {
    const start = this.newState();
    const end = this.newState();
    for (const p of parts) {
      this.epsilon(start, p.start);
      this.epsilon(p.end, end);
    }
    return { start, end };
  }

  /** `f*`. */
  star(f: Fragment): Fragment {
    const start = this.newState();
    const end = this.newState();
    this.epsilon(start, f.start);
    this.epsilon(start, end);
    this.epsilon(f.end, f.start);
    this.epsilon(f.end, end);
    return { start, end };
  }

  /** `f?`. */
  optional(f: Fragment): Fragment {
    const start = this.newState();
    const end = this.newState();
    this.epsilon(start, f.start);
    this.epsilon(start, end);
    this.epsilon(f.end, end);
    return { start, end };
  }

  /**
   * `f{min,max}` (`max` Infinity for `{min,}`): `build` makes a fresh copy of the operand per
   * occurrence; the optional tail nests, so each copy can stop at the common end.
   */
  repeat(build: () => Fragment, min: number, max: number): Fragment {
    const parts: Fragment[] = [];
    for (let i = 0; i < min; i++) parts.push(build());
    if (max === Infinity) parts.push(this.star(build()));
    else if (max > min) {
      const end = this.newState();
      const start = this.newState();
      let at = start;
      for (let i = min; i < max; i++) {
        const f = build();
        this.epsilon(at, f.start);
        this.epsilon(at, end);
        at = f.end;
      }
      this.epsilon(at, end);
      parts.push({ start, end });
    }
    return this.concat(parts);
  }

  /** Copies a DFA into this NFA as a fragment. */
  embed(dfa: Dfa): Fragment {
    const base = this.size;
    for (let s = 0; s < dfa.size; s++) this.newState();
    const end = this.newState();
    for (let s = 0; s < dfa.size; s++) {
      const t = dfa.transitions[s] as Int32Array;
      for (let i = 0; i < t.length; i += 3) this.edge(base + s, t[i] as number, t[i + 1] as number, base + (t[i + 2] as number));
      if (dfa.accept[s] === 1) this.epsilon(base + s, end);
    }
    return { start: base, end };
  }
}

/**
 * A deterministic automaton: state 0 is the start, each state's transitions are sorted disjoint
 * [min, max, to] triples; a code point with no transition leads to the (implicit) dead state.
 */
export class Dfa {
  constructor(
    readonly transitions: Int32Array[],
    readonly accept: Uint8Array,
  ) {}

  get size(): number {
    return this.accept.length;
  }

  /** The state reached from `state` on code point `c`, or -1 (dead). */
  step(state: number, c: number): number {
    const t = this.transitions[state] as Int32Array;
    let lo = 0;
    let hi = t.length / 3 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = mid * 3;
      if (c < (t[i] as number)) hi = mid - 1;
      else if (c > (t[i + 1] as number)) lo = mid + 1;
      else return t[i + 2] as number;
    }
    return -1;
  }

  /** Whether the whole string is accepted: one step per code point. */
  test(s: string): boolean {
    return this.run(s).accepted;
  }

  /** Runs the string, counting the steps taken (at most one per code point). */
  run(s: string): { accepted: boolean; steps: number } {
    let state = 0;
    let steps = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.codePointAt(i) as number;
      if (c > 0xffff) i++;
      steps++;
      state = this.step(state, c);
      if (state < 0) return { accepted: false, steps };
    }
    return { accepted: this.accept[state] === 1, steps };
  }

  /** Whether some string leads from `state` to an accepting state (false for the dead state). */
  live(): Uint8Array {
    const live = new Uint8Array(this.size);
    const reverse: number[][] = Array.from({ length: this.size }, () => []);
    for (let s = 0; s < this.size; s++) {
      const t = this.transitions[s] as Int32Array;
      for (let i = 2; i < t.length; i += 3) (reverse[t[i] as number] as number[]).push(s);
    }
    const stack: number[] = [];
    for (let s = 0; s < this.size; s++) if (this.accept[s] === 1) {
      live[s] = 1;
      stack.push(s);
    }
    while (stack.length > 0) {
      for (const p of reverse[stack.pop() as number] as number[]) if (live[p] === 0) {
        live[p] = 1;
        stack.push(p);
      }
    }
    return live;
  }
}

/** Subset construction of the NFA from `start` (accepting `accept`), at most `limit` DFA states. */
export function determinize(nfa: Nfa, start: number, accept: number, limit: number): Dfa {
  const n = nfa.size;
  const mark = new Int32Array(n).fill(-1);
  let markGen = 0;
  const closure = (seeds: number[]): number[] => {
    markGen++;
    const out: number[] = [];
    const stack = [...seeds];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (mark[s] === markGen) continue;
      mark[s] = markGen;
      out.push(s);
      for (const t of nfa.eps[s] as number[]) if (mark[t] !== markGen) stack.push(t);
    }
    return out.sort((a, b) => a - b);
  };
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const transitions: Int32Array[] = [];
  const accepting: number[] = [];
  const intern = (set: number[]): number => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      if (sets.length >= limit) throw new TooComplexError(limit);
      id = sets.length;
      ids.set(key, id);
      sets.push(set);
      accepting.push(set.includes(accept) ? 1 : 0);
    }
    return id;
  };
  intern(closure([start]));
  for (let d = 0; d < sets.length; d++) {
    // breakpoints of every edge leaving the set: the intervals between them move as one
    const points = new Set<number>();
    const set = sets[d] as number[];
    for (const s of set) {
      const e = nfa.edges[s] as number[];
      for (let i = 0; i < e.length; i += 3) {
        points.add(e[i] as number);
        points.add((e[i + 1] as number) + 1);
      }
    }
    const sorted = [...points].sort((a, b) => a - b);
    const out: number[] = [];
    for (let p = 0; p + 1 < sorted.length; p++) {
      const lo = sorted[p] as number;
      const hi = (sorted[p + 1] as number) - 1;
      const targets: number[] = [];
      for (const s of set) {
        const e = nfa.edges[s] as number[];
        for (let i = 0; i < e.length; i += 3) if ((e[i] as number) <= lo && hi <= (e[i + 1] as number)) targets.push(e[i + 2] as number);
      }
      if (targets.length === 0) continue;
      const to = intern(closure(targets));
      const last = out.length - 3;
      if (last >= 0 && out[last + 2] === to && (out[last + 1] as number) + 1 === lo) out[last + 1] = hi;
      else out.push(lo, hi, to);
    }
    transitions.push(Int32Array.from(out));
  }
  return new Dfa(transitions, Uint8Array.from(accepting));
}

/** The DFA accepting every string `dfa` rejects (made total with a sink state first). */
export function complement(dfa: Dfa, limit: number): Dfa {
  if (dfa.size + 1 > limit) throw new TooComplexError(limit);
  const sink = dfa.size;
  const transitions: Int32Array[] = [];
  for (let s = 0; s < dfa.size; s++) {
    const t = dfa.transitions[s] as Int32Array;
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < t.length; i += 3) {
      if ((t[i] as number) > next) out.push(next, (t[i] as number) - 1, sink);
      out.push(t[i] as number, t[i + 1] as number, t[i + 2] as number);
      next = (t[i + 1] as number) + 1;
    }
    if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT, sink);
    transitions.push(Int32Array.from(out));
  }
  transitions.push(Int32Array.from([0, MAX_CODE_POINT, sink]));
  const accept = new Uint8Array(dfa.size + 1);
  for (let s = 0; s < dfa.size; s++) accept[s] = dfa.accept[s] === 1 ? 0 : 1;
  accept[sink] = 1;
  return new Dfa(transitions, accept);
}

/** The product DFA accepting what both accept (reachable pairs only, at most `limit` states). */
export function intersect(a: Dfa, b: Dfa, limit: number): Dfa {
  const ids = new Map<number, number>();
  const pairs: Array<[number, number]> = [];
  const intern = (x: number, y: number): number => {
    const key = x * b.size + y;
    let id = ids.get(key);
    if (id === undefined) {
      if (pairs.length >= limit) throw new TooComplexError(limit);
      id = pairs.length;
      ids.set(key, id);
      pairs.push([x, y]);
    }
    return id;
  };
  intern(0, 0);
  const transitions: Int32Array[] = [];
  const accept: number[] = [];
  for (let p = 0; p < pairs.length; p++) {
    const [x, y] = pairs[p] as [number, number];
    accept.push(a.accept[x] === 1 && b.accept[y] === 1 ? 1 : 0);
    const ta = a.transitions[x] as Int32Array;
    const tb = b.transitions[y] as Int32Array;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < ta.length && j < tb.length) {
      const lo = Math.max(ta[i] as number, tb[j] as number);
      const hi = Math.min(ta[i + 1] as number, tb[j + 1] as number);
      if (lo <= hi) out.push(lo, hi, intern(ta[i + 2] as number, tb[j + 2] as number));
      if ((ta[i + 1] as number) < (tb[j + 1] as number)) i += 3;
      else j += 3;
    }
    transitions.push(Int32Array.from(out));
  }
  return new Dfa(transitions, Uint8Array.from(accept));
}
