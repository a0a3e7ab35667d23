/**
 * The demo REST server's pipeline lifecycle (issue 18: `benchmark` / `ab-test` clone a pipeline,
 * run it, measure it and delete it): the request parsing and the bodies of
 * - POST /api/2.0/pipelines — create (https://docs.databricks.com/api/workspace/pipelines/create;
 *   databricks-sdk-py service/pipelines.py `PipelinesAPI.create`, `CreatePipeline`,
 *   `CreatePipelineResponse`);
 * - DELETE /api/2.0/pipelines/{id} — delete (https://docs.databricks.com/api/workspace/pipelines/delete);
 * - POST /api/2.0/pipelines/{id}/stop — stop (https://docs.databricks.com/api/workspace/pipelines/stop).
 * The state changes themselves live in rest-server.ts's createDemoState (they touch its runs and
 * listeners); what is here is pure.
 */
import { createHash } from 'node:crypto';
import { HttpError, invalid } from './http-error.js';

type Json = Record<string, unknown>;

/**
 * Fields of CreatePipeline that are not PipelineSpec settings (sdk-py `CreatePipeline`:
 * allow_duplicate_names, dry_run, run_as, parameters; `id` is the server's to give).
 */
const NOT_SPEC = new Set(['allow_duplicate_names', 'dry_run', 'run_as', 'parameters', 'id', 'pipeline_id', 'expected_last_modified']);

export interface CreateRequest {
  /** the PipelineSpec settings of the request, without `id` */
  spec: Json;
  dryRun: boolean;
  runAs: string | null;
}

/**
 * Validates a create body against the names in use. What it refuses, and on what it is based:
 * - no or blank `name` → 400 INVALID_PARAMETER_VALUE (the brief's contract; a real workspace
 *   names an unnamed pipeline itself in the UI, the API's behaviour was not checked);
 * - a name another pipeline has, unless `allow_duplicate_names` → 400 INVALID_PARAMETER_VALUE.
 *   Basis: the SDK's field doc "If false, deployment will fail if name conflicts with that of
 *   another pipeline" (sdk-py `CreatePipeline.allow_duplicate_names`); the exact error code and
 *   message of the real API are not documented there and were not verified;
 * - a dotted `target` → 400 INVALID_PARAMETER_VALUE, as databricks/cli's test server
 *   (libs/testserver/pipelines.go) reproduces the backend's "CreatePipeline target_schema_name … is
 *   not a valid name" check;
 * - `libraries` / `clusters` that are not arrays → 400 (PipelineSpec declares them lists).
 */
export function parseCreate(body: Json, namesInUse: Iterable<string>): CreateRequest {
  const name = body.name;
  if (typeof name !== 'string' || !name.trim()) throw invalid('Pipeline name must be specified and not blank.');
  for (const k of ['libraries', 'clusters', 'notifications'] as const) {
    if (body[k] !== undefined && body[k] !== null && !Array.isArray(body[k])) throw invalid(`${k} must be an array.`);
  }
  if (typeof body.target === 'string' && body.target.includes('.'))
    throw invalid(
      `CreatePipeline target_schema_name "${body.target}" is not a valid name. Valid names must contain only alphanumeric characters and underscores, and cannot contain spaces, periods, forward slashes, or control characters.`,
    );
  if (body.allow_duplicate_names !== true) {
    for (const n of namesInUse) {
      if (n === name)
        throw new HttpError(
          400,
          'INVALID_PARAMETER_VALUE',
          `A pipeline with name '${name}' already exists. Choose a different name or set allow_duplicate_names to true.`,
        );
    }
  }
  const spec: Json = {};
  for (const [k, v] of Object.entries(body)) if (!NOT_SPEC.has(k) && v !== undefined) spec[k] = structuredClone(v);
  const runAs = body.run_as && typeof body.run_as === 'object' ? (body.run_as as Json) : undefined;
  const runAsName = typeof runAs?.user_name === 'string' ? runAs.user_name : typeof runAs?.service_principal_name === 'string' ? runAs.service_principal_name : null;
  return { spec, dryRun: body.dry_run === true, runAs: runAsName };
}

/**
 * The GET /api/2.0/pipelines/{id} body of a pipeline just created: shaped like the generated ones
 * (src/demo/generate/pipeline.ts), state IDLE, no latest_updates or cluster_id until it runs.
 */
export function newPipelineBody(id: string, spec: Json, o: { creator: string; runAs: string | null; now: number }): Json {
  const runAs = o.runAs ?? o.creator;
  return {
    pipeline_id: id,
    name: spec.name,
    state: 'IDLE',
    health: 'HEALTHY',
    creator_user_name: o.creator,
    run_as_user_name: runAs,
    run_as: { user_name: runAs },
    last_modified: o.now,
    effective_publishing_mode: 'DEFAULT_PUBLISHING_MODE',
    spec: { ...structuredClone(spec), id },
  };
}

/** JSON with sorted keys, so two `libraries` lists compare by content (null when there are none). */
export function librariesKey(libraries: unknown): string | null {
  if (!Array.isArray(libraries) || libraries.length === 0) return null;
  return canonical(libraries);
}
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Json)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A UUID-shaped id derived from a seed (reruns of the demo are reproducible). */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A cluster id in Databricks' MMDD-HHMMSS-xxxxxxxx shape, for the cluster a created pipeline runs on. */
export function newClusterId(seed: string, ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const h = createHash('sha1').update(`cluster/${seed}`).digest('hex');
  return `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}-${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}-${h.slice(0, 8)}`;
}

/**
 * The update_progress CANCELED row that ends a stopped update, built from one of the run's own
 * update_progress rows (same origin and representation of details): message "Update <short> is
 * CANCELED.", as the generator and Databricks write them (generate/update.ts).
 */
export function canceledRow(proto: Json, o: { updateId: string; at: number; id: string }): Json {
  const row = structuredClone(proto);
  const origin = (typeof row.origin === 'string' ? JSON.parse(row.origin) : row.origin) as Json | undefined;
  row.id = o.id;
  row.timestamp = new Date(o.at).toISOString();
  row.level = 'INFO';
  row.error = null;
  row.message = `Update ${o.updateId.slice(0, 6)} is CANCELED.`;
  row.event_type = 'update_progress';
  if (origin) {
    const { flow_id: _f, flow_name: _n, dataset_name: _d, table_id: _t, table_name: _tn, batch_id: _b, ...rest } = origin;
    row.origin = { ...rest, update_id: o.updateId };
  }
  const details = { update_progress: { state: 'CANCELED', cancellation_cause: 'USER_ACTION' } };
  row.details = typeof proto.details === 'string' ? JSON.stringify(details) : details;
  return row;
}

/** `cascade` of DELETE /api/2.0/pipelines/{id}: default true (docs: deletion cascades to the pipeline's UC tables). */
export function cascadeParam(q: URLSearchParams): boolean {
  const raw = q.get('cascade');
  if (raw === null) return true;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  throw invalid(`cascade must be true or false, got '${raw}'.`);
}
