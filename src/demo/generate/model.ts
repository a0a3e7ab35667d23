/** Types of the generator: scenario definitions, per-update traits and plans, the generation context. */
import type { Bottleneck } from '../../diagnosis/evidence.js';
import type { Rng } from './rng.js';

export interface DemoPipeline {
  scenario: string; // e.g. 'cpu-saturation'
  expected: Bottleneck; // intended verdict of its latest update ('none' for healthy/serverless)
  pipeline: Record<string, unknown>; // GET /api/2.0/pipelines/{id} body
  updates: Record<string, unknown>[]; // UpdateInfo JSON, newest first
  events: Record<string, unknown>[]; // event-log rows, oldest first
  nodeTimeline: Record<string, unknown>[]; // [] for serverless
  usage: Record<string, unknown>[];
}

export type Source = 'autoloader' | 'kafka' | 'delta';

export interface FlowDef {
  table: string;
  kind: 'st' | 'mv';
  flowType: 'APPEND' | 'CHANGE' | 'MATERIALIZED_VIEW' | 'COMPLETE';
  source?: Source;
  /** source path (Auto Loader), topic (Kafka) or table (Delta) outside the pipeline */
  sourceName?: string;
  inputs: string[];
  language: 'PYTHON' | 'SQL';
  explain?: string;
  rows: number;
  rowBytes: number;
  /** start and end as fractions of the running phase */
  at: [number, number];
  /** backlog when the flow starts, bytes; drains to ~5% unless a trait says otherwise */
  backlogBytes?: number;
  /** average source file size, for backlog_files (Auto Loader / Delta) */
  fileBytes?: number;
  expectations?: string[];
  /** MV planning: chosen technique; COMPLETE_RECOMPUTE gets a CDF_UNAVAILABLE issue */
  planning?: 'incremental' | 'recompute';
  /** the flow that fails (retried OOMs, the fatal failure, GC warnings) when the traits say so */
  failing?: boolean;
  /**
   * a flow that carries the scenario's cause: it gets the traits' cpuRatio. When no flow of a scenario is
   * marked, the flow with the longest span is the hot one.
   */
  hot?: boolean;
  /** share of the cluster's executor time while it runs, relative to the other running flows; default from its bytes */
  weight?: number;
}

export interface ClusterDef {
  nodeType: string;
  driverNodeType?: string;
  numWorkers?: number;
  autoscale?: { min: number; max: number; mode: 'ENHANCED' | 'LEGACY' };
  sparkConf?: Record<string, string>;
  pool?: boolean;
  /** `init_scripts` of the cluster spec, as the API takes them (InitScriptInfo: workspace / volumes / … destination) */
  initScripts?: Record<string, unknown>[];
}

export interface Traits {
  cpu: number; // workers' user+system %, once warmed up
  wait: number; // cpu_wait %
  mem: number;
  swap: number;
  netMB: number; // sent+received per worker-minute, MB
  driverMem: number;
  driverCpu: number;
  driverSwap: number;
  waitS: number;
  initS: number;
  setupS: number;
  /** RESETTING seconds (full refreshes only) */
  resetS: number;
  /** workers while running; null = ~60% of max (autoscale) or num_workers */
  executors: number | null;
  optimal: number | null;
  util: number;
  queued: number;
  /** executor_cpu_time / executor_time of the hot flows; null = ordinary (0.75–0.85, as healthy ETL flows report) */
  cpuRatio: number | null;
  oom: 'none' | 'retried';
  /** how the update fails when it ends FAILED: on the failing flow, at `failAt` of the running phase */
  failure: 'oom' | 'permission' | 'driver-result-size' | null;
  failAt: number;
  /** WARN events `java.lang.OutOfMemoryError: GC overhead limit exceeded` from executors of the failing flow */
  gcWarnings: number;
  durationFactor: number;
  /** [first, last] backlog bytes of the first streaming flow; growing when last > first */
  backlog: [number, number] | null;
  /** Auto Loader small-files backlog: files at start and end, and bytes per file */
  smallFiles: { start: number; end: number; fileBytes: number } | null;
  /** minutes from RUNNING (or from a worker joining) until it is warm: CPU and memory ramp up meanwhile */
  warmupMin: number;
  /** per-minute fluctuation of workers' CPU / memory, points (an AR(1) walk of about ± this much) */
  fluct: number;
  /** short bursts: at a fraction of the running phase, for some minutes, workers' CPU at `cpu` */
  spikes: { at: number; minutes: number; cpu: number }[];
  /** one worker busy at `cpu` from `from` of the running phase to the end, the others at `cpu` of the traits (idle in the tail) */
  skew: { cpu: number; from: number; tail: number } | null;
  /** workers busy during INITIALIZING (init scripts, library installs) */
  initBusy: { cpu: number; netMB: number; wait: number } | null;
  /** LEGACY autoscaling: executors step from `from` to `to` over `minutes` of RUNNING */
  ramp: { from: number; to: number; minutes: number } | null;
}

export const NORMAL: Traits = {
  cpu: 71,
  wait: 2.5,
  mem: 62,
  swap: 0,
  netMB: 190,
  driverMem: 52,
  driverCpu: 22,
  driverSwap: 0,
  waitS: 75,
  initS: 40,
  setupS: 25,
  resetS: 0,
  executors: null,
  optimal: null,
  util: 0.78,
  queued: 2,
  cpuRatio: null,
  oom: 'none',
  failure: null,
  failAt: 0.62,
  gcWarnings: 0,
  durationFactor: 1,
  backlog: null,
  smallFiles: null,
  warmupMin: 4,
  fluct: 7,
  spikes: [],
  skew: null,
  initBusy: null,
  ramp: null,
};

export interface ScenarioDef {
  name: string;
  scenario: string;
  expected: Bottleneck;
  summary: string;
  catalog: string;
  schema: string;
  owner: string;
  photon: boolean;
  serverless?: boolean;
  continuous?: boolean;
  edition?: 'CORE' | 'PRO' | 'ADVANCED';
  cluster?: ClusterDef;
  /** a separate maintenance cluster spec in `clusters[]` */
  maintenanceCluster?: boolean;
  configuration?: Record<string, string>;
  /** cluster_resources shape: nested task_slot_metrics/autoscale_info, or the older flat one */
  shape?: 'nested' | 'flat';
  /**
   * false: cluster_resources carry slot metrics only (no autoscale_info / optimal_num_executors / state) and
   * there are no `autoscale` events, as with LEGACY autoscaling on older channels
   */
  autoscaleFields?: boolean;
  /** pipeline `libraries` beside the source glob (PipelineLibrary: maven, jar, whl, …) */
  libraries?: Record<string, unknown>[];
  /** updates (0 = newest) that are user-started full refreshes */
  fullRefreshes?: number[];
  durationS: number;
  /** hour of day (UTC) of the latest update */
  hourUtc: number;
  flows: FlowDef[];
  /** traits of every update (e.g. init scripts that run on every start) */
  base?: Partial<Traits>;
  /** traits of the newest RECENT updates */
  recent?: Partial<Traits>;
  /** extra traits of the newest update only */
  latest?: Partial<Traits> & { state?: 'FAILED' | 'CANCELED' };
}

export interface Ctx {
  rng: Rng;
  def: ScenarioDef;
  name: string;
  pipelineId: string;
  workspaceId: string;
  accountId: string;
  orgId: number;
  events: Record<string, unknown>[];
  nodeTimeline: Record<string, unknown>[];
  usage: Record<string, unknown>[];
  seq: number;
  instance: string;
}

export interface UpdatePlan {
  id: string;
  start: number;
  cause: string;
  clusterId: string | null;
  traits: Traits;
  recent: boolean;
  latest: boolean;
  state: 'COMPLETED' | 'FAILED' | 'CANCELED';
  durationS: number;
  fullRefresh: boolean;
  /** output rows relative to the flow's usual rows (a full refresh reprocesses all history) */
  rowsFactor: number;
}

/** Phase boundaries of one update, epoch ms. */
export interface Timeline {
  t0: number;
  tWait: number;
  tInit: number;
  /** RESETTING (full refresh) between INITIALIZING and SETTING_UP_TABLES; null otherwise */
  tReset: number | null;
  tSetup: number;
  tRun: number;
  tRunEnd: number;
  tEnd: number;
  runningS: number;
  initS: number;
  /** period of per-flow METRICS rows and cluster_resources */
  metricEvery: number;
}

/** The cluster of one update over time: executors, warm-up, load; shared by cluster_resources, node rows and flows. */
export interface ClusterProfile {
  minW: number;
  maxW: number;
  target: number;
  optimal: number;
  cores: number;
  /** executors (workers) at t; minW before RUNNING */
  executorsAt(t: number): number;
  /** when worker w (0-based) joined: tInit for the first minW, later for scale-ups */
  joinedAt(w: number): number;
  /** 0 → 1 warm-up of the cluster (from RUNNING) or of worker w (from its joining) */
  warmAt(t: number, w?: number): number;
  /** slot utilization and queued tasks at t (running only) */
  utilAt(t: number): number;
  queuedAt(t: number): number;
}

export interface FlowRuntime {
  def: FlowDef;
  name: string;
  dataset: string;
  id: string;
  /** the flow carries the scenario's cause (FlowDef.hot, or the longest flow) */
  hot: boolean;
  /** share weight of the cluster's executor time */
  weight: number;
}
