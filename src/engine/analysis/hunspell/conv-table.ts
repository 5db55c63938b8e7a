/**
 * An ICONV or OCONV table: at each position the longest pattern that starts there is replaced,
 * then the scan goes on after the replacement (Lucene's ConvTable.applyMappings).
 */
export class ConvTable {
  private readonly firsts: Set<string>;
  private readonly longest: number;

  constructor(private readonly mappings: ReadonlyMap<string, string>) {
    this.firsts = new Set([...mappings.keys()].map((k) => k[0] as string));
    this.longest = Math.max(0, ...[...mappings.keys()].map((k) => k.length));
  }

  mightReplace(unit: string): boolean {
    return this.firsts.has(unit);
  }

  apply(text: string): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const unit = text[i] as string;
      if (!this.firsts.has(unit)) {
        out += unit;
        i++;
        continue;
      }
      let match: string | undefined;
      let length = 0;
      for (let n = Math.min(this.longest, text.length - i); n >= 1; n--) {
        const m = this.mappings.get(text.slice(i, i + n));
        if (m !== undefined) {
          match = m;
          length = n;
          break;
        }
      }
      if (match === undefined) {
        out += unit;
        i++;
      } else {
        out += match;
        i += length;
      }
    }
    return out;
  }
}
