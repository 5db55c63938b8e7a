/**
 * The condition of an affix rule (`SFX A y ies [^aeiou]y`): a sequence of character patterns
 * (`.`, a literal, `[abc]` or `[^abc]`) the root must end with (a suffix rule) or start with (a
 * prefix rule), the root being what is left once the affix is taken off and the strip put back.
 * A dash is a literal character, as Lucene escapes it ("dash hasn't got special meaning"), and an
 * unclosed `[` is closed at the end, as Hunspell tolerates it.
 */

type CharPattern = { any: true } | { set: string; negate: boolean } | { literal: string };

export class AffixCondition {
  private constructor(
    private readonly patterns: readonly CharPattern[],
    private readonly isPrefix: boolean,
  ) {}

  /** The condition of one rule, or undefined when it always holds (`.`, or one the strip itself satisfies). */
  static compile(condition: string, isPrefix: boolean, strip: string): AffixCondition | undefined {
    if (condition === '.') return undefined;
    let text = condition;
    const lastBracket = text.lastIndexOf('[');
    if (lastBracket >= 0 && text.indexOf(']', lastBracket + 1) < 0) text += ']';
    const patterns: CharPattern[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '.') patterns.push({ any: true });
      else if (c === '[') {
        const end = text.indexOf(']', i + 1);
        let body = text.slice(i + 1, end);
        const negate = body.startsWith('^');
        if (negate) body = body.slice(1);
        patterns.push({ set: body, negate });
        i = end;
      } else patterns.push({ literal: c });
    }
    const compiled = new AffixCondition(patterns, isPrefix);
    // a condition the strip alone satisfies holds for every root (Lucene's uniqueKey shortcut)
    if (strip.length >= patterns.length && compiled.accepts(strip)) return undefined;
    return compiled;
  }

  /** Whether `root` (the word with the affix removed and the strip restored) meets the condition. */
  accepts(root: string): boolean {
    const n = this.patterns.length;
    if (root.length < n) return false;
    const start = this.isPrefix ? 0 : root.length - n;
    for (let k = 0; k < n; k++) {
      const c = root[start + k] as string;
      const p = this.patterns[k] as CharPattern;
      if ('any' in p) continue;
      if ('literal' in p) {
        if (p.literal !== c) return false;
      } else if (p.set.includes(c) === p.negate) return false;
    }
    return true;
  }
}
