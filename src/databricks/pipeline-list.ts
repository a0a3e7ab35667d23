/**
 * The pipeline list (`pipelines`): the REST list (GET /api/2.0/pipelines, one page per 100
 * pipelines: name, state, health, latest_updates) plus, where the warehouse can read
 * system.lakeflow.pipeline_update_timeline, ONE statement for every pipeline's last update duration
 * and baseline (fleet-reader.ts). Without the timeline the list stays at the REST pages: each
 * pipeline's newest update from latest_updates, no duration and no baseline (null), and
 * `updatesSource` says which it was, so every surface can tell the user (templates/updates-source.ts).
 * Beside it, ONE statement over the pipeline events system table flags streams falling behind
 * (fleet-backlog.ts). At most two SQL statements whatever the number of pipelines.
 */
import { listFilterMatches } from '../digest/filter.js';
import type { PipelineSummary } from '../source.js';
import type { FleetBacklogReader } from './fleet-backlog.js';
import type { FleetReader } from './fleet-reader.js';
import { latestUpdate } from './latest-update.js';
import type { RestClient } from './rest.js';

const DAY = 86_400_000;
/** how far back the timeline is read: enough for a baseline of the last 10 completed updates of a daily pipeline */
export const FLEET_HISTORY_DAYS = 60;
/** how far back the backlog statement reads events: a daily or continuous pipeline's latest update */
export const FLEET_BACKLOG_DAYS = 2;

export interface PipelineListDeps {
  rest: Pick<RestClient, 'listPipelines'>;
  /** null: no SQL warehouse configured */
  fleet: FleetReader | null;
  /** null: no SQL warehouse configured */
  backlog?: FleetBacklogReader | null;
  now: () => number;
}

export async function listPipelineSummaries(d: PipelineListDeps, filter?: string): Promise<PipelineSummary[]> {
  const all = await d.rest.listPipelines();
  const chosen = all.filter((p) => listFilterMatches(filter, { id: p.pipeline_id, name: p.name ?? '' }));
  // the two fleet statements run side by side, as a warehouse runs a diagnosis' statements
  const [states, backlog] = await Promise.all([
    d.fleet ? d.fleet.read(new Date(d.now() - FLEET_HISTORY_DAYS * DAY)) : null,
    d.backlog ? d.backlog.read(new Date(d.now() - FLEET_BACKLOG_DAYS * DAY)) : null,
  ]);
  const backlogSource: PipelineSummary['backlogSource'] = backlog ? 'pipeline_events' : d.backlog ? 'unavailable' : 'none';
  const updatesSource: PipelineSummary['updatesSource'] = states ? 'update_timeline' : d.fleet ? 'rest_no_timeline' : 'rest';
  return chosen.map((p): PipelineSummary => {
    const rest = latestUpdate(p);
    const restLast: PipelineSummary['lastUpdate'] = rest ? { id: rest.id, state: rest.state ?? 'UNKNOWN', startedAt: rest.startedAt ?? 0, durationS: null } : null;
    const st = states?.get(p.pipeline_id);
    // the system table lags the live API (minutes): an update REST already lists but the timeline
    // does not yet know is the last update (without a duration); the baseline still comes from the timeline
    const newer = st && restLast && restLast.id !== st.lastUpdate.id && restLast.startedAt >= st.lastUpdate.startedAt;
    return {
      id: p.pipeline_id,
      name: p.name ?? p.pipeline_id,
      state: p.state ?? null,
      health: p.health ?? null,
      // same update: REST's state is live (the timeline may still show it running)
      lastUpdate: st && !newer ? { ...st.lastUpdate, state: restLast?.id === st.lastUpdate.id && rest?.state ? rest.state : st.lastUpdate.state } : restLast,
      baselineMedianS: st?.baselineMedianS ?? null,
      updatesSource,
      ...(backlog ? { backlog: backlog.get(p.pipeline_id) ?? null } : {}),
      backlogSource,
    };
  });
}
