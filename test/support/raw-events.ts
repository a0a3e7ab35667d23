/**
 * Builders of raw Databricks shapes (event log rows, pipeline and updates bodies, system-table rows)
 * for the evidence-building and bundle tests. Raw = as a bundle file holds them: ISO timestamps,
 * `details` as objects unless a test stringifies them.
 */
export const T0 = Date.parse('2026-11-20T06:00:00Z');
export const S = 1000;
export const MIN = 60_000;
export const PIPELINE_ID = '0f1e2d3c-aaaa-4bbb-8ccc-000000000001';

export type RawEvent = Record<string, unknown>;

let seq = 0;

export function rawEvent(o: {
  type: string;
  t: number;
  update?: string | null;
  flow?: string;
  cluster?: string;
  details?: Record<string, unknown> | null;
  level?: string;
  message?: string;
  error?: Record<string, unknown>;
}): RawEvent {
  seq++;
  const origin: Record<string, unknown> = { pipeline_id: PIPELINE_ID, pipeline_name: 'orders' };
  if (o.update !== null) origin.update_id = o.update ?? 'upd-1';
  if (o.flow) origin.flow_name = o.flow;
  if (o.cluster) origin.cluster_id = o.cluster;
  const row: RawEvent = {
    id: `ev-${seq}`,
    sequence: { control_plane_seq_no: seq },
    origin,
    timestamp: new Date(o.t).toISOString(),
    message: o.message ?? `${o.type} event`,
    level: o.level ?? 'INFO',
    maturity_level: 'STABLE',
    event_type: o.type,
  };
  if (o.details !== undefined) row.details = o.details;
  if (o.error) row.error = o.error;
  return row;
}

/**
 * create_update + update_progress events: `phases` are [state, seconds] in order, then `end`
 * (a terminal state) unless `end` is null (still running).
 */
export function updateEvents(o: {
  id: string;
  start: number;
  phases?: [string, number][];
  end?: string | null;
  cause?: string;
  fullRefresh?: boolean;
  cluster?: string;
}): RawEvent[] {
  const phases = o.phases ?? [
    ['QUEUED', 5],
    ['WAITING_FOR_RESOURCES', 240],
    ['INITIALIZING', 35],
    ['SETTING_UP_TABLES', 20],
    ['RUNNING', 1535],
  ];
  const out: RawEvent[] = [
    rawEvent({
      type: 'create_update',
      t: o.start,
      update: o.id,
      details: { create_update: { cause: o.cause ?? 'JOB_TASK', full_refresh: o.fullRefresh ?? false, config: {} } },
    }),
  ];
  let t = o.start;
  for (const [state, seconds] of phases) {
    out.push(rawEvent({ type: 'update_progress', t, update: o.id, cluster: o.cluster, details: { update_progress: { state } }, message: `Update ${o.id} is ${state}.` }));
    t += seconds * S;
  }
  const end = o.end === undefined ? 'COMPLETED' : o.end;
  if (end !== null) out.push(rawEvent({ type: 'update_progress', t, update: o.id, cluster: o.cluster, details: { update_progress: { state: end } }, message: `Update ${o.id} is ${end}.` }));
  return out;
}

export function flowProgress(o: {
  t: number;
  update?: string;
  flow: string;
  status: string;
  metrics?: Record<string, unknown>;
  dropped?: number;
  cluster?: string;
}): RawEvent {
  const fp: Record<string, unknown> = { status: o.status };
  if (o.metrics) fp.metrics = o.metrics;
  if (o.dropped !== undefined) fp.data_quality = { dropped_records: o.dropped, expectations: [] };
  return rawEvent({ type: 'flow_progress', t: o.t, update: o.update, flow: o.flow, cluster: o.cluster, details: { flow_progress: fp }, message: `Flow '${o.flow}' is ${o.status}.`, level: o.metrics ? 'METRICS' : 'INFO' });
}

/** nested (current docs) cluster_resources */
export function clusterResourcesNested(t: number, v: { executors: number; slots: number; util: number; queued: number; optimal: number; requested: number; state?: string }, update = 'upd-1', cluster = 'cluster-1'): RawEvent {
  return rawEvent({
    type: 'cluster_resources',
    t,
    update,
    cluster,
    level: 'METRICS',
    details: {
      cluster_resources: {
        task_slot_metrics: { summary_duration_ms: 60_000, num_task_slots: v.slots, avg_num_task_slots: v.slots, avg_task_slot_utilization: v.util, num_executors: v.executors, avg_num_queued_tasks: v.queued },
        autoscale_info: { state: v.state ?? 'SUCCEEDED', optimal_num_executors: v.optimal, latest_requested_num_executors: v.requested, request_pending_seconds: 0 },
      },
    },
  });
}

/** flat (the docs' example queries, older pipelines) cluster_resources */
export function clusterResourcesFlat(t: number, v: { executors: number; slots: number; util: number; queued: number; optimal: number; requested: number; state?: string }, update = 'upd-1', cluster = 'cluster-1'): RawEvent {
  return rawEvent({
    type: 'cluster_resources',
    t,
    update,
    cluster,
    level: 'METRICS',
    details: {
      cluster_resources: {
        num_task_slots: v.slots,
        avg_num_task_slots: v.slots,
        avg_task_slot_utilization: v.util,
        num_executors: v.executors,
        avg_num_queued_tasks: v.queued,
        optimal_num_executors: v.optimal,
        latest_requested_num_executors: v.requested,
        state: v.state ?? 'SUCCEEDED',
      },
    },
  });
}

export function rawPipeline(o: { serverless?: boolean; legacy?: boolean; name?: string } = {}): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    id: PIPELINE_ID,
    name: o.name ?? 'orders',
    catalog: 'main',
    schema: 'sales',
    channel: 'CURRENT',
    edition: 'ADVANCED',
    continuous: false,
    development: false,
    photon: true,
    serverless: o.serverless ?? false,
    configuration: { 'pipelines.trigger.interval': '1 hour', 'spark.sql.shuffle.partitions': 400 },
    libraries: [{ notebook: { path: '/Repos/data/orders/pipeline' } }, { glob: { include: '/Repos/data/orders/transformations/**' } }],
    tags: { team: 'data' },
  };
  if (!o.serverless) {
    spec.clusters = [
      {
        label: 'default',
        autoscale: { min_workers: 2, max_workers: 8, mode: o.legacy ? 'LEGACY' : 'ENHANCED' },
        node_type_id: 'i3.2xlarge',
        driver_node_type_id: 'i3.xlarge',
        spark_conf: { 'spark.sql.adaptive.enabled': 'true' },
        aws_attributes: { availability: 'SPOT_WITH_FALLBACK', first_on_demand: 1 },
      },
      { label: 'maintenance', num_workers: 1 },
    ];
  }
  return {
    pipeline_id: PIPELINE_ID,
    name: o.name ?? 'orders',
    state: 'IDLE',
    health: 'HEALTHY',
    creator_user_name: 'dana@example.com',
    last_modified: T0 - 7 * 24 * 3600_000,
    spec,
  };
}

/** per-minute node_timeline rows for a driver and `workers` workers */
export function nodeRows(o: { cluster: string; start: number; minutes: number; workers?: number; cpu?: number }): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let m = 0; m < o.minutes; m++) {
    for (let w = 0; w <= (o.workers ?? 2); w++) {
      const driver = w === 0;
      rows.push({
        cluster_id: o.cluster,
        instance_id: driver ? 'i-driver' : `i-w${w}`,
        driver,
        start_time: new Date(o.start + m * MIN).toISOString(),
        end_time: new Date(o.start + (m + 1) * MIN).toISOString(),
        cpu_user_percent: o.cpu ?? 60,
        cpu_system_percent: 5,
        cpu_wait_percent: 2,
        mem_used_percent: 50,
        mem_swap_percent: 0,
        network_sent_bytes: 1000,
        network_received_bytes: 2000,
        node_type: 'i3.2xlarge',
      });
    }
  }
  return rows;
}

/** a complete small update: phases, two flows with metrics, cluster_resources each minute of RUNNING */
export function sampleUpdate(o: { id: string; start: number; cluster?: string; end?: string | null; rows?: number }): RawEvent[] {
  const cluster = o.cluster ?? `cluster-${o.id}`;
  const events = updateEvents({ id: o.id, start: o.start, cluster, end: o.end });
  const running = o.start + 300 * S;
  events.push(
    rawEvent({ type: 'flow_definition', t: o.start + 290 * S, update: o.id, flow: 'orders_silver', details: { flow_definition: { output_dataset: 'main.sales.orders_silver', input_datasets: [{ name: 'main.sales.orders_bronze' }], flow_type: 'CHANGE', language: 'PYTHON' } } }),
    rawEvent({ type: 'flow_definition', t: o.start + 290 * S, update: o.id, flow: 'orders_bronze', details: { flow_definition: { output_dataset: 'main.sales.orders_bronze', input_datasets: [], flow_type: 'APPEND', language: 'SQL' } } }),
  );
  for (const flow of ['orders_bronze', 'orders_silver']) {
    events.push(flowProgress({ t: running, update: o.id, flow, status: 'STARTING' }));
    events.push(flowProgress({ t: running + 10 * S, update: o.id, flow, status: 'RUNNING' }));
    for (let m = 1; m <= 10; m++) {
      events.push(flowProgress({ t: running + m * MIN, update: o.id, flow, status: 'RUNNING', metrics: { num_output_rows: o.rows ?? 1000, executor_time_ms: 6000, executor_cpu_time_ms: 3000, backlog_bytes: 1000 * (11 - m) } }));
    }
    events.push(flowProgress({ t: running + 20 * MIN, update: o.id, flow, status: 'COMPLETED' }));
  }
  for (let m = 0; m < 20; m++) {
    events.push(clusterResourcesNested(running + m * MIN, { executors: 4, slots: 32, util: 0.7, queued: 1, optimal: 4, requested: 4 }, o.id, cluster));
  }
  return events;
}
