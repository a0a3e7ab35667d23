/**
 * Bundle-reading benchmark: `npx tsx bench/bundle.ts [--events N] [--dir DIR] [--keep]`.
 *
 * `--rounds R` (default 2) alternates the two measurements R times and keeps the best of each.
 * Throughput is measured in CPU time (user + system of the child): wall time on a shared machine
 * mostly measures the neighbours. Both are printed.
 *
 * Generates a realistic bundle (default 1,000,000 events: mostly flow_progress and cluster_resources
 * over ~20 updates and ~30 flows, `details` as the JSON strings event_log() returns for half of
 * them), then measures, each in its own child process so neither pollutes the other:
 *   (a) bare JSON.parse of every line of events.jsonl, with the reader readBundle uses;
 *   (b) readBundle + buildEvidence (every line validated).
 * Targets: throughput of (b) ≥ 0.5 × (a), and peak RSS of (b) < 300 MB. Exits 1 when one is missed.
 * `--offline` also measures (c), the bundle read as an offline workspace (engine 'warehouse':
 * DuckDB read_json + the live collector's statements), printed beside them without a target yet.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachLine, readBundle } from '../src/bundle/read.js';
import { writeBundle } from '../src/bundle/write.js';
import { mulberry32 } from '../src/demo/generate.js';

const TARGET_RATIO = 0.5;
const TARGET_RSS_MB = 300;

const PIPELINE_ID = '7d3f5c1e-0b2a-4c9d-8e6f-123456789abc';
const UPDATES = 20;
const FLOWS = 30;
const START = Date.parse('2026-10-01T02:00:00Z');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function* generateEvents(total: number): Generator<Record<string, unknown>> {
  const rand = mulberry32(42);
  const perUpdate = Math.max(100, Math.floor(total / UPDATES));
  let seq = 0;
  let emitted = 0;
  const flows = Array.from({ length: FLOWS }, (_, i) => `main.sales.table_${String(i).padStart(2, '0')}`);
  for (let u = 0; u < UPDATES && emitted < total; u++) {
    const updateId = `b0a1c2d3-0000-4000-8000-${String(u).padStart(12, '0')}`;
    const clusterId = `1001-0200${String(u).padStart(2, '0')}-abcdefgh`;
    const start = START + u * 6 * 3600_000;
    const runningAt = start + 420_000;
    const runSeconds = 7200;
    const end = runningAt + runSeconds * 1000;
    const ev = (type: string, t: number, details: Record<string, unknown> | null, o: { flow?: string; level?: string; message?: string; error?: unknown } = {}) => {
      seq++;
      emitted++;
      const origin: Record<string, unknown> = {
        cloud: 'AWS',
        region: 'us-west-2',
        org_id: 1234567890123456,
        pipeline_id: PIPELINE_ID,
        pipeline_type: 'WORKSPACE',
        pipeline_name: 'sales_medallion',
        cluster_id: clusterId,
        update_id: updateId,
      };
      if (o.flow) {
        origin.flow_name = o.flow;
        origin.dataset_name = o.flow;
        origin.flow_id = `f-${o.flow.length}-${u}`;
        origin.batch_id = seq % 1000;
      }
      const row: Record<string, unknown> = {
        id: `e${seq.toString(16).padStart(12, '0')}-1111-2222-3333-444455556666`,
        sequence: { data_plane_id: { instance: 'dp-1', seq_no: seq }, control_plane_seq_no: seq },
        origin,
        timestamp: new Date(t).toISOString(),
        message: o.message ?? `${type} event`,
        level: o.level ?? 'INFO',
        maturity_level: 'STABLE',
        error: o.error ?? null,
        // event_log() returns details as a JSON string; half the rows keep it as an object
        details: details === null ? null : seq % 2 === 0 ? JSON.stringify(details) : details,
        event_type: type,
      };
      return row;
    };
    yield ev('create_update', start, { create_update: { cause: 'JOB_TASK', full_refresh: false, config: { configuration: { 'pipelines.trigger.interval': '6 hours' } } } }, { message: 'Update started by JOB_TASK.' });
    const phases: [string, number][] = [
      ['QUEUED', 0],
      ['CREATED', 5_000],
      ['WAITING_FOR_RESOURCES', 10_000],
      ['INITIALIZING', 250_000],
      ['SETTING_UP_TABLES', 330_000],
      ['RUNNING', 420_000],
    ];
    for (const [state, at] of phases) yield ev('update_progress', start + at, { update_progress: { state } }, { message: `Update ${updateId.slice(0, 6)} is ${state}.` });
    yield ev('runtime_details', start + 250_000, { runtime_details: { runtime_version: { dbr_version: '16.4.x-photon-scala2.12' } } });
    for (const f of flows) {
      yield ev(
        'flow_definition',
        start + 340_000,
        { flow_definition: { output_dataset: f, input_datasets: [{ name: 'main.sales.raw_orders' }], flow_type: 'APPEND', language: 'PYTHON', explain_text: '== Physical Plan ==\n*(1) Project' } },
        { flow: f, message: `Flow '${f}' has been defined.` },
      );
    }
    // the bulk: flow_progress for every flow and cluster_resources, interleaved over the running phase
    const bulk = perUpdate - 2 - phases.length - FLOWS;
    const clusterEvery = 9; // one cluster_resources per 8 flow_progress
    for (let i = 0; i < bulk && emitted < total; i++) {
      const t = runningAt + Math.floor((i / bulk) * runSeconds * 1000);
      if (i % clusterEvery === 0) {
        const executors = 4 + Math.floor(rand() * 5);
        const util = 0.5 + rand() * 0.5;
        const queued = Math.floor(rand() * 20);
        const details =
          i % 2 === 0
            ? {
                cluster_resources: {
                  task_slot_metrics: { summary_duration_ms: 60000, num_task_slots: executors * 8, avg_num_task_slots: executors * 8, avg_task_slot_utilization: util, num_executors: executors, avg_num_queued_tasks: queued },
                  autoscale_info: { state: 'SUCCEEDED', optimal_num_executors: executors + 1, latest_requested_num_executors: executors, request_pending_seconds: 0 },
                },
              }
            : {
                cluster_resources: { num_task_slots: executors * 8, avg_num_task_slots: executors * 8, avg_task_slot_utilization: util, num_executors: executors, avg_num_queued_tasks: queued, optimal_num_executors: executors + 1, latest_requested_num_executors: executors, state: 'CLUSTER_AT_DESIRED_SIZE' },
              };
        yield ev('cluster_resources', t, details, { level: 'METRICS', message: 'Cluster resources' });
      } else {
        const f = flows[i % FLOWS]!;
        const rows = Math.floor(rand() * 100_000);
        yield ev(
          'flow_progress',
          t,
          {
            flow_progress: {
              status: 'RUNNING',
              metrics: {
                num_output_rows: rows,
                num_output_bytes: rows * 120,
                backlog_bytes: Math.floor(rand() * 1e9),
                backlog_files: Math.floor(rand() * 500),
                executor_time_ms: Math.floor(rand() * 60_000),
                executor_cpu_time_ms: Math.floor(rand() * 40_000),
              },
              data_quality: { dropped_records: Math.floor(rand() * 3), expectations: [{ name: 'valid_id', dataset: f, passed_records: rows, failed_records: 0 }] },
            },
          },
          { flow: f, level: 'METRICS', message: `Completed a streaming update of '${f}'.` },
        );
      }
    }
    for (const f of flows) if (emitted < total) yield ev('flow_progress', end - 1000, { flow_progress: { status: 'COMPLETED' } }, { flow: f, message: `Flow '${f}' is COMPLETED.` });
    if (emitted < total) yield ev('update_progress', end, { update_progress: { state: 'COMPLETED' } }, { message: `Update ${updateId.slice(0, 6)} is COMPLETED.` });
  }
}

async function childParse(dir: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let lines = 0;
  await forEachLine(createReadStream(join(dir, 'events.jsonl'), { highWaterMark: 1 << 20 }), (line) => {
    JSON.parse(line);
    lines++;
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, lines, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function childAnalyse(dir: string, engine: 'js' | 'warehouse'): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // 1,000,000 generated events are ~1.0e9 bytes, just under the default 1 GiB budget
  // (src/bundle/limits.ts): lift it so a larger --events measures the reader, not the limit
  const { evidence, stats } = await readBundle(dir, { engine, limits: { maxBytes: Number.MAX_SAFE_INTEGER } });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs: (c.user + c.system) / 1000,
      lines: stats.events + stats.skipped,
      events: stats.events,
      skipped: stats.skipped,
      update: evidence.update.id,
      flows: evidence.flows.length,
      clusterSamples: evidence.clusterResources.length,
      history: evidence.history.length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

function runChild(mode: 'parse' | 'analyse' | 'warehouse', dir: string): Record<string, number | string> {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, script, '--child', mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${mode} child failed (exit ${r.status})`);
  }
  return JSON.parse(r.stdout) as Record<string, number | string>;
}

async function main(): Promise<void> {
  const child = arg('--child');
  if (child) {
    const dir = process.argv[process.argv.indexOf('--child') + 2]!;
    return child === 'parse' ? childParse(dir) : childAnalyse(dir, child === 'warehouse' ? 'warehouse' : 'js');
  }
  const total = Number(arg('--events') ?? 1_000_000);
  const given = arg('--dir');
  const dir = given ?? mkdtempSync(join(tmpdir(), 'dlt-bench-'));
  try {
    if (!given || !existsSync(join(dir, 'events.jsonl'))) {
      const t0 = performance.now();
      await writeBundle(dir, {
        pipeline: {
          pipeline_id: PIPELINE_ID,
          name: 'sales_medallion',
          state: 'IDLE',
          spec: { id: PIPELINE_ID, name: 'sales_medallion', photon: true, serverless: false, clusters: [{ label: 'default', autoscale: { min_workers: 2, max_workers: 8, mode: 'ENHANCED' }, node_type_id: 'i3.2xlarge' }] },
        },
        updates: null,
        events: generateEvents(total),
      });
      console.log(`generated ${total.toLocaleString('en-US')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${dir}`);
    }
    // the machine may be shared: alternate the two measurements and keep the best of each
    const rounds = Math.max(1, Number(arg('--rounds') ?? 2));
    let parse: Record<string, number | string> | null = null;
    let analyse: Record<string, number | string> | null = null;
    let rss = 0;
    let offline: Record<string, number | string> | null = null;
    for (let r = 0; r < rounds; r++) {
      const p = runChild('parse', dir);
      const a = runChild('analyse', dir);
      if (parse === null || Number(p.cpuMs) < Number(parse.cpuMs)) parse = p;
      if (analyse === null || Number(a.cpuMs) < Number(analyse.cpuMs)) analyse = a;
      rss = Math.max(rss, Number(a.maxRssMb));
      // the offline workspace (engine 'warehouse', issue 16 item 2): measured, not yet the default
      if (process.argv.includes('--offline')) {
        const w = runChild('warehouse', dir);
        if (offline === null || Number(w.ms) < Number(offline.ms)) offline = w;
      }
    }
    if (parse === null || analyse === null) throw new Error('no measurement');
    // CPU time (user + system) is the throughput measure: on a shared machine wall time mostly
    // measures the neighbours; both are printed
    const parseRate = Number(parse.lines) / (Number(parse.cpuMs) / 1000);
    const analyseRate = Number(analyse.lines) / (Number(analyse.cpuMs) / 1000);
    const ratio = analyseRate / parseRate;
    const wallRatio = Number(parse.ms) / Number(analyse.ms);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const secs = (ms: unknown) => (Number(ms) / 1000).toFixed(2);
    console.log(`(a) bare JSON.parse:              ${fmt(Number(parse.lines))} lines, CPU ${secs(parse.cpuMs)} s (wall ${secs(parse.ms)} s) = ${fmt(parseRate)} lines/CPU-s (peak RSS ${fmt(Number(parse.maxRssMb))} MB)`);
    console.log(`(b) readBundle + buildEvidence:   ${fmt(Number(analyse.lines))} lines, CPU ${secs(analyse.cpuMs)} s (wall ${secs(analyse.ms)} s) = ${fmt(analyseRate)} lines/CPU-s`);
    console.log(`    update ${analyse.update}: ${analyse.flows} flows, ${analyse.clusterSamples} cluster samples, ${analyse.history} earlier updates, ${analyse.skipped} skipped`);
    console.log(`throughput ratio (b ÷ a): ${ratio.toFixed(2)} by CPU time, ${wallRatio.toFixed(2)} by wall time (target ≥ ${TARGET_RATIO})`);
    console.log(`peak RSS of (b): ${fmt(rss)} MB (target < ${TARGET_RSS_MB} MB)`);
    if (offline) {
      const w = offline;
      console.log(`(c) offline workspace (DuckDB + the live statements): CPU ${secs(w.cpuMs)} s (wall ${secs(w.ms)} s), peak RSS ${fmt(Number(w.maxRssMb))} MB; wall ratio (a ÷ c) ${(Number(parse.ms) / Number(w.ms)).toFixed(2)} (issue 16 asks ≥ 2 and < 300 MB; not the default until it does)`);
      console.log(`    update ${w.update}: ${w.flows} flows, ${w.clusterSamples} cluster samples, ${w.history} earlier updates`);
    }
    const ok = ratio >= TARGET_RATIO && rss < TARGET_RSS_MB;
    console.log(ok ? 'PASS' : 'FAIL');
    if (!ok) process.exitCode = 1;
  } finally {
    if (!given && !process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
