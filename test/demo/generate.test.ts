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
const MIN = 60_000;
const at = (r: Row) => Date.parse(String(r.start_time));
/** when the latest update entered `state` (update_progress), epoch ms */
function phaseStart(p: DemoPipeline, state: string): number {
  const e = latestEvents(p, 'update_progress').find((x) => (details(x).update_progress as Row).state === state);
  return e ? Date.parse(String(e.timestamp)) : Number.NaN;
}
/** workers' rows of the latest update once warmed up: from RUNNING + 6 minutes */
function steadyWorkers(p: DemoPipeline): Row[] {
  const run = phaseStart(p, 'RUNNING');
  return latestWorkers(p).filter((r) => at(r) >= run + 6 * MIN);
}
/** the latest update's driver rows while RUNNING */
function runningDriver(p: DemoPipeline): Row[] {
  const cluster = p.updates[0]?.cluster_id;
  const run = phaseStart(p, 'RUNNING');
  return p.nodeTimeline.filter((r) => r.cluster_id === cluster && r.driver === true && at(r) >= run);
}
const cpuOf = (r: Row) => Number(r.cpu_user_percent) + Number(r.cpu_system_percent);
/** mean worker CPU per minute */
function cpuByMinute(rows: Row[]): number[] {
  const by = new Map<number, number[]>();
  for (const r of rows) by.set(at(r), [...(by.get(at(r)) ?? []), cpuOf(r)]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, xs]) => mean(xs));
}
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
/** update durations (create_update → terminal update_progress), seconds, by update id */
function durations(p: DemoPipeline): Map<unknown, number> {
  const d = new Map<unknown, number>();
  for (const e of p.events) {
    if (e.event_type === 'create_update') d.set(origin(e).update_id, -Date.parse(String(e.timestamp)));
    if (e.event_type === 'update_progress' && ['COMPLETED', 'FAILED', 'CANCELED'].includes(String((details(e).update_progress as Row).state)))
      d.set(origin(e).update_id, ((d.get(origin(e).update_id) ?? 0) + Date.parse(String(e.timestamp))) / 1000);
  }
  return d;
}
const clusterOf = (p: DemoPipeline): Row => ((p.pipeline.spec as Row).clusters as Row[])[0] as Row;
const crOf = (e: Row): Row => details(e).cluster_resources as Row;
const executorsOf = (cr: Row) => Number((cr.task_slot_metrics as Row | undefined)?.num_executors ?? cr.num_executors);
/** executor_cpu_time / executor_time per flow of the latest update (METRICS rows + terminal rows) */
function cpuRatios(p: DemoPipeline): Map<string, { ratio: number; execMs: number }> {
  const acc = new Map<string, { cpu: number; exec: number }>();
  for (const e of latestEvents(p, 'flow_progress')) {
    const m = (details(e).flow_progress as Row).metrics as Row | undefined;
    if (m?.executor_time_ms === undefined) continue;
    const k = String(origin(e).flow_name);
    const a = acc.get(k) ?? { cpu: 0, exec: 0 };
    a.cpu += Number(m.executor_cpu_time_ms);
    a.exec += Number(m.executor_time_ms);
    acc.set(k, a);
  }
  return new Map([...acc].map(([k, a]) => [k, { ratio: a.cpu / a.exec, execMs: a.exec }]));
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
    expect(ws.pipelines.length).toBe(24);
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
      // (the permission failure stops a minute into RUNNING)
      expect(latestEvents(p).length, String(p.pipeline.name)).toBeGreaterThan(p.scenario === 'permission-failure' ? 20 : 30);
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
    // every SKU billed is priced, and so is each classic SKU's Photon twin (a new run after an applied Photon change bills at it)
    const priced = new Set(ws.listPrices.map((r) => String(r.sku_name)));
    for (const sku of skus) expect(priced).toContain(sku);
    for (const sku of priced) if (!skus.has(sku)) expect(skus.has(sku.replace('_(PHOTON)', '')) || skus.has(`${sku}_(PHOTON)`)).toBe(true);
    expect(priced).toContain('PREMIUM_DLT_ADVANCED_COMPUTE_(PHOTON)');
    expect(priced).toContain('PREMIUM_DLT_ADVANCED_COMPUTE');
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
  const classic = ws.pipelines.filter((p) => !(p.pipeline.spec as Row).serverless && p.scenario !== 'permission-failure');
  const MEMORY_WORKERS = new Set(['memory', 'failed-oom', 'gc-thrash']);

  it("sustains each scenario's own signal once warmed up, and keeps the others weak", () => {
    for (const p of classic) {
      const w = steadyWorkers(p);
      const name = String(p.pipeline.name);
      expect(w.length, name).toBeGreaterThan(10);
      const c = cpu(w);
      if (p.scenario === 'cpu-saturation') expect(c).toBeGreaterThanOrEqual(88);
      else expect(c, name).toBeLessThan(85);
      const wait = field(w, 'cpu_wait_percent');
      if (p.expected === 'io') {
        expect(wait, name).toBeGreaterThanOrEqual(20);
        expect(c, name).toBeLessThan(45);
      } else expect(wait, name).toBeLessThan(10);
      const swapMax = Math.max(...w.map((r) => Number(r.mem_swap_percent)));
      if (MEMORY_WORKERS.has(p.scenario)) {
        expect(field(w, 'mem_used_percent'), name).toBeGreaterThanOrEqual(90);
        expect(swapMax, name).toBeGreaterThanOrEqual(5);
      } else {
        expect(field(w, 'mem_used_percent'), name).toBeLessThan(85);
        expect(swapMax, name).toBe(0);
      }
      if (p.scenario === 'network') expect(net(w)).toBeGreaterThanOrEqual(2 * 2 ** 30);
      else expect(net(w), name).toBeLessThan(2 ** 30);
      if (p.scenario === 'healthy') expect(c).toBeGreaterThanOrEqual(65);
      if (p.scenario === 'over-provisioned') expect(c).toBeLessThan(25);
      // the driver is only the problem where the scenario says so
      const driverMem = field(runningDriver(p), 'mem_used_percent');
      if (p.scenario === 'driver-oom') expect(driverMem).toBeGreaterThanOrEqual(95);
      else expect(driverMem, name).toBeLessThan(70);
    }
  });

  it('shows weak secondary signals beside the main one', () => {
    // a CPU-bound pipeline also uses memory; an I/O-bound one moves some data; the shuffle-heavy one waits a little
    expect(field(steadyWorkers(byName('orders_silver')), 'mem_used_percent')).toBeGreaterThanOrEqual(75);
    expect(net(steadyWorkers(byName('iot_ingest')))).toBeGreaterThan(300e6);
    expect(field(steadyWorkers(byName('payments_join')), 'cpu_wait_percent')).toBeGreaterThan(4);
    expect(field(steadyWorkers(byName('customer_360')), 'cpu_wait_percent')).toBeGreaterThan(3);
  });

  it('puts phases over the startup and planning thresholds only where intended', () => {
    for (const p of ws.pipelines) {
      const waiting = phaseSeconds(p, 'WAITING_FOR_RESOURCES');
      const init = phaseSeconds(p, 'INITIALIZING') + phaseSeconds(p, 'SETTING_UP_TABLES');
      if (p.scenario === 'slow-startup') expect(waiting).toBeGreaterThanOrEqual(14 * 60);
      else expect(waiting, String(p.pipeline.name)).toBeLessThan(120);
      if (p.scenario === 'long-initialization' || p.scenario === 'init-scripts') expect(init, String(p.pipeline.name)).toBeGreaterThanOrEqual(11 * 60);
      else expect(init, String(p.pipeline.name)).toBeLessThan(120);
    }
    const flows = new Set(latestEvents(byName('finance_monolith'), 'flow_definition').map((e) => origin(e).flow_name));
    expect(flows.size).toBe(45);
  });

  it('pins only the scaling and GC-thrash scenarios at max workers; LEGACY autoscaling only where intended', () => {
    for (const p of ws.pipelines.filter((x) => !(x.pipeline.spec as Row).serverless)) {
      const spec = p.pipeline.spec as Row;
      const cluster = clusterOf(p);
      const max = Number((cluster.autoscale as Row | undefined)?.max_workers ?? cluster.num_workers);
      const running = latestEvents(p, 'cluster_resources').map(crOf);
      const executors = running.map(executorsOf);
      const atMax = executors.filter((x) => x === max).length / executors.length;
      const mode = (cluster.autoscale as Row | undefined)?.mode;
      if (p.scenario === 'autoscale-ceiling' || p.scenario === 'legacy-autoscaling') {
        expect(atMax).toBeGreaterThan(0.5);
        const optimal = running.map((cr) => Number((cr.autoscale_info as Row | undefined)?.optimal_num_executors ?? cr.optimal_num_executors));
        expect(Math.max(...optimal)).toBeGreaterThan(max);
      } else if (p.scenario === 'gc-thrash') expect(atMax).toBeGreaterThan(0.5);
      else if (cluster.autoscale) expect(atMax, String(p.pipeline.name)).toBe(0);
      expect(mode === 'LEGACY', String(p.pipeline.name)).toBe(p.scenario === 'legacy-autoscaling' || p.scenario === 'legacy-ramp-up');
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
    const memoryMarker = /OutOfMemoryError|GC overhead limit|maxResultSize|exit code is 137/i;
    for (const p of ws.pipelines) {
      const name = String(p.pipeline.name);
      const errors = latestEvents(p).filter((e) => e.error !== null);
      const memoryErrors = errors.some((e) => memoryMarker.test(JSON.stringify(e.error)));
      expect(memoryErrors, name).toBe(p.expected === 'memory');
      const permission = errors.some((e) => JSON.stringify(e.error).includes('PERMISSION_DENIED'));
      expect(permission, name).toBe(p.scenario === 'permission-failure');
      const explains = latestEvents(p, 'flow_definition').map((e) => String((details(e).flow_definition as Row).explain_text));
      expect(explains.some((x) => x.includes('BatchEvalPython'))).toBe(p.scenario === 'python-udf');
      expect(explains.some((x) => x.includes('SortMergeJoin') && x.includes('dim_'))).toBe(p.scenario === 'network');
      // a recompute forced by an incrementalization issue; a full refresh recomputes without one
      const blocked = latestEvents(p, 'planning_information').some((e) => JSON.stringify(details(e)).includes('"prevent_incrementalization":true'));
      expect(blocked, name).toBe(p.scenario === 'mv-full-recompute');
    }
    expect(byName('billing_failed').updates[0]?.state).toBe('FAILED');
    expect(ws.pipelines.filter((p) => p.updates[0]?.state === 'FAILED').map((p) => p.pipeline.name).sort()).toEqual(['billing_failed', 'portfolio_risk_daily', 'revenue_recognition']);
  });

  it('keeps latest durations near the median, except the regressions and the full refresh', () => {
    for (const p of ws.pipelines.filter((x) => !(x.pipeline.spec as Row).continuous && x.updates[0]?.state === 'COMPLETED')) {
      const d = durations(p);
      const incremental = p.updates.slice(1, 11).filter((u) => u.full_refresh === false);
      const ratio = (d.get(p.updates[0]?.update_id) ?? 0) / median(incremental.map((u) => d.get(u.update_id) ?? 0));
      if (p.scenario === 'io-regression') expect(ratio).toBeGreaterThan(1.9);
      else if (p.scenario === 'full-refresh') expect(ratio).toBeGreaterThan(2.6);
      else if (p.scenario === 'gc-thrash') expect(ratio).toBeGreaterThan(1.3);
      else expect(ratio, String(p.pipeline.name)).toBeLessThan(1.3);
    }
  });
});

describe('noise: every scenario is realistic, not tidy', () => {
  const classic = ws.pipelines.filter((p) => !(p.pipeline.spec as Row).serverless && p.scenario !== 'permission-failure');

  it('fluctuates minute to minute: no worker holds a constant CPU', () => {
    for (const p of classic) {
      const w = steadyWorkers(p);
      const byWorker = new Map<unknown, number[]>();
      for (const r of w) byWorker.set(r.instance_id, [...(byWorker.get(r.instance_id) ?? []), cpuOf(r)]);
      const spreads = [...byWorker.values()].filter((xs) => xs.length >= 8).map(std);
      expect(spreads.length, String(p.pipeline.name)).toBeGreaterThan(0);
      // a few points of standard deviation (±5–10 points of range), less where CPU sits near a bound
      expect(mean(spreads), String(p.pipeline.name)).toBeGreaterThan(p.scenario === 'cpu-saturation' || p.scenario === 'driver-oom' ? 1.2 : 2.5);
      const mems = w.map((r) => Number(r.mem_used_percent));
      expect(Math.max(...mems) - Math.min(...mems), String(p.pipeline.name)).toBeGreaterThan(5);
      const nets = w.map((r) => Number(r.network_sent_bytes) + Number(r.network_received_bytes));
      expect(std(nets) / mean(nets), String(p.pipeline.name)).toBeGreaterThan(0.05);
    }
  });

  it('warms up: the first minutes of RUNNING are well below the steady CPU', () => {
    for (const p of classic.filter((x) => cpu(steadyWorkers(x)) >= 50)) {
      const run = phaseStart(p, 'RUNNING');
      const first = latestWorkers(p).filter((r) => at(r) >= run && at(r) < run + 2 * MIN);
      expect(first.length, String(p.pipeline.name)).toBeGreaterThan(0);
      expect(cpu(first), String(p.pipeline.name)).toBeLessThan(cpu(steadyWorkers(p)) - 15);
    }
    // workers are up but idle while the pipeline initializes (except where init scripts keep them busy)
    const orders = byName('orders_silver');
    const init = latestWorkers(orders).filter((r) => at(r) < phaseStart(orders, 'RUNNING'));
    expect(init.length).toBeGreaterThan(0);
    expect(cpu(init)).toBeLessThan(10);
  });

  it('gives ordinary flows of healthy pipelines executor CPU/time 0.75–0.85, and flows of very different sizes', () => {
    for (const name of ['reports_gold', 'fact_sales_daily', 'web_sessions_serverless', 'subscriptions_silver']) {
      const ratios = [...cpuRatios(byName(name)).values()];
      expect(ratios.length, name).toBeGreaterThan(1);
      for (const r of ratios) {
        expect(r.ratio, name).toBeGreaterThanOrEqual(0.72);
        expect(r.ratio, name).toBeLessThanOrEqual(0.88);
      }
    }
    // hot flows carry the scenario's ratio; the small flows beside them stay ordinary
    const io = cpuRatios(byName('iot_ingest'));
    expect(io.get('main.iot.device_readings_raw')?.ratio).toBeLessThan(0.4);
    expect(io.get('main.iot.device_hourly')?.ratio).toBeGreaterThan(0.7);
    let widest = 0;
    for (const p of ws.pipelines) {
      const sizes = [...cpuRatios(p).values()].map((r) => r.execMs).filter((x) => x > 0);
      if (sizes.length > 1) widest = Math.max(widest, Math.max(...sizes) / Math.min(...sizes));
    }
    expect(widest).toBeGreaterThan(20);
  });

  it('spreads older update durations ±15–20%, with occasional outliers', () => {
    const cvs: number[] = [];
    let outliers = 0;
    for (const p of ws.pipelines.filter((x) => !(x.pipeline.spec as Row).continuous)) {
      const d = durations(p);
      const older = p.updates.slice(3).filter((u) => u.full_refresh === false && u.state === 'COMPLETED').map((u) => d.get(u.update_id) ?? 0);
      const m = median(older);
      cvs.push(std(older) / mean(older));
      outliers += older.filter((x) => x > 1.3 * m || x < 0.75 * m).length;
    }
    expect(median(cvs)).toBeGreaterThan(0.08);
    expect(median(cvs)).toBeLessThan(0.25);
    expect(outliers).toBeGreaterThan(5);
  });

  it("words messages as Databricks does: Flow 'orders_silver' has COMPLETED.", () => {
    const messages = latestEvents(byName('orders_silver'), 'flow_progress').map((e) => String(e.message));
    expect(messages).toContain("Flow 'orders_silver' has COMPLETED.");
    expect(messages).toContain("Flow 'orders_bronze' is RUNNING.");
    const progress = latestEvents(byName('orders_silver'), 'update_progress').map((e) => String(e.message));
    expect(progress.every((m) => /^Update [0-9a-f]{6} is [A-Z_]+\.$/.test(m))).toBe(true);
  });
});

describe('the issue 12 classes, raw traits', () => {
  it('healthy-but-busy: CPU inside 70–85% for the whole run, one short spike, usual duration', () => {
    const p = byName('fact_sales_daily');
    const minutes = cpuByMinute(steadyWorkers(p));
    const inBand = minutes.filter((c) => c >= 68 && c <= 87).length / minutes.length;
    expect(inBand).toBeGreaterThan(0.8);
    const spike = minutes.filter((c) => c >= 90).length;
    expect(spike).toBeGreaterThan(0);
    expect(spike).toBeLessThanOrEqual(4);
    expect(p.expected).toBe('none');
  });

  it('full refresh: user-started, full_refresh true, a RESETTING phase, ~2.9× the incremental runs like the earlier full refreshes', () => {
    const p = byName('subscriptions_silver');
    const create = details(latestEvents(p, 'create_update')[0]!).create_update as Row;
    expect(create.cause).toBe('USER_ACTION');
    expect(create.full_refresh).toBe(true);
    expect(p.updates[0]?.full_refresh).toBe(true);
    expect(p.updates[0]?.cause).toBe('USER_ACTION');
    expect(latestEvents(p, 'user_action').length + p.events.filter((e) => e.event_type === 'user_action' && Date.parse(String(e.timestamp)) < phaseStart(p, 'QUEUED') && Date.parse(String(e.timestamp)) > phaseStart(p, 'QUEUED') - 60_000).length).toBeGreaterThan(0);
    const states = latestEvents(p, 'update_progress').map((e) => (details(e).update_progress as Row).state);
    expect(states.indexOf('RESETTING')).toBeGreaterThan(states.indexOf('INITIALIZING'));
    expect(states.indexOf('RESETTING')).toBeLessThan(states.indexOf('SETTING_UP_TABLES'));
    expect(phaseSeconds(p, 'RESETTING')).toBeGreaterThan(30);
    const d = durations(p);
    const full = p.updates.filter((u) => u.full_refresh === true);
    expect(full.length).toBeGreaterThanOrEqual(3);
    const incremental = median(p.updates.filter((u) => u.full_refresh === false).map((u) => d.get(u.update_id) ?? 0));
    const latest = d.get(p.updates[0]?.update_id) ?? 0;
    expect(latest / incremental).toBeGreaterThan(2.6);
    expect(latest / incremental).toBeLessThan(3.2);
    for (const u of full.slice(1)) expect((d.get(u.update_id) ?? 0) / latest, 'earlier full refreshes take about as long').toBeGreaterThan(0.8);
    // every earlier full refresh has its RESETTING phase too, and only full refreshes do
    const resetting = new Set(p.events.filter((e) => e.event_type === 'update_progress' && (details(e).update_progress as Row).state === 'RESETTING').map((e) => origin(e).update_id));
    expect([...resetting].sort()).toEqual(full.map((u) => u.update_id).sort());
    const c = cpu(steadyWorkers(p));
    expect(c).toBeGreaterThanOrEqual(70);
    expect(c).toBeLessThanOrEqual(85);
  });

  it('GC thrash: memory 95%+ with swap, CPU ~25% at max workers, executor CPU/time < 0.4, GC overhead WARN events', () => {
    const p = byName('claims_adjudication');
    const w = steadyWorkers(p);
    expect(field(w, 'mem_used_percent')).toBeGreaterThanOrEqual(95);
    expect(Math.max(...w.map((r) => Number(r.mem_swap_percent)))).toBeGreaterThan(5);
    expect(cpu(w)).toBeLessThan(35);
    const max = Number((clusterOf(p).autoscale as Row).max_workers);
    const executors = latestEvents(p, 'cluster_resources').map(crOf).map(executorsOf);
    expect(executors.filter((x) => x === max).length / executors.length).toBeGreaterThan(0.8);
    expect(cpuRatios(p).get('main.insurance.claim_lines_enriched')?.ratio).toBeLessThan(0.4);
    const warns = latestEvents(p).filter((e) => e.level === 'WARN' && JSON.stringify(e.error).includes('GC overhead limit exceeded'));
    expect(warns.length).toBeGreaterThanOrEqual(3);
    expect(warns.every((e) => (e.error as Row).fatal === false && /executor \d+/.test(String(e.message)))).toBe(true);
  });

  it('driver OOM: driver memory 95%+ while workers idle; FAILED on spark.driver.maxResultSize', () => {
    const p = byName('portfolio_risk_daily');
    expect(field(runningDriver(p), 'mem_used_percent')).toBeGreaterThanOrEqual(95);
    expect(cpu(steadyWorkers(p))).toBeLessThan(20);
    expect(field(steadyWorkers(p), 'mem_used_percent')).toBeLessThan(50);
    expect(p.updates[0]?.state).toBe('FAILED');
    const failed = latestEvents(p, 'update_progress').find((e) => (details(e).update_progress as Row).state === 'FAILED')!;
    expect(JSON.stringify(failed.error)).toContain('Total size of serialized results of 3127 tasks (4.1 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)');
    const flowFailed = latestEvents(p, 'flow_progress').filter((e) => (details(e).flow_progress as Row).status === 'FAILED');
    expect(flowFailed.map((e) => origin(e).flow_name)).toEqual(['main.risk.var_scenarios']);
    const cluster = clusterOf(p);
    expect((cluster.spark_conf as Row)['spark.driver.maxResultSize']).toBe('4g');
    expect(cluster.driver_node_type_id).toBe('i3.xlarge');
  });

  it('init scripts: init_scripts and libraries in the spec, ~17 min of INITIALIZING with busy nodes before any flow starts', () => {
    const p = byName('parcel_geocoding');
    const cluster = clusterOf(p);
    expect(cluster.init_scripts).toEqual([{ workspace: { destination: '/Shared/init/install-gdal.sh' } }, { volumes: { destination: '/Volumes/main/geo/init/install-proj-data.sh' } }]);
    const libraries = (p.pipeline.spec as Row).libraries as Row[];
    expect(libraries.some((l) => 'maven' in l)).toBe(true);
    expect(libraries.some((l) => 'whl' in l)).toBe(true);
    expect(phaseSeconds(p, 'INITIALIZING')).toBeGreaterThan(15 * 60);
    expect(new Set(latestEvents(p, 'flow_definition').map((e) => origin(e).flow_name)).size).toBe(3);
    const run = phaseStart(p, 'RUNNING');
    expect(latestEvents(p, 'flow_progress').every((e) => Date.parse(String(e.timestamp)) >= run)).toBe(true);
    const init = latestWorkers(p).filter((r) => at(r) >= phaseStart(p, 'INITIALIZING') && at(r) < phaseStart(p, 'SETTING_UP_TABLES'));
    expect(init.length).toBeGreaterThan(20);
    expect(cpu(init)).toBeGreaterThan(40);
    expect(net(init)).toBeGreaterThan(400e6);
    // every update pays it, so it is the pipeline's normal, not a regression
    const d = durations(p);
    const ds = p.updates.map((u) => d.get(u.update_id) ?? 0);
    expect((ds[0] ?? 0) / median(ds.slice(1))).toBeLessThan(1.3);
  });

  it('legacy ramp-up: LEGACY, executors ramp 2 → 12 over ~25 min with hundreds of queued tasks and busy slots; no autoscaler fields or events', () => {
    const p = byName('store_pos_ingest');
    expect((clusterOf(p).autoscale as Row).mode).toBe('LEGACY');
    expect(latestEvents(p, 'autoscale')).toEqual([]);
    const run = phaseStart(p, 'RUNNING');
    const rows = latestEvents(p, 'cluster_resources').filter((e) => Date.parse(String(e.timestamp)) >= run);
    for (const e of rows) {
      const text = JSON.stringify(crOf(e));
      expect(text).not.toMatch(/autoscale_info|optimal_num_executors|latest_requested_num_executors/);
    }
    const series = rows.map((e) => ({ t: (Date.parse(String(e.timestamp)) - run) / MIN, ex: executorsOf(crOf(e)), cr: crOf(e) }));
    expect(series[0]?.ex).toBe(2);
    for (let i = 1; i < series.length; i++) expect(series[i]!.ex).toBeGreaterThanOrEqual(series[i - 1]!.ex);
    const reached = series.find((s) => s.ex >= 12)?.t ?? Infinity;
    expect(reached).toBeGreaterThan(20);
    expect(reached).toBeLessThan(30);
    const firstHalf = series.filter((s) => s.t < 15).map((s) => Number((s.cr.task_slot_metrics as Row).avg_num_queued_tasks));
    expect(mean(firstHalf)).toBeGreaterThan(200);
    expect(mean(series.map((s) => Number((s.cr.task_slot_metrics as Row).avg_task_slot_utilization)))).toBeGreaterThan(0.9);
    // node rows follow the ramp: 2 workers at first, 12 by the end
    const w = latestWorkers(p);
    const count = (t: number) => new Set(w.filter((r) => at(r) >= run + t * MIN && at(r) < run + (t + 1) * MIN).map((r) => r.instance_id)).size;
    expect(count(1)).toBeLessThanOrEqual(3);
    expect(count(28)).toBe(12);
  });

  it('permission failure: FAILED a minute into RUNNING with Unity Catalog PERMISSION_DENIED on the failing flow', () => {
    const p = byName('revenue_recognition');
    expect(p.updates[0]?.state).toBe('FAILED');
    const failed = latestEvents(p, 'flow_progress').filter((e) => (details(e).flow_progress as Row).status === 'FAILED');
    expect(failed.map((e) => origin(e).flow_name)).toEqual(['main.accounting.gl_revenue_postings']);
    const ex = ((failed[0]!.error as Row).exceptions as Row[])[0]!;
    expect(ex.class_name).toBe('com.databricks.sql.managedcatalog.acl.UnauthorizedAccessException');
    expect(ex.message).toBe("PERMISSION_DENIED: User does not have USE SCHEMA on Schema 'main.finance'.");
    expect((failed[0]!.error as Row).fatal).toBe(true);
    const end = latestEvents(p, 'update_progress').at(-1)!;
    expect((details(end).update_progress as Row).state).toBe('FAILED');
    expect((Date.parse(String(end.timestamp)) - phaseStart(p, 'RUNNING')) / MIN).toBeLessThan(3);
    expect(p.expected).toBe('none');
  });

  it("skew: one worker's CPU ≥ 3× the median worker's for most of the run", () => {
    const p = byName('marketplace_seller_stats');
    const w = steadyWorkers(p);
    const byMinute = new Map<number, number[]>();
    for (const r of w) byMinute.set(at(r), [...(byMinute.get(at(r)) ?? []), cpuOf(r)]);
    const skewed = [...byMinute.values()].filter((xs) => Math.max(...xs) >= 60 && Math.max(...xs) >= 3 * median(xs)).length;
    expect(skewed / byMinute.size).toBeGreaterThan(0.6);
    expect((clusterOf(p).spark_conf as Row)['spark.sql.adaptive.skewJoin.enabled']).toBe('false');
    expect(p.expected).toBe('network');
  });
});

describe('edge schemas keep what the new classes need', () => {
  it('parses the init-script cluster with its init_scripts', () => {
    const spec = GetPipelineSchema.parse(byName('parcel_geocoding').pipeline).spec;
    expect(spec?.clusters?.[0]?.init_scripts).toHaveLength(2);
    expect(spec?.libraries?.some((l) => 'maven' in l)).toBe(true);
  });
});
