/**
 * Hostile bundles (issue 15 item 7): every limit of src/bundle/limits.ts ends the read in
 * BAD_BUNDLE with one line naming the variable that raises it, bytes are counted while inflating,
 * and only regular files are opened. Limits are lowered through the options so the archives stay
 * small; one test runs at the default limits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUNDLE_LIMITS, readBundle, type BundleLimits } from '../../src/bundle/read.js';
import { DoctorError, exitCodeFor } from '../../src/errors.js';
import { deflateRepeated, rawZip, tarGzBomb } from '../support/bomb.js';
import { T0, nodeRows, rawPipeline, sampleUpdate, type RawEvent } from '../support/raw-events.js';
import { writeZip } from '../support/zip.js';

const root = mkdtempSync(join(tmpdir(), 'dlt-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (suffix = '') => join(root, `b${++n}${suffix}`);
const MiB = 1 << 20;
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const PIPELINE = JSON.stringify(rawPipeline());
const EVENTS = jsonl(sampleUpdate({ id: 'cur', start: T0, cluster: 'c-cur' }));

function folder(files: Record<string, string | Buffer>): string {
  const dir = fresh();
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function failure(p: Promise<unknown>): Promise<DoctorError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DoctorError) return err;
    throw err;
  }
  throw new Error('expected a DoctorError');
}

/** BAD_BUNDLE, exit 3, one line naming the variable */
function expectLimit(err: DoctorError, variable: string, what: RegExp) {
  expect(err.code).toBe('BAD_BUNDLE');
  expect(exitCodeFor(err)).toBe(3);
  expect(err.message).not.toContain('\n');
  expect(err.message).toMatch(what);
  expect(err.message).toMatch(new RegExp(`raise ${variable}$`));
}

const pipelineEntry = () => ({ name: 'pipeline.json', deflated: deflateRepeated(Buffer.from(PIPELINE), 1), declaredSize: PIPELINE.length });

describe('bundle limits: decompressed bytes', () => {
  const limits: Partial<BundleLimits> = { maxBytes: 8 * MiB };

  it('a zip bomb is refused from its central directory, before inflating', async () => {
    // 256 MiB of one byte, ~260 KB on disk
    const zipPath = fresh('.zip');
    writeFileSync(zipPath, rawZip([pipelineEntry(), { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(MiB, 'x'), 256), declaredSize: 256 * MiB }]));
    const started = process.cpuUsage();
    expectLimit(await failure(readBundle(zipPath, { limits })), 'DLT_DOCTOR_BUNDLE_MAX_BYTES', /^bundle declares over 8 MiB;/);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000); // inflating 256 MiB takes longer
  });

  it('the declared sizes of all read entries add up against one budget', async () => {
    const zipPath = fresh('.zip');
    const rows = Buffer.from(jsonl(nodeRows({ cluster: 'c-cur', start: T0, minutes: 2 })));
    writeFileSync(zipPath, rawZip([pipelineEntry(), { name: 'events.jsonl', deflated: deflateRepeated(Buffer.from(EVENTS), 1), declaredSize: EVENTS.length }, { name: 'node_timeline.jsonl', deflated: deflateRepeated(rows, 1), declaredSize: rows.length }]));
    const total = PIPELINE.length + EVENTS.length + rows.length;
    expect((await readBundle(zipPath, { limits: { maxBytes: total } })).stats.events).toBeGreaterThan(0);
    expectLimit(await failure(readBundle(zipPath, { limits: { maxBytes: total - 1 } })), 'DLT_DOCTOR_BUNDLE_MAX_BYTES', /declares over/);
  });

  it('a zip entry that inflates past its declared size is stopped there', async () => {
    const zipPath = fresh('.zip');
    writeFileSync(zipPath, rawZip([pipelineEntry(), { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(MiB, 'x'), 256), declaredSize: 1000 }]));
    const err = await failure(readBundle(zipPath, { limits }));
    expect(err.code).toBe('BAD_BUNDLE');
    expect(err.message).toBe('events.jsonl inflates to more than the 1000 bytes its zip entry declares');
  });

  it('a .tar.gz is counted while it inflates, skipped entries included', async () => {
    // four 4 MiB junk entries: each under the budget, together over it; none a bundle file
    const tgz = fresh('.tar.gz');
    writeFileSync(tgz, tarGzBomb({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS }, { entries: 4, chunk: Buffer.alloc(MiB, 0), times: 4 }));
    expectLimit(await failure(readBundle(tgz, { limits })), 'DLT_DOCTOR_BUNDLE_MAX_BYTES', /^bundle inflates to over 8 MiB;/);
    // with room for it, the same archive is a bundle
    expect((await readBundle(tgz, { limits: { maxBytes: 32 * MiB } })).stats.events).toBeGreaterThan(0);
  });

  it('a folder is checked against its file sizes', async () => {
    const dir = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS });
    expectLimit(await failure(readBundle(dir, { limits: { maxBytes: 1000 } })), 'DLT_DOCTOR_BUNDLE_MAX_BYTES', /declares over 1000 bytes/);
  });

  it('at the default limits: a 3.5 GiB zip bomb and a 900 MiB single-line zip end in BAD_BUNDLE with bounded memory', async () => {
    const honest = fresh('.zip');
    writeFileSync(honest, rawZip([pipelineEntry(), { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(MiB, 'x'), 3584), declaredSize: 3584 * MiB }]));
    // within the byte budget, so it is inflated: the line-length limit stops it at 16 MiB
    const oneLine = fresh('.zip');
    writeFileSync(oneLine, rawZip([pipelineEntry(), { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(MiB, 'x'), 900), declaredSize: 900 * MiB }]));
    const started = Date.now();
    expectLimit(await failure(readBundle(honest)), 'DLT_DOCTOR_BUNDLE_MAX_BYTES', /^bundle declares over 1 GiB;/);
    expectLimit(await failure(readBundle(oneLine)), 'DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES', /^events.jsonl has a line over 16 MiB;/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // the process's lifetime peak: reading the old way built a 900 MiB string (past V8's limit)
    expect(process.resourceUsage().maxRSS / 1024).toBeLessThan(1024);
  });
});

describe('bundle limits: lines, JSON files, rows, updates, entries', () => {
  it('a line over maxLineBytes is refused, one at the limit is read (within a chunk and across chunks)', async () => {
    const good = EVENTS.split('\n')[0]!;
    for (const max of [good.length, 2 * MiB]) {
      const ok = await readBundle(folder({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS }), { limits: { maxLineBytes: Math.max(max, ...EVENTS.split('\n').map((l) => Buffer.byteLength(l))) } });
      expect(ok.stats.events).toBe(EVENTS.trim().split('\n').length);
      const long = 'y'.repeat(max + 1);
      const dir = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': `${EVENTS}${long}\n${EVENTS}` });
      const limit = max === 2 * MiB ? '2 MiB' : `${max} bytes`;
      expectLimit(await failure(readBundle(dir, { limits: { maxLineBytes: max } })), 'DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES', new RegExp(`^events.jsonl has a line over ${limit};`));
    }
  });

  it('a long last line without a newline, and a long line in node_timeline.jsonl, are refused too', async () => {
    const tail = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': `${EVENTS}${'z'.repeat(5000)}` });
    expectLimit(await failure(readBundle(tail, { limits: { maxLineBytes: 4096 } })), 'DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES', /line over 4 KiB/);
    const timeline = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS, 'node_timeline.jsonl': `${'z'.repeat(5000)}\n` });
    expectLimit(await failure(readBundle(timeline, { limits: { maxLineBytes: 4096 } })), 'DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES', /^node_timeline.jsonl has a line over 4 KiB;/);
  });

  it('a whole-JSON file over maxJsonBytes is refused, from its declared size and while reading', async () => {
    const big = JSON.stringify({ updates: Array.from({ length: 50 }, (_, i) => ({ update_id: `u${i}`, state: 'COMPLETED', creation_time: T0 })) });
    const files = { 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS, 'updates.json': big };
    expect((await readBundle(folder(files), { limits: { maxJsonBytes: big.length } })).evidence.pipeline).toBeDefined();
    const zipPath = fresh('.zip');
    writeZip(zipPath, files);
    for (const p of [folder(files), zipPath]) {
      expectLimit(await failure(readBundle(p, { limits: { maxJsonBytes: 1024 } })), 'DLT_DOCTOR_BUNDLE_MAX_JSON_BYTES', /^updates.json is over 1 KiB;/);
    }
    // a zip entry that declares less than it holds is still cut at the limit while it is read
    const lying = fresh('.zip');
    writeFileSync(lying, rawZip([pipelineEntry(), { name: 'events.json', deflated: deflateRepeated(Buffer.alloc(4096, ' '), 1), declaredSize: 4096 }]));
    expectLimit(await failure(readBundle(lying, { limits: { maxJsonBytes: 1024 } })), 'DLT_DOCTOR_BUNDLE_MAX_JSON_BYTES', /^events.json is over 1 KiB;/);
  });

  it('more node_timeline.jsonl rows than maxRows are refused', async () => {
    const rows = nodeRows({ cluster: 'c-cur', start: T0, minutes: 5 });
    const dir = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS, 'node_timeline.jsonl': jsonl(rows) });
    expect((await readBundle(dir, { limits: { maxRows: rows.length } })).evidence.pipeline).toBeDefined();
    expectLimit(await failure(readBundle(dir, { limits: { maxRows: rows.length - 1 } })), 'DLT_DOCTOR_BUNDLE_MAX_ROWS', new RegExp(`^node_timeline.jsonl has over ${rows.length - 1} rows;`));
  });

  it('more distinct update ids than maxUpdates are refused (events.jsonl and events.json)', async () => {
    const many: RawEvent[] = [];
    for (let i = 0; i < 30; i++) many.push(...sampleUpdate({ id: `u-${i}`, start: T0 + i * 3600_000 }).slice(0, 2));
    const dir = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': jsonl(many) });
    expect((await readBundle(dir, { limits: { maxUpdates: 30 } })).stats.events).toBe(many.length);
    expectLimit(await failure(readBundle(dir, { limits: { maxUpdates: 29 } })), 'DLT_DOCTOR_BUNDLE_MAX_UPDATES', /^events have over 29 distinct updates;/);
    const asJson = folder({ 'pipeline.json': PIPELINE, 'events.json': JSON.stringify(many) });
    expectLimit(await failure(readBundle(asJson, { limits: { maxUpdates: 10 } })), 'DLT_DOCTOR_BUNDLE_MAX_UPDATES', /over 10 distinct updates/);
  });

  it('more entries than maxEntries are refused (zip, folder, .tar.gz)', async () => {
    const files: Record<string, string> = { 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS };
    for (let i = 0; i < 10; i++) files[`extra-${i}.txt`] = 'x';
    const zipPath = fresh('.zip');
    writeZip(zipPath, files);
    const tgz = fresh('.tar.gz');
    writeFileSync(tgz, tarGzBomb(files, { entries: 0, chunk: Buffer.alloc(1), times: 1 }));
    for (const p of [zipPath, folder(files), tgz]) {
      expect((await readBundle(p, { limits: { maxEntries: 12 } })).stats.events).toBeGreaterThan(0);
      expectLimit(await failure(readBundle(p, { limits: { maxEntries: 11 } })), 'DLT_DOCTOR_BUNDLE_MAX_ENTRIES', /^bundle has over 11 entries;/);
    }
  });

  it('the defaults are the documented ones', () => {
    expect(DEFAULT_BUNDLE_LIMITS).toEqual({ maxBytes: 1024 * MiB, maxEntries: 10_000, maxLineBytes: 16 * MiB, maxJsonBytes: 64 * MiB, maxUpdates: 20_000, maxRows: 1_000_000 });
  });
});

describe.runIf(process.platform === 'linux')('only regular files are read', () => {
  const fifo = (path: string) => execFileSync('mkfifo', [path]);

  it('a FIFO as the bundle, or as a bundle file, is refused at once (no hang)', async () => {
    const p = fresh('.zip');
    fifo(p);
    const err = await failure(readBundle(p));
    expect(err.code).toBe('BAD_BUNDLE');
    expect(err.message).toBe(`${p} is not a regular file or a folder`);
    const dir = folder({ 'pipeline.json': PIPELINE });
    fifo(join(dir, 'events.jsonl'));
    expect((await failure(readBundle(dir))).message).toBe('events.jsonl is not a regular file');
  }, 5000);

  it('a directory or a symlink to a device named like a bundle file is refused', async () => {
    const dir = folder({ 'pipeline.json': PIPELINE, 'events.jsonl': EVENTS });
    mkdirSync(join(dir, 'updates.json'));
    expect((await failure(readBundle(dir))).message).toBe('updates.json is not a regular file');
    if (existsSync('/dev/zero')) {
      const dev = folder({ 'pipeline.json': PIPELINE });
      symlinkSync('/dev/zero', join(dev, 'events.jsonl'));
      expect((await failure(readBundle(dev))).message).toBe('events.jsonl is not a regular file');
    }
  }, 5000);
});
