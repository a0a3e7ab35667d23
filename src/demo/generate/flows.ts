/**
 * The flows of one update: their definitions (dataset_definition / flow_definition during INITIALIZING)
 * and their progress (flow_progress QUEUED → STARTING → RUNNING → COMPLETED, per-minute METRICS of
 * streaming flows, planning_information of materialized views, Auto Loader listings, failures).
 *
 * Executor time: while a flow runs it gets a share of the cluster's busy slots (executors × cores × slot
 * utilization) in proportion to its weight among the flows running then, so flows differ widely in size.
 * Its executor CPU / executor time is the traits' cpuRatio for the hot flows (the scenario's cause) and an
 * ordinary 0.75–0.85 for the others — what healthy ETL flows report.
 */
import { explainScan } from '../scenarios/helpers.js';
import { driverResultSizeError, gcOverheadError, oomError, permissionError, pushEvent } from './events.js';
import { fq } from './facts.js';
import type { ClusterProfile, Ctx, FlowRuntime, Timeline, UpdatePlan } from './model.js';
import { GB, SEC, clamp } from './units.js';

const TERMINAL_FLOW = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'SKIPPED']);

/** The flow's name as Databricks writes it in messages: `Flow 'orders_clean' has COMPLETED.` */
const shortName = (f: FlowRuntime): string => f.def.table;

export function genDefinitions(ctx: Ctx, u: UpdatePlan, tl: Timeline, flows: FlowRuntime[]): void {
  const { def } = ctx;
  const tr = u.traits;
  // graph resolution happens once the cluster is ready: after init scripts and libraries when there are any
  const defFrom = tr.initBusy ? tl.tInit + tl.initS * SEC * 0.93 : tl.tInit + tl.initS * SEC * 0.3;
  const defSpan = tr.initBusy ? tl.initS * SEC * 0.05 : tl.initS * SEC * 0.6;
  const datasets = new Set<string>();
  flows.forEach((f, i) => {
    const t = defFrom + (defSpan * i) / Math.max(1, flows.length);
    if (!datasets.has(f.dataset)) {
      datasets.add(f.dataset);
      pushEvent(ctx, {
        t: t - 50,
        type: 'dataset_definition',
        update: u,
        dataPlane: true,
        flow: f,
        message: `Dataset '${f.dataset}' defined as ${f.def.kind === 'mv' ? 'MATERIALIZED_VIEW' : 'STREAMING_TABLE'}.`,
        details: {
          dataset_definition: {
            dataset_type: f.def.kind === 'mv' ? 'MATERIALIZED_VIEW' : 'STREAMING_TABLE',
            num_flows: 1,
            expectations: (f.def.expectations ?? []).map((name) => ({ name, action: 'DROP' })),
          },
        },
      });
    }
    pushEvent(ctx, {
      t,
      type: 'flow_definition',
      update: u,
      dataPlane: true,
      flow: f,
      message: `Flow '${shortName(f)}' is defined as ${f.def.flowType}.`,
      details: {
        flow_definition: {
          output_dataset: f.dataset,
          input_datasets: f.def.inputs.map((x) => fq(def, x)),
          flow_type: f.def.flowType,
          explain_text: f.def.explain ?? explainScan(fq(def, f.def.inputs[0] ?? f.def.table), 'id, payload, updated_at'),
          language: f.def.language,
          spark_conf: [],
          once: false,
        },
      },
    });
  });
}

function failureError(u: UpdatePlan, flow: FlowRuntime | undefined, ctx: Ctx): Record<string, unknown> {
  const kind = u.traits.failure ?? 'oom';
  if (kind === 'driver-result-size') return driverResultSizeError();
  if (kind === 'permission') {
    const input = fq(ctx.def, flow?.def.inputs[0] ?? '');
    return permissionError(input.split('.').slice(0, 2).join('.'));
  }
  return oomError(true, 4);
}

/** The error of a FAILED update (the same as its failing flow's). */
export function updateFailure(ctx: Ctx, u: UpdatePlan, flows: FlowRuntime[]): Record<string, unknown> {
  return failureError(u, flows.find((f) => f.def.failing), ctx);
}

export function genFlows(ctx: Ctx, u: UpdatePlan, tl: Timeline, prof: ClusterProfile | null, flows: FlowRuntime[]): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const { tRun, tRunEnd, runningS, metricEvery } = tl;
  const runMs = runningS * SEC;
  const windowOf = (f: FlowRuntime) => [tRun + f.def.at[0] * runMs, tRun + f.def.at[1] * runMs] as const;
  const activeWeight = (t: number): number => {
    let sum = 0;
    for (const f of flows) {
      const [a, b] = windowOf(f);
      if (t >= a && t <= b) sum += f.weight;
    }
    return Math.max(sum, 0.05);
  };
  /** executor time of flow f over `span` ms ending near t */
  const execOf = (f: FlowRuntime, t: number, span: number): number => {
    const slots = prof ? prof.executorsAt(t) * prof.cores : 32;
    const util = prof ? prof.utilAt(t) : tr.util;
    return (slots * span * clamp(util, 0.05, 1) * f.weight) / activeWeight(t);
  };
  // per flow and update: hot flows carry the scenario's ratio, the others an ordinary one
  const ratios = flows.map((f) => (f.hot && tr.cpuRatio !== null ? tr.cpuRatio : rng.range(0.75, 0.85)));

  let oomsLeft = tr.oom === 'retried' ? 3 : 0;
  let failedFlow = false;
  flows.forEach((f, fi) => {
    const short = shortName(f);
    const [, fe] = windowOf(f);
    const fs = windowOf(f)[0] + 800 + fi * 37;
    const flowPush = (t: number, status: string, extra: { level?: string; metrics?: Record<string, unknown>; dq?: Record<string, unknown>; error?: Record<string, unknown>; message?: string } = {}) =>
      pushEvent(ctx, {
        t,
        type: 'flow_progress',
        update: u,
        dataPlane: true,
        flow: f,
        level: extra.level ?? 'INFO',
        message: extra.message ?? `Flow '${short}' ${TERMINAL_FLOW.has(status) ? 'has' : 'is'} ${status}.`,
        details: { flow_progress: { status, ...(extra.metrics ? { metrics: extra.metrics } : {}), ...(extra.dq ? { data_quality: extra.dq } : {}) } },
        ...(extra.error ? { error: extra.error } : {}),
      });
    if (fs >= tRunEnd) {
      if (u.state !== 'COMPLETED') flowPush(tRunEnd + 500, u.state === 'FAILED' ? 'SKIPPED' : 'STOPPED');
      return;
    }
    flowPush(tRun + 200 + fi * 13, 'QUEUED');
    flowPush(fs, 'STARTING');
    if (f.def.kind === 'mv' && f.def.planning) genPlanning(ctx, u, f, fs + 1500);
    if (f.def.source === 'autoloader') {
      const small = tr.smallFiles;
      const listed = small ? Math.round(rng.jitter(small.start, 0.02)) : Math.round(rng.int(120, 480) * u.rowsFactor);
      const path = f.def.sourceName ?? '';
      pushEvent(ctx, { t: fs + 700, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader started listing ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'STARTED', auto_loader_details: { source_path: path } } } });
      const durMs = small ? rng.range(380, 460) * SEC : rng.range(2, 9) * SEC;
      pushEvent(ctx, { t: fs + 700 + durMs, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader listed ${listed} files in ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'COMPLETED', duration_ms: Math.round(durMs), auto_loader_details: { source_path: path, num_files_listed: listed } } } });
    }
    flowPush(fs + 2500, 'RUNNING');

    const end = Math.min(fe, tRunEnd);
    const streaming = f.def.source !== undefined;

    // OOM: three retried failures on the failing flow
    if (tr.oom === 'retried' && f.def.failing) {
      for (let k = 0; k < oomsLeft; k++) {
        const t = fs + ((end - fs) * (k + 1)) / 5;
        flowPush(t, 'FAILED', { level: 'ERROR', error: oomError(false, 2 + k), message: `Flow '${short}' has FAILED. It will be retried.` });
        flowPush(t + 15 * SEC, 'STARTING');
        flowPush(t + 25 * SEC, 'RUNNING');
      }
      oomsLeft = 0;
    }
    // GC thrash: executors lose tasks to `GC overhead limit exceeded`, Spark retries them, the flow goes on
    if (tr.gcWarnings > 0 && f.def.failing) {
      for (let k = 0; k < tr.gcWarnings; k++) {
        const t = fs + ((end - fs) * (k + 0.7)) / (tr.gcWarnings + 0.5) + rng.range(-40, 40) * SEC;
        const executor = 1 + ((k * 3 + 2) % Math.max(2, prof?.target ?? 4));
        const error = gcOverheadError(executor, 12 + k * 29);
        const first = (error.exceptions as { message: string }[])[0]?.message ?? '';
        flowPush(clamp(t, fs + 3 * SEC, end - 3 * SEC), 'RUNNING', { level: 'WARN', error, message: first });
      }
    }

    if (streaming) {
      const grow = fi === 0 && tr.backlog !== null ? tr.backlog : null;
      const b0 = grow ? grow[0] : (f.def.backlogBytes ?? GB) * rng.jitter(1, 0.05) * u.rowsFactor;
      const b1 = grow ? grow[1] : b0 * 0.05;
      const small = f.def.source === 'autoloader' ? tr.smallFiles : null;
      const steps = Math.max(1, Math.floor((end - fs - 3 * SEC) / metricEvery));
      for (let k = 1; k <= steps; k++) {
        const t = fs + 3 * SEC + k * metricEvery;
        if (t >= end) break;
        const frac = k / steps;
        const pe = execOf(f, t, metricEvery);
        const pc = pe * clamp(rng.jitter(ratios[fi] ?? 0.8, 0.03), 0.05, 0.99);
        let bytes: number;
        let files: number | null = null;
        if (small) {
          files = Math.round(small.start + (small.end - small.start) * frac);
          bytes = files * small.fileBytes;
        } else {
          // growing backlogs grow monotonically with positive noise; others drain with a little noise
          bytes = grow ? b0 + (b1 - b0) * frac * rng.range(0.97, 1) : Math.max(0, b0 + (b1 - b0) * frac) * rng.range(0.98, 1);
          if (grow && k > 1) bytes = Math.max(bytes, b0 + (b1 - b0) * ((k - 1) / steps));
          if (f.def.fileBytes) files = Math.max(0, Math.round(bytes / f.def.fileBytes));
        }
        const metrics: Record<string, unknown> = {
          backlog_bytes: Math.round(bytes),
          executor_time_ms: Math.round(pe),
          executor_cpu_time_ms: Math.round(pc),
        };
        if (files !== null) metrics.backlog_files = files;
        if (f.def.source === 'kafka') {
          metrics.backlog_records = Math.round(bytes / f.def.rowBytes);
          metrics.source_metrics = [{ source_name: f.def.sourceName, backlog_bytes: Math.round(bytes), backlog_records: Math.round(bytes / f.def.rowBytes) }];
        }
        flowPush(t, 'RUNNING', { level: 'METRICS', metrics, message: `Completed a streaming update of '${f.name}'.` });
      }
    }

    if (u.state === 'FAILED' && f.def.failing && !failedFlow && tr.failure !== null) {
      failedFlow = true;
      flowPush(tRunEnd - 2 * SEC, 'FAILED', { level: 'ERROR', error: failureError(u, f, ctx), message: `Flow '${short}' has FAILED fatally. An error occurred.` });
      return;
    }
    if (fe > tRunEnd && u.state === 'FAILED') {
      flowPush(tRunEnd + 600, 'STOPPED');
      return;
    }
    const stopped = u.state === 'CANCELED' && fe >= tRunEnd;
    // rows stay flat across incremental updates (ledger_nightly's regression is a slowdown, not data growth)
    const rowsTotal = Math.round(f.def.rows * rng.jitter(1, 0.04) * u.rowsFactor);
    const metrics: Record<string, unknown> = {
      num_output_rows: f.def.flowType === 'CHANGE' ? 0 : rowsTotal,
      num_output_bytes: Math.round(rowsTotal * f.def.rowBytes),
    };
    if (f.def.flowType === 'CHANGE') {
      metrics.num_upserted_rows = rowsTotal;
      metrics.num_deleted_rows = Math.round(rowsTotal * 0.002);
    }
    if (!streaming) {
      // batch flows report their whole executor time at the end: summed per minute of their run
      let pe = 0;
      for (let t = fs; t < end; t += 60 * SEC) pe += execOf(f, t, Math.min(60 * SEC, end - t));
      metrics.executor_time_ms = Math.round(pe);
      metrics.executor_cpu_time_ms = Math.round(pe * (ratios[fi] ?? 0.8));
    }
    const dq = f.def.expectations
      ? {
          dropped_records: Math.round(rowsTotal * 0.0004),
          expectations: f.def.expectations.map((name) => ({ name, dataset: f.dataset, passed_records: rowsTotal, failed_records: Math.round(rowsTotal * 0.0002) })),
        }
      : undefined;
    // a canceled (continuous) update stops its flows; the terminal row still carries the totals
    flowPush(end, stopped ? 'STOPPED' : 'COMPLETED', { metrics, ...(dq ? { dq } : {}) });
  });
}

/** planning_information of a materialized view: ROW_BASED, a blocked COMPLETE_RECOMPUTE, or a full refresh's recompute. */
function genPlanning(ctx: Ctx, u: UpdatePlan, f: FlowRuntime, t: number): void {
  const { def } = ctx;
  const recompute = f.def.planning === 'recompute';
  const targetInfo = { table_name: f.dataset, catalog_table_type: 'MATERIALIZED_VIEW', is_row_id_enabled: true, is_cdf_enabled: false };
  let techniques: Record<string, unknown>[];
  let chosen: string;
  if (u.fullRefresh) {
    // a full refresh recomputes every materialized view; nothing blocks incrementalization
    chosen = 'COMPLETE_RECOMPUTE';
    techniques = [{ maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true }];
  } else if (recompute) {
    chosen = 'COMPLETE_RECOMPUTE';
    techniques = [
      {
        maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED',
        is_chosen: false,
        is_applicable: false,
        incrementalization_issues: [
          {
            issue_type: 'CDF_UNAVAILABLE',
            prevent_incrementalization: true,
            table_information: { table_name: fq(def, f.def.inputs[0] ?? ''), is_cdf_enabled: false, is_row_id_enabled: false },
          },
        ],
      },
      { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true },
    ];
  } else {
    chosen = 'ROW_BASED';
    techniques = [
      { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: true, is_applicable: true, change_set_information: { change_set_type: 'CHANGE_SET_TYPE_GENERAL_ROW_CHANGE' } },
      { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: false, is_applicable: true },
    ];
  }
  pushEvent(ctx, {
    t,
    type: 'planning_information',
    update: u,
    dataPlane: true,
    flow: f,
    maturity: 'EVOLVING',
    message: `Flow '${shortName(f)}' has been planned to be executed as ${chosen}.`,
    details: {
      planning_information: {
        technique_information: techniques,
        source_table_information: f.def.inputs.map((x) => ({ table_name: fq(def, x), is_cdf_enabled: !recompute, is_row_id_enabled: !recompute })),
        target_table_information: targetInfo,
      },
    },
  });
}
