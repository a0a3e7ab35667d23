/**
 * A running continuous update read over a window (issue 16): the default is its last 8 hours and
 * the reply says so; `--window` reads another span; what the summaries sum over the window equals
 * what the raw events in the window hold; every statement's rows stay under its bound. The
 * labels (the first flow falls behind its source, guide §5.2; the others keep up) are the
 * generator's, written before the engine ran on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandArgv } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient } from '../../src/databricks/rest.js';
import type { Warehouse } from '../../src/databricks/sql.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { diagnosisToText } from '../../templates/diagnosis.js';
import { DiagnosisJsonSchema, toDiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { LONG_PIPELINE_NAME, longUpdateWorkspace } from '../support/long-update.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const MIN = 60_000;
const TOKEN = 'long-update-token';
const lu = longUpdateWorkspace({ now: NOW, flows: 5, days: 1, everyS: 30, behindMin: 180 });

let wh: DuckDbWarehouse;
let server: DemoRestServer;
const calls: { name: string; rows: number }[] = [];

beforeAll(async () => {
  const data = { now: NOW, workspaceId: '1234567890123456', host: 'demo.cloud.databricks.com', pipelines: [{ pipeline: lu.pipeline, updates: lu.updates, events: [], nodeTimeline: [], usage: [] }], listPrices: [], nodeTypes: [] };
  wh = await createDuckDbWarehouse(data);
  for (const c of lu.chunks()) await wh.appendEvents(c);
  for (const c of lu.nodeChunks()) await wh.appendNodeTimeline(c);
  server = await startDemoRestServer(data as never, { token: TOKEN, now: () => NOW });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await wh?.close();
});

function source() {
  const recording: Warehouse = {
    query: (async (name: Parameters<Warehouse['query']>[0], params: Parameters<Warehouse['query']>[1], options?: Parameters<Warehouse['query']>[2]) => {
      const rows = await wh.query(name, params, options);
      calls.push({ name, rows: rows.length });
      return rows;
    }) as Warehouse['query'],
    close: async () => undefined,
    stats: () => ({ statements: 0 }),
  };
  const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0, rateLimit: false });
  return createWorkspaceSource({ rest, warehouse: recording, kind: 'demo', host: 'dbc-demo.cloud.databricks.com', now: () => NOW, collectCacheTtlMs: 0 });
}

async function whySlow(...extra: string[]) {
  const r: Reply = await runCommandArgv(['why-slow', LONG_PIPELINE_NAME, ...extra], { source: source(), surface: 'cli', now: () => new Date(NOW) });
  if (r.kind !== 'diagnosis') throw new Error(`not a diagnosis: ${JSON.stringify(r).slice(0, 400)}`);
  return r;
}

/** rows of flow `flow` in the raw events at or after `from` */
function rawRows(flow: string, from: number): number {
  let sum = 0;
  for (const c of lu.chunks()) {
    for (const e of c as { event_type: string; timestamp: string; origin: { flow_name?: string }; details: { flow_progress?: { metrics?: { num_output_rows?: number } } } }[]) {
      if (e.event_type !== 'flow_progress' || e.origin.flow_name !== flow || Date.parse(e.timestamp) < from) continue;
      sum += e.details.flow_progress?.metrics?.num_output_rows ?? 0;
    }
  }
  return sum;
}

describe('a running continuous update', () => {
  it('is read over its last 8 hours by default, and the reply says so', async () => {
    calls.length = 0;
    const r = await whySlow();
    const d = r.diagnosis;
    expect(d.update.state).toBe('RUNNING');
    // the window ends at the update's newest event (a report seconds before now)
    const to = Date.parse(d.window!.to);
    expect(NOW - to).toBeLessThan(MIN);
    expect(d.window).toEqual({ from: new Date(to - 480 * MIN).toISOString(), to: d.window!.to, minutes: 480, requested: false });
    // the diagnosis JSON carries it (CONTRACT §2, additive) and passes the schema
    expect(DiagnosisJsonSchema.parse(toDiagnosisJson(d)).window).toEqual(d.window);
    const text = diagnosisToText(d);
    expect(text.replace(/\s+/g, " ")).toMatch(/Window: flow metrics, cluster resources and node metrics cover the last 8h of this running update, since 2026-11-30 0[34]:[0-5]\d UTC/);
    expect(text).toMatch(/--window <minutes>/);
    expect(JSON.stringify(toBlocks(r))).toMatch(/Window: .*the last 8h of this running update/);
    // the label: the first flow falls behind its source
    expect(d.verdict.bottleneck).toBe('backlog');
    expect(d.findings.find((f) => f.rule === 'growing-backlog')?.title).toMatch(/stream_00/);
    expect(d.findings.some((f) => f.rule === 'growing-backlog' && /stream_0[1-4]/.test(f.title))).toBe(false);
    // never every row: the summaries, bucketed node metrics, each under its bound
    const names = calls.map((c) => c.name);
    expect(names).not.toContain('update-events');
    expect(names).not.toContain('node-timeline');
    const bucketRows = calls.find((c) => c.name === 'update-flow-buckets')!.rows;
    expect(bucketRows).toBeGreaterThan(0);
    expect(bucketRows).toBeLessThanOrEqual(5 * 481); // 480 by the width rule, one more where buckets straddle the window
    expect(calls.find((c) => c.name === 'node-timeline-buckets')!.rows).toBeLessThanOrEqual(7 * 491);
  });

  it('sums over the window what the raw events in the window hold', async () => {
    const ev = await source().collect(LONG_PIPELINE_NAME);
    const from = ev.window!.from;
    const flow = lu.flows[1]!;
    expect(ev.flows.find((f) => f.name === flow)!.outputRows).toBe(rawRows(flow, from));
    // samples only from the window; phases from the whole update
    expect(Math.min(...ev.clusterResources.map((s) => s.t))).toBeGreaterThanOrEqual(from);
    expect(Math.min(...ev.nodeMetrics!.map((s) => s.t))).toBeGreaterThanOrEqual(from - 5 * MIN);
    expect(ev.update.startedAt).toBe(lu.start);
  });

  it('--window reads another span and says it was asked for', async () => {
    const r = await whySlow('--window', '2h');
    expect(r.diagnosis.window).toMatchObject({ minutes: 120, requested: true });
    expect(Date.parse(r.diagnosis.window!.to) - Date.parse(r.diagnosis.window!.from)).toBe(120 * MIN);
    expect(diagnosisToText(r.diagnosis)).not.toMatch(/--window <minutes>/);
    const all = await whySlow('--window', '3d');
    // longer than the update: all of it so far
    expect(all.diagnosis.window).toMatchObject({ minutes: 4320, from: new Date(lu.start).toISOString() });
    expect(diagnosisToText(all.diagnosis).replace(/\s+/g, " ")).toMatch(/cover all 23h 59m so far of this running update \(window 3d\)/);
  });

  it('a malformed --window is a usage error naming the accepted forms', async () => {
    for (const bad of ['soon', '0', '2', '45d', '-5']) {
      const r = await runCommandArgv(['why-slow', LONG_PIPELINE_NAME, '--window', bad], { source: source(), surface: 'cli', now: () => new Date(NOW) });
      expect(r.kind, bad).toBe('error');
      expect(JSON.stringify(r), bad).toMatch(/--window 8h/);
    }
  });
});
