/**
 * Opens the Source the configuration asks for: the live workspace (REST + optional SQL warehouse)
 * when DATABRICKS_HOST is set, otherwise the embedded demo workspace.
 */
import type { Config } from './config.js';
import { createRestClient, type RestClient } from './databricks/rest.js';
import { createDatabricksWarehouse, type WarehouseAuth } from './databricks/sql.js';
import { createWorkspaceSource } from './databricks/collect.js';
import type { Source } from './source.js';
import { startDemoWorkspace, type DemoWorkspace } from './demo/workspace.js';

export interface OpenedSource {
  source: Source;
  /** the workspace's REST client (alerts poll updates; apply edits settings) */
  rest: RestClient;
  /** the demo workspace, when that is what runs */
  demo: DemoWorkspace | null;
  describe: string;
  close(): Promise<void>;
}

export async function openSource(config: Config): Promise<OpenedSource> {
  if (!config.databricks) {
    // The demo's history ends at the current hour, so "last update" and cost windows read naturally.
    const hour = 3_600_000;
    const demo = await startDemoWorkspace({ now: Math.floor(Date.now() / hour) * hour });
    return {
      source: demo.source,
      rest: demo.restClient,
      demo,
      describe: `demo workspace (${demo.data.pipelines.length} pipelines, REST at ${demo.rest.url}, DuckDB warehouse)`,
      close: () => demo.close(),
    };
  }
  const db = config.databricks;
  const rest = createRestClient({ host: db.host, auth: db.auth });
  // OAuth: the warehouse takes its token from the REST client (one token cache, every cloud)
  const auth: WarehouseAuth = db.auth.kind === 'oauth-m2m' ? { ...db.auth, tokens: () => rest.accessToken() } : db.auth;
  const warehouse = db.warehouseHttpPath
    ? createDatabricksWarehouse({ host: db.host, path: db.warehouseHttpPath, auth, pipelineEventsTable: db.pipelineEventsTable })
    : null;
  const source = createWorkspaceSource({ rest, warehouse, kind: 'workspace', host: db.host, eventSource: db.eventSource });
  return {
    source,
    rest,
    demo: null,
    describe: `Databricks workspace ${db.host}${warehouse ? ' with SQL warehouse' : ' (REST only: no DATABRICKS_WAREHOUSE_HTTP_PATH)'}`,
    close: async () => {
      await warehouse?.close();
    },
  };
}
