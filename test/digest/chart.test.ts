/**
 * The digest chart: daily spend of the top pipelines as an SVG naming them and a valid PNG; the
 * upload goes into the digest's thread. End to end with `npm start`'s wiring (startBot over the demo
 * workspace, console surface): a scheduled digest and `/dlt cost` each get one chart in their thread.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestChartPng, digestChartSvg, hasDigestChart } from '../../src/charts/cost.js';
import { uploadDigestChart, type FilesClient as DigestChartClient } from '../../src/surfaces/slack/chart.js';
import type { Digest } from '../../src/digest/types.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { fakeDigest } from '../surfaces/teams/fake-digest.js';

const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];

/** seven days, six pipelines with spend (one more than the chart draws) */
function weekDigest(): Digest {
  const d = fakeDigest();
  const names = ['orders_silver', 'clickstream_bronze', 'billing<gold>', 'inventory_sync', 'customer_360', 'sixth_pipeline'];
  const topDaily = names.map((name, k) => ({ id: `pl-${k}`, name, dollars: DAYS.map((_, i) => 100 - k * 15 + ((i * 7 + k * 3) % 11)) }));
  return { ...d, daily: DAYS.map((day, i) => ({ day, dbus: 100, dollars: topDaily.reduce((s, t) => s + t.dollars[i]!, 0) })), topDaily };
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function fakeFiles() {
  const uploads: Record<string, unknown>[] = [];
  const client = { files: { uploadV2: async (args: Record<string, unknown>) => (uploads.push(args), { ok: true }) } } as unknown as DigestChartClient;
  return { client, uploads };
}

describe('digest chart', () => {
  it('draws one line per top pipeline (at most five), names them with their totals, escapes names', () => {
    const d = weekDigest();
    const svg = digestChartSvg(d);
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    for (const t of d.topDaily!.slice(0, 5)) expect(svg).toContain(t.name.replace('<', '&lt;').replace('>', '&gt;'));
    expect(svg).not.toContain('sixth_pipeline');
    expect(svg).not.toContain('billing<gold>');
    // the legend gives each one's period total, e.g. orders_silver's
    const total = d.topDaily![0]!.dollars.reduce((s, v) => s + v, 0);
    expect(svg).toContain(`orders_silver  $${Math.round(total)}`);
    expect(svg).toContain('11-20');
    expect(svg).toContain('11-26');
  });

  it('renders a valid PNG (signature, IHDR 800×420)', () => {
    const png = digestChartPng(weekDigest());
    expect(pngSize(png)).toEqual({ width: 800, height: 420 });
    expect(png.length).toBeGreaterThan(5000);
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/digest-chart.png', png);
  });

  it('uploads one PNG into the thread for digest and cost replies; nothing for other replies or an empty digest', async () => {
    const { client, uploads } = fakeFiles();
    const d = weekDigest();
    expect(await uploadDigestChart(client, { kind: 'digest', digest: d }, { channel: 'C1', threadTs: '1.000100' })).toBe(true);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ channel_id: 'C1', thread_ts: '1.000100', filename: 'digest-2026-11-20-2026-11-26.png' });
    expect(pngSize(uploads[0]!.file as Buffer).width).toBe(800);
    expect(String(uploads[0]!.alt_text)).toContain('orders_silver');

    expect(await uploadDigestChart(client, { kind: 'cost', digest: d }, { channel: 'C1', threadTs: '1.000200' })).toBe(true);
    expect(await uploadDigestChart(client, { kind: 'text' }, { channel: 'C1', threadTs: '1.000300' })).toBe(false);
    // one day, or no per-pipeline series (an older digest): no chart
    const oneDay = fakeDigest();
    expect(hasDigestChart(oneDay)).toBe(false);
    expect(await uploadDigestChart(client, { kind: 'digest', digest: { ...d, topDaily: d.topDaily!.map((t) => ({ ...t, dollars: t.dollars.map(() => 0) })) } }, { channel: 'C1' })).toBe(false);
    expect(uploads).toHaveLength(2);
  });
});

describe('digest chart with the whole bot (console surface, demo workspace)', () => {
  let bot: RunningBot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-digest-chart-'));
    bot = await startBot({ env: { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'error' }, port: 0, log: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await bot?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a scheduled digest posts its message, then one chart file in its thread', async () => {
    const api = bot.console!.api;
    const sub = await bot.digests.add({ channel: 'C_DATA_ENG', surface: 'slack', cron: '0 8 * * *', tz: 'UTC', filter: null, createdBy: null });
    expect(await bot.digests.tick(sub.id)).toBe('posted');
    const parent = api.history('C_DATA_ENG').find((m) => !m.thread_ts || m.thread_ts === m.ts)!;
    expect(parent).toBeDefined();
    const files = api.replies('C_DATA_ENG', parent.ts).flatMap((m) => m.files ?? []);
    expect(files).toHaveLength(1);
    expect(files[0]!.mimetype).toBe('image/png');
    const png = api.file(files[0]!.id)!.bytes;
    expect(pngSize(png)).toEqual({ width: 800, height: 420 });
    expect(files[0]!.alt_text).toMatch(/Daily list-price spend/);
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/digest-chart-demo.png', png);
  }, 60_000);

  // (`digest now` answers the asker alone, ephemerally: no thread, so no chart)
  it('`/dlt cost` gets its chart in the reply thread too', async () => {
    const api = bot.console!.api;
    await bot.console!.receiver.slashCommand('pipeline-alerts', 'cost').done;
    const withFile = api.history('C_PIPELINE_ALERTS').filter((m) => m.files?.length);
    expect(withFile).toHaveLength(1);
    expect(withFile[0]!.thread_ts).toBeDefined();
    const parent = api.message('C_PIPELINE_ALERTS', withFile[0]!.thread_ts!)!;
    expect(parent.text).toMatch(/^Cost of all pipelines/);
  }, 60_000);
});
