/**
 * Hostile archives for tests and bench/bundle-limits.ts, built in memory without ever holding the
 * inflated bytes: a deflate stream of `times` copies of `chunk` is the chunk deflated once with a
 * full flush (byte-aligned, no reference to earlier data) repeated, then a final empty block. A
 * 1 MiB chunk of one repeated byte deflates to ~1 KiB, so 3.5 GiB inflated is ~3.6 MB on disk.
 */
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** raw deflate data that inflates to `chunk` repeated `times` times */
export function deflateRepeated(chunk: Buffer, times: number): Buffer {
  const one = deflateRawSync(chunk, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const out = Buffer.alloc(one.length * times + 2);
  for (let i = 0; i < times; i++) one.copy(out, i * one.length);
  // a final fixed-Huffman block with only the end-of-block code
  out[one.length * times] = 0x03;
  out[one.length * times + 1] = 0x00;
  return out;
}

export interface RawZipEntry {
  name: string;
  /** raw deflate data */
  deflated: Buffer;
  /** what the local header and the central directory declare (may lie) */
  declaredSize: number;
}

/** A zip (no zip64, CRC 0: yauzl does not check it) of already-deflated entries. */
export function rawZip(entries: RawZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(e.deflated.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, e.deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(e.deflated.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.deflated.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...centrals, end]);
}

/** a ustar header for a regular file of `size` bytes */
export function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148); // checksum placeholder: spaces
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/**
 * A .tar.gz of `files` (small, in memory) followed by `junk` entries of `chunk` × `times` bytes
 * each, all of one gzip member built by full-flush repetition: tiny on disk, huge inflated. The
 * junk entries have names no bundle file has, so only the byte budget stops their inflation. The
 * gzip trailer (CRC32, size) is right, so a reader with room for it all reads it without error.
 */
export function tarGzBomb(files: Record<string, string>, junk: { entries: number; chunk: Buffer; times: number }): Buffer {
  const pieces: Buffer[] = [];
  let crc = 0;
  let size = 0;
  const plain = (b: Buffer, times = 1) => {
    for (let i = 0; i < times; i++) crc = crc32(b, crc);
    size += b.length * times;
  };
  const flush = (b: Buffer) => {
    plain(b);
    pieces.push(deflateRawSync(b, { finishFlush: constants.Z_FULL_FLUSH }));
  };
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    flush(Buffer.concat([tarHeader(name, data.length), data, pad(data.length)]));
  }
  const entrySize = junk.chunk.length * junk.times;
  for (let i = 0; i < junk.entries; i++) {
    flush(tarHeader(`junk-${i}.bin`, entrySize));
    const body = deflateRepeated(junk.chunk, junk.times);
    plain(junk.chunk, junk.times);
    pieces.push(body.subarray(0, body.length - 2)); // without the final block
    flush(pad(entrySize));
  }
  flush(Buffer.alloc(1024)); // end of archive
  pieces.push(Buffer.from([0x03, 0x00]));
  const header = gzipSync(Buffer.alloc(0)).subarray(0, 10);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([header, ...pieces, trailer]);
}
