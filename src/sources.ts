/**
 * Opens the Source the configuration asks for: the live workspace (REST + optional SQL warehouse)
 * when DATABRICKS_HOST is set, otherwise the embedded demo workspace.
 */
import { dirname, join } from 'node:path';
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

/**
 * The SQL warehouse's credentials: with OAuth M2M the warehouse takes its token from the REST
 * client (POST <host>/oidc/v1/token): one token cache for REST and SQL, the same on AWS, Azure and GCP.
 */
export function warehouseAuthFor(auth: NonNullable<Config['databricks']>['auth'], rest: Pick<RestClient, 'accessToken'>): WarehouseAuth {
  return auth.kind === 'oauth-m2m' ? { ...auth, tokens: () => rest.accessToken() } : auth;
}

export async function openSource(config: Config): Promise<OpenedSource> {
  if (!config.databricks) {
    // The demo's history ends at the current hour, so "last update" and cost windows read naturally.
    const hour = 3_600_000;
    // settings applied to the demo pipelines are kept beside the bot's database across restarts
    const settingsFile = config.dbPath === ':memory:' ? undefined : join(dirname(config.dbPath), 'demo-settings.json');
    const demo = await startDemoWorkspace({ now: Math.floor(Date.now() / hour) * hour, ...(settingsFile ? { settingsFile } : {}) });
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
  const auth = warehouseAuthFor(db.auth, rest);
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
