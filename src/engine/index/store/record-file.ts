import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

/** CRC-32 (zlib's polynomial): node:zlib's when present (Node >= 20.15), else a table-driven one. */
const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data)
    : (data) => {
        if (!table) {
          table = new Uint32Array(256);
          for (let n = 0; n < 256; n++) {
            let c = n;
            for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            table[n] = c >>> 0;
          }
        }
        let crc = 0xffffffff;
        for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
        return (crc ^ 0xffffffff) >>> 0;
      };

/**
 * Framed records: `[u32 length][u32 crc32][payload]`, little endian. Reading stops at the first
 * torn or corrupt record (a crash mid-write), which is discarded, never a crash.
 */
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(8 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, 8);
  return out;
}

export interface ReadResult {
  records: Buffer[];
  /** Byte length of the valid prefix. */
  validBytes: number;
  /** Whether a torn/corrupt tail was found. */
  truncated: boolean;
}

export function readRecords(path: string): ReadResult {
  if (!existsSync(path)) return { records: [], validBytes: 0, truncated: false };
  const data = readFileSync(path);
  const records: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    if (offset + 8 + length > data.length) break;
    const payload = data.subarray(offset + 8, offset + 8 + length);
    if (crc32(payload) !== checksum) break;
    records.push(payload);
    offset += 8 + length;
  }
  return { records, validBytes: offset, truncated: offset !== data.length };
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** Writes a file atomically: temp file, fsync, rename, fsync of the directory. A failure (disk full) leaves no temp file. */
export function writeFileAtomic(path: string, data: Buffer | string): void {
  const temp = `${path}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}
