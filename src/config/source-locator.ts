import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** A path into parsed data: object keys and array indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** `indexes.blog.models[0]` for `['indexes', 'blog', 'models', 0]`. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** JSON pointer (`/indexes/blog/models/0`) to a path, as ajv reports `instancePath`. */
export function pointerToPath(pointer: string, data: unknown): DataPath {
  if (!pointer) return [];
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: Array<string | number> = [];
  let node: unknown = data;
  for (const part of parts) {
    if (Array.isArray(node)) {
      path.push(Number(part));
      node = node[Number(part)];
    } else {
      path.push(part);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
  }
  return path;
}

/**
 * Finds the line and column of a path in a YAML (or JSON: JSON is YAML) source text,
 * so that a schema error on parsed data can name `file:line`.
 */
export class SourceLocator {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(text: string, doc?: Document, lineCounter?: LineCounter) {
    if (doc && lineCounter) {
      this.doc = doc;
      this.lines = lineCounter;
    } else {
      this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false });
    }
  }

  /** 1-based line and column of the value at `path`, or of the nearest ancestor that exists. */
  locate(path: DataPath, { key = false }: { key?: boolean } = {}): { line: number; column: number } | undefined {
    let node: unknown = this.doc.contents;
    let best: { line: number; column: number } | undefined = this.position(node);
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : undefined) === String(part));
        if (!pair) return best;
        const keyPos = this.position(pair.key);
        node = pair.value;
        best = (key && part === path[path.length - 1] ? keyPos : this.position(node) ?? keyPos) ?? best;
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part];
        best = this.position(node) ?? best;
      } else {
        return best;
      }
    }
    return best;
  }

  private position(node: unknown): { line: number; column: number } | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return undefined;
    const pos = this.lines.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  }
}
