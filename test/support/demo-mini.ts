/**
 * A small hand-written demo workspace (the shape of src/demo/generate.ts's output, reduced to what
 * the SQL side reads): two pipelines, three updates each, events in Databricks' own shape
 * (origin/details objects, ISO timestamps), node timeline, billing usage and list prices.
 */
export const MINI_NOW = Date.parse('2026-11-20T12:00:00.000Z');

export const PIPELINE_A = 'aaaaaaaa-0000-4000-8000-000000000001';
export const PIPELINE_B = 'bbbbbbbb-0000-4000-8000-000000000002';

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

interface MiniUpdate {
  id: string;
  startedAt: number;
  /** minutes in WAITING_FOR_RESOURCES, INITIALIZING, RUNNING */
  phases: [number, number, number];
  state: 'COMPLETED' | 'FAILED' | 'RUNNING';
  rows: number;
  clusterId: string;
  fullRefresh?: boolean;
}

function eventsOf(pipelineId: string, name: string, u: MiniUpdate, flows: string[]) {
  let seq = 0;
  const origin = (extra: Record<string, unknown> = {}) => ({ pipeline_id: pipelineId, pipeline_name: name, update_id: u.id, cluster_id: u.clusterId, org_id: 1234567890123456, ...extra });
  const ev = (t: number, event_type: string, details: unknown, extra: Record<string, unknown> = {}, level = 'INFO') => ({
    id: `${u.id}-${++seq}`,
    sequence: { control_plane_seq_no: seq },
    origin: origin(extra),
    timestamp: iso(t),
    message: `${event_type} ${seq}`,
    level,
    maturity_level: 'STABLE',
    error: null as unknown,
    details,
    event_type,
  });
  const [wait, init, run] = u.phases;
  const t0 = u.startedAt;
  const tRun = t0 + (wait + init) * MIN;
  const tEnd = tRun + run * MIN;
  const out = [
    ev(t0, 'create_update', { create_update: { cause: 'JOB_TASK', full_refresh: u.fullRefresh ?? false, config: {} } }),
    ev(t0, 'update_progress', { update_progress: { state: 'WAITING_FOR_RESOURCES' } }),
    ev(t0 + wait * MIN, 'update_progress', { update_progress: { state: 'INITIALIZING' } }),
    ev(tRun, 'update_progress', { update_progress: { state: 'RUNNING' } }),
  ];
  flows.forEach((flow, i) => {
    out.push(ev(tRun, 'flow_definition', { flow_definition: { output_dataset: flow, flow_type: 'APPEND', input_datasets: ['raw'] } }, { flow_name: flow }));
    out.push(ev(tRun + MIN, 'flow_progress', { flow_progress: { status: 'RUNNING' } }, { flow_name: flow }));
    out.push(
      ev(
        tEnd - MIN,
        'flow_progress',
        { flow_progress: { status: 'COMPLETED', metrics: { num_output_rows: Math.round(u.rows / flows.length) + i, backlog_bytes: 0, executor_time_ms: 60_000, executor_cpu_time_ms: 40_000 } } },
        { flow_name: flow },
        'METRICS',
      ),
    );
  });
  for (let t = tRun; t < tEnd; t += 5 * MIN) {
    out.push(
      ev(t, 'cluster_resources', { cluster_resources: { task_slot_metrics: { num_executors: 4, num_task_slots: 16, avg_task_slot_utilization: 0.8, avg_num_queued_tasks: 2 }, autoscale_info: { state: 'SUCCEEDED', optimal_num_executors: 4, latest_requested_num_executors: 4 } } }, {}, 'METRICS'),
    );
  }
  if (u.state === 'FAILED') {
    const e = ev(tEnd, 'update_progress', { update_progress: { state: 'FAILED' } }, {}, 'ERROR');
    e.error = { fatal: true, exceptions: [{ class_name: 'java.lang.OutOfMemoryError', message: 'Java heap space' }] };
    out.push(e);
  } else if (u.state === 'COMPLETED') {
    out.push(ev(tEnd, 'update_progress', { update_progress: { state: 'COMPLETED' } }));
  }
  return { events: out, endedAt: u.state === 'RUNNING' ? null : tEnd, runStart: tRun, end: tEnd };
}

function nodeRows(clusterId: string, from: number, to: number) {
  const rows = [];
  for (let t = from; t < to; t += MIN) {
    for (const [instance, driver] of [['i-driver', true], ['i-w1', false], ['i-w2', false]] as const) {
      rows.push({
        account_id: 'acc', workspace_id: '1234567890123456', cluster_id: clusterId, instance_id: `${clusterId}-${instance}`, driver,
        start_time: iso(t), end_time: iso(t + MIN),
        cpu_user_percent: driver ? 20 : 85, cpu_system_percent: 5, cpu_wait_percent: 1,
        mem_used_percent: 60, mem_swap_percent: 0, network_sent_bytes: 1_000_000, network_received_bytes: 2_000_000,
        node_type: 'i3.xlarge',
      });
    }
  }
  return rows;
}

function usageRows(pipelineId: string, u: MiniUpdate, from: number, to: number, dbus: number) {
  return [
    {
      record_id: `${u.id}-u1`, account_id: 'acc', workspace_id: '1234567890123456', sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS',
      usage_start_time: iso(from), usage_end_time: iso(to), usage_unit: 'DBU', usage_quantity: dbus, record_type: 'ORIGINAL',
      billing_origin_product: 'DLT', usage_metadata: { dlt_pipeline_id: pipelineId, dlt_update_id: u.id, cluster_id: u.clusterId },
    },
    // a retraction and restatement pair: the sum must stay `dbus`
    {
      record_id: `${u.id}-u2`, account_id: 'acc', workspace_id: '1234567890123456', sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS',
      usage_start_time: iso(from), usage_end_time: iso(to), usage_unit: 'DBU', usage_quantity: -1, record_type: 'RETRACTION',
      billing_origin_product: 'DLT', usage_metadata: { dlt_pipeline_id: pipelineId, dlt_update_id: u.id, cluster_id: u.clusterId },
    },
    {
      record_id: `${u.id}-u3`, account_id: 'acc', workspace_id: '1234567890123456', sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS',
      usage_start_time: iso(from), usage_end_time: iso(to), usage_unit: 'DBU', usage_quantity: 1, record_type: 'RESTATEMENT',
      billing_origin_product: 'DLT', usage_metadata: { dlt_pipeline_id: pipelineId, dlt_update_id: u.id, cluster_id: u.clusterId },
    },
  ];
}

function pipeline(id: string, name: string, updates: MiniUpdate[], flows: string[], dbusPerUpdate: number) {
  const events: object[] = [];
  const nodeTimeline: object[] = [];
  const usage: object[] = [];
  for (const u of updates) {
    const e = eventsOf(id, name, u, flows);
    events.push(...e.events);
    nodeTimeline.push(...nodeRows(u.clusterId, e.runStart, e.end));
    usage.push(...usageRows(id, u, u.startedAt, e.end, dbusPerUpdate));
  }
  // maintenance cluster usage: no update id, dlt_maintenance_id set
  usage.push({
    record_id: `${id}-maint`, account_id: 'acc', workspace_id: '1234567890123456', sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS',
    usage_start_time: iso(MINI_NOW - DAY), usage_end_time: iso(MINI_NOW - DAY + 60 * MIN), usage_unit: 'DBU', usage_quantity: 2,
    record_type: 'ORIGINAL', billing_origin_product: 'DLT', usage_metadata: { dlt_pipeline_id: id, dlt_maintenance_id: `${id}-m1` },
  });
  return {
    pipeline: { pipeline_id: id, name },
    updates: updates.map((u) => ({ update_id: u.id, state: u.state, creation_time: u.startedAt, cluster_id: u.clusterId })),
    events,
    nodeTimeline,
    usage,
  };
}

export const UPDATES_A: MiniUpdate[] = [
  { id: 'a-u1', startedAt: MINI_NOW - 3 * DAY, phases: [4, 2, 30], state: 'COMPLETED', rows: 1_000_000, clusterId: 'c-a1' },
  { id: 'a-u2', startedAt: MINI_NOW - 2 * DAY, phases: [5, 2, 32], state: 'COMPLETED', rows: 1_100_000, clusterId: 'c-a2' },
  { id: 'a-u3', startedAt: MINI_NOW - 1 * DAY, phases: [6, 3, 70], state: 'FAILED', rows: 500_000, clusterId: 'c-a3' },
];
export const UPDATES_B: MiniUpdate[] = [
  { id: 'b-u1', startedAt: MINI_NOW - 40 * DAY, phases: [2, 1, 10], state: 'COMPLETED', rows: 10_000, clusterId: 'c-b1' },
  { id: 'b-u2', startedAt: MINI_NOW - 2 * DAY, phases: [2, 1, 12], state: 'COMPLETED', rows: 12_000, clusterId: 'c-b2', fullRefresh: true },
  { id: 'b-u3', startedAt: MINI_NOW - 30 * MIN, phases: [2, 1, 20], state: 'RUNNING', rows: 3_000, clusterId: 'c-b3' },
];

/** DBUs per update (after summing ORIGINAL + RETRACTION + RESTATEMENT) */
export const DBUS_A = 40;
export const DBUS_B = 8;
export const PRICE = 0.3; // effective list; default (list) price 0.35

export function demoMini() {
  return {
    now: MINI_NOW,
    workspaceId: '1234567890123456',
    host: 'demo.cloud.databricks.com',
    pipelines: [
      pipeline(PIPELINE_A, 'orders_silver', UPDATES_A, ['orders_bronze', 'orders_silver'], DBUS_A),
      pipeline(PIPELINE_B, 'customers_gold', UPDATES_B, ['customers_gold'], DBUS_B),
    ],
    listPrices: [
      // an old price that ended before the data: must not be joined
      { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', currency_code: 'USD', usage_unit: 'DBU', price_start_time: '2020-01-01T00:00:00Z', price_end_time: '2025-01-01T00:00:00Z', pricing: { default: 9, effective_list: { default: 9 } } },
      { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', currency_code: 'USD', usage_unit: 'DBU', price_start_time: '2025-01-01T00:00:00Z', price_end_time: null, pricing: { default: 0.35, effective_list: { default: PRICE } } },
    ],
  };
}
