/** One update's event stream: phases, definitions, cluster metrics and flow progress. */
import type { Ctx, FlowRuntime, UpdatePlan } from './model.js';
import { explainScan } from '../scenarios/helpers.js';
import { NODE_TYPES, genUsage } from './billing.js';
import { oomError, pushEvent } from './events.js';
import { fq, maxWorkers, targetExecutors } from './facts.js';
import { genNodes } from './nodes.js';
import { GB, MIN, SEC, clamp, round } from './units.js';

export function genUpdate(ctx: Ctx, u: UpdatePlan, flowRuntimes: FlowRuntime[]): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const classic = !def.serverless;
  const short = u.id.slice(0, 6);
  const t0 = u.start;

  // ---- phases
  const waitS = rng.jitter(tr.waitS, 0.08);
  const initS = rng.jitter(tr.initS, 0.08);
  const setupS = rng.jitter(tr.setupS, 0.08);
  const runningS = Math.max(300, u.durationS - waitS - initS - setupS - 8);
  const tWait = t0 + 2 * SEC + rng.range(0, 800);
  const tInit = tWait + waitS * SEC;
  const tSetup = tInit + initS * SEC;
  const tRun = tSetup + setupS * SEC;
  const failAt = u.state === 'FAILED' ? 0.62 : 1;
  const tRunEnd = tRun + runningS * SEC * failAt;
  const tEnd = tRunEnd + (u.state === 'CANCELED' ? 20 * SEC : 1.5 * SEC);
  // per-minute METRICS rows for recent updates, coarser for older ones; capped per series (continuous runs last days)
  const metricEvery = u.recent ? Math.max(MIN, (runningS * SEC) / 240) : Math.max(5 * MIN, (runningS * SEC) / 120);

  // ---- create_update, user_action, early update_progress
  if (u.cause === 'USER_ACTION') {
    pushEvent(ctx, { t: t0 - 400, type: 'user_action', message: `User ${def.owner} started an update.`, details: { user_action: { action: 'START', user_name: def.owner, user_id: 4_100_000_000_000 + (ctx.orgId % 1000) } } });
  }
  pushEvent(ctx, {
    t: t0,
    type: 'create_update',
    update: u,
    message: `Update ${short} started by ${u.cause}.`,
    details: { create_update: { cause: u.cause, full_refresh: false, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: def.owner } },
  });
  const progress = (t: number, state: string, extra: { error?: Record<string, unknown>; level?: string; cancellation?: string } = {}) =>
    pushEvent(ctx, {
      t,
      type: 'update_progress',
      update: u,
      level: extra.level ?? 'INFO',
      message: `Update ${short} is ${state}.`,
      details: { update_progress: { state, ...(extra.cancellation ? { cancellation_cause: extra.cancellation } : {}) } },
      ...(extra.error ? { error: extra.error } : {}),
    });
  progress(t0 + 300, 'QUEUED');
  progress(t0 + 1200, 'CREATED');
  progress(tWait, 'WAITING_FOR_RESOURCES');
  progress(tInit, 'INITIALIZING');
  pushEvent(ctx, {
    t: tInit + 4 * SEC,
    type: 'runtime_details',
    update: u,
    dataPlane: true,
    message: 'Pipeline runtime details.',
    details: { runtime_details: { runtime_version: { dbr_version: classic ? '16.4' : 'serverless' }, image_key: classic ? `dlt:16.4.8-delta-pipelines-dlt-release-dp-2026.44-rc0-commit-${ctx.instance.slice(-7)}-image-${u.id.slice(0, 6)}` : null } },
  });

  // ---- definitions (during INITIALIZING)
  const datasets = new Set<string>();
  flowRuntimes.forEach((f, i) => {
    const t = tInit + (initS * SEC * (0.3 + (0.6 * i) / Math.max(1, flowRuntimes.length)));
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
      message: `Flow '${f.name}' is defined as ${f.def.flowType}.`,
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
  progress(tSetup, 'SETTING_UP_TABLES');
  progress(tRun, 'RUNNING');

  // ---- cluster: autoscale ramp, cluster_resources
  const maxW = maxWorkers(def);
  const target = targetExecutors(def, tr);
  const autoscale = def.cluster?.autoscale;
  const minW = autoscale?.min ?? def.cluster?.numWorkers ?? 0;
  const cores = NODE_TYPES[def.cluster?.nodeType ?? 'i3.2xlarge']?.cores ?? 8;
  const optimal = tr.optimal ?? target;
  const rampEnd = tRun + 3 * MIN;
  const executorsAt = (t: number): number => {
    if (!autoscale) return target;
    if (t < tRun) return minW;
    if (t >= rampEnd) return target;
    return Math.round(minW + ((target - minW) * (t - tRun)) / (rampEnd - tRun));
  };
  if (classic && autoscale && target > minW) {
    pushEvent(ctx, {
      t: tRun + 20 * SEC,
      type: 'autoscale',
      update: u,
      dataPlane: true,
      maturity: 'EVOLVING',
      message: `Scaling up cluster from ${minW} to ${target} executors.`,
      details: { autoscale: { status: 'RESIZING', optimal_num_executors: optimal, requested_num_executors: target } },
    });
    pushEvent(ctx, {
      t: rampEnd,
      type: 'autoscale',
      update: u,
      dataPlane: true,
      maturity: 'EVOLVING',
      message: `Cluster resized to ${target} executors.`,
      details: { autoscale: { status: 'SUCCEEDED', optimal_num_executors: optimal, requested_num_executors: target } },
    });
    if (optimal > target) {
      for (let t = rampEnd + 10 * MIN; t < tRunEnd; t += 10 * MIN) {
        pushEvent(ctx, {
          t,
          type: 'autoscale',
          update: u,
          dataPlane: true,
          maturity: 'EVOLVING',
          message: `Optimal cluster size is ${optimal} executors, capped at max_workers ${maxW}.`,
          details: { autoscale: { status: 'SUCCEEDED', optimal_num_executors: optimal, requested_num_executors: target } },
        });
      }
    }
  }
  if (classic) {
    for (let t = tSetup + 30 * SEC; t < tRunEnd; t += metricEvery) {
      const running = t >= tRun;
      const ex = executorsAt(t);
      const slots = ex * cores;
      const util = running ? clamp(rng.jitter(tr.util, 0.03), 0.01, 0.995) : rng.range(0.02, 0.08);
      const queued = running ? Math.max(0, Math.round(rng.jitter(tr.queued, 0.25))) : 0;
      const reqEx = running ? target : minW;
      const opt = running ? optimal : minW;
      const scalingUp = running && ex < target;
      // the same slot metrics sit at the top of the older flat shape and inside task_slot_metrics in the nested one
      const slotMetrics = {
        num_task_slots: slots,
        avg_num_task_slots: slots,
        avg_task_slot_utilization: round(util, 3),
        num_executors: ex,
        avg_num_queued_tasks: queued,
      };
      const details =
        def.shape === 'flat'
          ? {
              cluster_resources: {
                ...slotMetrics,
                ...(autoscale
                  ? { state: scalingUp ? 'SCALE_UP_IN_PROGRESS_WAITING_FOR_EXECUTORS' : 'CLUSTER_AT_DESIRED_SIZE', optimal_num_executors: opt, latest_requested_num_executors: reqEx }
                  : {}),
              },
            }
          : {
              cluster_resources: {
                task_slot_metrics: { summary_duration_ms: Math.round(metricEvery), ...slotMetrics },
                ...(autoscale
                  ? { autoscale_info: { state: scalingUp ? 'RESIZING' : 'SUCCEEDED', optimal_num_executors: opt, latest_requested_num_executors: reqEx, request_pending_seconds: scalingUp ? round((t - tRun) / SEC, 1) : 0 } }
                  : {}),
              },
            };
      pushEvent(ctx, { t, type: 'cluster_resources', update: u, dataPlane: true, level: 'METRICS', maturity: 'EVOLVING', message: `Cluster has ${ex} executors and ${slots} task slots.`, details });
    }
  }

  // ---- flows
  const totalCores = classic ? target * cores : 32;
  const activeAt = (t: number): number =>
    Math.max(1, flowRuntimes.filter((f) => t >= tRun + f.def.at[0] * runningS * SEC && t <= tRun + f.def.at[1] * runningS * SEC).length);
  let oomsLeft = tr.oom === 'retried' ? 3 : 0;
  let failedFlow = false;
  flowRuntimes.forEach((f, fi) => {
    const fs = tRun + f.def.at[0] * runningS * SEC + 800 + fi * 37;
    const fe = tRun + f.def.at[1] * runningS * SEC;
    const flowPush = (t: number, status: string, extra: { level?: string; metrics?: Record<string, unknown>; dq?: Record<string, unknown>; error?: Record<string, unknown>; message?: string } = {}) =>
      pushEvent(ctx, {
        t,
        type: 'flow_progress',
        update: u,
        dataPlane: true,
        flow: f,
        level: extra.level ?? 'INFO',
        message: extra.message ?? `Flow '${f.name}' is ${status}.`,
        details: { flow_progress: { status, ...(extra.metrics ? { metrics: extra.metrics } : {}), ...(extra.dq ? { data_quality: extra.dq } : {}) } },
        ...(extra.error ? { error: extra.error } : {}),
      });
    if (fs >= tRunEnd) {
      if (u.state !== 'COMPLETED') flowPush(tRunEnd + 500, u.state === 'FAILED' ? 'SKIPPED' : 'STOPPED');
      return;
    }
    flowPush(tRun + 200 + fi * 13, 'QUEUED');
    flowPush(fs, 'STARTING');
    if (f.def.kind === 'mv' && f.def.planning) {
      const recompute = f.def.planning === 'recompute';
      const targetInfo = { table_name: f.dataset, catalog_table_type: 'MATERIALIZED_VIEW', is_row_id_enabled: true, is_cdf_enabled: false };
      pushEvent(ctx, {
        t: fs + 1500,
        type: 'planning_information',
        update: u,
        dataPlane: true,
        flow: f,
        maturity: 'EVOLVING',
        message: recompute
          ? `Flow '${f.name}' has been planned to be executed as COMPLETE_RECOMPUTE.`
          : `Flow '${f.name}' has been planned to be executed as ROW_BASED.`,
        details: {
          planning_information: {
            technique_information: recompute
              ? [
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
                ]
              : [
                  { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: true, is_applicable: true, change_set_information: { change_set_type: 'CHANGE_SET_TYPE_GENERAL_ROW_CHANGE' } },
                  { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: false, is_applicable: true },
                ],
            source_table_information: f.def.inputs.map((x) => ({ table_name: fq(def, x), is_cdf_enabled: !recompute, is_row_id_enabled: !recompute })),
            target_table_information: targetInfo,
          },
        },
      });
    }
    if (f.def.source === 'autoloader') {
      const small = tr.smallFiles;
      const listed = small ? Math.round(rng.jitter(small.start, 0.02)) : rng.int(120, 480);
      const path = f.def.sourceName ?? '';
      pushEvent(ctx, { t: fs + 700, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader started listing ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'STARTED', auto_loader_details: { source_path: path } } } });
      const durMs = small ? rng.range(380, 460) * SEC : rng.range(2, 9) * SEC;
      pushEvent(ctx, { t: fs + 700 + durMs, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader listed ${listed} files in ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'COMPLETED', duration_ms: Math.round(durMs), auto_loader_details: { source_path: path, num_files_listed: listed } } } });
    }
    flowPush(fs + 2500, 'RUNNING');

    const end = Math.min(fe, tRunEnd);
    const streaming = f.def.source !== undefined;
    const periodExec = (t: number, span: number) => (totalCores * span * clamp(tr.util, 0.05, 1)) / activeAt(t);

    // OOM: three retried failures, or one fatal, on the flow marked `oom`
    if (tr.oom === 'retried' && f.def.oom) {
      for (let k = 0; k < oomsLeft; k++) {
        const t = fs + ((end - fs) * (k + 1)) / 5;
        flowPush(t, 'FAILED', { level: 'ERROR', error: oomError(false, 2 + k), message: `Flow '${f.name}' has FAILED. It will be retried.` });
        flowPush(t + 15 * SEC, 'STARTING');
        flowPush(t + 25 * SEC, 'RUNNING');
      }
      oomsLeft = 0;
    }

    if (streaming) {
      const grow = fi === 0 && tr.backlog !== null ? tr.backlog : null;
      const b0 = grow ? grow[0] : (f.def.backlogBytes ?? GB) * rng.jitter(1, 0.05);
      const b1 = grow ? grow[1] : b0 * 0.05;
      const small = f.def.source === 'autoloader' ? tr.smallFiles : null;
      const steps = Math.max(1, Math.floor((end - fs - 3 * SEC) / metricEvery));
      for (let k = 1; k <= steps; k++) {
        const t = fs + 3 * SEC + k * metricEvery;
        if (t >= end) break;
        const frac = k / steps;
        const span = metricEvery;
        const pe = periodExec(t, span);
        const pc = pe * clamp(rng.jitter(tr.cpuRatio, 0.03), 0.05, 0.99);
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

    if (tr.oom === 'fatal' && f.def.oom && !failedFlow) {
      failedFlow = true;
      flowPush(tRunEnd - 2 * SEC, 'FAILED', { level: 'ERROR', error: oomError(true, 4), message: `Flow '${f.name}' has FAILED fatally. An error occurred.` });
      return;
    }
    if (fe > tRunEnd && u.state === 'FAILED') {
      flowPush(tRunEnd + 600, 'STOPPED');
      return;
    }
    const stopped = u.state === 'CANCELED' && fe >= tRunEnd;
    // rows stay flat across updates (ledger_nightly's regression is a slowdown, not data growth)
    const rowsTotal = Math.round(f.def.rows * rng.jitter(1, 0.04));
    const metrics: Record<string, unknown> = {
      num_output_rows: f.def.flowType === 'CHANGE' ? 0 : rowsTotal,
      num_output_bytes: Math.round(rowsTotal * f.def.rowBytes),
    };
    if (f.def.flowType === 'CHANGE') {
      metrics.num_upserted_rows = rowsTotal;
      metrics.num_deleted_rows = Math.round(rowsTotal * 0.002);
    }
    if (!streaming) {
      const span = end - fs;
      const pe = (totalCores * span * clamp(tr.util, 0.05, 1)) / Math.max(1, activeAt((fs + end) / 2));
      metrics.executor_time_ms = Math.round(pe);
      metrics.executor_cpu_time_ms = Math.round(pe * tr.cpuRatio);
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

  // ---- end of update
  if (u.state === 'FAILED') {
    progress(tEnd, 'FAILED', { level: 'ERROR', error: oomError(true, 4) });
  } else if (u.state === 'CANCELED') {
    pushEvent(ctx, { t: tRunEnd - 400, type: 'user_action', message: `User ${def.owner} stopped the pipeline.`, details: { user_action: { action: 'STOP', user_name: def.owner, user_id: 4_100_000_000_000 + (ctx.orgId % 1000) } } });
    progress(tRunEnd, 'STOPPING');
    progress(tEnd, 'CANCELED', { cancellation: 'USER_ACTION' });
  } else {
    progress(tEnd, 'COMPLETED');
  }

  // ---- node_timeline (recent updates of classic pipelines)
  if (classic && u.recent && u.clusterId) {
    genNodes(ctx, u, tInit, tRun, tEnd, executorsAt);
  }

  // ---- billing: one row per update-hour on the update's cluster
  genUsage(ctx, u, classic ? tInit : tWait, tEnd, (t) => (classic ? executorsAt(t) + 1 : 0));
}
