/**
 * FakeEvidence: small builders that keep rule tests short and readable.
 * `fakeEvidence()` is a healthy, classic-compute, triggered update of 15 minutes with node metrics,
 * cluster_resources and a baseline; override any part.
 */
import type {
  ClusterResourceSample,
  ClusterSpec,
  ErrorInfo,
  Evidence,
  FlowInfo,
  HistoryEntry,
  NodeSample,
  PipelineSpec,
  UpdateInfo,
} from '../../src/diagnosis/evidence.js';
import { flowTimeline } from '../../src/diagnosis/build-evidence/dag.js';

export const T0 = Date.parse('2026-11-20T06:00:00Z');
const MIN = 60_000;

export function fakeCluster(o: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    label: 'default',
    numWorkers: null,
    autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'ENHANCED' },
    nodeTypeId: 'i3.2xlarge',
    driverNodeTypeId: 'i3.2xlarge',
    instancePoolId: null,
    driverInstancePoolId: null,
    sparkConf: {},
    initScripts: [],
    availability: 'SPOT_WITH_FALLBACK',
    firstOnDemand: 1,
    ...o,
  };
}

export function fakeSpec(o: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    photon: true,
    serverless: false,
    continuous: false,
    development: false,
    channel: 'CURRENT',
    edition: 'ADVANCED',
    catalog: 'main',
    schema: 'sales',
    configuration: {},
    clusters: [fakeCluster()],
    tags: {},
    eventLog: null,
    libraries: ['/Repos/data/orders/pipeline.py'],
    installedLibraries: [],
    ...o,
  };
}

export function fakeUpdate(o: Partial<UpdateInfo> = {}): UpdateInfo {
  return {
    id: 'upd-current',
    state: 'COMPLETED',
    cause: 'JOB_TASK',
    fullRefresh: false,
    startedAt: T0,
    endedAt: T0 + 15 * MIN,
    durationS: 900,
    phasesS: { queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: 780 },
    clusterId: 'cluster-1',
    outputRows: 12_000_000,
    dbrVersion: '16.4.x-photon-scala2.12',
    ...o,
  };
}

export function fakeFlow(o: Partial<FlowInfo> = {}): FlowInfo {
  return {
    name: 'main.sales.orders_silver',
    flowType: 'CHANGE',
    language: 'PYTHON',
    explainText: null,
    inputDatasets: ['main.sales.orders_bronze'],
    outputDataset: 'main.sales.orders_silver',
    statuses: [
      { t: T0 + 2 * MIN, status: 'STARTING' },
      { t: T0 + 2.5 * MIN, status: 'RUNNING' },
      { t: T0 + 14 * MIN, status: 'COMPLETED' },
    ],
    finalStatus: 'COMPLETED',
    startedAt: T0 + 2 * MIN,
    endedAt: T0 + 14 * MIN,
    durationS: 720,
    runningS: 690,
    outputRows: 12_000_000,
    upsertedRows: 0,
    deletedRows: 0,
    outputBytes: 3_000_000_000,
    droppedRecords: 0,
    executorTimeMs: 4 * 3600_000,
    executorCpuTimeMs: 2.4 * 3600_000,
    backlog: [],
    stream: [],
    planning: null,
    ...o,
  };
}

/** A value per worker-minute: a constant or a function of (worker index, minute index). */
export type PerWorkerMinute = number | ((worker: number, minute: number) => number);
/** A value per driver-minute: a constant or a function of the minute index. */
export type PerMinute = number | ((minute: number) => number);

const at = (v: PerWorkerMinute | undefined, dflt: number, w: number, m: number): number => (v === undefined ? dflt : typeof v === 'function' ? v(w, m) : v);
const atMinute = (v: PerMinute | undefined, dflt: number, m: number): number => (v === undefined ? dflt : typeof v === 'function' ? v(m) : v);

/**
 * Per-minute node_timeline rows: `workers` workers + 1 driver over `minutes` from `start`.
 * Worker values (cpu, wait, mem, swap, netBytesPerMin) take a constant or a function of
 * (worker, minute); driver values (driverCpu, driverMem, driverSwap) a constant or a function of the minute.
 */
export function fakeNodeSamples(o: {
  workers?: number;
  minutes?: number;
  start?: number;
  cpu?: PerWorkerMinute; // user+system percent on workers
  wait?: PerWorkerMinute;
  mem?: PerWorkerMinute;
  swap?: PerWorkerMinute;
  netBytesPerMin?: PerWorkerMinute;
  driverCpu?: PerMinute;
  driverMem?: PerMinute;
  driverSwap?: PerMinute;
  clusterId?: string;
} = {}): NodeSample[] {
  const workers = o.workers ?? 4;
  const minutes = o.minutes ?? 13;
  const start = o.start ?? T0 + 2 * MIN;
  const rows: NodeSample[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let w = 0; w <= workers; w++) {
      const driver = w === workers;
      const cpu = driver ? atMinute(o.driverCpu, 20, m) : at(o.cpu, 72, w, m);
      const net = driver ? at(o.netBytesPerMin, 200_000_000, 0, m) : at(o.netBytesPerMin, 200_000_000, w, m);
      rows.push({
        t: start + m * MIN,
        clusterId: o.clusterId ?? 'cluster-1',
        instanceId: driver ? 'i-driver' : `i-worker-${w}`,
        driver,
        cpuUser: cpu * 0.85,
        cpuSystem: cpu * 0.15,
        cpuWait: driver ? at(o.wait, 3, 0, m) : at(o.wait, 3, w, m),
        memUsed: driver ? atMinute(o.driverMem, 45, m) : at(o.mem, 62, w, m),
        memSwap: driver ? atMinute(o.driverSwap, typeof o.swap === 'number' ? o.swap : 0, m) : at(o.swap, 0, w, m),
        netSent: net / 2,
        netReceived: net / 2,
        nodeType: 'i3.2xlarge',
      });
    }
  }
  return rows;
}

/** Per-minute cluster_resources samples during the running phase. */
export function fakeClusterSamples(o: Partial<ClusterResourceSample> & { minutes?: number; start?: number } = {}): ClusterResourceSample[] {
  const { minutes = 13, start = T0 + 2 * MIN, ...fields } = o;
  return Array.from({ length: minutes }, (_, m) => ({
    t: start + m * MIN,
    numExecutors: 4,
    numTaskSlots: 32,
    avgTaskSlots: 32,
    slotUtilization: 0.75,
    queuedTasks: 2,
    optimalExecutors: 4,
    requestedExecutors: 4,
    state: 'SUCCEEDED',
    ...fields,
  }));
}

/** `n` earlier successful updates, one a day, each `durationS` long with `rows` output rows. */
export function fakeHistory(n = 10, durationS = 880, rows = 11_800_000): HistoryEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    updateId: `upd-prev-${i + 1}`,
    state: 'COMPLETED',
    startedAt: T0 - (i + 1) * 24 * 3600_000,
    durationS: durationS + ((i * 37) % 41) - 20,
    outputRows: rows,
    fullRefresh: false,
  }));
}

/** The timeline (where the time went) is derived from `flows` and `update` unless given. */
export function fakeEvidence(o: Partial<Evidence> & { spec?: Partial<PipelineSpec> } = {}): Evidence {
  const { spec, ...rest } = o;
  const e: Evidence = {
    pipeline: {
      id: '0f1e2d3c-aaaa-4bbb-8ccc-000000000001',
      name: 'orders_silver',
      state: 'IDLE',
      health: 'HEALTHY',
      creatorUserName: 'dana@example.com',
      lastModified: T0 - 7 * 24 * 3600_000,
      spec: fakeSpec(spec),
    },
    update: fakeUpdate(),
    flows: [fakeFlow()],
    clusterResources: fakeClusterSamples(),
    autoscale: [],
    errors: [],
    autoLoader: [],
    nodeMetrics: fakeNodeSamples(),
    history: fakeHistory(),
    cost: { updateDbus: 6.2, updateDollars: 1.86, periodDbus: 180, periodDollars: 54, maintenanceDbus: 12, periodDays: 30 },
    gaps: [],
    notes: [],
    timeline: null,
    ...rest,
  };
  if (!('timeline' in rest)) e.timeline = flowTimeline(e.flows, e.update, e.pipeline.spec.continuous, e.update.endedAt ?? e.update.startedAt);
  return e;
}

/** One error/warning event of the update (event_log `error`), 5 minutes into the run by default. */
export function fakeError(o: Partial<ErrorInfo> = {}): ErrorInfo {
  return {
    t: T0 + 7 * MIN,
    level: 'ERROR',
    eventType: 'flow_progress',
    message: "Flow 'orders_silver' has FAILED.",
    fatal: false,
    flowName: null,
    exceptions: [{ className: 'java.lang.OutOfMemoryError', message: 'Java heap space' }],
    ...o,
  };
}
