/**
 * Databricks' raw shapes → the Evidence model (CONTRACT.md §1).
 *
 * One module per event family (phases, flows and the DAG, cluster resources, operations, errors,
 * planning), the single streaming pass in accumulator.ts; `buildEvidence` picks one update and
 * assembles the Evidence. Event shapes: docs.databricks.com/aws/en/ldp/monitor-event-log-schema.
 */
import type { NodeTimelineRow, RawNodeType, RawPipeline, RawUpdate } from '../../databricks/schemas.js';
import type { CostInfo, Evidence, EvidenceWindow, Gap, HistoryEntry } from '../evidence.js';
import type { UpdateSet } from './update-set.js';
import { MAX_ERRORS, type FlowDef } from './agg.js';
import { flowTimeline } from './dag.js';
import { flowInfo } from './flows.js';
import { nodeMetricsFor } from './node-metrics.js';
import { nodeTypeOffers } from './node-types.js';
import { endOf, startOf, updateInfo } from './phases.js';
import { pipelineSpecFrom } from './pipeline-spec.js';

export { EventAccumulator } from './accumulator.js';
export { foldSummaries, type UpdateSummaries } from './summaries.js';
export { costFromRows } from './cost.js';
export { Downsampler } from './downsampler.js';
export { pipelineSpecFrom } from './pipeline-spec.js';
export { nodeTypeOffers } from './node-types.js';

const HISTORY_MIN_SUCCESSFUL = 5;

function peakOf(samples: { numExecutors: number | null }[]): number | null {
  let peak: number | null = null;
  for (const s of samples) if (s.numExecutors !== null && (peak === null || s.numExecutors > peak)) peak = s.numExecutors;
  return peak;
}

export interface EvidenceInput {
  pipeline: RawPipeline;
  updates: RawUpdate[] | null;
  /** the per-update aggregates: from the update summary statements (summaries.ts) or the event fold (accumulator.ts) */
  events: UpdateSet;
  /** null = not available (serverless / no warehouse) */
  nodeTimeline: NodeTimelineRow[] | null;
  cost: CostInfo | null;
  /** GET /api/2.1/clusters/list-node-types node_types[]; null or absent = not known (no check of suggested node types) */
  nodeTypes?: RawNodeType[] | null;
  /** default: newest update with an end state, else the running one (CONTRACT §1) */
  updateId?: string;
  gaps?: Gap[];
  notes?: string[];
  /** the part of the update the flow metrics and samples cover (absent: all of it) */
  window?: EvidenceWindow;
}

export function buildEvidence(input: EvidenceInput): Evidence {
  const acc = input.events;
  const pipeline = pipelineSpecFrom(input.pipeline);
  const id = acc.selectUpdateId(input.updateId, input.updates, pipeline.spec.continuous);
  const agg = acc.get(id)!;
  const listed = new Map((input.updates ?? []).map((r) => [r.update_id, r]));
  const serverless = pipeline.spec.serverless;
  const update = updateInfo(agg, listed.get(id));
  const windowEnd = update.endedAt ?? agg.maxT;

  const gaps: Gap[] = [];
  const gap = (g: Gap) => {
    if (!gaps.includes(g)) gaps.push(g);
  };
  for (const g of input.gaps ?? []) gap(g);
  const notes = [...(input.notes ?? [])];

  if (acc.detailedCount === 0) {
    gap('event_details');
    notes.push('events carry no details (REST API only): flow metrics, cluster_resources and planning information are unavailable');
  }

  // flows: those with progress or a plan in this update, plus the ones it defined
  const names = new Set<string>([...agg.definitions.keys(), ...agg.flows.keys()]);
  let latestDefs: Map<string, FlowDef> | null = null;
  const defFor = (name: string): FlowDef | undefined => {
    const own = agg.definitions.get(name);
    if (own) return own;
    latestDefs ??= acc.definitionsOutside(id);
    return latestDefs.get(name);
  };
  const flows = [...names].sort().map((name) => flowInfo(agg.flows.get(name), name, defFor(name), windowEnd));
  if (!flows.some((f) => f.flowType !== null || f.outputDataset !== null || f.inputDatasets.length > 0)) gap('flow_definitions');

  const clusterResources = agg.clusterResources.values();
  if (clusterResources.length === 0) gap('cluster_resources');

  // node metrics: the update's cluster(s), inside its window
  let nodeMetrics = null;
  if (input.nodeTimeline !== null && !serverless) {
    const ids = new Set(agg.clusterCounts.keys());
    const listedCluster = listed.get(id)?.cluster_id;
    if (listedCluster) ids.add(listedCluster);
    // a window (issue 16) reads node metrics over its part of the update only
    nodeMetrics = nodeMetricsFor(input.nodeTimeline, ids, input.window ? Math.max(update.startedAt, input.window.from - 60_000) : update.startedAt, windowEnd);
  }
  if (nodeMetrics === null) gap('node_metrics');

  // history: earlier updates with an end, newest first
  const history: HistoryEntry[] = [];
  for (const u of acc.all()) {
    if (u.id === id) continue;
    const start = startOf(u);
    const end = endOf(u);
    if (end === null || start >= update.startedAt) continue;
    const info = updateInfo(u, listed.get(u.id));
    history.push({
      updateId: u.id,
      state: info.state,
      startedAt: start,
      durationS: info.durationS ?? 0,
      outputRows: info.outputRows,
      fullRefresh: info.fullRefresh,
      dbrVersion: info.dbrVersion,
      phasesS: info.phasesS,
      // flows that reported a status or a definition (a summary row carries totals only)
      flows: new Set([...[...u.flows.values()].filter((f) => f.statuses.length > 0).map((f) => f.name), ...u.definitions.keys()]).size || undefined,
      peakExecutors: peakOf(u.clusterResources.values()),
    });
  }
  history.sort((a, b) => b.startedAt - a.startedAt);
  if (history.filter((h) => h.state === 'COMPLETED').length < HISTORY_MIN_SUCCESSFUL) gap('history');

  if (input.cost === null) gap('cost');

  const errors = [...agg.errors];
  for (const e of acc.pipelineErrors()) if (e.t >= update.startedAt && e.t <= windowEnd) errors.push(e);
  errors.sort((a, b) => a.t - b.t);
  if (agg.errorsDropped > 0) notes.push(`kept the first ${MAX_ERRORS} error events of update ${id}; ${agg.errorsDropped} more not shown`);

  return {
    pipeline,
    update,
    flows,
    timeline: flowTimeline(flows, update, pipeline.spec.continuous, windowEnd),
    clusterResources,
    autoscale: agg.autoscale.values(),
    errors,
    autoLoader: agg.autoLoader.values(),
    nodeMetrics,
    history,
    cost: input.cost,
    ...(input.nodeTypes && input.nodeTypes.length > 0 ? { nodeTypes: nodeTypeOffers(input.nodeTypes) } : {}),
    gaps,
    notes,
    ...(input.window ? { window: input.window } : {}),
  };
}
