/**
 * A continuous pipeline with one long RUNNING update (issue 16): `flows` streaming flows, each
 * reporting flow_progress metrics every `everyS` seconds (±20% jitter, as micro-batches do), a
 * cluster_resources event a minute, node_timeline rows a minute for a driver and `workers`
 * workers, and a few earlier updates. The first flow falls behind its Kafka source over the last
 * `behindMin` minutes (backlog_records growing steadily with noise), the others keep up (their
 * backlog hovers near zero): the guide's §5.2 "falling behind" case, on realistic noise.
 * Events are produced in chunks (`chunks()`), so a 2-million-event update never sits in memory whole.
 * Shapes as src/demo/generate.ts writes them (event_log() rows: origin and details objects, ISO time).
 */
const MIN = 60_000;
const DAY = 1440 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

export interface LongUpdateOptions {
  now: number;
  flows: number;
  days: number;
  everyS: number;
  workers?: number;
  /** minutes before `now` the first flow starts falling behind; 0: nobody falls behind */
  behindMin?: number;
  seed?: number;
}

export const LONG_PIPELINE_ID = '1f0a9c2e-7b41-4d7e-9a0c-5e3b2d1c0f00';
export const LONG_PIPELINE_NAME = 'sensor_stream';
export const LONG_UPDATE_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const CLUSTER = '1203-081512-longrun1';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function longUpdateWorkspace(o: LongUpdateOptions) {
  const workers = o.workers ?? 6;
  const start = o.now - o.days * DAY;
  const tRun = start + 6 * MIN;
  const flows = Array.from({ length: o.flows }, (_, i) => `main.sensors.stream_${String(i).padStart(2, '0')}`);
  let seq = 0;
  const origin = (updateId: string, extra: Record<string, unknown> = {}) => ({
    pipeline_id: LONG_PIPELINE_ID, pipeline_name: LONG_PIPELINE_NAME, update_id: updateId, cluster_id: CLUSTER, org_id: 1234567890123456, ...extra,
  });
  const ev = (updateId: string, t: number, event_type: string, details: unknown, extra: Record<string, unknown> = {}, level = 'INFO', message = `${event_type}`) => ({
    id: `lu-${++seq}`,
    sequence: { control_plane_seq_no: seq },
    origin: origin(updateId, extra),
    timestamp: iso(t),
    message,
    level,
    maturity_level: 'STABLE',
    error: null,
    details,
    event_type,
  });

  /** a few earlier updates: each ran a day and was stopped for a service upgrade */
  const earlier = Array.from({ length: 4 }, (_, i) => ({ id: `0e${i}1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f`, start: start - (i + 1) * DAY }));
  const head: object[] = [];
  for (const u of earlier) {
    head.push(ev(u.id, u.start, 'create_update', { create_update: { cause: 'SERVICE_UPGRADE', full_refresh: false } }));
    head.push(ev(u.id, u.start + MIN, 'update_progress', { update_progress: { state: 'RUNNING' } }, {}, 'INFO', `Update ${u.id.slice(0, 6)} is RUNNING.`));
    head.push(ev(u.id, u.start + DAY - 2 * MIN, 'update_progress', { update_progress: { state: 'CANCELED' } }, {}, 'INFO', `Update ${u.id.slice(0, 6)} is CANCELED.`));
  }
  const U = LONG_UPDATE_ID;
  head.push(ev(U, start, 'create_update', { create_update: { cause: 'USER_ACTION', full_refresh: false } }));
  for (const [i, state] of ['QUEUED', 'WAITING_FOR_RESOURCES', 'INITIALIZING', 'SETTING_UP_TABLES', 'RUNNING'].entries()) {
    head.push(ev(U, start + (i === 4 ? 6 * MIN : i * 70_000), 'update_progress', { update_progress: { state } }, {}, 'INFO', `Update ${U.slice(0, 6)} is ${state}.`));
  }
  head.push(ev(U, start + 3 * MIN, 'runtime_details', { runtime_details: { runtime_version: { dbr_version: '16.4' } } }));
  for (const f of flows) {
    head.push(ev(U, tRun - 30_000, 'flow_definition', { flow_definition: { output_dataset: f, flow_type: 'APPEND', input_datasets: [`kafka:sensors.${f.slice(-9)}`], language: 'PYTHON' } }, { flow_name: f }));
    head.push(ev(U, tRun + 5_000, 'flow_progress', { flow_progress: { status: 'RUNNING' } }, { flow_name: f }, 'INFO', `Flow '${f}' is RUNNING.`));
  }

  const behindFrom = o.behindMin ? o.now - o.behindMin * MIN : Infinity;

  /** the update's events after its start, oldest first, `size` at a time */
  function* chunks(size = 50_000): Generator<object[]> {
    yield head;
    const r = rng(o.seed ?? 7);
    let out: object[] = [];
    const next = flows.map(() => tRun + r() * o.everyS * 1000);
    let nextCluster = tRun;
    const backlog = flows.map(() => 2_000 + r() * 8_000);
    for (let t = tRun; t < o.now; t += 1000) {
      for (let i = 0; i < flows.length; i++) {
        if (next[i]! > t) continue;
        const f = flows[i]!;
        const behind = i === 0 && t >= behindFrom;
        // a flow that keeps up hovers at a few thousand records; one that falls behind takes in
        // more than it writes each batch (+30,000 records a batch, ± 25,000)
        backlog[i] = behind ? Math.max(0, backlog[i]! + 30_000 + (r() - 0.5) * 50_000) : Math.max(0, backlog[i]! * (0.7 + 0.6 * r()) + (r() - 0.5) * 1000 + 500);
        const rows = Math.round((behind ? 9_000 : 12_000) * (0.6 + 0.8 * r()));
        const execMs = Math.round(o.everyS * 1000 * (1.4 + r()));
        out.push(ev(U, next[i]!, 'flow_progress', {
          flow_progress: {
            status: 'RUNNING',
            metrics: { num_output_rows: rows, executor_time_ms: execMs, executor_cpu_time_ms: Math.round(execMs * (0.55 + 0.2 * r())), backlog_records: Math.round(backlog[i]!), backlog_bytes: Math.round(backlog[i]! * 310) },
          },
        }, { flow_name: f }, 'METRICS', `Completed a streaming update of '${f}'.`));
        next[i] = next[i]! + o.everyS * 1000 * (0.8 + 0.4 * r());
      }
      if (t >= nextCluster) {
        const executors = workers;
        out.push(ev(U, t, 'cluster_resources', {
          cluster_resources: {
            task_slot_metrics: { num_executors: executors, num_task_slots: executors * 8, avg_num_task_slots: executors * 8, avg_task_slot_utilization: 0.45 + 0.25 * r(), avg_num_queued_tasks: Math.round(r() * 3) },
            autoscale_info: { state: 'SUCCEEDED', optimal_num_executors: executors, latest_requested_num_executors: executors },
          },
        }, {}, 'METRICS'));
        nextCluster += MIN;
      }
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }

  /** node_timeline rows of the update's cluster, a minute each, `size` at a time */
  function* nodeChunks(size = 50_000): Generator<object[]> {
    const r = rng((o.seed ?? 7) + 1);
    let out: object[] = [];
    for (let t = tRun; t < o.now; t += MIN) {
      for (let w = 0; w <= workers; w++) {
        const driver = w === 0;
        out.push({
          account_id: 'acc', workspace_id: '1234567890123456', cluster_id: CLUSTER, instance_id: `${CLUSTER}-${driver ? 'driver' : `w${w}`}`, driver,
          start_time: iso(t), end_time: iso(t + MIN),
          cpu_user_percent: driver ? 12 + 8 * r() : 48 + 18 * r(), cpu_system_percent: 4 + 2 * r(), cpu_wait_percent: 1 + 2 * r(),
          mem_used_percent: driver ? 45 + 10 * r() : 58 + 12 * r(), mem_swap_percent: 0,
          network_sent_bytes: Math.round(4e7 * (0.5 + r())), network_received_bytes: Math.round(9e7 * (0.5 + r())), node_type: 'i3.2xlarge',
        });
      }
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }

  const pipeline = {
    pipeline_id: LONG_PIPELINE_ID,
    name: LONG_PIPELINE_NAME,
    state: 'RUNNING',
    health: 'HEALTHY',
    cluster_id: CLUSTER,
    creator_user_name: 'yuki@example.com',
    run_as_user_name: 'yuki@example.com',
    spec: {
      id: LONG_PIPELINE_ID,
      name: LONG_PIPELINE_NAME,
      catalog: 'main',
      schema: 'sensors',
      continuous: true,
      photon: true,
      channel: 'CURRENT',
      edition: 'ADVANCED',
      clusters: [{ label: 'default', node_type_id: 'i3.2xlarge', driver_node_type_id: 'i3.2xlarge', num_workers: workers }],
      libraries: [{ notebook: { path: '/Repos/sensors/stream' } }],
    },
    latest_updates: [{ update_id: U, state: 'RUNNING', creation_time: iso(start) }],
  };
  const updates = [
    { pipeline_id: LONG_PIPELINE_ID, update_id: U, state: 'RUNNING', cause: 'USER_ACTION', creation_time: start, full_refresh: false, cluster_id: CLUSTER },
    ...earlier.map((u) => ({ pipeline_id: LONG_PIPELINE_ID, update_id: u.id, state: 'CANCELED', cause: 'SERVICE_UPGRADE', creation_time: u.start, full_refresh: false })),
  ];
  /** the events of the update in all (head + chunks), for checks */
  const expectedEvents = () => {
    let n = 0;
    for (const c of chunks()) n += c.length;
    return n;
  };
  return { pipeline, updates, chunks, nodeChunks, expectedEvents, flows, start, tRun };
}
