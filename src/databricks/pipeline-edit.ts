/**
 * The body of the pipeline edit call (PUT /api/2.0/pipelines/{pipeline_id}) for a read-modify-write.
 *
 * The edit replaces the pipeline's settings with exactly what the body carries: a field left out is
 * cleared. Most settings live in the GET's `spec`, but two that the edit accepts sit at the top level
 * of the GET response, outside `spec`: `run_as` and `parameters`. A PUT built from `spec` alone would
 * wipe them. Checked against databricks-sdk-py, databricks/sdk/service/pipelines.py (commit
 * 9ae2241564f93eec8b747514cdef56439f77a077, Aug 2026):
 *  - `GetPipelineResponse` (top level): cause, cluster_id, creator_user_name,
 *    effective_budget_policy_id, effective_environment_version, effective_publishing_mode,
 *    effective_serverless_compute_id, effective_usage_policy_id, health, last_modified,
 *    latest_updates, name, parameters, pipeline_id, run_as, run_as_user_name, spec, state.
 *  - the edit request, `PipelinesAPI.update` (PUT /api/2.0/pipelines/{pipeline_id}; the `EditPipeline`
 *    dataclass until commit 34423075fa380cc4a8528d30dc93503711cdcaf3): allow_duplicate_names,
 *    budget_policy_id, catalog, channel, clusters, configuration, continuous, deployment,
 *    development, edition, environment, event_log, expected_last_modified, filters,
 *    gateway_definition, id, ingestion_definition, libraries, name, notifications, parameters,
 *    photon, restart_window, rewind_generation_interval, root_path, run_as, schema, serverless,
 *    serverless_compute_id, storage, tags, target, trigger, usage_policy_id. That is every
 *    `PipelineSpec` field plus the four in EDIT_FIELDS_OUTSIDE_SPEC. `pipeline_id` goes in the path
 *    only (the old `EditPipeline` also had it as a body field; current releases do not send it).
 * So of the GET's top-level fields the edit takes name (the spec's own copy is used), parameters
 * and run_as; the rest (state, health, cluster_id, run_as_user_name, effective_*, …) are read-only
 * and never sent.
 */

/** The edit request's fields that are not `PipelineSpec` fields (SDK `PipelinesAPI.update`). */
export const EDIT_FIELDS_OUTSIDE_SPEC = ['allow_duplicate_names', 'expected_last_modified', 'parameters', 'run_as'] as const;

/** Top-level fields of `GetPipelineResponse` that the edit accepts and that `spec` does not carry. */
export const GET_FIELDS_KEPT_ON_EDIT = ['run_as', 'parameters'] as const;

export type EditPipelineBody = Record<string, unknown> & { expected_last_modified?: number };

/**
 * The PUT body for writing `spec` back: the spec as given (unknown fields included: a spec field is
 * an edit field), the GET's top-level `run_as` and `parameters` as received, `name` from the GET
 * when the spec has none, `expected_last_modified` when known, and never `pipeline_id`.
 */
export function editPipelineBody(
  get: Readonly<Record<string, unknown>>,
  spec: Readonly<Record<string, unknown>>,
  expectedLastModified: number | null,
): EditPipelineBody {
  const body: EditPipelineBody = { ...spec };
  for (const key of GET_FIELDS_KEPT_ON_EDIT) {
    const value = get[key];
    if (value !== undefined && value !== null) body[key] = structuredClone(value);
  }
  if ((body.name === undefined || body.name === null) && typeof get.name === 'string') body.name = get.name;
  delete body.pipeline_id;
  if (expectedLastModified !== null) body.expected_last_modified = expectedLastModified;
  return body;
}
