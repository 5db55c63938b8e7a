import { describe, expect, it } from 'vitest';
import type { FieldInfo, SegmentView } from '../../../src/engine/contract.js';
import { parseRuntimeField } from '../../../src/engine/index/mapping/runtime-fields.js';
import { compilePainless } from '../../../src/engine/search/script/painless.js';
import { evaluateSegment, extractSourceValues } from '../../../src/engine/search/runtime/runtime-values.js';

const analysis = { analyzer: () => undefined, normalizer: () => undefined };

/** A segment of `n` top-level docs whose `_source` is `{ n: i, s: 'v<i>' }` and whose doc values of `n` are [i]. */
function segment(n: number): SegmentView {
  return {
    maxDoc: n,
    isLive: () => true,
    id: (d) => String(d),
    source: (d) => ({ n: d, s: `v${d}` }),
    seqNo: (d) => d,
    primaryTerm: () => 1,
    version: () => 1,
    nestedPath: () => undefined,
    parentOf: (d) => d,
    nestedOffset: () => 0,
    postings: () => undefined,
    terms: () => [],
    fieldLength: () => 0,
    numericValues: (f, d) => (f === 'n' ? [d] : undefined),
    keywordValues: () => undefined,
    hasField: (f) => f === 'n',
  };
}

const longInfo: FieldInfo = { path: 'n', type: 'long', indexed: true, docValues: true };

describe('runtime field evaluation (runtime-values.ts)', () => {
  it('pauses every 256 documents and freezes the emitted values as sorted doc values', () => {
    const [leaf] = parseRuntimeField('sq', { type: 'long', script: "long v = doc['n'].value; emit(v * v); emit(-v)" }, { analysis }).leaves as [FieldInfo];
    const script = compilePainless(leaf.runtime!.script!.source, {}, (p) => (p === 'n' ? longInfo : undefined), false, { doc: true, emit: [1] });
    const steps = evaluateSegment({ leaves: [leaf], script, scope: undefined, readsSource: false }, segment(3000));
    let pauses = 0;
    let r = steps.next();
    while (!r.done) {
      pauses++;
      r = steps.next();
    }
    expect(pauses).toBe(Math.floor(3000 / 256));
    const data = r.value.get('sq')!;
    expect(data.numbers?.[7]).toEqual([-7, 49]);
    expect(data.present[0]).toBe(1);
  });

  it('reads a field without a script from _source leniently: malformed values are skipped', () => {
    const [leaf] = parseRuntimeField('s', { type: 'long' }, { analysis }).leaves as [FieldInfo];
    const steps = evaluateSegment({ leaves: [leaf], scope: undefined, readsSource: false }, segment(3));
    let r = steps.next();
    while (!r.done) r = steps.next();
    expect(r.value.get('s')!.present[1]).toBe(0);
  });

  it('extracts source values through arrays, objects and dotted keys (XContentMapValues.extractRawValues)', () => {
    expect(extractSourceValues({ a: [{ b: 1 }, { b: [2, 3] }, 'x'], 'a.b': 4 }, ['a', 'b']).sort()).toEqual([1, 2, 3, 4]);
    expect(extractSourceValues({ a: { b: null } }, ['a', 'b'])).toEqual([]);
  });

  it('refuses unknown types and parameters as RuntimeField.parseRuntimeFields does', () => {
    expect(() => parseRuntimeField('x', { type: 'text' }, { analysis })).toThrow('The mapper type [text] declared on runtime field [x] does not exist.');
    expect(() => parseRuntimeField('x', { type: 'long', index: false }, { analysis })).toThrow('unknown parameter [index] on runtime field [x] of type [long]');
    expect(() => parseRuntimeField('x', {}, { analysis })).toThrow('No type specified for runtime field [x]');
    // the script is compiled with the mapping: a syntax error refuses it, what the engine's subset lacks waits for a search
    expect(() => parseRuntimeField('x', { type: 'long', script: 'emit(1' }, { analysis })).toThrow('Failed to parse mapping: compile error');
    expect(() => parseRuntimeField('x', { type: 'long', script: 'emit(System.currentTimeMillis())' }, { analysis })).not.toThrow();
    expect(() => parseRuntimeField('x', { type: 'long', script: "try { emit(1) } catch (Exception e) {}" }, { analysis })).not.toThrow();
  });
});
