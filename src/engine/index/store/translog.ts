import { closeSync, constants, existsSync, fsyncSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { frame, fsyncDir, readRecords } from './record-file.js';
import { dirname } from 'node:path';
import { parseJson, stringifyJson } from '../../json-numbers.js';

type Json = Record<string, unknown>;

export type TranslogOp =
  | { op: 'index'; id: string; seqNo: number; version: number; source: Json; routing?: string }
  | { op: 'delete'; id: string; seqNo: number; version: number; routing?: string };

/**
 * The per-index write-ahead log: operations are appended in memory and written + fsynced once
 * per request (`sync()`), before the request is acknowledged.
 *
 * Writes are positional (never O_APPEND): a write that fails part-way (ENOSPC) is cut back to
 * the last acknowledged byte before anything else is written, so no record ever lands after a
 * torn one and recovery (which stops at the first bad record) never drops an acknowledged write.
 */
export class Translog {
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes on disk. */
  size = 0;
  /** Whether bytes past `size` (a failed write) may still be on disk. */
  private torn = false;

  private constructor(
    private readonly path: string,
    validBytes: number,
  ) {
    this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    // Cut a torn tail so new records follow the last valid one.
    ftruncateSync(this.fd, validBytes);
    this.size = validBytes;
  }

  /**
   * Opens the log and returns the operations it holds (a torn/corrupt tail is discarded): those
   * of the previous generation (`<path>.old`, left by a flush that had not finished) first.
   */
  static open(path: string): { translog: Translog; ops: TranslogOp[] } {
    const ops: TranslogOp[] = [];
    for (const record of readRecords(`${path}.old`).records) {
      try {
        ops.push(parseJson(record.toString('utf8')) as TranslogOp);
      } catch {
        break;
      }
    }
    const { records, validBytes } = readRecords(path);
    for (const record of records) {
      try {
        ops.push(parseJson(record.toString('utf8')) as TranslogOp);
      } catch {
        break;
      }
    }
    const translog = new Translog(path, validBytes);
    fsyncDir(dirname(path));
    return { translog, ops };
  }

  /** `rawSource`: the source's JSON text as received, to skip serializing it again. */
  append(op: TranslogOp, rawSource?: string): void {
    const text =
      rawSource !== undefined && op.op === 'index'
        ? `{"op":"index","id":${JSON.stringify(op.id)},"seqNo":${op.seqNo},"version":${op.version},${op.routing !== undefined ? `"routing":${JSON.stringify(op.routing)},` : ''}"source":${rawSource}}`
        : stringifyJson(op);
    const record = frame(Buffer.from(text));
    this.pending.push(record);
    this.pendingBytes += record.length;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Writes and fsyncs everything appended since the last sync (one fsync per request). On failure
   * the pending records are dropped and the file is cut back to its durable size, then the error
   * is rethrown: the caller must not acknowledge (nor keep applied) those operations.
   */
  sync(): void {
    if (this.torn) this.cutTail();
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      let written = 0;
      while (written < data.length) written += writeSync(this.fd, data, written, data.length - written, this.size + written);
      fsyncSync(this.fd);
    } catch (error) {
      this.torn = true;
      try {
        this.cutTail();
      } catch {
        // retried before the next write (sync() and truncate() cut it first)
      }
      throw error;
    }
    this.size += data.length;
  }

  private cutTail(): void {
    ftruncateSync(this.fd, this.size);
    fsyncSync(this.fd);
    this.torn = false;
  }

  /** Drops the operations appended since the last sync (they were never written). */
  discardPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Whether a previous generation (`.old`) is still on disk. */
  get hasOldGeneration(): boolean {
    return existsSync(`${this.path}.old`);
  }

  /**
   * Starts a new generation: everything written so far moves to `<path>.old` (kept until the
   * snapshot that covers it is in place), later operations go to a fresh file.
   */
  rotate(): void {
    this.sync();
    // the new file exists before the old one moves: a full disk fails here, with nothing changed
    const next = openSync(`${this.path}.next`, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC, 0o644);
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.old`);
    renameSync(`${this.path}.next`, this.path);
    this.fd = next;
    fsyncDir(dirname(this.path));
    this.size = 0;
    this.torn = false;
  }

  /** Removes the previous generation once a snapshot covers it. */
  dropOldGeneration(): void {
    rmSync(`${this.path}.old`, { force: true });
    fsyncDir(dirname(this.path));
  }

  /** After a flush snapshot: everything is in the snapshot, start an empty log. */
  truncate(): void {
    this.pending = [];
    this.pendingBytes = 0;
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.size = 0;
  }

  close(): void {
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
    }
  }
}
