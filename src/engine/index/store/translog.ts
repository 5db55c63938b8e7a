import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { frame, fsyncDir, readRecords } from './record-file.js';
import { dirname } from 'node:path';

type Json = Record<string, unknown>;

export type TranslogOp =
  | { op: 'index'; id: string; seqNo: number; version: number; source: Json }
  | { op: 'delete'; id: string; seqNo: number; version: number };

/**
 * The per-index write-ahead log: operations are appended in memory and written + fsynced once
 * per request (`sync()`), before the request is acknowledged.
 */
export class Translog {
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes on disk. */
  size = 0;

  private constructor(
    private readonly path: string,
    validBytes: number,
  ) {
    this.fd = openSync(path, 'a+');
    // Cut a torn tail so new records follow the last valid one.
    ftruncateSync(this.fd, validBytes);
    this.size = validBytes;
  }

  /** Opens the log and returns the operations it holds (a torn/corrupt tail is discarded). */
  static open(path: string): { translog: Translog; ops: TranslogOp[] } {
    const { records, validBytes } = readRecords(path);
    const ops: TranslogOp[] = [];
    for (const record of records) {
      try {
        ops.push(JSON.parse(record.toString('utf8')) as TranslogOp);
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
        ? `{"op":"index","id":${JSON.stringify(op.id)},"seqNo":${op.seqNo},"version":${op.version},"source":${rawSource}}`
        : JSON.stringify(op);
    const record = frame(Buffer.from(text));
    this.pending.push(record);
    this.pendingBytes += record.length;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Writes and fsyncs everything appended since the last sync (one fsync per request). */
  sync(): void {
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written, data.length - written, this.size + written);
    fsyncSync(this.fd);
    this.size += data.length;
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
    this.sync();
    closeSync(this.fd);
  }
}
