import { HunspellParseError } from './affix-file.js';

/**
 * Hunspell's flag types (`FLAG` in the .aff file), as Lucene's FlagParsingStrategy classes read
 * them: each flag becomes one UTF-16 unit, so a set of flags is a string.
 * - `char` (the default): each character is a flag;
 * - `UTF-8`: the same, but in a Latin-1 file the bytes are decoded again as UTF-8;
 * - `long`: two ASCII characters per flag;
 * - `num`: decimal numbers separated by commas (other characters skipped), below 65510.
 */
export interface FlagParser {
  readonly kind: 'char' | 'UTF-8' | 'long' | 'num';
  parseFlags(raw: string): string;
  /** The first flag of `raw` (Lucene does not check there is only one). */
  parseFlag(raw: string): number;
}

const DEFAULT_FLAGS = 65510;

function parsers(kind: FlagParser['kind'], defaultCharset: boolean): (raw: string) => string {
  switch (kind) {
    case 'UTF-8':
      if (defaultCharset) return (raw) => Buffer.from(raw, 'latin1').toString('utf8');
      return (raw) => raw;
    case 'long':
      return (raw) => {
        let out = '';
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const a = raw.charCodeAt(i);
          const b = raw.charCodeAt(i + 1);
          if (a >= 256 || b >= 256) throw new HunspellParseError(`Invalid flags (LONG flags must be double ASCII): ${raw}`, 'illegal_argument_exception');
          out += String.fromCharCode((a << 8) | b);
        }
        return out;
      };
    case 'num':
      return (raw) => {
        let out = '';
        for (const group of raw.split(',')) {
          const digits = group.replace(/[^0-9]/g, '');
          if (digits === '') continue;
          const n = Number.parseInt(digits, 10);
          if (n >= DEFAULT_FLAGS) throw new HunspellParseError(`Num flags should be between 0 and ${DEFAULT_FLAGS}, found ${n}`, 'illegal_argument_exception');
          out += String.fromCharCode(n);
        }
        return out;
      };
    default:
      return (raw) => raw;
  }
}

export function flagParser(kind: FlagParser['kind'], defaultCharset: boolean): FlagParser {
  const parseFlags = parsers(kind, defaultCharset);
  return {
    kind,
    parseFlags,
    parseFlag(raw) {
      const flags = parseFlags(raw);
      if (flags.length === 0) throw new HunspellParseError(`Index 0 out of bounds for length 0`, 'array_index_out_of_bounds_exception');
      return flags.charCodeAt(0);
    },
  };
}

/** Whether the flag set `flags` holds `flag` (0, Lucene's FLAG_UNSET, is never held). */
export function hasFlag(flags: string, flag: number): boolean {
  return flag !== 0 && flags.includes(String.fromCharCode(flag));
}
