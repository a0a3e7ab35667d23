/**
 * fleet-backlog.sql on the demo warehouse and its judgement (src/databricks/fleet-backlog.ts) on
 * noisy streams. Labels are written from the guide (§5.2: a backlog that keeps growing through an
 * update is a stream falling behind its source; a backlog that swings around a level, or that grew
 * and was worked off, is not) and the growing-backlog rule's defaults, before the statement ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetBacklogReader, judgeBacklog, type FleetBacklogRow } from '../../src/databricks/fleet-backlog.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { mulberry32 } from '../../src/demo/generate.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const MIN = 60_000;
const GB = 1024 ** 3;

interface Stream {
  id: string;
  name: string;
  /** backlog at minute m of n (before noise) */
  curve: (m: number, n: number) => number;
  minutes: number;
  metric: 'backlog_bytes' | 'backlog_records' | 'backlog_seconds';
  /** relative noise on each report */
  noise: number;
  /** an older update whose curve is this (the latest update is judged, not this one) */
  older?: (m: number, n: number) => number;
}

function events(s: Stream, rand: () => number) {
  const out: Record<string, unknown>[] = [];
  let seq = 0;
  const upd = (updateId: string, start: number, curve: (m: number, n: number) => number) => {
    for (let m = 0; m <= s.minutes; m++) {
      const v = Math.max(0, curve(m, s.minutes) * (1 + (rand() * 2 - 1) * s.noise));
      for (const flow of ['raw', 'parsed']) {
        out.push({
          id: `${s.id}-${++seq}`,
          sequence: { control_plane_seq_no: seq },
          origin: { pipeline_id: s.id, pipeline_name: s.name, update_id: updateId, flow_name: `main.t.${flow}` },
          timestamp: new Date(start + m * MIN).toISOString(),
          message: `Completed a streaming update of '${flow}'.`,
          level: 'METRICS',
          maturity_level: 'STABLE',
          error: null,
          // the second flow keeps up: an empty backlog throughout
          details: { flow_progress: { status: 'RUNNING', metrics: { num_output_rows: 1000, [s.metric]: flow === 'raw' ? v : 0 } } },
          event_type: 'flow_progress',
        });
      }
    }
  };
  if (s.older) upd(`${s.id}-u1`, NOW - 20 * 60 * MIN, s.older);
  upd(`${s.id}-u2`, NOW - (s.minutes + 5) * MIN, s.curve);
  return out;
}

const STREAMS: (Stream & { behind: boolean })[] = [
  // falling behind: 2 GB → 40 GB in an hour, ±15 % noise on every report
  { id: 'p-growing', name: 'growing', curve: (m, n) => 2 * GB + (38 * GB * m) / n, minutes: 60, metric: 'backlog_bytes', noise: 0.15, behind: true },
  // falling behind, in seconds behind the source: 30 s → 20 min over 45 min, noisy
  { id: 'p-lag', name: 'lag', curve: (m, n) => 30 + (1170 * m) / n, minutes: 45, metric: 'backlog_seconds', noise: 0.2, behind: true },
  // keeps up: a backlog that swings ±40 % around 5 GB (healthy micro-batches)
  { id: 'p-flat', name: 'flat', curve: () => 5 * GB, minutes: 90, metric: 'backlog_bytes', noise: 0.4, behind: false },
  // near miss: grows 1.3× (the rule needs 1.5×) with noise
  { id: 'p-slight', name: 'slight', curve: (m, n) => 1e6 * (1 + (0.3 * m) / n), minutes: 60, metric: 'backlog_records', noise: 0.05, behind: false },
  // caught up: grew to 30 GB by mid-update, then was worked off to ~1 GB
  { id: 'p-drained', name: 'drained', curve: (m, n) => (m < n / 2 ? 1 * GB + (29 * GB * m) / (n / 2) : 30 * GB - (29 * GB * (m - n / 2)) / (n / 2)), minutes: 60, metric: 'backlog_bytes', noise: 0.1, behind: false },
  // one spike in the last report of a flat stream: a single report decides nothing
  { id: 'p-spike', name: 'spike', curve: (m, n) => (m === n ? 50 * GB : 3 * GB), minutes: 60, metric: 'backlog_bytes', noise: 0.1, behind: false },
  // too short to judge: 10 minutes of growth (the rule needs 15)
  { id: 'p-short', name: 'short', curve: (m, n) => 1 * GB + (9 * GB * m) / n, minutes: 10, metric: 'backlog_bytes', noise: 0.05, behind: false },
  // fell behind in an OLDER update; the latest keeps up
  { id: 'p-recovered', name: 'recovered', older: (m, n) => 1 * GB + (20 * GB * m) / n, curve: () => 2 * GB, minutes: 60, metric: 'backlog_bytes', noise: 0.2, behind: false },
];

let wh: DuckDbWarehouse;
beforeAll(async () => {
  const rand = mulberry32(17);
  wh = await createDuckDbWarehouse({
    now: NOW,
    workspaceId: '1',
    host: 'demo.cloud.databricks.com',
    nodeTypes: [],
    listPrices: [],
    pipelines: STREAMS.map((s) => ({ pipeline: { pipeline_id: s.id, name: s.name }, updates: [], events: events(s, rand), nodeTimeline: [], usage: [] })),
  } as never);
});
afterAll(async () => {
  await wh?.close();
});

describe('fleet-backlog.sql + judgeBacklog', () => {
  it('flags exactly the streams falling behind in their latest update', async () => {
    const reader = createFleetBacklogReader({ warehouse: wh, now: () => NOW });
    const flags = await reader.read(new Date(NOW - 2 * 24 * 60 * MIN));
    expect(flags).not.toBeNull();
    const flagged = [...flags!.keys()].sort();
    expect(flagged).toEqual(STREAMS.filter((s) => s.behind).map((s) => s.id).sort());
    const g = flags!.get('p-growing')!;
    expect(g.flow).toBe('main.t.raw');
    expect(g.metric).toBe('bytes');
    expect(g.updateId).toBe('p-growing-u2');
    expect(g.from).toBeLessThan(6 * GB);
    expect(g.to).toBeGreaterThan(30 * GB);
    expect(flags!.get('p-lag')!.metric).toBe('seconds');
  });

  it('returns one row per pipeline, its latest update only', async () => {
    const rows = (await wh.query('fleet-backlog', { since: new Date(NOW - 2 * 24 * 60 * MIN) })) as FleetBacklogRow[];
    const ids = rows.map((r) => r.pipeline_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rows.find((r) => r.pipeline_id === 'p-recovered')?.update_id).toBe('p-recovered-u2');
  });

  it('reads nothing older than :since', async () => {
    const rows = await wh.query('fleet-backlog', { since: new Date(NOW + MIN) });
    expect(rows).toEqual([]);
  });
});

describe('judgeBacklog on edge rows', () => {
  const row = (o: Partial<FleetBacklogRow>): FleetBacklogRow => ({
    pipeline_id: 'p', update_id: 'u', flow_name: 'f', metric: 'bytes', reports: 60, first_ms: 0, last_ms: 60 * MIN,
    first_value: 1e9, last_value: 2e9, max_value: 2e9, non_decreasing_share: 0.8, ...o,
  });
  it('fires at the rule defaults and not just under them', () => {
    expect(judgeBacklog(row({}))).not.toBeNull();
    expect(judgeBacklog(row({ last_value: 1.49e9 }))).toBeNull();
    expect(judgeBacklog(row({ non_decreasing_share: 0.69 }))).toBeNull();
    expect(judgeBacklog(row({ last_ms: 14 * MIN }))).toBeNull();
    expect(judgeBacklog(row({ reports: 11 }))).toBeNull();
  });
  it('a backlog that starts empty and grows is behind; one that stays empty is not', () => {
    expect(judgeBacklog(row({ first_value: 0, last_value: 5e8 }))).not.toBeNull();
    expect(judgeBacklog(row({ first_value: 0, last_value: 0 }))).toBeNull();
    expect(judgeBacklog(row({ first_value: null }))).toBeNull();
  });
});
