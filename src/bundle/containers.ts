/**
 * What holds a bundle: a folder, a .zip or a .tar.gz (CONTRACT.md §1, optionally with one top-level
 * folder inside). Each container hands the reader its known files, one fresh byte stream at a time,
 * and enforces the container-level limits (src/bundle/limits.ts): only regular files are opened (a
 * FIFO, a device or a directory named like a bundle file is refused before it is read), the entry
 * count is capped, and every decompressed byte counts against one budget, checked against the
 * declared sizes first (zip central directory, tar headers, file sizes) and again while inflating,
 * since declared sizes can lie.
 */
import { constants } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import yauzl from 'yauzl';
import { DoctorError, badBundle } from '../errors.js';
import { ByteBudget, formatBytes, limitExceeded, metered, type BundleLimits } from './limits.js';

export const BUNDLE_FILES = ['pipeline.json', 'updates.json', 'events.jsonl', 'events.json', 'node_timeline.jsonl', 'usage.jsonl', 'list_prices.jsonl', 'utilization.json', 'node_types.json'] as const;
export type BundleFile = (typeof BUNDLE_FILES)[number];

const READ_CHUNK = 1 << 20;

/**
 * `open` gives the entry's decompressed bytes; `size` is what the container declares for it;
 * `localPath` is the file itself when it is one on disk (a folder bundle: DuckDB reads it in place)
 */
export type Visit = (file: BundleFile, open: () => Promise<AsyncIterable<Buffer>>, size: number, localPath?: string) => Promise<void>;

export interface Container {
  walk(visit: Visit): Promise<void>;
  close(): Promise<void>;
}

/** `name` inside the bundle (optionally under one top-level folder) → the bundle file it is */
function bundleFileOf(entryName: string): { file: BundleFile; depth: number } | null {
  const parts = entryName.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.length > 2 || parts[0] === '__MACOSX') return null;
  const base = parts[parts.length - 1]!;
  return (BUNDLE_FILES as readonly string[]).includes(base) ? { file: base as BundleFile, depth: parts.length } : null;
}

/**
 * Opens `path` for reading only if it is a regular file. O_NONBLOCK: opening a FIFO without a
 * writer would otherwise block forever; the type is then checked on the open descriptor, so a
 * file swapped for a FIFO between a stat and the open is refused too.
 */
export async function openRegular(path: string, name: string): Promise<{ fh: FileHandle; size: number }> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw badBundle(`${name} is not a regular file`);
    return { fh, size: st.size };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

function checkDeclared(total: number, limits: BundleLimits): void {
  if (total > limits.maxBytes) throw limitExceeded('maxBytes', `bundle declares over ${formatBytes(limits.maxBytes)}`);
}

function checkEntries(count: number, limits: BundleLimits): void {
  if (count > limits.maxEntries) throw limitExceeded('maxEntries', `bundle has over ${limits.maxEntries} entries`);
}

export function folderContainer(dir: string, limits: BundleLimits): Container {
  const budget = new ByteBudget(limits.maxBytes);
  return {
    async walk(visit) {
      let root = dir;
      const names = await readdir(dir);
      checkEntries(names.length, limits);
      if (!names.includes('pipeline.json')) {
        const sub = names.filter((n) => !n.startsWith('.') && n !== '__MACOSX');
        if (sub.length === 1 && (await stat(join(dir, sub[0]!))).isDirectory()) root = join(dir, sub[0]!);
      }
      const inner = root === dir ? names : await readdir(root);
      checkEntries(inner.length, limits);
      const present = new Set(inner);
      const opened: { file: BundleFile; fh: FileHandle; size: number; path: string }[] = [];
      try {
        for (const f of BUNDLE_FILES) {
          if (present.has(f)) opened.push({ file: f, path: join(root, f), ...(await openRegular(join(root, f), f)) });
        }
        checkDeclared(opened.reduce((s, o) => s + o.size, 0), limits);
        for (const o of opened) {
          await visit(o.file, async () => metered(o.fh.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false, start: 0 }), budget), o.size, o.path);
        }
      } finally {
        await Promise.all(opened.map((o) => o.fh.close().catch(() => undefined)));
      }
    },
    async close() {},
  };
}

export function zipContainer(fh: FileHandle, limits: BundleLimits): Container {
  const budget = new ByteBudget(limits.maxBytes);
  return {
    async walk(visit) {
      const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
        yauzl.fromFd(fh.fd, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
      );
      checkEntries(zip.entryCount, limits);
      const found = new Map<BundleFile, { entry: yauzl.Entry; depth: number }>();
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          const m = bundleFileOf(entry.fileName);
          if (m && !entry.fileName.endsWith('/')) {
            const prev = found.get(m.file);
            if (!prev || m.depth < prev.depth) found.set(m.file, { entry, depth: m.depth });
          }
          zip.readEntry();
        });
        zip.once('end', resolve);
        zip.once('error', reject);
        zip.readEntry();
      });
      const chosen = BUNDLE_FILES.flatMap((f) => {
        const hit = found.get(f);
        return hit ? [{ file: f, entry: hit.entry }] : [];
      });
      checkDeclared(chosen.reduce((s, c) => s + c.entry.uncompressedSize, 0), limits);
      for (const c of chosen) {
        await visit(c.file, async () => checkedSize(metered(await zip.openReadStreamPromise(c.entry), budget), c.file, c.entry.uncompressedSize), c.entry.uncompressedSize);
      }
    },
    async close() {},
  };
}

/** yauzl stops an entry that inflates past its declared size: say so in words */
async function* checkedSize(source: AsyncIterable<Buffer>, file: BundleFile, declared: number): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof Error && /too many bytes in the stream/.test(err.message)) {
      throw badBundle(`${file} inflates to more than the ${declared} bytes its zip entry declares`, err);
    }
    throw err;
  }
}

export function tarGzContainer(fh: FileHandle, limits: BundleLimits): Container {
  const budget = new ByteBudget(limits.maxBytes);
  return {
    async walk(visit) {
      const extract = tar.extract();
      const source = fh.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false, start: 0 });
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      const failed = new Promise<never>((_, reject) => {
        source.once('error', reject);
        gunzip.once('error', reject);
        extract.once('error', reject);
      });
      failed.catch(() => undefined);
      // every inflated byte counts, also those of entries that are skipped (they are inflated too)
      gunzip.on('data', (c: Buffer) => {
        try {
          budget.take(c.length);
        } catch (err) {
          gunzip.destroy(err as Error);
        }
      });
      source.pipe(gunzip).pipe(extract);
      const seen = new Set<BundleFile>();
      let entries = 0;
      const run = async () => {
        for await (const entry of extract) {
          checkEntries(++entries, limits);
          const m = entry.header.type === 'file' ? bundleFileOf(entry.header.name) : null;
          const size = entry.header.size ?? 0;
          if (size > limits.maxBytes) checkDeclared(size, limits);
          if (m && !seen.has(m.file)) {
            seen.add(m.file);
            // entries are streamx streams: wrap them, and drain whatever a visitor leaves
            let done = false;
            const finished = new Promise<void>((resolve) => {
              const end = () => {
                done = true;
                resolve();
              };
              entry.once('end', end);
              entry.once('close', end);
            });
            await visit(m.file, async () => Readable.from(entry) as AsyncIterable<Buffer>, size);
            if (!done) {
              entry.resume();
              await finished;
            }
          } else {
            entry.resume();
          }
        }
      };
      const running = run();
      running.catch(() => undefined);
      try {
        await Promise.race([running, failed]);
      } finally {
        source.destroy();
        gunzip.destroy();
        extract.destroy();
      }
    },
    async close() {},
  };
}

/** The container at `path`: a folder, or a regular file that starts like a zip or a gzip. */
export async function openContainer(path: string, limits: BundleLimits): Promise<Container> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw badBundle(`cannot read bundle ${path}`, err);
  }
  if (info.isDirectory()) return folderContainer(path, limits);
  if (!info.isFile()) throw badBundle(`${path} is not a regular file or a folder`);
  let fh: FileHandle;
  try {
    ({ fh } = await openRegular(path, path));
  } catch (err) {
    if (err instanceof DoctorError) throw err;
    throw badBundle(`cannot read bundle ${path}`, err);
  }
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    const c: Container | null =
      buf[0] === 0x50 && buf[1] === 0x4b ? zipContainer(fh, limits) : buf[0] === 0x1f && buf[1] === 0x8b ? tarGzContainer(fh, limits) : null;
    if (c === null) throw badBundle(`${path} is not a folder, a .zip or a .tar.gz`);
    return { walk: (v) => c.walk(v), close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
