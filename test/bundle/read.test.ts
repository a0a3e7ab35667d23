import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle, parseEventRow } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { EventRowSchema, GetPipelineSchema } from '../../src/databricks/schemas.js';
import { DoctorError, exitCodeFor } from '../../src/errors.js';
import { writeZip } from '../support/zip.js';
import { T0, nodeRows, rawEvent, rawPipeline, sampleUpdate, type RawEvent } from '../support/raw-events.js';

const DAY_MS = 24 * 3600_000;

const root = mkdtempSync(join(tmpdir(), 'dlt-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (suffix = '') => join(root, `b${++n}${suffix}`);

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function events(): RawEvent[] {
  const out: RawEvent[] = [];
  for (let i = 6; i >= 1; i--) out.push(...sampleUpdate({ id: `prev-${i}`, start: T0 - i * DAY_MS, cluster: `c-prev-${i}` }));
  out.push(...sampleUpdate({ id: 'cur', start: T0, cluster: 'c-cur' }));
  return out;
}

function bundleFiles(o: { events?: string; pipeline?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {
    'events.jsonl': o.events ?? jsonl(events()),
    'updates.json': JSON.stringify({ updates: [{ update_id: 'cur', state: 'COMPLETED', cause: 'JOB_TASK', creation_time: T0 }] }),
    'node_timeline.jsonl': jsonl(nodeRows({ cluster: 'c-cur', start: T0, minutes: 31 })),
  };
  if (o.pipeline !== false) files['pipeline.json'] = JSON.stringify(rawPipeline());
  return files;
}

function writeFolder(dir: string, files: Record<string, string>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function writeTarGz(path: string, files: Record<string, string>): Promise<string> {
  const pack = tar.pack();
  const done = pipe(pack, createGzip(), createWriteStream(path));
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
  pack.finalize();
  await done;
  return path;
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

describe('readBundle', () => {
  it('reads a folder into evidence', async () => {
    const { evidence, stats } = await readBundle(writeFolder(fresh(), bundleFiles()));
    expect(stats).toEqual({ events: events().length, skipped: 0, skippedLines: [] });
    expect(evidence.pipeline.name).toBe('orders');
    expect(evidence.update).toMatchObject({ id: 'cur', state: 'COMPLETED', durationS: 1835, clusterId: 'c-cur' });
    expect(evidence.history.map((h) => h.updateId)).toEqual(['prev-1', 'prev-2', 'prev-3', 'prev-4', 'prev-5', 'prev-6']);
    expect(evidence.nodeMetrics!.length).toBe(31 * 3);
    expect(evidence.flows.map((f) => f.name)).toEqual(['orders_bronze', 'orders_silver']);
    expect(evidence.gaps).toEqual(['cost']);
    expect(evidence.notes).toEqual([]);
  });

  it('reads the same evidence from a .zip with a top-level folder and from a .tar.gz', async () => {
    const files = bundleFiles();
    const expected = (await readBundle(writeFolder(fresh(), files))).evidence;
    const zipPath = fresh('.zip');
    writeZip(zipPath, Object.fromEntries(Object.entries(files).map(([k, v]) => [`orders-bundle/${k}`, v])));
    expect((await readBundle(zipPath)).evidence).toEqual(expected);
    const tgz = await writeTarGz(fresh('.tar.gz'), files);
    expect((await readBundle(tgz)).evidence).toEqual(expected);
    const tgzNested = await writeTarGz(fresh('.tgz'), Object.fromEntries(Object.entries(files).map(([k, v]) => [`./bundle/${k}`, v])));
    expect((await readBundle(tgzNested)).evidence).toEqual(expected);
  });

  it('skips 5% garbage lines, counts them with their line numbers and still diagnoses', async () => {
    const lines = events().map((r) => JSON.stringify(r));
    const bad: number[] = [];
    const garbage = ['{"truncated": ', 'not json at all', JSON.stringify({ event_type: 'flow_progress' }), JSON.stringify({ timestamp: 'yesterday', event_type: 'x' }), '[1,2,3]'];
    for (let i = 0; i < lines.length; i += 20) {
      lines[i] = garbage[(i / 20) % garbage.length]!;
      bad.push(i + 1);
    }
    const { evidence, stats } = await readBundle(writeFolder(fresh(), bundleFiles({ events: lines.join('\r\n') + '\n\n' })));
    expect(stats.skipped).toBe(bad.length);
    expect(stats.skippedLines).toEqual(bad.slice(0, 20));
    expect(stats.events).toBe(lines.length - bad.length);
    expect(evidence.notes[0]).toBe(`skipped ${bad.length} malformed lines of events.jsonl (first: ${bad.slice(0, 5).join(', ')}, …)`);
    expect(evidence.update.id).toBe('cur');
  });

  it('throws NO_EVENTS when no usable event remains', async () => {
    const empty = await failure(readBundle(writeFolder(fresh(), bundleFiles({ events: '' }))));
    expect(empty.code).toBe('NO_EVENTS');
    expect(empty.message).toBe('no events');
    const garbage = await failure(readBundle(writeFolder(fresh(), bundleFiles({ events: 'x\ny\n' }))));
    expect(garbage.code).toBe('NO_EVENTS');
    expect(exitCodeFor(garbage)).toBe(3);
  });

  it('throws BAD_BUNDLE without pipeline.json, or when the path is no bundle', async () => {
    const dir = writeFolder(fresh(), bundleFiles({ pipeline: false }));
    const err = await failure(readBundle(dir));
    expect(err.code).toBe('BAD_BUNDLE');
    expect(err.message).toBe(`no pipeline.json in ${dir}`);
    expect(exitCodeFor(err)).toBe(3);
    const zipPath = fresh('.zip');
    writeZip(zipPath, { 'events.jsonl': bundleFiles()['events.jsonl']! });
    expect((await failure(readBundle(zipPath))).message).toBe(`no pipeline.json in ${zipPath}`);
    const txt = fresh('.txt');
    writeFileSync(txt, 'hello');
    expect((await failure(readBundle(txt))).code).toBe('BAD_BUNDLE');
    expect((await failure(readBundle(fresh()))).code).toBe('BAD_BUNDLE');
    const badPipeline = writeFolder(fresh(), { ...bundleFiles(), 'pipeline.json': '{"name": 3}' });
    expect((await failure(readBundle(badPipeline))).message).toMatch(/pipeline.json .* is not a pipeline: pipeline_id/);
  });

  it('selects the update asked for, and refuses an unknown one', async () => {
    const dir = writeFolder(fresh(), bundleFiles());
    const { evidence } = await readBundle(dir, { updateId: 'prev-3' });
    expect(evidence.update.id).toBe('prev-3');
    expect(evidence.history.map((h) => h.updateId)).toEqual(['prev-4', 'prev-5', 'prev-6']);
    expect(evidence.gaps).toEqual(expect.arrayContaining(['history', 'node_metrics']));
    expect((await failure(readBundle(dir, { updateId: 'zzz' }))).code).toBe('UPDATE_NOT_FOUND');
  });

  it('accepts events.json holding an array', async () => {
    const files = bundleFiles();
    const { ['events.jsonl']: _skip, ...rest } = files;
    const withArray = writeFolder(fresh(), { ...rest, 'events.json': JSON.stringify([...events(), 42]) });
    const { evidence, stats } = await readBundle(withArray);
    expect(stats.skipped).toBe(1);
    expect(stats.skippedLines).toEqual([events().length + 1]);
    expect(evidence.notes[0]).toMatch(/^skipped 1 malformed entries of events.json/);
    expect(evidence.update.id).toBe('cur');
  });

  it('reads usage and list prices into cost, counting bad rows of optional files', async () => {
    const usage = [
      { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: '2026-11-20T06:00:00Z', usage_end_time: '2026-11-20T07:00:00Z', usage_quantity: 6, usage_metadata: { dlt_pipeline_id: rawPipeline().pipeline_id, dlt_update_id: 'cur' } },
      { nonsense: true },
    ];
    const prices = [{ sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', price_start_time: '2026-01-01T00:00:00Z', price_end_time: null, pricing: { default: 0.2 } }];
    const dir = writeFolder(fresh(), { ...bundleFiles(), 'usage.jsonl': jsonl(usage), 'list_prices.jsonl': jsonl(prices), 'node_timeline.jsonl': 'oops\n' + bundleFiles()['node_timeline.jsonl'] });
    const { evidence } = await readBundle(dir);
    expect(evidence.cost).toMatchObject({ updateDbus: 6, periodDbus: 6, periodDays: 7 });
    expect(evidence.cost!.updateDollars).toBeCloseTo(1.2, 10);
    expect(evidence.gaps).not.toContain('cost');
    expect(evidence.notes).toEqual(expect.arrayContaining(['skipped 1 malformed rows of usage.jsonl', 'skipped 1 malformed rows of node_timeline.jsonl']));
  });

  it('drops a UTF-8 byte-order mark at the start of every bundle file (CONTRACT §1 files written by Windows tools)', async () => {
    const files = bundleFiles();
    const bom = '\uFEFF';
    const withBom = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, bom + v]));
    const direct = await readBundle(writeFolder(fresh(), files));
    const { evidence, stats } = await readBundle(writeFolder(fresh(), withBom));
    expect(stats).toEqual(direct.stats);
    expect(evidence).toEqual(direct.evidence);
    expect(evidence.notes).toEqual([]);
  });

  it('reads node_timeline rows whose every value is text, as the Statement Execution API returns them (driver "true"/"false")', async () => {
    const files = bundleFiles();
    const asText = nodeRows({ cluster: 'c-cur', start: T0, minutes: 31 }).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v])),
    );
    expect(asText[0]!.driver).toBe('true');
    const direct = await readBundle(writeFolder(fresh(), files));
    const { evidence } = await readBundle(writeFolder(fresh(), { ...files, 'node_timeline.jsonl': jsonl(asText) }));
    expect(evidence.nodeMetrics).toEqual(direct.evidence.nodeMetrics);
    expect(evidence.nodeMetrics!.filter((n) => n.driver).length).toBe(31);
    expect(evidence.notes).toEqual([]);
    // anything else is still a malformed row
    const odd = [{ ...asText[0]!, driver: 'maybe' }, ...asText.slice(1)];
    const r = await readBundle(writeFolder(fresh(), { ...files, 'node_timeline.jsonl': jsonl(odd) }));
    expect(r.evidence.notes).toEqual(['skipped 1 malformed rows of node_timeline.jsonl']);
  });

  it('keeps a cluster\'s init_scripts and spark_env_vars in the raw pipeline spec', () => {
    const initScripts = [{ workspace: { destination: '/Workspace/Shared/init/install-gdal.sh' } }, { volumes: { destination: '/Volumes/main/ops/scripts/certs.sh' } }];
    const raw = rawPipeline() as Record<string, unknown> & { spec: Record<string, unknown> };
    const body = { ...raw, spec: { ...raw.spec, clusters: [{ label: 'default', num_workers: 2, init_scripts: initScripts, spark_env_vars: { GDAL_DATA: '/usr/share/gdal' } }] } };
    const parsed = GetPipelineSchema.parse(body);
    expect(parsed.spec!.clusters![0]!.init_scripts).toEqual(initScripts);
    expect(parsed.spec!.clusters![0]!.spark_env_vars).toEqual({ GDAL_DATA: '/usr/share/gdal' });
  });

  it('reads node_types.json (GET /api/2.1/clusters/list-node-types) into evidence.nodeTypes; without it nothing is checked', async () => {
    const nodeTypes = { node_types: [{ node_type_id: 'r5.4xlarge', memory_mb: 131072, num_cores: 16, category: 'Memory Optimized', is_deprecated: true }, { node_type_id: 'r6i.4xlarge', num_cores: 16 }, { num_cores: 4 }] };
    const { evidence } = await readBundle(writeFolder(fresh(), { ...bundleFiles(), 'node_types.json': JSON.stringify(nodeTypes) }));
    expect(evidence.nodeTypes?.map((n) => [n.nodeTypeId, n.deprecated])).toEqual([['r5.4xlarge', true], ['r6i.4xlarge', false]]);
    expect(evidence.notes).toEqual(['skipped 1 malformed node types of node_types.json']);
    // a bare array is accepted too, and a bundle without the file carries no list (no filtering)
    expect((await readBundle(writeFolder(fresh(), { ...bundleFiles(), 'node_types.json': JSON.stringify(nodeTypes.node_types.slice(0, 1)) }))).evidence.nodeTypes).toHaveLength(1);
    expect((await readBundle(writeFolder(fresh(), bundleFiles()))).evidence.nodeTypes).toBeUndefined();
    // a broken file is a note, never fatal
    const broken = await readBundle(writeFolder(fresh(), { ...bundleFiles(), 'node_types.json': '{"node_types": [' }));
    expect(broken.evidence.nodeTypes).toBeUndefined();
    expect(broken.evidence.notes).toEqual(['node_types.json is not valid JSON: suggested node types are not checked against the workspace']);
  });

  it('writeBundle writes node_types.json and readBundle reads it back', async () => {
    const dir = fresh();
    await writeBundle(dir, { pipeline: rawPipeline(), events: events(), nodeTypes: [{ node_type_id: 'i3.2xlarge', num_cores: 8, is_io_cache_enabled: true }] });
    expect((await readBundle(dir)).evidence.nodeTypes).toEqual([expect.objectContaining({ nodeTypeId: 'i3.2xlarge', numCores: 8, ioCacheEnabled: true })]);
  });

  it('reads back what writeBundle wrote', async () => {
    const dir = fresh();
    async function* stream() {
      yield* events();
    }
    const written = await writeBundle(dir, {
      pipeline: rawPipeline(),
      updates: [{ update_id: 'cur', state: 'COMPLETED', creation_time: BigInt(T0) }],
      events: stream(),
      nodeTimeline: nodeRows({ cluster: 'c-cur', start: T0, minutes: 31 }).map((r) => ({ ...r, start_time: new Date(r.start_time as string) })),
    });
    expect(written.events).toBe(events().length);
    expect(written.nodeTimeline).toBe(93);
    const back = await readBundle(dir);
    const direct = await readBundle(writeFolder(fresh(), bundleFiles()));
    expect(back.evidence).toEqual(direct.evidence);
  });
});

describe('parseEventRow (fast path) agrees with EventRowSchema', () => {
  const base = rawEvent({ type: 'flow_progress', t: T0, flow: 'f', details: { flow_progress: { status: 'RUNNING' } } });
  const cases: [string, unknown][] = [
    ['common shape', base],
    ['details as a JSON string', { ...base, details: JSON.stringify(base.details) }],
    ['origin as a JSON string', { ...base, origin: JSON.stringify(base.origin) }],
    ['timestamp without zone', { ...base, timestamp: '2026-11-20 06:00:00.123' }],
    ['timestamp with offset', { ...base, timestamp: '2026-11-20T07:00:00+01:00' }],
    ['epoch ms timestamp', { ...base, timestamp: T0 }],
    ['numeric string batch_id', { ...base, origin: { update_id: 'u', batch_id: '7' } }],
    ['with an error', { ...base, error: { fatal: true, exceptions: [{ class_name: 'E', message: 'm' }] } }],
    ['null details', { ...base, details: null }],
    ['empty details string', { ...base, details: '' }],
    ['no event_type', { ...base, event_type: undefined }],
    ['bad timestamp', { ...base, timestamp: 'soon' }],
    ['numeric level', { ...base, level: 3 }],
    ['array details', { ...base, details: [1] }],
    ['broken details JSON', { ...base, details: '{"a":' }],
    ['origin update_id number', { ...base, origin: { update_id: 5 } }],
    ['not an object', 'hello'],
    ['null', null],
  ];
  it.each(cases)('%s', (_name, raw) => {
    const viaSchema = EventRowSchema.safeParse(raw);
    const fast = parseEventRow(raw);
    if (!viaSchema.success) expect(fast).toBeNull();
    else {
      expect(fast).not.toBeNull();
      expect(fast!.timestamp).toBe(viaSchema.data.timestamp);
      expect(fast!.event_type).toBe(viaSchema.data.event_type);
      expect(fast!.details ?? null).toEqual(viaSchema.data.details ?? null);
      expect(fast!.origin?.update_id ?? null).toBe(viaSchema.data.origin?.update_id ?? null);
      expect(fast!.error ?? null).toEqual(viaSchema.data.error ?? null);
    }
  });
});
