/**
 * The REST half of an offline bundle (issue 16 item 2): what `GET /api/2.0/pipelines/{id}`,
 * `/updates` and `/api/2.1/clusters/list-node-types` answered when the bundle was exported
 * (pipeline.json, updates.json, node_types.json, CONTRACT §1), served in-process to the same
 * collector as a live workspace. Reads only: nothing can be started or edited in a bundle.
 */
import type { EventRow, RawNodeType, RawPipeline, RawUpdate } from '../databricks/schemas.js';
import type { PipelineDetails, RestClient, RestStats } from '../databricks/rest.js';
import { DoctorError, pipelineNotFound, sourceUnavailable } from '../errors.js';

export interface OfflineRestData {
  pipeline: RawPipeline;
  /** the pipeline body as exported (its `spec` is what a PUT would round-trip) */
  rawSpec: Record<string, unknown> | null;
  /** null: the bundle has no updates.json */
  updates: RawUpdate[] | null;
  /** null: the bundle has no node_types.json */
  nodeTypes: RawNodeType[] | null;
  /** the events as `GET …/events` lists them, newest first: a bundle exported without a warehouse (no details) */
  events?: EventRow[];
}

const readOnly = () => new DoctorError('BAD_USAGE', 'An evidence bundle is read-only: nothing can be applied or started from it.');

export function createOfflineRest(d: OfflineRestData): RestClient {
  const id = d.pipeline.pipeline_id;
  const name = d.pipeline.name ?? d.pipeline.spec?.name ?? id;
  const calls: Record<string, number> = {};
  const count = (what: string) => {
    calls[what] = (calls[what] ?? 0) + 1;
  };
  const mine = (wanted: string) => {
    if (wanted !== id) throw pipelineNotFound(wanted, [name]);
  };
  return {
    host: 'bundle',
    async listPipelines() {
      count('GET /api/2.0/pipelines');
      const newest = [...(d.updates ?? [])].sort((a, b) => (b.creation_time ?? 0) - (a.creation_time ?? 0));
      return [{
        pipeline_id: id,
        name,
        state: d.pipeline.state ?? null,
        health: d.pipeline.health ?? null,
        latest_updates: newest.slice(0, 5).map((u) => ({ update_id: u.update_id, state: u.state ?? null, creation_time: u.creation_time ?? null })),
      }] as never;
    },
    async getPipeline(wanted) {
      count('GET /api/2.0/pipelines/{id}');
      mine(wanted);
      return { ...d.pipeline, rawSpec: d.rawSpec ? structuredClone(d.rawSpec) : null } as PipelineDetails;
    },
    async listUpdates(wanted) {
      count('GET /api/2.0/pipelines/{id}/updates');
      mine(wanted);
      if (d.updates === null) throw sourceUnavailable('The bundle has no updates.json.');
      return d.updates.map((u) => ({ ...u }));
    },
    async getUpdate(wanted, updateId) {
      mine(wanted);
      const u = d.updates?.find((x) => x.update_id === updateId);
      if (!u) throw new DoctorError('UPDATE_NOT_FOUND', `No update ${updateId.slice(0, 40)} in the bundle's updates.json.`);
      return { ...u };
    },
    async startUpdate() {
      throw readOnly();
    },
    async editPipeline() {
      throw readOnly();
    },
    async createPipeline() {
      throw readOnly();
    },
    async deletePipeline() {
      throw readOnly();
    },
    async deleteSchema() {
      throw readOnly();
    },
    async stopPipeline() {
      throw readOnly();
    },
    async listEvents(wanted, opts): Promise<EventRow[]> {
      count('GET /api/2.0/pipelines/{id}/events');
      mine(wanted);
      // with details, the bundle's events are read with SQL (events.jsonl in the bundle's DuckDB)
      return (d.events ?? []).slice(0, opts?.maxEvents ?? 1000);
    },
    async getCluster() {
      throw sourceUnavailable('An evidence bundle holds no cluster details.');
    },
    async listNodeTypes() {
      count('GET /api/2.1/clusters/list-node-types');
      if (d.nodeTypes === null) throw sourceUnavailable('the bundle has no node_types.json');
      return d.nodeTypes.map((n) => ({ ...n }));
    },
    async accessToken() {
      throw sourceUnavailable('An evidence bundle has no workspace token.');
    },
    stats(): RestStats {
      return { total: Object.values(calls).reduce((s, n) => s + n, 0), byPath: { ...calls }, cacheHits: 0, skippedEvents: 0 };
    },
    clearCache() {},
  };
}
