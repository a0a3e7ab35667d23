/**
 * GET /api/2.0/pipelines/{id} → PipelineInfo (spec, clusters, libraries). Field names follow the
 * SDK's PipelineSpec / PipelineCluster (databricks-sdk-py service/pipelines.py).
 */
import type { RawPipeline } from '../../databricks/schemas.js';
import type { AutoscaleMode, ClusterSpec, PipelineInfo } from '../evidence.js';
import { obj, str } from './json.js';

function modeOf(raw: string | null | undefined): AutoscaleMode {
  const m = raw?.toUpperCase();
  return m === 'LEGACY' ? 'LEGACY' : m === 'ENHANCED' ? 'ENHANCED' : 'UNSET';
}

/** InitScriptInfo: one of workspace / volumes / dbfs / s3 / abfss / gcs / file, each with a `destination`. */
function initScriptPath(raw: Record<string, unknown>): string | null {
  for (const v of Object.values(raw)) {
    const d = str(obj(v)?.destination);
    if (d) return d;
  }
  return null;
}

export function pipelineSpecFrom(raw: RawPipeline): PipelineInfo {
  const s = raw.spec ?? {};
  const clusters: ClusterSpec[] = (s.clusters ?? []).map((c) => ({
    label: c.label ?? 'default',
    numWorkers: c.autoscale ? null : (c.num_workers ?? null),
    autoscale: c.autoscale
      ? {
          minWorkers: c.autoscale.min_workers,
          maxWorkers: c.autoscale.max_workers,
          // Enhanced autoscaling is the UI's default for new pipelines (docs …/ldp/auto-scaling); the
          // API documents no default, and pipelines created by API or Terraform may run LEGACY.
          mode: modeOf(c.autoscale.mode),
        }
      : null,
    nodeTypeId: c.node_type_id ?? null,
    driverNodeTypeId: c.driver_node_type_id ?? null,
    instancePoolId: c.instance_pool_id ?? null,
    driverInstancePoolId: c.driver_instance_pool_id ?? null,
    sparkConf: c.spark_conf ?? {},
    initScripts: (c.init_scripts ?? []).map(initScriptPath).filter((d): d is string => d !== null),
    availability: c.aws_attributes?.availability ?? c.azure_attributes?.availability ?? c.gcp_attributes?.availability ?? null,
    firstOnDemand: c.aws_attributes?.first_on_demand ?? c.azure_attributes?.first_on_demand ?? null,
  }));
  const catalog = s.catalog ?? null;
  const schema = s.schema ?? s.target ?? null;
  const el = s.event_log;
  const elCatalog = el?.catalog ?? catalog;
  const elSchema = el?.schema ?? schema;
  const libraries: string[] = [];
  const installed: string[] = [];
  for (const lib of s.libraries ?? []) {
    // jar / whl / maven are installed on the cluster at start (PipelineLibrary in the SDK)
    const install = str(lib.jar) ?? str(lib.whl) ?? str(obj(lib.maven)?.coordinates);
    if (install) installed.push(install);
    const path =
      str(obj(lib.notebook)?.path) ??
      str(obj(lib.file)?.path) ??
      str(obj(lib.glob)?.include) ??
      str(lib.jar) ??
      str(lib.whl) ??
      str(obj(lib.maven)?.coordinates);
    if (path) libraries.push(path);
  }
  return {
    id: raw.pipeline_id,
    name: raw.name ?? s.name ?? raw.pipeline_id,
    state: raw.state ?? null,
    health: raw.health ?? null,
    creatorUserName: raw.creator_user_name ?? null,
    lastModified: raw.last_modified ?? null,
    spec: {
      photon: s.photon ?? false,
      serverless: s.serverless ?? false,
      continuous: s.continuous ?? false,
      development: s.development ?? false,
      channel: s.channel ?? null,
      edition: s.edition ?? null,
      catalog,
      schema,
      configuration: s.configuration ?? {},
      clusters,
      tags: s.tags ?? {},
      eventLog: el && elCatalog && elSchema ? { catalog: elCatalog, schema: elSchema, name: el.name } : null,
      libraries,
      installedLibraries: installed,
    },
  };
}
