import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Remembers the last document acknowledged per index and id for `cacheExpiry` seconds, so an
 * identical re-send is skipped. The key includes the index (one row may feed several indexes
 * with different documents), and an entry is written only after the search side acknowledged
 * the write: a failed write is never remembered, so its retry is never skipped.
 */
export class DocumentCache {
  private readonly cache?: LRUCache<string, string>;

  constructor(options: { expirySeconds: number; max?: number }) {
    if (options.expirySeconds > 0) this.cache = new LRUCache<string, string>({ max: options.max ?? 10_000, ttl: options.expirySeconds * 1000 });
  }

  /** Whether `document` is the one last acknowledged for `index`/`id` (and not expired). */
  isUnchanged(index: string, id: string, document: unknown): boolean {
    return this.cache?.get(key(index, id)) === fingerprint(document);
  }

  /** Call only after the search side acknowledged the write. */
  remember(index: string, id: string, document: unknown): void {
    this.cache?.set(key(index, id), fingerprint(document));
  }

  forget(index: string, id: string): void {
    this.cache?.delete(key(index, id));
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }
}

const key = (index: string, id: string) => `${index}\u0000${id}`;
const fingerprint = (document: unknown) => createHash('sha1').update(JSON.stringify(document) ?? 'undefined').digest('base64');
