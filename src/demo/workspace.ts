/**
 * The embedded demo workspace: the deterministic generated data, served over the real REST paths by
 * a loopback HTTP server and over SQL by DuckDB, wrapped in the same workspace Source a live
 * Databricks workspace gets. Used by `npm start` and by the CLI when no DATABRICKS_HOST is set.
 */
import { createRestClient, type RestClient } from '../databricks/rest.js';
import { createWorkspaceSource } from '../databricks/collect.js';
import type { Source } from '../source.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from './generate.js';
import { startDemoRestServer, type DemoRestServer } from './rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './warehouse.js';

export interface DemoWorkspace {
  data: DemoWorkspaceData;
  rest: DemoRestServer;
  warehouse: DuckDbWarehouse;
  source: Source;
  /** the REST client behind `source` (apply and the alert poller use it) */
  restClient: RestClient;
  close(): Promise<void>;
}

/** Demo token: the REST server requires it like a real workspace requires a PAT. Not a secret. */
const DEMO_TOKEN = 'dapi-demo-workspace';

export async function startDemoWorkspace(
  opts: { seed?: number; scale?: number; port?: number; updateDurationMs?: number; /** the generated history ends here (default: the fixed DEMO_NOW, for tests) */ now?: number } = {},
): Promise<DemoWorkspace> {
  const data = generateDemoWorkspace({ seed: opts.seed, scale: opts.scale, now: opts.now });
  const rest = await startDemoRestServer(data, { port: opts.port ?? 0, token: DEMO_TOKEN, updateDurationMs: opts.updateDurationMs });
  const warehouse = await createDuckDbWarehouse(data);
  // New updates started through the REST API (e.g. after an applied fix) reach the SQL side too.
  let pending: Promise<void> = Promise.resolve();
  const unsubscribe = rest.state.onChange((change) => {
    if (change.kind === 'events' && change.rows.length) {
      pending = pending.then(() => warehouse.appendEvents(change.rows)).catch(() => undefined);
    }
  });
  // the client's default 10 s GET cache, as against a live workspace (writes clear the pipeline's entries)
  const client = createRestClient({ host: rest.url, auth: { kind: 'pat', token: DEMO_TOKEN } });
  const source = createWorkspaceSource({ rest: client, warehouse, kind: 'demo', host: data.host });
  return {
    data,
    rest,
    warehouse,
    source,
    restClient: client,
    async close() {
      unsubscribe();
      await pending;
      await rest.close();
      await warehouse.close();
    },
  };
}
