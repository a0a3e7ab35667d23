/**
 * Where evidence comes from: a bundle on disk, a live Databricks workspace, or the demo workspace.
 * Commands only talk to this interface.
 */
import type { Evidence } from './diagnosis/evidence.js';
import type { CostBackend } from './digest/types.js';
import type { BacklogFlag } from './databricks/fleet-backlog.js';
import type { PipelineAssessment } from './diagnosis/pipeline-assessment.js';

export interface PipelineSummary {
  id: string;
  name: string;
  state: string | null;
  health: string | null;
  lastUpdate: { id: string; state: string; startedAt: number; durationS: number | null } | null;
  baselineMedianS: number | null;
  /**
   * where lastUpdate/baseline came from: one fleet-wide statement over the update timeline, the REST
   * list's latest_updates because the timeline is not readable (no durations, no baselines), or REST
   * alone because no SQL warehouse is configured
   */
  updatesSource?: 'update_timeline' | 'rest_no_timeline' | 'rest';
  /** a flow of its latest update whose backlog kept growing (fleet-backlog.sql); null: none; absent: not read */
  backlog?: BacklogFlag | null;
  /**
   * where `backlog` came from: one statement over the pipeline events system table, or nothing
   * because that table is not readable / there is no SQL warehouse
   */
  backlogSource?: 'pipeline_events' | 'unavailable' | 'none';
  /** the bot's own word on it (src/diagnosis/pipeline-assessment.ts), set by the `pipelines` command */
  assessment?: PipelineAssessment;
}

export interface CollectOptions {
  updateId?: string;
  /**
   * minutes of the update to read flow metrics, cluster resources and node metrics for, ending at
   * its newest event (`--window`); default: the whole update, the last 480 for a running
   * continuous one (workspace sources; a bundle reads its whole update)
   */
  windowMinutes?: number;
  /** skip the short diagnosis cache: a measurement that must see rows written since (src/experiment/measure.ts) */
  fresh?: boolean;
  /** progress callback for surfaces that show "collecting…" */
  onProgress?: (step: 'resolving' | 'collecting' | 'analysing') => void;
}

export interface Source {
  readonly kind: 'bundle' | 'workspace' | 'demo';
  /** link to the pipeline (update) in the workspace UI, when there is one */
  pipelineUrl(pipelineId: string, updateId?: string): string | null;
  listPipelines(filter?: string): Promise<PipelineSummary[]>;
  /** id or name → pipeline; throws DoctorError PIPELINE_NOT_FOUND with "did you mean" suggestions */
  resolvePipeline(ref: string): Promise<{ id: string; name: string }>;
  collect(ref: string, options?: CollectOptions): Promise<Evidence>;
  /**
   * Writes a CONTRACT.md §1 bundle of the pipeline (the update chosen as `collect` would) into
   * `outDir`. Only sources that read a workspace have it; chat surfaces never call it (it writes
   * to the bot's disk).
   */
  exportBundle?(ref: string, options: ExportOptions): Promise<ExportResult>;
  /**
   * Every pipeline's newest update in ONE statement (system.lakeflow.pipeline_update_timeline), for
   * the alert poll; null when the table is unavailable (refusal cached). Workspace sources with a
   * warehouse only. The system table lags the live API by minutes.
   */
  fleetUpdateStates?(): Promise<Map<string, { updateId: string; state: string }> | null>;
  /** the SQL warehouse and pipeline specs behind `cost` and `digest` (workspace sources with a warehouse) */
  costBackend?(): Promise<CostBackend>;
}

export interface ExportOptions {
  updateId?: string;
  outDir: string;
}

export interface ExportResult {
  dir: string;
  files: string[];
  events: number;
}

/** Sources that can write an evidence bundle (CONTRACT §1) of what they collect. */
export interface ExportableSource extends Source {
  exportBundle(ref: string, options: { updateId?: string; outDir: string }): Promise<ExportResult>;
}
