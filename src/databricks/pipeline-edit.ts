/**
 * The body of the pipeline edit call (PUT /api/2.0/pipelines/{pipeline_id}) for a read-modify-write.
 *
 * The edit replaces the pipeline's settings with exactly what the body carries: a field left out is
 * cleared. Most settings live in the GET's `spec`, but two that the edit accepts sit at the top level
 * of the GET response, outside `spec`: `run_as` and `parameters`. A PUT built from `spec` alone would
 * wipe them. Sources (databricks-sdk-py, databricks/sdk/service/pipelines.py):
 *  - `GetPipelineResponse` fields: cause, cluster_id, creator_user_name, effective_*, health,
 *    last_modified, latest_updates, name, parameters, pipeline_id, run_as, run_as_user_name, spec, state
 *    (commit 9ae2241564f93eec8b747514cdef56439f77a077).
 *  - the edit request: `EditPipeline` (until commit f27932bd71fa7a8e6b248813ab6c653e4ab66bd4; later
 *    releases inline it as the keyword arguments of `PipelinesAPI.update`, which PUTs them to
 *    /api/2.0/pipelines/{pipeline_id}) = every `PipelineSpec` field plus allow_duplicate_names,
 *    expected_last_modified, parameters, run_as — and pipeline_id, which current releases send only in
 *    the path.
 * So GET ∩ edit, outside spec = name (the spec's own copy is used), parameters, run_as and
 * pipeline_id (the path says it; it is not repeated in the body).
 */

/** The edit request's fields that are not `PipelineSpec` fields (SDK `EditPipeline` / `PipelinesAPI.update`). */
export const EDIT_FIELDS_OUTSIDE_SPEC = ['allow_duplicate_names', 'expected_last_modified', 'parameters', 'run_as'] as const;

/** Top-level fields of `GetPipelineResponse` that the edit accepts and that `spec` does not carry. */
export const GET_FIELDS_KEPT_ON_EDIT = ['run_as', 'parameters'] as const;

export type EditPipelineBody = Record<string, unknown> & { expected_last_modified?: number };

/**
 * The PUT body for writing `spec` back: the spec as given (unknown fields included), the GET's
 * top-level `run_as` and `parameters` as received, `name` from the GET when the spec has none,
 * `expected_last_modified` when known, and never `pipeline_id`.
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
