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
  /** the flow that runs out of memory when the traits say so */
  oom?: boolean;
}

export interface ClusterDef {
  nodeType: string;
  driverNodeType?: string;
  numWorkers?: number;
  autoscale?: { min: number; max: number; mode: 'ENHANCED' | 'LEGACY' };
  sparkConf?: Record<string, string>;
  pool?: boolean;
}

export interface Traits {
  cpu: number; // workers' user+system %
  wait: number; // cpu_wait %
  mem: number;
  swap: number;
  netMB: number; // sent+received per worker-minute, MB
  driverMem: number;
  driverCpu: number;
  waitS: number;
  initS: number;
  setupS: number;
  /** workers while running; null = ~60% of max (autoscale) or num_workers */
  executors: number | null;
  optimal: number | null;
  util: number;
  queued: number;
  cpuRatio: number; // executor_cpu_time / executor_time
  oom: 'none' | 'retried' | 'fatal';
  durationFactor: number;
  /** [first, last] backlog bytes of the first streaming flow; growing when last > first */
  backlog: [number, number] | null;
  /** Auto Loader small-files backlog: files at start and end, and bytes per file */
  smallFiles: { start: number; end: number; fileBytes: number } | null;
}

export const NORMAL: Traits = {
  cpu: 71,
  wait: 2.5,
  mem: 62,
  swap: 0,
  netMB: 190,
  driverMem: 52,
  driverCpu: 22,
  waitS: 75,
  initS: 40,
  setupS: 25,
  executors: null,
  optimal: null,
  util: 0.78,
  queued: 2,
  cpuRatio: 0.62,
  oom: 'none',
  durationFactor: 1,
  backlog: null,
  smallFiles: null,
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
  durationS: number;
  /** hour of day (UTC) of the latest update */
  hourUtc: number;
  flows: FlowDef[];
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
}

export interface FlowRuntime {
  def: FlowDef;
  name: string;
  dataset: string;
  id: string;
}
