/**
 * Where `cost` and `digest` get their CostBackend: the command context, else a source that offers
 * one (`costBackend()`, e.g. the workspace/demo source), else a clear "needs a SQL warehouse" error.
 */
import type { RestClient } from '../databricks/rest.js';
import type { Warehouse } from '../databricks/sql.js';
import { pipelineSpecFrom } from '../diagnosis/build-evidence/index.js';
import type { PipelineInfo } from '../diagnosis/evidence.js';
import { sourceUnavailable } from '../errors.js';
import type { Source } from '../source.js';
import { GetPipelineSchema } from '../databricks/schemas.js';
import type { CostBackend } from './types.js';

export interface CostCapableSource {
  costBackend(): Promise<CostBackend>;
}

export async function resolveCostBackend(ctx: { cost?: CostBackend | undefined; source: Source }): Promise<CostBackend> {
  if (ctx.cost) return ctx.cost;
  const capable = ctx.source as Partial<CostCapableSource>;
  if (typeof capable.costBackend === 'function') return capable.costBackend();
  throw sourceUnavailable(
    'Cost needs the workspace’s billing tables, read through a SQL warehouse; this source has none.',
    undefined,
    ctx.source.kind === 'bundle'
      ? 'Bundles hold one pipeline; run it against a workspace (DATABRICKS_HOST + DATABRICKS_WAREHOUSE_HTTP_PATH) or the demo workspace.'
      : 'Set DATABRICKS_WAREHOUSE_HTTP_PATH and grant USE SCHEMA and SELECT on system.billing, system.compute and the pipeline events schema (system.lakeflow_pipeline_events_preview during Beta): README, "Connect a real workspace".',
  );
}

/** Demo workspace rows → a CostBackend (GET pipeline bodies parsed as the REST client would). */
export function costBackendFromRaw(warehouse: Warehouse, rawPipelines: readonly unknown[]): CostBackend {
  const infos: PipelineInfo[] = rawPipelines.map((p) => pipelineSpecFrom(GetPipelineSchema.parse(p)));
  return { warehouse, listPipelines: async () => infos };
}

/** A live workspace: the pipeline list, then each spec (GET /pipelines/{id}, cached by the client), 8 at a time. */
export function costBackendFromRest(warehouse: Warehouse, rest: RestClient): CostBackend {
  return {
    warehouse,
    async listPipelines() {
      const statuses = await rest.listPipelines();
      const out: PipelineInfo[] = new Array(statuses.length);
      let next = 0;
      const worker = async () => {
        while (next < statuses.length) {
          const i = next++;
          const s = statuses[i]!;
          out[i] = pipelineSpecFrom(await rest.getPipeline(s.pipeline_id));
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, statuses.length) }, worker));
      return out;
    },
  };
}
