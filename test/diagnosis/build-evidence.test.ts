import { describe, expect, it } from 'vitest';
import {
  EventRowSchema,
  GetPipelineSchema,
  ListPriceRowSchema,
  NodeTimelineRowSchema,
  UpdateInfoSchema,
  UsageRowSchema,
  type RawUpdate,
} from '../../src/databricks/schemas.js';
import { EventAccumulator, buildEvidence, costFromRows, pipelineSpecFrom, type EvidenceInput } from '../../src/diagnosis/build-evidence/index.js';
import { DoctorError } from '../../src/errors.js';
import {
  MIN,
  PIPELINE_ID,
  S,
  T0,
  clusterResourcesFlat,
  clusterResourcesNested,
  flowProgress,
  nodeRows,
  rawEvent,
  rawPipeline,
  sampleUpdate,
  updateEvents,
  type RawEvent,
} from '../support/raw-events.js';

function accOf(raws: RawEvent[]): EventAccumulator {
  const acc = new EventAccumulator();
  for (const r of raws) acc.add(EventRowSchema.parse(r));
  return acc;
}

function build(raws: RawEvent[], o: Partial<Omit<EvidenceInput, 'events' | 'pipeline'>> & { pipeline?: Record<string, unknown> } = {}) {
  const { pipeline, ...rest } = o;
  return buildEvidence({
    pipeline: GetPipelineSchema.parse(pipeline ?? rawPipeline()),
    updates: null,
    events: accOf(raws),
    nodeTimeline: null,
    cost: null,
    ...rest,
  });
}

function errorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof DoctorError ? err.code : 'other';
  }
}

const DAY = 24 * 3600_000;

describe('buildEvidence: the update', () => {
  it('derives state, phases, start, end and duration from update_progress events', () => {
    const ev = build(updateEvents({ id: 'upd-1', start: T0, cause: 'USER_ACTION', fullRefresh: true, cluster: 'c-9' }));
    expect(ev.update).toMatchObject({
      id: 'upd-1',
      state: 'COMPLETED',
      cause: 'USER_ACTION',
      fullRefresh: true,
      startedAt: T0,
      endedAt: T0 + 1835 * S,
      durationS: 1835,
      clusterId: 'c-9',
      outputRows: null,
    });
    expect(ev.update.phasesS).toEqual({ queued: 5, waiting_for_resources: 240, initializing: 35, setting_up_tables: 20, running: 1535 });
  });

  it('adds up a state entered twice and reads events in any order', () => {
    const raws = updateEvents({ id: 'upd-1', start: T0, phases: [['INITIALIZING', 30], ['RUNNING', 100], ['INITIALIZING', 20], ['RUNNING', 50]], end: 'FAILED' });
    const ev = build(raws.reverse());
    expect(ev.update.phasesS).toEqual({ initializing: 50, running: 150 });
    expect(ev.update.state).toBe('FAILED');
    expect(ev.update.durationS).toBe(200);
  });

  it('falls back to the updates list for cause, full refresh and cluster', () => {
    const raws = updateEvents({ id: 'upd-1', start: T0 }).filter((r) => r.event_type !== 'create_update');
    const updates: RawUpdate[] = [UpdateInfoSchema.parse({ update_id: 'upd-1', state: 'COMPLETED', cause: 'API_CALL', full_refresh: true, cluster_id: 'c-list', creation_time: T0 })];
    const ev = build(raws, { updates });
    expect(ev.update).toMatchObject({ cause: 'API_CALL', fullRefresh: true, clusterId: 'c-list', startedAt: T0 });
  });

  it('keeps a running update open: no end, no duration, its last phase lasts until the newest event', () => {
    const raws = [...updateEvents({ id: 'upd-1', start: T0, phases: [['INITIALIZING', 60], ['RUNNING', 0]], end: null }), flowProgress({ t: T0 + 360 * S, flow: 'f', status: 'RUNNING' })];
    const ev = build(raws);
    expect(ev.update).toMatchObject({ state: 'RUNNING', endedAt: null, durationS: null });
    expect(ev.update.phasesS).toEqual({ initializing: 60, running: 300 });
  });

  it('reads the runtime version', () => {
    const ev = build([...updateEvents({ id: 'upd-1', start: T0 }), rawEvent({ type: 'runtime_details', t: T0 + S, details: { runtime_details: { runtime_version: { dbr_version: '16.4.x-photon-scala2.12' } } } })]);
    expect(ev.update.dbrVersion).toBe('16.4.x-photon-scala2.12');
  });
});

describe('buildEvidence: flows', () => {
  it('joins flow_definition, flow_progress and planning_information per flow', () => {
    const raws: RawEvent[] = [
      ...updateEvents({ id: 'upd-1', start: T0 }),
      rawEvent({ type: 'flow_definition', t: T0 + 10 * S, flow: 'silver', details: { flow_definition: { output_dataset: 'main.s.silver', input_datasets: [{ name: 'main.s.bronze' }, 'main.s.dim_customer'], flow_type: 'MATERIALIZED_VIEW', language: 'SQL', explain_text: '== Physical Plan ==\nSortMergeJoin' } } }),
      flowProgress({ t: T0 + 300 * S, flow: 'silver', status: 'QUEUED' }),
      flowProgress({ t: T0 + 310 * S, flow: 'silver', status: 'RUNNING' }),
      flowProgress({ t: T0 + 400 * S, flow: 'silver', status: 'RUNNING', metrics: { num_output_rows: 100, num_upserted_rows: 7, num_deleted_rows: 2, num_output_bytes: 5000, executor_time_ms: 1000, executor_cpu_time_ms: 800 }, dropped: 3 }),
      flowProgress({ t: T0 + 500 * S, flow: 'silver', status: 'RUNNING', metrics: { num_output_rows: 50, executor_time_ms: 500, executor_cpu_time_ms: 100 }, dropped: 1 }),
      flowProgress({ t: T0 + 900 * S, flow: 'silver', status: 'COMPLETED' }),
      flowProgress({ t: T0 + 600 * S, flow: 'pipelines.flowTimeMetrics.missingFlowName', status: 'RUNNING', metrics: { num_output_rows: 1e9 } }),
      rawEvent({
        type: 'planning_information',
        t: T0 + 320 * S,
        flow: 'silver',
        details: {
          planning_information: {
            technique_information: [
              { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: false, is_applicable: false, incrementalization_issues: [{ issue_type: 'CDF_UNAVAILABLE', prevent_incrementalization: true, table_information: { table_name: 'main.s.bronze' } }] },
              { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true },
            ],
          },
        },
      }),
    ];
    const ev = build(raws);
    expect(ev.flows.map((f) => f.name)).toEqual(['silver']);
    const f = ev.flows[0]!;
    expect(f).toMatchObject({
      flowType: 'MATERIALIZED_VIEW',
      language: 'SQL',
      inputDatasets: ['main.s.bronze', 'main.s.dim_customer'],
      outputDataset: 'main.s.silver',
      finalStatus: 'COMPLETED',
      // its own time starts when it starts working, not while QUEUED behind its inputs
      startedAt: T0 + 310 * S,
      endedAt: T0 + 900 * S,
      durationS: 590,
      runningS: 590,
      outputRows: 150,
      upsertedRows: 7,
      deletedRows: 2,
      outputBytes: 5000,
      droppedRecords: 4,
      executorTimeMs: 1500,
      executorCpuTimeMs: 900,
    });
    expect(f.explainText).toContain('SortMergeJoin');
    expect(f.statuses.map((s) => s.status)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    expect(f.planning).toEqual({
      chosenTechnique: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE',
      issues: [{ issueType: 'CDF_UNAVAILABLE', preventIncrementalization: true, subType: null, operator: null }],
    });
    expect(ev.update.outputRows).toBe(157);
    expect(ev.gaps).not.toContain('flow_definitions');
  });

  it('downsamples a long backlog series to at most 300 points, keeping the first and the last', () => {
    const raws: RawEvent[] = [...updateEvents({ id: 'upd-1', start: T0 })];
    for (let i = 0; i < 5000; i++) raws.push(flowProgress({ t: T0 + i * S, flow: 'stream', status: 'RUNNING', metrics: { backlog_bytes: i, backlog_files: 2 * i } }));
    const b = build(raws).flows[0]!.backlog;
    expect(b.length).toBeLessThanOrEqual(300);
    expect(b.length).toBeGreaterThan(100);
    expect(b[0]).toEqual({ t: T0, bytes: 0, records: null, files: 0, seconds: null });
    expect(b[b.length - 1]!.bytes).toBe(4999);
    expect(b.every((s, i) => i === 0 || s.t > b[i - 1]!.t)).toBe(true);
  });

  it('reports the flow_definitions gap when no flow is defined', () => {
    const ev = build([...updateEvents({ id: 'upd-1', start: T0 }), flowProgress({ t: T0 + 400 * S, flow: 'f', status: 'RUNNING' })]);
    expect(ev.flows[0]!.flowType).toBeNull();
    expect(ev.gaps).toContain('flow_definitions');
  });
});

describe('buildEvidence: cluster, autoscale, errors, Auto Loader', () => {
  const v = { executors: 6, slots: 48, util: 0.93, queued: 12, optimal: 11, requested: 8, state: 'RESIZING' };
  const expected = { numExecutors: 6, numTaskSlots: 48, avgTaskSlots: 48, slotUtilization: 0.93, queuedTasks: 12, optimalExecutors: 11, requestedExecutors: 8, state: 'RESIZING' };

  it('bounds a long cluster_resources series (≤ 2000 samples, first and last kept) and flow status timelines', () => {
    const acc = new EventAccumulator();
    for (const r of updateEvents({ id: 'upd-1', start: T0 })) acc.add(EventRowSchema.parse(r));
    for (let i = 0; i < 20_000; i++) {
      acc.add(EventRowSchema.parse(clusterResourcesFlat(T0 + i * 100, { ...v, executors: i })));
      acc.add(EventRowSchema.parse(flowProgress({ t: T0 + i * 100, flow: 'f', status: i % 2 ? 'RUNNING' : 'IDLE' })));
    }
    const ev = buildEvidence({ pipeline: GetPipelineSchema.parse(rawPipeline()), updates: null, events: acc, nodeTimeline: null, cost: null });
    expect(ev.clusterResources.length).toBeLessThanOrEqual(2000);
    expect(ev.clusterResources.length).toBeGreaterThan(900);
    expect(ev.clusterResources[0]!.numExecutors).toBe(0);
    expect(ev.clusterResources[ev.clusterResources.length - 1]!.numExecutors).toBe(19_999);
    const statuses = ev.flows[0]!.statuses;
    expect(statuses.length).toBeLessThanOrEqual(501);
    expect(statuses[statuses.length - 1]).toEqual({ t: T0 + 19_999 * 100, status: 'RUNNING' });
  });

  it('reads nested and flat cluster_resources the same way, and legacy cluster_utilization', () => {
    const base = updateEvents({ id: 'upd-1', start: T0 });
    const nested = build([...base, clusterResourcesNested(T0 + 400 * S, v)]).clusterResources;
    const flat = build([...base, clusterResourcesFlat(T0 + 400 * S, v)]).clusterResources;
    expect(nested).toEqual([{ t: T0 + 400 * S, ...expected }]);
    expect(flat).toEqual(nested);
    const legacy = build([
      ...base,
      rawEvent({ type: 'cluster_utilization', t: T0 + 400 * S, details: { cluster_utilization: { num_executors: 3, avg_num_task_slots: 24, avg_task_slot_utilization: 0.5, avg_num_queued_tasks: 0 } } }),
    ]).clusterResources;
    expect(legacy).toEqual([{ t: T0 + 400 * S, numExecutors: 3, numTaskSlots: null, avgTaskSlots: 24, slotUtilization: 0.5, queuedTasks: 0, optimalExecutors: null, requestedExecutors: null, state: null }]);
  });

  it('collects autoscale events, errors and Auto Loader listings', () => {
    const raws: RawEvent[] = [
      ...updateEvents({ id: 'upd-1', start: T0 }),
      rawEvent({ type: 'autoscale', t: T0 + 500 * S, details: { autoscale: { status: 'RESIZING', optimal_num_executors: 12, requested_num_executors: 8 } } }),
      rawEvent({ type: 'flow_progress', t: T0 + 600 * S, flow: 'f', level: 'ERROR', message: 'Flow f failed', details: { flow_progress: { status: 'FAILED' } }, error: { fatal: true, exceptions: [{ class_name: 'java.lang.OutOfMemoryError', message: 'Java heap space' }] } }),
      rawEvent({ type: 'cluster_resources', t: T0 + 610 * S, level: 'WARN', message: 'executor lost', error: { exceptions: [{ class_name: 'org.apache.spark.ExecutorLostFailure', message: 'exit code 137' }] } }),
      rawEvent({ type: 'deprecation', t: T0 + 620 * S, level: 'WARN', message: 'pinned DBR' }),
      rawEvent({ type: 'operation_progress', t: T0 + 700 * S, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'STARTED' } } }),
      rawEvent({ type: 'operation_progress', t: T0 + 760 * S, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'COMPLETED', duration_ms: 60_000, auto_loader_details: { source_path: 's3://b/in', num_files_listed: 250_000 } } } }),
    ];
    const ev = build(raws);
    expect(ev.autoscale).toEqual([{ t: T0 + 500 * S, status: 'RESIZING', optimalExecutors: 12, requestedExecutors: 8 }]);
    expect(ev.errors).toEqual([
      { t: T0 + 600 * S, level: 'ERROR', eventType: 'flow_progress', message: 'Flow f failed', fatal: true, flowName: 'f', flowStatus: 'FAILED', exceptions: [{ className: 'java.lang.OutOfMemoryError', message: 'Java heap space' }] },
      { t: T0 + 610 * S, level: 'WARN', eventType: 'cluster_resources', message: 'executor lost', fatal: false, flowName: null, exceptions: [{ className: 'org.apache.spark.ExecutorLostFailure', message: 'exit code 137' }] },
    ]);
    expect(ev.autoLoader).toEqual([{ t: T0 + 760 * S, durationMs: 60_000, numFilesListed: 250_000, sourcePath: 's3://b/in' }]);
  });

  it('treats details, origin and error given as JSON strings like objects', () => {
    const objects: RawEvent[] = [
      ...sampleUpdate({ id: 'upd-1', start: T0, cluster: 'c-1' }),
      clusterResourcesFlat(T0 + 400 * S, v, 'upd-1', 'c-1'),
      rawEvent({ type: 'flow_progress', t: T0 + 600 * S, flow: 'f', level: 'ERROR', details: { flow_progress: { status: 'FAILED' } }, error: { fatal: true, exceptions: [{ class_name: 'X', message: 'y' }] } }),
    ];
    const strings = objects.map((r) => ({
      ...r,
      origin: JSON.stringify(r.origin),
      details: r.details === undefined ? undefined : JSON.stringify(r.details),
      error: r.error === undefined ? undefined : JSON.stringify(r.error),
      sequence: JSON.stringify(r.sequence),
    }));
    const a = build(objects);
    const b = build(strings);
    expect(b).toEqual(a);
    expect(a.flows.length).toBe(3);
    expect(a.clusterResources.length).toBe(21);
  });

  it('ignores unknown event types', () => {
    const raws = sampleUpdate({ id: 'upd-1', start: T0 });
    const noisy = [
      ...raws,
      rawEvent({ type: 'brand_new_event', t: T0 + 700 * S, details: { brand_new_event: { x: 1 } } }),
      rawEvent({ type: 'hook_progress', t: T0 + 701 * S, details: { hook_progress: { name: 'h', status: 'OK' } } }),
      rawEvent({ type: 'stream_progress', t: T0 + 702 * S, flow: 'orders_silver', details: { stream_progress: { progress_json: '{}' } } }),
    ];
    expect(build(noisy)).toEqual(build(raws));
  });
});

describe('buildEvidence: which update', () => {
  const raws = [
    ...sampleUpdate({ id: 'old', start: T0 - DAY }),
    ...sampleUpdate({ id: 'done', start: T0 }),
    ...sampleUpdate({ id: 'running', start: T0 + 3600_000, end: null }),
  ];

  it('defaults to the newest update with an end state', () => {
    expect(build(raws).update.id).toBe('done');
  });

  it('takes the running update when none has ended', () => {
    expect(build(sampleUpdate({ id: 'running', start: T0, end: null })).update.id).toBe('running');
  });

  it('diagnoses the update asked for, and refuses an unknown one', () => {
    expect(build(raws, { updateId: 'old' }).update.id).toBe('old');
    expect(build(raws, { updateId: 'running' }).update.state).toBe('RUNNING');
    expect(errorCode(() => build(raws, { updateId: 'nope' }))).toBe('UPDATE_NOT_FOUND');
  });

  it('lists updates oldest first', () => {
    expect(accOf([...raws].reverse()).updateIds()).toEqual(['old', 'done', 'running']);
  });

  it('throws NO_EVENTS without events', () => {
    expect(errorCode(() => build([]))).toBe('NO_EVENTS');
  });

  it('keeps only the events of the selected update', () => {
    const ev = build(raws, { updateId: 'old' });
    expect(ev.clusterResources.every((c) => c.t < T0)).toBe(true);
    expect(ev.flows.every((f) => f.statuses.every((s) => s.t < T0))).toBe(true);
  });
});

describe('buildEvidence: history', () => {
  it('lists earlier ended updates newest first, with their rows, and needs 5 successful ones', () => {
    const raws: RawEvent[] = [];
    for (let i = 6; i >= 1; i--) raws.push(...sampleUpdate({ id: `prev-${i}`, start: T0 - i * DAY, rows: 100 * i, end: i === 2 ? 'FAILED' : 'COMPLETED' }));
    raws.push(...sampleUpdate({ id: 'cur', start: T0 }));
    raws.push(...sampleUpdate({ id: 'later', start: T0 + DAY, end: null }));
    const updates = [UpdateInfoSchema.parse({ update_id: 'no-events', state: 'COMPLETED', creation_time: T0 - 10 * DAY })];
    const ev = build(raws, { updateId: 'cur', updates });
    expect(ev.history.map((h) => h.updateId)).toEqual(['prev-1', 'prev-2', 'prev-3', 'prev-4', 'prev-5', 'prev-6']);
    expect(ev.history[1]).toMatchObject({ updateId: 'prev-2', state: 'FAILED', startedAt: T0 - 2 * DAY, durationS: 1835, outputRows: 2 * 10 * 200, fullRefresh: false });
    expect(ev.gaps).not.toContain('history');

    const fewer = build(raws.filter((r) => (r.origin as { update_id: string }).update_id !== 'prev-6'), { updateId: 'cur' });
    expect(fewer.history.length).toBe(5);
    expect(fewer.gaps).toContain('history'); // 4 successful
  });
});

describe('buildEvidence: node metrics and gaps', () => {
  const raws = [...sampleUpdate({ id: 'prev', start: T0 - DAY, cluster: 'c-prev' }), ...sampleUpdate({ id: 'cur', start: T0, cluster: 'c-cur' })];
  const timeline = [
    ...nodeRows({ cluster: 'c-prev', start: T0 - DAY, minutes: 30 }),
    ...nodeRows({ cluster: 'c-cur', start: T0 - 10 * MIN, minutes: 60, cpu: 80 }),
    ...nodeRows({ cluster: 'c-other', start: T0, minutes: 30 }),
  ].map((r) => NodeTimelineRowSchema.parse(r));

  it("keeps the update's cluster rows inside its window", () => {
    const ev = build(raws, { nodeTimeline: timeline });
    const nm = ev.nodeMetrics!;
    expect(new Set(nm.map((n) => n.clusterId))).toEqual(new Set(['c-cur']));
    // window T0 … T0+1835 s: minutes -1 … 30 overlap it
    expect(Math.min(...nm.map((n) => n.t))).toBe(T0 - MIN);
    expect(Math.max(...nm.map((n) => n.t))).toBe(T0 + 30 * MIN);
    expect(nm[0]).toMatchObject({ cpuUser: 80, cpuSystem: 5, cpuWait: 2, memUsed: 50, netSent: 1000, netReceived: 2000, nodeType: 'i3.2xlarge' });
    expect(nm.filter((n) => n.driver).length).toBe(32);
    expect(ev.gaps).not.toContain('node_metrics');
    expect(ev.gaps).not.toContain('cluster_resources');
  });

  it('records node_metrics, cost, history gaps for a classic pipeline without them', () => {
    const ev = build(raws, { nodeTimeline: null });
    expect(ev.nodeMetrics).toBeNull();
    expect(ev.gaps).toEqual(expect.arrayContaining(['node_metrics', 'cost', 'history']));
    expect(build(raws, { nodeTimeline: [] }).gaps).toContain('node_metrics');
  });

  it('records serverless gaps even when rows are given', () => {
    const serverless = [...updateEvents({ id: 'cur', start: T0 }), flowProgress({ t: T0 + 400 * S, update: 'cur', flow: 'f', status: 'RUNNING', metrics: { num_output_rows: 5 } })];
    const ev = build(serverless, { pipeline: rawPipeline({ serverless: true }), nodeTimeline: timeline });
    expect(ev.nodeMetrics).toBeNull();
    expect(ev.clusterResources).toEqual([]);
    expect(ev.gaps).toEqual(expect.arrayContaining(['node_metrics', 'cluster_resources', 'flow_definitions']));
  });

  it('keeps gaps and notes handed in, without duplicates', () => {
    const ev = build(raws, { gaps: ['updates_api', 'cost'], notes: ['from SQL'] });
    expect(ev.gaps.filter((g) => g === 'cost')).toHaveLength(1);
    expect(ev.gaps[0]).toBe('updates_api');
    expect(ev.notes[0]).toBe('from SQL');
  });

  it('REST-only events: event_details gap, states read from messages', () => {
    const rest = [...updateEvents({ id: 'upd-1', start: T0 }), flowProgress({ t: T0 + 400 * S, flow: 'f', status: 'COMPLETED' })].map((r) => {
      const { details: _d, ...row } = r;
      return row;
    });
    const ev = build(rest);
    expect(ev.gaps).toContain('event_details');
    expect(ev.notes.join(' ')).toMatch(/no details/);
    expect(ev.update.state).toBe('COMPLETED');
    expect(ev.update.phasesS.running).toBe(1535);
    expect(ev.flows[0]!.finalStatus).toBe('COMPLETED');
  });
});

describe('costFromRows', () => {
  const usage = [
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: T0, usage_end_time: T0 + 3600_000, usage_quantity: 10, usage_metadata: { dlt_pipeline_id: PIPELINE_ID, dlt_update_id: 'upd-1' } },
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: T0, usage_end_time: T0 + 3600_000, usage_quantity: -2, record_type: 'RETRACTION', usage_metadata: { dlt_pipeline_id: PIPELINE_ID, dlt_update_id: 'upd-1' } },
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: T0 - 5 * DAY, usage_end_time: T0 - 5 * DAY + 3600_000, usage_quantity: '4', usage_metadata: JSON.stringify({ dlt_pipeline_id: PIPELINE_ID, dlt_maintenance_id: 'm-1' }) },
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: T0 - 40 * DAY, usage_end_time: T0 - 40 * DAY + 3600_000, usage_quantity: 100, usage_metadata: { dlt_pipeline_id: PIPELINE_ID } },
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', usage_start_time: T0, usage_end_time: T0 + 3600_000, usage_quantity: 50, usage_metadata: { dlt_pipeline_id: 'someone-else' } },
  ].map((r) => UsageRowSchema.parse(r));
  const prices = [
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', currency_code: 'USD', price_start_time: T0 - 100 * DAY, price_end_time: T0 - 2 * DAY, pricing: { default: 0.1 } },
    { sku_name: 'PREMIUM_JOBS_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', currency_code: 'USD', price_start_time: T0 - 2 * DAY, price_end_time: null, pricing: JSON.stringify({ default: 0.3, effective_list: { default: 0.25 } }) },
  ].map((r) => ListPriceRowSchema.parse(r));

  it('sums DBUs and list-price dollars for the update and the period', () => {
    const c = costFromRows(usage, prices, { pipelineId: PIPELINE_ID, updateId: 'upd-1', now: T0 + DAY })!;
    expect(c.updateDbus).toBe(8);
    expect(c.updateDollars).toBeCloseTo(2, 10);
    expect(c.periodDbus).toBe(12);
    expect(c.periodDollars).toBeCloseTo(8 * 0.25 + 4 * 0.1, 10);
    expect(c.maintenanceDbus).toBe(4);
    expect(c.maintenanceDollars).toBeCloseTo(4 * 0.1, 10);
    // the default period is the week right-sizing is priced on (as in `cost` and the digest)
    expect(c.periodDays).toBe(7);
    expect(costFromRows(usage, prices, { pipelineId: PIPELINE_ID, now: T0 + DAY, days: 60 })).toMatchObject({ updateDbus: null, periodDbus: 112, periodDays: 60 });
  });

  it('is null without usage rows for the pipeline', () => {
    expect(costFromRows(usage, prices, { pipelineId: 'unknown', now: T0 })).toBeNull();
  });
});

describe('pipelineSpecFrom', () => {
  it('maps the spec, clusters, availability, tags, libraries and event_log', () => {
    const raw = rawPipeline();
    (raw.spec as Record<string, unknown>).event_log = { name: 'orders_events' };
    const p = pipelineSpecFrom(GetPipelineSchema.parse(raw));
    expect(p).toMatchObject({ id: PIPELINE_ID, name: 'orders', state: 'IDLE', health: 'HEALTHY', creatorUserName: 'dana@example.com' });
    expect(p.spec).toMatchObject({
      photon: true,
      serverless: false,
      continuous: false,
      channel: 'CURRENT',
      edition: 'ADVANCED',
      catalog: 'main',
      schema: 'sales',
      configuration: { 'pipelines.trigger.interval': '1 hour', 'spark.sql.shuffle.partitions': '400' },
      tags: { team: 'data' },
      eventLog: { catalog: 'main', schema: 'sales', name: 'orders_events' },
      libraries: ['/Repos/data/orders/pipeline', '/Repos/data/orders/transformations/**'],
    });
    expect(p.spec.clusters).toEqual([
      { label: 'default', numWorkers: null, autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'ENHANCED' }, nodeTypeId: 'i3.2xlarge', driverNodeTypeId: 'i3.xlarge', instancePoolId: null, driverInstancePoolId: null, sparkConf: { 'spark.sql.adaptive.enabled': 'true' }, initScripts: [], availability: 'SPOT_WITH_FALLBACK', firstOnDemand: 1 },
      { label: 'maintenance', numWorkers: 1, autoscale: null, nodeTypeId: null, driverNodeTypeId: null, instancePoolId: null, driverInstancePoolId: null, sparkConf: {}, initScripts: [], availability: null, firstOnDemand: null },
    ]);
    expect(pipelineSpecFrom(GetPipelineSchema.parse(rawPipeline({ legacy: true }))).spec.clusters[0]!.autoscale!.mode).toBe('LEGACY');
    const bare = pipelineSpecFrom(GetPipelineSchema.parse({ pipeline_id: 'p' }));
    expect(bare).toMatchObject({ id: 'p', name: 'p', spec: { photon: false, serverless: false, clusters: [], eventLog: null, libraries: [] } });
  });
});
