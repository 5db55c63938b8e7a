import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EngineError } from '../../errors.js';
import { HunspellParseError } from './affix-file.js';
import { HunspellDictionary } from './hunspell-dictionary.js';

/**
 * The node's hunspell dictionaries, as Elasticsearch's HunspellService serves them: the dictionary
 * of locale `en_US` is the folder `<config dir>/hunspell/en_US/`, with exactly one `.aff` file and
 * any number of `.dic` files (all of them are read). `ignore_case` comes from the node setting
 * `indices.analysis.hunspell.dictionary.<locale>.ignore_case`, else the folder's `settings.yml`
 * (or `settings.json`), else `indices.analysis.hunspell.dictionary.ignore_case` (default false).
 * A dictionary is loaded once and kept for the node's life; unless
 * `indices.analysis.hunspell.dictionary.lazy` is true, every dictionary folder is loaded when the
 * node starts (failures then are only logged, and retried when a filter asks for the locale).
 * Failures reach the filter as Elasticsearch's IllegalStateException("failed to load hunspell
 * dictionary for locale: <locale>") with the cause below it.
 */

/** Node settings (elasticsearch.yml) that HunspellService reads. */
export interface HunspellNodeSettings {
  'indices.analysis.hunspell.dictionary.lazy'?: boolean | string;
  'indices.analysis.hunspell.dictionary.ignore_case'?: boolean | string;
  /** `indices.analysis.hunspell.dictionary.<locale>.ignore_case` */
  [key: `indices.analysis.hunspell.dictionary.${string}`]: boolean | string | undefined;
}

const PREFIX = 'indices.analysis.hunspell.dictionary.';

/** Settings.getAsBoolean: only `true` and `false`. */
function strictBool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new HunspellParseError(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`, 'illegal_argument_exception');
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

export class HunspellService {
  private readonly dictionaries = new Map<string, HunspellDictionary>();
  private readonly defaultIgnoreCase: boolean;

  constructor(
    private readonly configDir: string | undefined,
    private readonly node: HunspellNodeSettings = {},
  ) {
    this.defaultIgnoreCase = strictBool(node['indices.analysis.hunspell.dictionary.ignore_case'], false);
    if (!strictBool(node['indices.analysis.hunspell.dictionary.lazy'], false)) this.loadAll();
  }

  private get hunspellDir(): string | undefined {
    return this.configDir === undefined ? undefined : join(this.configDir, 'hunspell');
  }

  /** Loads every locale folder that holds a .dic file; a failure is left for getDictionary to report. */
  private loadAll(): void {
    const dir = this.hunspellDir;
    if (dir === undefined || !existsSync(dir)) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      try {
        if (!statSync(join(dir, name)).isDirectory()) continue;
        if (!readdirSync(join(dir, name)).some((f) => f.endsWith('.dic'))) continue;
        this.getDictionary(name);
      } catch {
        // logged by Elasticsearch ("exception while loading dictionary"); retried on use
      }
    }
  }

  /** The dictionary of `locale`, loaded on first use. */
  getDictionary(locale: string): HunspellDictionary {
    const known = this.dictionaries.get(locale);
    if (known) return known;
    let dictionary: HunspellDictionary;
    try {
      dictionary = this.load(locale);
    } catch (error) {
      const cause = error instanceof EngineError
        ? error
        : error instanceof HunspellParseError
          ? new EngineError(500, error.javaType, error.message)
          : new EngineError(500, 'exception', error instanceof Error ? error.message : String(error));
      // IllegalStateException is not an ElasticsearchException: it is its own root cause
      throw new EngineError(500, 'illegal_state_exception', `failed to load hunspell dictionary for locale: ${locale}`, { caused_by: cause.toBody() });
    }
    this.dictionaries.set(locale, dictionary);
    return dictionary;
  }

  private load(locale: string): HunspellDictionary {
    const notFound = (): EngineError => new EngineError(500, 'exception', `Could not find hunspell dictionary [${locale}]`);
    const hunspellDir = this.hunspellDir;
    if (hunspellDir === undefined || this.configDir === undefined) throw notFound();
    const dicDir = resolve(hunspellDir, locale);
    // the node reads only inside its config directory (Elasticsearch's security policy)
    let real: string;
    try {
      real = realpathSync(dicDir);
      if (!statSync(real).isDirectory()) throw notFound();
    } catch {
      throw notFound();
    }
    let root: string;
    try {
      root = realpathSync(this.configDir);
    } catch {
      root = resolve(this.configDir);
    }
    if (!inside(resolve(this.configDir), dicDir) || !inside(root, real)) throw notFound();

    const settings = this.dictionarySettings(dicDir, locale);
    const ignoreCase = strictBool(settings.get('ignore_case'), this.defaultIgnoreCase);
    const files = readdirSync(dicDir).sort();
    const affixes = files.filter((f) => f.endsWith('.aff'));
    if (affixes.length === 0) throw new EngineError(500, 'exception', `Missing affix file for hunspell dictionary [${locale}]`);
    if (affixes.length !== 1) throw new EngineError(500, 'exception', `Too many affix files exist for hunspell dictionary [${locale}]`);
    const dics = files.filter((f) => f.endsWith('.dic')).map((f) => readFileSync(join(dicDir, f)));
    return HunspellDictionary.read(readFileSync(join(dicDir, affixes[0] as string)), dics, ignoreCase);
  }

  /** The folder's settings.yml (or settings.json), overridden by the node's `<locale>.` settings. */
  private dictionarySettings(dicDir: string, locale: string): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const name of ['settings.yml', 'settings.json']) {
      const file = join(dicDir, name);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch {
        throw new HunspellParseError(`Failed to load settings from [${name}]`, 'settings_exception');
      }
      flatten(parsed ?? {}, '', out);
      break;
    }
    const nodePrefix = `${PREFIX}${locale}.`;
    for (const [key, value] of Object.entries(this.node)) {
      if (key.startsWith(nodePrefix)) out.set(key.slice(nodePrefix.length), value);
    }
    return out;
  }
}
