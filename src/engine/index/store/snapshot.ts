import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredDoc } from '../shard.js';
import { parseJson, stringifyJson } from '../../json-numbers.js';
import { frame, fsyncDir, readRecords } from './record-file.js';

type Json = Record<string, unknown>;

export interface SnapshotDoc {
  id: string;
  seqNo: number;
  version: number;
  source: Json;
  /** Custom routing (`_routing`), when the document has one. */
  routing?: string;
}

/** A document's snapshot record: `[id, seqNo, version, source]`, plus its routing when it has one. */
function record(doc: StoredDoc): unknown[] {
  const out: unknown[] = [doc.id, doc.seqNo, doc.version, doc.original];
  if (doc.routing !== undefined) out.push(doc.routing);
  return out;
}

/** Framed records buffered and written to `fd` in slices; `pending` bytes wait, `total` were written or wait. */
class RecordWriter {
  private chunk: Buffer[] = [];
  pending = 0;
  total = 0;

  constructor(private readonly fd: number) {}

  push(value: unknown): void {
    const rec = frame(Buffer.from(stringifyJson(value)));
    this.chunk.push(rec);
    this.pending += rec.length;
    this.total += rec.length;
  }

  flush(): void {
    if (this.chunk.length === 0) return;
    const data = Buffer.concat(this.chunk, this.pending);
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written, data.length - written);
    this.chunk = [];
    this.pending = 0;
  }
}

/**
 * A flush snapshot: every live document (its full source, seq_no and version) as of `maxSeqNo`.
 * Written to a temp file, fsynced and renamed, so a crash leaves the previous snapshot intact.
 */
/** Returns the snapshot's size in bytes. A failure (disk full) leaves the previous snapshot and no temp file. */
export function writeSnapshot(path: string, maxSeqNo: number, docs: Iterable<StoredDoc>): number {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  let done = false;
  try {
    const out = new RecordWriter(fd);
    out.push({ maxSeqNo });
    for (const doc of docs) {
      out.push(record(doc));
      if (out.pending > 4 * 1024 * 1024) out.flush();
    }
    out.push({ end: true });
    out.flush();
    fsyncSync(fd);
    renameSync(temp, path);
    done = true;
    fsyncDir(dirname(path));
    return out.total;
  } finally {
    closeSync(fd);
    if (!done) rmSync(temp, { force: true });
  }
}

/** Reads a snapshot; a snapshot without its end marker is ignored (it was never renamed into place). */
export function readSnapshot(path: string): { maxSeqNo: number; docs: SnapshotDoc[] } {
  const { records } = readRecords(path);
  if (records.length === 0) return { maxSeqNo: -1, docs: [] };
  const header = JSON.parse(records[0]!.toString('utf8')) as { maxSeqNo: number };
  const docs: SnapshotDoc[] = [];
  for (let i = 1; i < records.length; i++) {
    const value = parseJson(records[i]!.toString('utf8'));
    if (!Array.isArray(value)) break;
    const [id, seqNo, version, source, routing] = value as [string, number, number, Json, string | undefined];
    docs.push({ id, seqNo, version, source, ...(typeof routing === 'string' ? { routing } : {}) });
  }
  return { maxSeqNo: header.maxSeqNo, docs };
}

/** An incremental snapshot write in progress; `abort()` stops it and removes its temp file at once. */
export interface SnapshotJob {
  readonly done: Promise<number>;
  abort(): void;
}

/**
 * Writes the same snapshot as {@link writeSnapshot}, a slice of about 256 kB at a time with the
 * event loop free in between, so a flush of 50,000 documents (65 MB) never holds other requests
 * for more than a few milliseconds. `docs` must be captured when the flush starts (the state as
 * of `maxSeqNo`); the temp file has its own name so an explicit flush can run meanwhile.
 */
export function writeSnapshotIncrementally(path: string, maxSeqNo: number, docs: readonly StoredDoc[]): SnapshotJob {
  const temp = `${path}.flushing`;
  let fd: number | undefined = openSync(temp, 'w');
  let aborted = false;
  const release = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(temp, { force: true });
  };
  const done = (async (): Promise<number> => {
    try {
      const out = new RecordWriter(fd as number);
      out.push({ maxSeqNo });
      for (const doc of docs) {
        out.push(record(doc));
        if (out.pending >= 256 * 1024) {
          out.flush();
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (aborted) throw new Error('snapshot aborted');
        }
      }
      out.push({ end: true });
      out.flush();
      fsyncSync(fd as number);
      closeSync(fd as number);
      fd = undefined;
      renameSync(temp, path);
      fsyncDir(dirname(path));
      return out.total;
    } catch (error) {
      release();
      throw error;
    }
  })();
  return {
    done,
    abort() {
      aborted = true;
      release();
    },
  };
}
