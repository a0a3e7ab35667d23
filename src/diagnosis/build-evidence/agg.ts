/**
 * Per-update aggregates the single streaming pass folds events into (no raw row is kept; long
 * series are downsampled as they arrive). Internal to build-evidence/.
 */
import type {
  AutoLoaderListing,
  AutoscaleEvent,
  BacklogSample,
  ClusterResourceSample,
  ErrorInfo,
  FlowStatusChange,
  PlanningInfo,
} from '../evidence.js';
import { Downsampler } from './downsampler.js';
import { StreamSeries } from './stream-series.js';

export const MAX_BACKLOG_POINTS = 300;
export const MAX_CLUSTER_POINTS = 2000;
export const MAX_AUTOSCALE_POINTS = 1000;
export const MAX_AUTOLOADER_POINTS = 1000;
export const MAX_STATUS_CHANGES = 500;
export const MAX_ERRORS = 200;

export interface FlowDef {
  flowType: string | null;
  language: string | null;
  explainText: string | null;
  inputDatasets: string[];
  outputDataset: string | null;
}

export interface FlowAgg {
  name: string;
  statuses: FlowStatusChange[];
  minT: number;
  hasMetrics: boolean;
  outputRows: number;
  upsertedRows: number;
  deletedRows: number;
  outputBytes: number;
  droppedRecords: number;
  executorTimeMs: number;
  executorCpuTimeMs: number;
  backlog: Downsampler<BacklogSample>;
  /** rows and batch latency per time bucket (continuous pipelines are judged on a recent window) */
  stream: StreamSeries;
  planning: { t: number; info: PlanningInfo } | null;
}

export interface UpdateAgg {
  id: string;
  createdAt: number | null;
  progress: { t: number; state: string }[];
  cause: string | null;
  fullRefresh: boolean | null;
  /** create_update.full_refresh_selection / refresh_selection were non-empty (a partial refresh) */
  partialRefresh: boolean;
  clusterCounts: Map<string, number>;
  dbrVersion: string | null;
  minT: number;
  maxT: number;
  events: number;
  flows: Map<string, FlowAgg>;
  definitions: Map<string, FlowDef>;
  clusterResources: Downsampler<ClusterResourceSample>;
  autoscale: Downsampler<AutoscaleEvent>;
  autoLoader: Downsampler<AutoLoaderListing>;
  errors: ErrorInfo[];
  errorsDropped: number;
}

export function newUpdate(id: string, t: number): UpdateAgg {
  return {
    id,
    createdAt: null,
    progress: [],
    cause: null,
    fullRefresh: null,
    partialRefresh: false,
    clusterCounts: new Map(),
    dbrVersion: null,
    minT: t,
    maxT: t,
    events: 0,
    flows: new Map(),
    definitions: new Map(),
    clusterResources: new Downsampler(MAX_CLUSTER_POINTS),
    autoscale: new Downsampler(MAX_AUTOSCALE_POINTS),
    autoLoader: new Downsampler(MAX_AUTOLOADER_POINTS),
    errors: [],
    errorsDropped: 0,
  };
}

export function newFlow(name: string, t: number): FlowAgg {
  return {
    name,
    statuses: [],
    minT: t,
    hasMetrics: false,
    outputRows: 0,
    upsertedRows: 0,
    deletedRows: 0,
    outputBytes: 0,
    droppedRecords: 0,
    executorTimeMs: 0,
    executorCpuTimeMs: 0,
    backlog: new Downsampler(MAX_BACKLOG_POINTS),
    stream: new StreamSeries(),
    planning: null,
  };
}
