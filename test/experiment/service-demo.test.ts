/**
 * Benchmarks and A/B tests end to end on the demo workspace (issue 18): the real service, runner,
 * REST client and DuckDB statements against the demo's create/update/delete endpoints and its run
 * model (src/demo/run-model.ts: Photon on a CPU-bound template 2–3× faster at twice the DBU rate;
 * a Spark conf it does not model changes nothing). Labels come from the guide (§4.2, §12.1), not
 * from running the engine: Photon on orders_silver (CPU-bound) must come out significant and
 * faster; a no-effect conf must come out not significant.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { openDb, type Db } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createExperimentStore } from '../../src/store/experiments.js';
import { createExperimentService, type ExperimentRequest } from '../../src/experiment/service.js';
import { CLONE_NAME_PREFIX, parseScratchTarget } from '../../src/experiment/clone-spec.js';
import type { AbTestResult, BenchmarkResult } from '../../src/experiment/types.js';
import { DoctorError } from '../../src/errors.js';

let ws: DemoWorkspace;
let db: Db;
beforeAll(async () => {
  ws = await startDemoWorkspace({ updateDurationMs: 60 });
});
afterAll(async () => {
  await ws?.close();
});
afterEach(() => {
  ws.rest.faults.clear();
  db?.close();
});

function service(o: { canRun?: boolean } = {}) {
  db = openDb(':memory:');
  const store = createExperimentStore(sqliteSql(db));
  const svc = createExperimentService({ rest: ws.restClient, source: ws.source, store, canRun: () => o.canRun ?? true, scratch: parseScratchTarget('main.dlt_doctor_scratch'), pollMs: 20, progressEveryMs: 0, settle: ws.settled, logger: { warn: () => undefined } });
  return { svc, store };
}
const who = { userId: 'UADMIN', actor: { platform: 'slack' as const, userId: 'UADMIN' }, surface: 'cli', channel: null, threadTs: null };
const clonesLeft = () => ws.rest.state.pipelines().filter((p) => String(p.name ?? '').startsWith(CLONE_NAME_PREFIX));
const photon: ExperimentRequest = { kind: 'ab-test', pipeline: 'orders_silver', iterations: 2, maxDollars: null, recommendationId: 'enable-photon' };

describe('benchmark and ab-test on the demo workspace', () => {
  it('benchmark: §10.1 per iteration, positive throughputs, the clone deleted', async () => {
    const { svc } = service();
    const { done } = await svc.start({ kind: 'benchmark', pipeline: 'orders_silver', iterations: 2, maxDollars: null }, who);
    const o = await done;
    expect(o.state).toBe('completed');
    const r = o.result as BenchmarkResult;
    expect(r.schema).toBe('dlt-doctor/benchmark@1');
    expect(r.iterations).toHaveLength(2);
    for (const i of r.iterations) {
      expect(i.state).toBe('COMPLETED');
      expect(i.records_processed).toBeGreaterThan(0);
      expect(i.throughput_records_per_sec).toBeCloseTo(i.records_processed / i.duration_seconds, 0);
      expect(i.cluster_dbus).toBeGreaterThan(0);
    }
    expect(r.avg_throughput).toBeGreaterThan(0);
    expect(o.cleanup.deleted).toEqual([r.clone_pipeline_id]);
    expect(clonesLeft()).toEqual([]);
  });

  it('ab-test enable-photon on a CPU-bound pipeline: interleaved A1 B1 A2 B2, significant, apply', async () => {
    const { svc, store } = service();
    const { experimentId, done } = await svc.start(photon, who);
    const o = await done;
    const r = o.result as AbTestResult;
    expect(o.state).toBe('completed');
    const order = (await store.steps(experimentId)).filter((s) => s.step === 'update-started').map((s) => JSON.parse(s.detail!) as { variant: string; iteration: number }).map((d) => `${d.variant}${d.iteration}`);
    expect(order).toEqual(['A1', 'B1', 'A2', 'B2']);
    expect(r.config_a).toEqual({ photon: 'false' });
    expect(r.config_b).toEqual({ photon: 'true' });
    // guide §4.2: scans/filters/aggregations 2–5× with Photon
    expect(r.throughput_improvement).toBeGreaterThan(60);
    expect(r.significant).toBe(true);
    expect(r.recommendation).toBe('apply');
    expect(r.cost_per_million_records_b).not.toBeNull();
    expect(clonesLeft()).toEqual([]);
    // the production pipeline was never touched
    const prod = ws.rest.state.pipelines().find((p) => p.name === 'orders_silver')!;
    expect((prod.spec as { photon?: boolean }).photon).not.toBe(true);
  });

  it('a change the demo does not model (a Spark conf) comes out not significant: inconclusive', async () => {
    const { svc } = service();
    const { done } = await svc.start({ kind: 'ab-test', pipeline: 'orders_silver', iterations: 3, maxDollars: null, settings: [{ target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: '400' }] }, who);
    const r = (await done).result as AbTestResult;
    expect(r.results_a.iterations).toHaveLength(3);
    expect(r.significant).toBe(false);
    expect(r.recommendation).toBe('inconclusive');
    expect(Math.abs(r.throughput_improvement!)).toBeLessThan(15);
  });

  it('a failed update start: the experiment fails with the reason and the clones are deleted', async () => {
    const { svc } = service();
    ws.rest.faults.set({ status: 500, paths: /\/updates$/ });
    const { done } = await svc.start(photon, who);
    const o = await done;
    expect(o.state).toBe('failed');
    expect(o.message).toMatch(/500|failed/i);
    expect(o.cleanup.deleted).toHaveLength(2);
    ws.rest.faults.clear();
    expect(clonesLeft()).toEqual([]);
  });

  it('--max-dollars stops it at the cap and deletes the clones', async () => {
    const { svc } = service();
    const { done } = await svc.start({ ...photon, iterations: 3, maxDollars: 1 }, who);
    const o = await done;
    expect(o.state).toBe('capped');
    expect(o.message).toMatch(/--max-dollars cap of \$1\.00/);
    const r = o.result as AbTestResult;
    expect(r.results_a.iterations.length + r.results_b.iterations.length).toBeLessThan(6);
    expect(clonesLeft()).toEqual([]);
  });

  it('refused for users not on the allow-list: nothing is created', async () => {
    const { svc, store } = service({ canRun: false });
    const before = ws.rest.state.pipelines().length;
    await expect(svc.start(photon, who)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(ws.rest.state.pipelines()).toHaveLength(before);
    expect(await store.recent()).toEqual([]);
  });

  it('one experiment per pipeline at a time; cancel stops it and deletes its clones', async () => {
    const { svc } = service();
    let running!: () => void;
    const seen = new Promise<void>((r) => (running = r));
    const first = await svc.start({ ...photon, iterations: 3 }, { ...who, onProgress: (p) => p.step === 'running' && running() });
    const second = svc.start(photon, who);
    await expect(second).rejects.toBeInstanceOf(DoctorError);
    await expect(second).rejects.toMatchObject({ code: 'CONFLICT' });
    await seen;
    await svc.cancel('orders_silver', who);
    const o = await first.done;
    expect(o.state).toBe('canceled');
    expect(o.message).toMatch(/Canceled by UADMIN/);
    expect(clonesLeft()).toEqual([]);
  });

  it('rejects a recommendation the diagnosis does not have, and names the ones it has', async () => {
    const { svc } = service();
    await expect(svc.plan({ ...photon, recommendationId: 'no-such-fix' })).rejects.toMatchObject({ code: 'BAD_USAGE', suggestions: expect.arrayContaining(['enable-photon']) });
  });

  it('the plan: estimated cost = latest update cost × iterations × variants (B at its DBU rate), the scratch target', async () => {
    const { svc } = service();
    const plan = await svc.plan(photon);
    expect(plan.scratchTarget).toBe('main.dlt_doctor_scratch_<id>_{a,b}');
    expect(plan.basis?.dollars).toBeGreaterThan(0);
    // A at 1×, B at Photon's 2× DBU rate (guide §12.1): 2 iterations × (1 + 2)
    expect(plan.estimatedDollars).toBeCloseTo(plan.basis!.dollars! * 2 * 3, 1);
    expect(plan.diff).toEqual([{ key: 'photon', before: 'false', after: 'true' }]);
  });

  it('a continuous pipeline is cloned triggered and benchmarked; a serverless one keeps no clusters', async () => {
    const { svc, store } = service();
    const created: Record<string, unknown>[] = [];
    const off = ws.rest.state.onChange((c) => {
      if (c.kind === 'created') created.push(ws.rest.state.pipeline(c.pipelineId)!.spec as Record<string, unknown>);
    });
    try {
      const cont = await svc.start({ kind: 'benchmark', pipeline: 'telemetry_stream', iterations: 1, maxDollars: null }, who);
      expect(cont.plan.notes.join(' ')).toMatch(/continuous: its clones run triggered/);
      const o = await cont.done;
      expect(o.state).toBe('completed');
      expect(created.at(-1)).toMatchObject({ continuous: false, development: true });
      const sv = await svc.start({ kind: 'benchmark', pipeline: 'web_sessions_serverless', iterations: 1, maxDollars: null }, who);
      expect((await sv.done).state).toBe('completed');
      expect(created.at(-1)).toMatchObject({ serverless: true });
      expect(created.at(-1)).not.toHaveProperty('clusters');
      expect(await store.running()).toEqual([]);
      expect(clonesLeft()).toEqual([]);
    } finally {
      off();
    }
  });

  it('a full refresh that fails: stopped at that iteration with the error kept (the clone is deleted), averages over nothing', async () => {
    const { svc } = service();
    const { done } = await svc.start({ kind: 'benchmark', pipeline: 'billing_failed', iterations: 2, maxDollars: null }, who);
    const o = await done;
    expect(o.state).toBe('failed');
    expect(o.message).toMatch(/iteration 1 ended FAILED: \S+/);
    const r = o.result as BenchmarkResult;
    expect(r.iterations.map((i) => i.state)).toEqual(['FAILED']);
    expect(r.avg_duration).toBeNull();
    expect(clonesLeft()).toEqual([]);
  });

  it('a few failed polls of a running update (Databricks 503s past the client\'s retries) do not end the experiment', async () => {
    const { svc } = service();
    // every GET of an update answers 503 for a while: the REST client retries, gives up, the runner polls again
    ws.rest.faults.set({ status: 503, retryAfterS: 0, count: 6, paths: /\/updates\/[^/]+$/ });
    const { done } = await svc.start({ kind: 'benchmark', pipeline: 'orders_silver', iterations: 1, maxDollars: null }, who);
    const o = await done;
    expect(o.state, o.message ?? '').toBe('completed');
    expect((o.result as BenchmarkResult).iterations).toHaveLength(1);
    expect(clonesLeft()).toEqual([]);
  });
});
