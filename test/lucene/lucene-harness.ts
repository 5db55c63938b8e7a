import { afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The Java harness on real Lucene (test/lucene/harness/*.java), compiled with javac into a temp
 * folder and run as one child process that answers one JSON line per request line.
 */

const JAVA_DIR = '/usr/share/java';
const JARS = ['lucene-core', 'lucene-analyzers-common', 'lucene-misc', 'lucene-queries', 'lucene-memory', 'lucene-sandbox'];
const SOURCES = join(dirname(fileURLToPath(import.meta.url)), 'harness');

export type Token = [term: string, start: number, end: number, position: number, type: string];
/** A Lucene analysis factory by its SPI name, with string parameters. */
export interface LuceneComponent {
  name: string;
  params?: Record<string, string>;
}
export type ChainToken = [term: string, start: number, end: number, position: number, type: string, positionLength: number];
export interface LuceneHits {
  total: number;
  hits: Array<[id: string, score: number]>;
}

export interface LuceneExplanation {
  value: number;
  match: boolean;
  description: string;
  details: LuceneExplanation[];
}

/** Debian's liblucene8-java jars, or an error saying what to install. */
function classPath(): string {
  const present = existsSync(JAVA_DIR) ? readdirSync(JAVA_DIR) : [];
  return JARS.map((name) => {
    const jar = present.find((f) => new RegExp(`^${name}-8\\.[0-9.]+\\.jar$`).test(f));
    if (!jar) throw new Error(`${name}-8.*.jar not found in ${JAVA_DIR}: install Lucene 8 with \`apt-get install -y liblucene8-java default-jdk-headless\``);
    return join(JAVA_DIR, jar);
  }).join(':');
}

/**
 * The harness for a test file: started before its tests, closed after them. The object returned
 * stands for it (its methods call the started harness), so a file writes `const lucene = useLuceneHarness()`.
 */
export function useLuceneHarness(): LuceneHarness {
  let harness: LuceneHarness | undefined;
  beforeAll(() => {
    harness = LuceneHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });
  return new Proxy({} as LuceneHarness, {
    get(_target, key) {
      if (!harness) throw new Error('the Lucene harness is used before its beforeAll started it');
      const value = Reflect.get(harness, key, harness) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(harness) : value;
    },
  });
}

export class LuceneHarness {
  private readonly pending: Array<{ resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }> = [];
  private stderr = '';
  /** Why the child can take no more requests (it could not start, or it exited). */
  private failed: Error | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly classes: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const next = this.pending.shift();
      if (!next) return;
      const answer = JSON.parse(line) as Record<string, unknown>;
      if (typeof answer.error === 'string') next.reject(new Error(`Lucene harness: ${answer.error}`));
      else next.resolve(answer);
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const fail = (error: Error) => {
      this.failed ??= error;
      for (const p of this.pending.splice(0)) p.reject(this.failed);
    };
    child.on('error', (error) => fail(new Error(`java could not run (${error.message}): install \`default-jdk-headless\``)));
    child.on('exit', (code) => fail(new Error(`Lucene harness exited with ${code}: ${this.stderr}`)));
    child.stdin.on('error', (error) => fail(new Error(`Lucene harness stopped reading requests (${error.message}): ${this.stderr}`)));
  }

  /** Compiles the harness and starts it; throws naming what is missing (java, javac, the jars). */
  static start(): LuceneHarness {
    const cp = classPath();
    const classes = mkdtempSync(join(tmpdir(), 'indexkit-lucene-'));
    const sources = readdirSync(SOURCES).filter((f) => f.endsWith('.java')).map((f) => join(SOURCES, f));
    const javac = spawnSync('javac', ['-nowarn', '-encoding', 'UTF-8', '-cp', cp, '-d', classes, ...sources], { encoding: 'utf8' });
    if (javac.error) throw new Error(`javac could not run (${javac.error.message}): install \`default-jdk-headless\``);
    if (javac.status !== 0) throw new Error(`javac failed on ${SOURCES}:\n${javac.stderr}`);
    const child = spawn('java', ['-Xss8m', '-cp', `${classes}:${cp}`, 'LuceneHarness'], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new LuceneHarness(child, classes);
  }

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  /** `standard`, `english`, or a Lucene analyzer class with a no-argument constructor (`org.apache.lucene.analysis.fr.FrenchAnalyzer`). */
  async analyze(analyzer: 'standard' | 'english' | `org.apache.lucene.${string}`, text: string): Promise<Token[]> {
    return (await this.request({ op: 'analyze', analyzer, text })).tokens as Token[];
  }

  /** Tokens of a search_as_you_type subfield's analysis (`._<size>gram`, or `._index_prefix` when `prefix`) over a base analyzer. */
  async sayt(analyzer: 'standard' | 'english', size: number, prefix: boolean, text: string): Promise<ChainToken[]> {
    return (await this.request({ op: 'sayt', analyzer, size, prefix, text })).tokens as ChainToken[];
  }

  /**
   * Tokens of a CustomAnalyzer built from Lucene factory names (`whitespace`, `wordDelimiterGraph`...) and string parameters;
   * `files` (name to content) are word files the factories' parameters name.
   */
  async chain(tokenizer: LuceneComponent, filters: LuceneComponent[], text: string, files?: Record<string, string>): Promise<ChainToken[]> {
    return (await this.request({ op: 'chain', tokenizer, filters, text, ...(files ? { files } : {}) })).tokens as ChainToken[];
  }

  /** Lucene's CJKAnalyzer (`cjk`), or the standard tokenizer then Lucene filter factories by name with their args. */
  async analyzeChain(chain: 'cjk' | Array<[factory: string, args: Record<string, string>]>, text: string): Promise<ChainToken[]> {
    if (chain === 'cjk') {
      return (await this.request({ op: 'analyze', analyzer: 'org.apache.lucene.analysis.cjk.CJKAnalyzer', text, withLength: true })).tokens as ChainToken[];
    }
    return this.chain({ name: 'standard' }, chain.map(([name, params]) => ({ name, params })), text);
  }

  /** `similarity`: an `index.similarity` group (string values) that every field is scored with; absent: LegacyBM25Similarity. */
  async corpus(
    id: string,
    fields: Record<string, 'standard' | 'english' | 'keyword' | 'standard+phrases' | 'english+phrases' | 'standard+sayt' | 'rank_feature' | 'long' | `chain:${string}`>,
    docs: Array<Record<string, unknown>>,
    similarity?: Record<string, string>,
  ): Promise<void> {
    await this.request({ op: 'corpus', id, fields, docs, ...(similarity ? { similarity } : {}) });
  }

  async search(corpus: string, query: Record<string, unknown>): Promise<LuceneHits> {
    return (await this.request({ op: 'search', corpus, query })) as unknown as LuceneHits;
  }

  async explain(corpus: string, query: Record<string, unknown>, id: string): Promise<LuceneExplanation> {
    return (await this.request({ op: 'explain', corpus, query, id })) as unknown as LuceneExplanation;
  }

  /** A query's top score against one document in a MemoryIndex (what a percolate query scores). */
  async percolate(fields: Record<string, 'standard' | 'english' | 'keyword'>, doc: Record<string, unknown>, query: Record<string, unknown>): Promise<LuceneHits> {
    return (await this.request({ op: 'percolate', fields, doc, query })) as unknown as LuceneHits;
  }

  /**
   * Tokens of the whitespace tokenizer then Lucene's HunspellStemFilter over the dictionary read from
   * the .aff and .dic files at these paths (Elasticsearch's hunspell filter).
   */
  async hunspell(req: { aff: string; dics: string[]; ignoreCase: boolean; dedup: boolean; longestOnly: boolean; text: string }): Promise<Token[]> {
    return (await this.request({ op: 'hunspell', ...req })).tokens as Token[];
  }

  /** The doc indexes LatLonPoint.newGeometryQuery matches: each doc's [lat, lon] points against the geometries, in degrees. */
  async geoShape(docs: Array<Array<[number, number]>>, relation: 'intersects' | 'within' | 'disjoint' | 'contains', geometries: unknown[]): Promise<number[]> {
    return (await this.request({ op: 'geoShape', docs, relation, geometries })).ids as number[];
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    rmSync(this.classes, { recursive: true, force: true });
  }
}
