import { describe, expect, it } from 'vitest';
import { DEMO_NOW, generateDemoWorkspace, SCENARIOS, type DemoPipeline } from '../../src/demo/generate.js';
import {
  EventRowSchema,
  GetPipelineSchema,
  ListPriceRowSchema,
  NodeTimelineRowSchema,
  UpdateInfoSchema,
  UsageRowSchema,
} from '../../src/databricks/schemas.js';

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const ws = generateDemoWorkspace();
const byName = (name: string): DemoPipeline => {
  const p = ws.pipelines.find((x) => x.pipeline.name === name);
  if (!p) throw new Error(`no pipeline ${name}`);
  return p;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const details = (e: Row): Row => e.details as Row;
const origin = (e: Row): Row => e.origin as Row;

/** workers' node_timeline rows of the latest update's cluster */
function latestWorkers(p: DemoPipeline): Row[] {
  const cluster = p.updates[0]?.cluster_id;
  return p.nodeTimeline.filter((r) => r.cluster_id === cluster && r.driver === false);
}
const cpu = (rows: Row[]) => mean(rows.map((r) => Number(r.cpu_user_percent) + Number(r.cpu_system_percent)));
const field = (rows: Row[], k: string) => mean(rows.map((r) => Number(r[k])));
const net = (rows: Row[]) => mean(rows.map((r) => Number(r.network_sent_bytes) + Number(r.network_received_bytes)));

function latestEvents(p: DemoPipeline, type?: string): Row[] {
  const id = p.updates[0]?.update_id;
  return p.events.filter((e) => origin(e).update_id === id && (!type || e.event_type === type));
}
function phaseSeconds(p: DemoPipeline, state: string): number {
  const prog = latestEvents(p, 'update_progress');
  const i = prog.findIndex((e) => (details(e).update_progress as Row).state === state);
  const next = prog[i + 1];
  if (i < 0 || !next) return 0;
  return (Date.parse(String(next.timestamp)) - Date.parse(String(prog[i]?.timestamp))) / 1000;
}

describe('generateDemoWorkspace', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateDemoWorkspace();
    expect(JSON.stringify(again)).toBe(JSON.stringify(ws));
    const other = generateDemoWorkspace({ seed: 7, updatesPerPipeline: 4 });
    const ids = new Set(ws.pipelines.map((p) => p.pipeline.pipeline_id));
    expect(other.pipelines.some((p) => ids.has(p.pipeline.pipeline_id))).toBe(false);
    expect(other.workspaceId).not.toBe(ws.workspaceId);
    expect(ws.now).toBe(DEMO_NOW);
    expect(new Date(ws.now).getUTCDay()).toBe(1); // a Monday
  });

  it('has every scenario once, with ≥ 20 updates, newest first', () => {
    expect(ws.pipelines.map((p) => p.scenario).sort()).toEqual(SCENARIOS.map((s) => s.scenario).sort());
    expect(ws.pipelines.length).toBeGreaterThanOrEqual(14);
    for (const p of ws.pipelines) {
      expect(p.updates.length, String(p.pipeline.name)).toBeGreaterThanOrEqual(20);
      const times = p.updates.map((u) => Number(u.creation_time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(times[0]).toBeLessThan(ws.now);
      // every update appears in the event log with a create_update and a terminal update_progress
      const terminal = new Set(
        p.events
          .filter((e) => e.event_type === 'update_progress' && ['COMPLETED', 'FAILED', 'CANCELED'].includes(String((details(e).update_progress as Row).state)))
          .map((e) => origin(e).update_id),
      );
      for (const u of p.updates) expect(terminal.has(u.update_id)).toBe(true);
    }
  });

  it('orders events oldest first and emits hundreds of rows per recent update', () => {
    for (const p of ws.pipelines) {
      const ts = p.events.map((e) => String(e.timestamp));
      expect([...ts].sort()).toEqual(ts);
      expect(latestEvents(p).length, String(p.pipeline.name)).toBeGreaterThan(30);
    }
    expect(latestEvents(byName('finance_monolith')).length).toBeGreaterThan(200);
  });

  it('bills ≥ 8 weeks per pipeline; continuous pipelines bill every hour', () => {
    for (const p of ws.pipelines) {
      const starts = p.usage.map((r) => Date.parse(String(r.usage_start_time)));
      expect(Math.min(...starts), String(p.pipeline.name)).toBeLessThanOrEqual(ws.now - 56 * DAY);
      for (const r of p.usage) {
        expect(r.billing_origin_product).toBe('DLT');
        expect((r.usage_metadata as Row).dlt_pipeline_id).toBe(p.pipeline.pipeline_id);
        expect(Date.parse(String(r.usage_end_time)) - Date.parse(String(r.usage_start_time))).toBe(3_600_000);
      }
    }
    const stream = byName('telemetry_stream');
    const hours = new Set(stream.usage.filter((r) => (r.usage_metadata as Row).dlt_update_id).map((r) => r.usage_start_time));
    expect(hours.size).toBeGreaterThan(24 * 50);
    const skus = new Set(ws.pipelines.flatMap((p) => p.usage.map((r) => r.sku_name)));
    expect(new Set(ws.listPrices.map((r) => r.sku_name))).toEqual(skus);
    expect(ws.listPrices.every((r) => r.price_end_time === null)).toBe(true);
    expect([...skus].some((s) => String(s).includes('(PHOTON)'))).toBe(true);
  });

  it('uses both cluster_resources shapes across pipelines', () => {
    const shapes = new Set<string>();
    for (const p of ws.pipelines) {
      for (const e of p.events) {
        if (e.event_type !== 'cluster_resources') continue;
        const cr = details(e).cluster_resources as Row;
        shapes.add('task_slot_metrics' in cr ? 'nested' : 'num_executors' in cr ? 'flat' : 'other');
      }
    }
    expect([...shapes].sort()).toEqual(['flat', 'nested']);
  });

  it('gives the serverless pipeline no clusters, node rows or cluster metrics', () => {
    const p = byName('web_sessions_serverless');
    const spec = p.pipeline.spec as Row;
    expect(spec.serverless).toBe(true);
    expect(spec.clusters).toBeUndefined();
    expect(p.nodeTimeline).toEqual([]);
    expect(p.events.some((e) => e.event_type === 'cluster_resources' || e.event_type === 'autoscale')).toBe(false);
    expect(p.usage.every((r) => (r.usage_metadata as Row).cluster_id === null && (r.product_features as Row).is_serverless === true)).toBe(true);
    // classic pipelines do have node rows for their latest update
    for (const q of ws.pipelines.filter((x) => x !== p)) expect(latestWorkers(q).length, String(q.pipeline.name)).toBeGreaterThan(0);
  });

  it('parses with the edge schemas', () => {
    for (const p of ws.pipelines) {
      expect(GetPipelineSchema.safeParse(p.pipeline).success).toBe(true);
      for (const u of p.updates) expect(UpdateInfoSchema.safeParse(u).success).toBe(true);
      for (const e of p.events) {
        const r = EventRowSchema.safeParse(e);
        if (!r.success) throw new Error(`${String(p.pipeline.name)}: ${JSON.stringify(e).slice(0, 200)}: ${r.error.message}`);
      }
      for (const n of p.nodeTimeline) expect(NodeTimelineRowSchema.safeParse(n).success).toBe(true);
      for (const u of p.usage) expect(UsageRowSchema.safeParse(u).success).toBe(true);
    }
    for (const r of ws.listPrices) expect(ListPriceRowSchema.safeParse(r).success).toBe(true);
  });

  it('scales by copying scenarios under distinct ids and names', () => {
    const big = generateDemoWorkspace({ scale: 2, updatesPerPipeline: 3 });
    expect(big.pipelines.length).toBe(SCENARIOS.length * 2);
    expect(new Set(big.pipelines.map((p) => p.pipeline.pipeline_id)).size).toBe(big.pipelines.length);
    expect(new Set(big.pipelines.map((p) => p.pipeline.name)).size).toBe(big.pipelines.length);
    expect(big.pipelines.map((p) => p.pipeline.name)).toContain('orders_silver_2');
    expect(big.pipelines.every((p) => p.updates.length === 3)).toBe(true);
  });
});

describe('scenario signals in the raw rows of the latest update', () => {
  const classic = ws.pipelines.filter((p) => !(p.pipeline.spec as Row).serverless);

  it('keeps CPU, I/O wait, memory and network in their bands', () => {
    for (const p of classic) {
      const w = latestWorkers(p);
      const name = String(p.pipeline.name);
      const c = cpu(w);
      if (p.scenario === 'cpu-saturation') expect(c).toBeGreaterThanOrEqual(88);
      else expect(c, name).toBeLessThan(80);
      const wait = field(w, 'cpu_wait_percent');
      if (p.expected === 'io') {
        expect(wait).toBeGreaterThanOrEqual(20);
        expect(c).toBeLessThan(45);
      } else expect(wait, name).toBeLessThan(5);
      if (p.expected === 'memory') {
        expect(field(w, 'mem_used_percent')).toBeGreaterThanOrEqual(90);
        expect(Math.max(...w.map((r) => Number(r.mem_swap_percent)))).toBeGreaterThanOrEqual(5);
      } else {
        expect(field(w, 'mem_used_percent'), name).toBeLessThan(75);
        expect(Math.max(...w.map((r) => Number(r.mem_swap_percent))), name).toBe(0);
      }
      if (p.scenario === 'network') expect(net(w)).toBeGreaterThanOrEqual(2 * 2 ** 30);
      else expect(net(w), name).toBeLessThan(500e6);
      if (p.scenario === 'healthy') expect(c).toBeGreaterThanOrEqual(65);
      if (p.scenario === 'over-provisioned') expect(c).toBeLessThan(25);
    }
  });

  it('puts phases over the startup and planning thresholds only where intended', () => {
    for (const p of ws.pipelines) {
      const waiting = phaseSeconds(p, 'WAITING_FOR_RESOURCES');
      const init = phaseSeconds(p, 'INITIALIZING') + phaseSeconds(p, 'SETTING_UP_TABLES');
      if (p.scenario === 'slow-startup') expect(waiting).toBeGreaterThanOrEqual(14 * 60);
      else expect(waiting, String(p.pipeline.name)).toBeLessThan(120);
      if (p.scenario === 'long-initialization') expect(init).toBeGreaterThanOrEqual(11 * 60);
      else expect(init, String(p.pipeline.name)).toBeLessThan(120);
    }
    const flows = new Set(latestEvents(byName('finance_monolith'), 'flow_definition').map((e) => origin(e).flow_name));
    expect(flows.size).toBe(45);
  });

  it('pins only the scaling scenarios at max workers, and only LEGACY autoscaling in legacy_sales', () => {
    for (const p of classic) {
      const spec = p.pipeline.spec as Row;
      const cluster = (spec.clusters as Row[])[0] as Row;
      const max = Number((cluster.autoscale as Row | undefined)?.max_workers ?? cluster.num_workers);
      const running = latestEvents(p, 'cluster_resources').map((e) => details(e).cluster_resources as Row);
      const executors = running.map((cr) => Number((cr.task_slot_metrics as Row | undefined)?.num_executors ?? cr.num_executors));
      const atMax = executors.filter((x) => x === max).length / executors.length;
      const mode = (cluster.autoscale as Row | undefined)?.mode;
      if (p.scenario === 'autoscale-ceiling' || p.scenario === 'legacy-autoscaling') {
        expect(atMax).toBeGreaterThan(0.5);
        const optimal = running.map((cr) => Number((cr.autoscale_info as Row | undefined)?.optimal_num_executors ?? cr.optimal_num_executors));
        expect(Math.max(...optimal)).toBeGreaterThan(max);
      } else if (cluster.autoscale) expect(atMax, String(p.pipeline.name)).toBe(0);
      expect(mode === 'LEGACY').toBe(p.scenario === 'legacy-autoscaling');
      expect(spec.photon === false).toBe(p.scenario === 'cpu-saturation' || p.scenario === 'python-udf');
    }
  });

  it('grows a backlog only in telemetry_stream, and puts small files only in iot_ingest', () => {
    for (const p of ws.pipelines) {
      const byFlow = new Map<string, number[]>();
      for (const e of latestEvents(p, 'flow_progress')) {
        const m = (details(e).flow_progress as Row).metrics as Row | undefined;
        if (m?.backlog_bytes === undefined) continue;
        const k = String(origin(e).flow_name);
        byFlow.set(k, [...(byFlow.get(k) ?? []), Number(m.backlog_bytes)]);
      }
      const grows = [...byFlow.values()].some((s) => s.length > 10 && (s.at(-1) ?? 0) >= 1.5 * (s[0] ?? 0));
      expect(grows, String(p.pipeline.name)).toBe(p.scenario === 'growing-backlog');
      const smallFiles = latestEvents(p, 'flow_progress').some((e) => {
        const m = (details(e).flow_progress as Row).metrics as Row | undefined;
        return Number(m?.backlog_files) >= 10_000 && Number(m?.backlog_bytes) / Number(m?.backlog_files) < 1e6;
      });
      expect(smallFiles, String(p.pipeline.name)).toBe(p.scenario === 'io');
    }
    const stream = byName('telemetry_stream');
    expect((stream.pipeline.spec as Row).continuous).toBe(true);
  });

  it('writes errors, plans and joins only into the scenarios that need them', () => {
    for (const p of ws.pipelines) {
      const errors = latestEvents(p).filter((e) => e.error !== null);
      const oom = errors.some((e) => JSON.stringify(e.error).includes('OutOfMemoryError'));
      expect(oom, String(p.pipeline.name)).toBe(p.expected === 'memory');
      const explains = latestEvents(p, 'flow_definition').map((e) => String((details(e).flow_definition as Row).explain_text));
      expect(explains.some((x) => x.includes('BatchEvalPython'))).toBe(p.scenario === 'python-udf');
      expect(explains.some((x) => x.includes('SortMergeJoin') && x.includes('dim_'))).toBe(p.scenario === 'network');
      const recompute = latestEvents(p, 'planning_information').some((e) => JSON.stringify(details(e)).includes('"maintenance_type":"MAINTENANCE_TYPE_COMPLETE_RECOMPUTE","is_chosen":true'));
      expect(recompute, String(p.pipeline.name)).toBe(p.scenario === 'mv-full-recompute');
    }
    expect(byName('billing_failed').updates[0]?.state).toBe('FAILED');
    expect(ws.pipelines.filter((p) => p.updates[0]?.state === 'FAILED').map((p) => p.pipeline.name)).toEqual(['billing_failed']);
  });

  it('keeps latest durations near the median except for ledger_nightly (2.2×)', () => {
    for (const p of ws.pipelines.filter((x) => !(x.pipeline.spec as Row).continuous && x.updates[0]?.state === 'COMPLETED')) {
      const durations = new Map<unknown, number>();
      for (const e of p.events) {
        if (e.event_type === 'create_update') durations.set(origin(e).update_id, -Date.parse(String(e.timestamp)));
        if (e.event_type === 'update_progress' && (details(e).update_progress as Row).state === 'COMPLETED')
          durations.set(origin(e).update_id, (durations.get(origin(e).update_id) ?? 0) + Date.parse(String(e.timestamp)));
      }
      const [latest, ...rest] = p.updates.map((u) => durations.get(u.update_id) ?? 0);
      const sorted = rest.slice(0, 10).sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 1;
      const ratio = (latest ?? 0) / median;
      if (p.scenario === 'io-regression') expect(ratio).toBeGreaterThan(1.9);
      else expect(ratio, String(p.pipeline.name)).toBeLessThan(1.3);
    }
  });
});
