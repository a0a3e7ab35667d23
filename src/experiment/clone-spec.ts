/**
 * The settings of a benchmark clone (guide §10.3 `create_test_pipeline`): the pipeline's own spec —
 * the same libraries (code), clusters, configuration, Photon, channel and edition, so it measures
 * what production runs — with what must differ so that no production table is written:
 *
 * - `name`: "[dlt-doctor benchmark] <name> <variant> <experiment id>", so a clone is recognisable in
 *   the workspace and findable by its experiment id after a crash (src/experiment/cleanup.ts).
 * - the target: every clone publishes to a schema of its own, `<scratch schema>_<id>_<variant>`, in
 *   the scratch catalog (default: the pipeline's catalog). Two pipelines cannot both manage one table,
 *   and A and B define the same tables, so they cannot share one schema. Unity Catalog pipelines set
 *   `schema` (or the older `target`, whichever the pipeline uses); Hive metastore pipelines `target`.
 *   https://docs.databricks.com/aws/en/dlt/unity-catalog (a pipeline may create its target schema
 *   with USE CATALOG and CREATE SCHEMA on the catalog)
 * - `storage` is dropped (Hive metastore): the clone gets a storage location of its own
 *   (dbfs:/pipelines/<new id>) instead of writing checkpoints and tables into production's.
 * - `development: true` (clusters are reused between the iterations' updates and not retried), and
 *   `continuous: false`: a continuous pipeline is run triggered, each update a bounded full refresh.
 * - a published event log (`event_log: {catalog, schema, name}`) is redirected into the clone's own
 *   schema: two pipelines cannot publish to one event log table.
 * - `tags` gain `dlt_doctor_experiment: <id>` (pipeline tags are forwarded to its clusters as
 *   cluster tags, so the cost of the experiment is attributable in billing).
 * - `id` goes (a create takes none); notifications go (a benchmark must not page anyone).
 * The clone runs as whoever creates it (the bot's identity), so that identity needs read access to
 * the pipeline's sources; `run_as` is not copied (setting another principal needs its user role).
 * https://docs.databricks.com/api/workspace/pipelines/create
 */
import type { Spec } from '../apply/apply-change.js';
import type { Variant } from './types.js';

export const CLONE_NAME_PREFIX = '[dlt-doctor benchmark]';
export const DEFAULT_SCRATCH_SCHEMA = 'dlt_doctor_scratch';

export interface ScratchTarget {
  /** Unity Catalog catalog for the clones; null: the pipeline's own */
  catalog: string | null;
  /** base name of the clones' schemas */
  schema: string;
}

/** "main.dlt_doctor_scratch" or "dlt_doctor_scratch" → ScratchTarget (DLT_DOCTOR_SCRATCH_SCHEMA) */
export function parseScratchTarget(v: string | undefined | null): ScratchTarget {
  const s = (v ?? '').trim();
  if (!s) return { catalog: null, schema: DEFAULT_SCRATCH_SCHEMA };
  const parts = s.split('.');
  return parts.length === 2 ? { catalog: parts[0]!, schema: parts[1]! } : { catalog: null, schema: parts[parts.length - 1]! };
}

export const isUnityCatalog = (spec: Spec) => typeof spec.catalog === 'string' && spec.catalog !== '' && spec.catalog !== 'hive_metastore';

export function cloneName(pipelineName: string, variant: Variant | null, experimentId: string): string {
  return `${CLONE_NAME_PREFIX} ${pipelineName.slice(0, 120)}${variant ? ` ${variant}` : ''} ${experimentId}`;
}

/** the schema a clone publishes to (lower case: Unity Catalog names are case-insensitive) */
export function cloneSchema(scratch: ScratchTarget, experimentId: string, variant: Variant | null): string {
  return `${scratch.schema}_${experimentId}${variant ? `_${variant.toLowerCase()}` : ''}`.toLowerCase();
}

/** Where a clone writes, as shown in the confirmation: "main.dlt_doctor_scratch_3f2a_a". */
export function cloneTarget(spec: Spec, scratch: ScratchTarget, experimentId: string, variant: Variant | null): { catalog: string | null; schema: string; fullName: string } {
  const schema = cloneSchema(scratch, experimentId, variant);
  if (!isUnityCatalog(spec)) return { catalog: null, schema, fullName: `hive_metastore.${schema}` };
  const catalog = scratch.catalog ?? String(spec.catalog);
  return { catalog, schema, fullName: `${catalog}.${schema}` };
}

export function cloneSpec(spec: Spec, o: { pipelineName: string; variant: Variant | null; experimentId: string; scratch: ScratchTarget }): Spec {
  const next = structuredClone(spec);
  delete next.id;
  delete next.pipeline_id;
  delete next.notifications;
  delete next.deployment; // a bundle-deployed pipeline's metadata: the clone is not part of the bundle
  next.name = cloneName(o.pipelineName, o.variant, o.experimentId);
  next.development = true;
  next.continuous = false;
  delete next.trigger;
  const t = cloneTarget(spec, o.scratch, o.experimentId, o.variant);
  if (t.catalog) {
    next.catalog = t.catalog;
    if (typeof spec.target === 'string' && spec.schema === undefined) next.target = t.schema;
    else {
      next.schema = t.schema;
      delete next.target;
    }
  } else {
    next.target = t.schema;
    delete next.storage;
  }
  if (spec.event_log && typeof spec.event_log === 'object') {
    next.event_log = { ...(spec.event_log as Record<string, unknown>), ...(t.catalog ? { catalog: t.catalog } : {}), schema: t.schema };
  }
  const tags = spec.tags && typeof spec.tags === 'object' && !Array.isArray(spec.tags) ? (spec.tags as Record<string, unknown>) : {};
  next.tags = { ...tags, dlt_doctor_experiment: o.experimentId };
  delete next.run_as;
  return next;
}
