/**
 * A tiny hand-written demo workspace for the demo REST server's tests (the same shape as
 * DemoWorkspaceData from src/demo/generate.ts: GET bodies, updates newest first, event-log rows
 * oldest first with `details`).
 */
import type { DemoRestData, DemoRestPipeline } from '../../src/demo/rest-server.js';

export const DEMO_T0 = Date.parse('2026-11-20T06:00:00Z');
const MIN = 60_000;

function events(pipelineId: string, name: string, updateId: string, start: number, opts: { fail?: boolean; executors: number }) {
  const rows: object[] = [];
  let n = 0;
  const ev = (offsetMin: number, event_type: string, level: string, message: string, details: object, extra: object = {}) =>
    rows.push({
      id: `${updateId}-ev-${String(n++).padStart(3, '0')}`,
      timestamp: new Date(start + offsetMin * MIN).toISOString(),
      event_type,
      level,
      message,
      maturity_level: 'STABLE',
      sequence: { control_plane_seq_no: n },
      origin: { pipeline_id: pipelineId, pipeline_name: name, update_id: updateId, cluster_id: `cl-${pipelineId}` },
      details,
      ...extra,
    });
  ev(0, 'create_update', 'INFO', 'Update started by JOB_TASK.', { create_update: { cause: 'JOB_TASK', full_refresh: false } });
  ev(0.1, 'update_progress', 'INFO', 'Update is WAITING_FOR_RESOURCES.', { update_progress: { state: 'WAITING_FOR_RESOURCES' } });
  ev(4, 'update_progress', 'INFO', 'Update is INITIALIZING.', { update_progress: { state: 'INITIALIZING' } });
  ev(5, 'update_progress', 'INFO', 'Update is RUNNING.', { update_progress: { state: 'RUNNING' } });
  for (let m = 6; m <= 24; m += 3) {
    ev(m, 'cluster_resources', 'METRICS', 'Cluster resources.', {
      cluster_resources: {
        task_slot_metrics: { num_executors: opts.executors, num_task_slots: opts.executors * 8, avg_task_slot_utilization: 0.97, avg_num_queued_tasks: 40 },
        autoscale_info: { state: 'SCALE_UP_REQUESTED', latest_requested_num_executors: opts.executors * 2 },
      },
    });
  }
  ev(10, 'flow_progress', 'INFO', `Flow '${name}' is RUNNING.`, { flow_progress: { status: 'RUNNING' } });
  ev(12, 'flow_progress', 'WARN', 'Executor lost, retrying.', { flow_progress: { status: 'RUNNING' } });
  if (opts.fail) {
    ev(25, 'flow_progress', 'ERROR', `Flow '${name}' has FAILED.`, { flow_progress: { status: 'FAILED' } }, {
      error: { fatal: true, exceptions: [{ class_name: 'java.lang.OutOfMemoryError', message: 'Java heap space' }] },
    });
    ev(26, 'update_progress', 'ERROR', 'Update is FAILED.', { update_progress: { state: 'FAILED' } });
  } else {
    ev(25, 'flow_progress', 'INFO', `Flow '${name}' is COMPLETED.`, { flow_progress: { status: 'COMPLETED', metrics: { num_output_rows: 1_000_000 } } });
    ev(26, 'update_progress', 'INFO', 'Update is COMPLETED.', { update_progress: { state: 'COMPLETED' } });
  }
  return rows;
}

export function demoPipeline(id: string, name: string, opts: { maxWorkers?: number; fail?: boolean; scenario?: string } = {}): DemoRestPipeline {
  const maxWorkers = opts.maxWorkers ?? 4;
  const u1 = `${id}-u1`;
  const u2 = `${id}-u2`;
  const spec = {
    id,
    name,
    catalog: 'main',
    schema: 'sales',
    photon: false,
    continuous: false,
    channel: 'CURRENT',
    edition: 'ADVANCED',
    clusters: [{ label: 'default', node_type_id: 'i3.xlarge', autoscale: { min_workers: 1, max_workers: maxWorkers, mode: 'ENHANCED' } }],
    libraries: [{ notebook: { path: `/Repos/etl/${name}` } }],
    root_path: `/Workspace/etl/${name}`,
  };
  return {
    scenario: opts.scenario ?? 'healthy',
    pipeline: {
      pipeline_id: id,
      name,
      state: 'IDLE',
      health: opts.fail ? 'UNHEALTHY' : 'HEALTHY',
      cluster_id: `cl-${id}`,
      creator_user_name: 'ana@example.com',
      last_modified: DEMO_T0 - 86_400_000,
      latest_updates: [
        { update_id: u2, state: opts.fail ? 'FAILED' : 'COMPLETED', creation_time: new Date(DEMO_T0).toISOString() },
        { update_id: u1, state: 'COMPLETED', creation_time: new Date(DEMO_T0 - 86_400_000).toISOString() },
      ],
      spec,
    },
    updates: [
      { pipeline_id: id, update_id: u2, state: opts.fail ? 'FAILED' : 'COMPLETED', cause: 'JOB_TASK', creation_time: DEMO_T0, full_refresh: false, cluster_id: `cl-${id}` },
      { pipeline_id: id, update_id: u1, state: 'COMPLETED', cause: 'JOB_TASK', creation_time: DEMO_T0 - 86_400_000, full_refresh: false, cluster_id: `cl-${id}` },
    ],
    events: [
      ...events(id, name, u1, DEMO_T0 - 86_400_000, { executors: maxWorkers }),
      ...events(id, name, u2, DEMO_T0, { executors: maxWorkers, fail: opts.fail }),
    ],
  };
}

/** three pipelines (one failing with an OOM), plus `extra` trivial ones for paging tests */
export function demoRestData(extra = 0): DemoRestData {
  const pipelines = [
    demoPipeline('p-bbb', 'orders_silver', { scenario: 'cpu-bound', maxWorkers: 4 }),
    demoPipeline('p-aaa', 'orders_bronze'),
    demoPipeline('p-ccc', 'customers_gold', { fail: true, scenario: 'oom', maxWorkers: 2 }),
  ];
  for (let i = 0; i < extra; i++) {
    const id = `p-x${String(i).padStart(4, '0')}`;
    pipelines.push({ pipeline: { pipeline_id: id, name: `extra_${i}`, state: 'IDLE', spec: { id, name: `extra_${i}` } }, updates: [], events: [] });
  }
  return { pipelines };
}
