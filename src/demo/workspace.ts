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
import { keepDemoSettings } from './settings-file.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './warehouse.js';

export interface DemoWorkspace {
  data: DemoWorkspaceData;
  rest: DemoRestServer;
  warehouse: DuckDbWarehouse;
  source: Source;
  /** the REST client behind `source` (apply and the alert poller use it) */
  restClient: RestClient;
  /** resolves once the event rows written so far (e.g. by a running update) are in the warehouse */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Demo token: the REST server requires it like a real workspace requires a PAT. Not a secret. */
const DEMO_TOKEN = 'dapi-demo-workspace';

export async function startDemoWorkspace(
  opts: {
    seed?: number;
    scale?: number;
    port?: number;
    updateDurationMs?: number;
    /** the generated history ends here (default: the fixed DEMO_NOW, for tests) */
    now?: number;
    /** the demo clock of the REST server and the source (default: Date.now when `now` is given, else DEMO_NOW onwards); tests pass a fake one */
    clock?: () => number;
    /** the REST client's GET cache and the source's diagnosis cache, ms (defaults 10 000 and 5 000) */
    cacheTtlMs?: number;
    /** generated data to serve instead of generating it from seed, scale and now (tests that vary one pipeline) */
    data?: DemoWorkspaceData;
    /** the warehouse without system.lakeflow.pipeline_update_timeline (default: env DLT_DOCTOR_DEMO_REVOKE_UPDATE_TIMELINE=1) */
    revokeUpdateTimeline?: boolean;
    /** where applied settings are kept across restarts (settings-file.ts); absent: they last as long as the process */
    settingsFile?: string;
  } = {},
): Promise<DemoWorkspace> {
  const data = opts.data ?? generateDemoWorkspace({ seed: opts.seed, scale: opts.scale, now: opts.now });
  // History generated at the fixed DEMO_NOW (tests) is read on a clock that starts there, so the
  // week- and month-long cost periods keep covering it whatever today's date; a history generated
  // at the current hour (the product) is read on the wall clock.
  const startedAt = Date.now();
  const clock = opts.clock ?? (opts.now === undefined ? () => data.now + (Date.now() - startedAt) : undefined);
  const rest = await startDemoRestServer(data, { port: opts.port ?? 0, token: DEMO_TOKEN, updateDurationMs: opts.updateDurationMs, ...(clock ? { now: clock } : {}) });
  const keepSettings = opts.settingsFile ? keepDemoSettings(rest.state, opts.settingsFile) : () => undefined;
  const warehouse = await createDuckDbWarehouse(data, opts.revokeUpdateTimeline === undefined ? {} : { revokeUpdateTimeline: opts.revokeUpdateTimeline });
  // New updates started through the REST API (e.g. after an applied fix) reach the SQL side too: events and billing.
  let pending: Promise<void> = Promise.resolve();
  const unsubscribe = rest.state.onChange((change) => {
    if (change.kind === 'events' && change.rows.length) {
      pending = pending.then(() => warehouse.appendEvents(change.rows)).catch(() => undefined);
    }
    // a run's billing, with the settings it ran with (src/demo/run-billing.ts)
    if (change.kind === 'usage' && change.rows.length) {
      pending = pending.then(() => warehouse.appendUsage(change.rows)).catch(() => undefined);
    }
    // 'created' / 'deleted' (POST / DELETE /api/2.0/pipelines): the warehouse keeps no pipelines
    // table (no system.lakeflow.pipelines), only rows keyed by pipeline id, which a created
    // pipeline's runs bring along and a deleted one's keep — as Databricks' system tables keep them.

  });
  // the client's default 10 s GET cache, as against a live workspace (writes clear the pipeline's entries)
  const cache = opts.cacheTtlMs !== undefined ? { cacheTtlMs: opts.cacheTtlMs } : {};
  const client = createRestClient({ host: rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, rateLimit: false /* a local server: no Databricks rate limit to keep to */, ...cache });
  const source = createWorkspaceSource({
    rest: client,
    warehouse,
    kind: 'demo',
    host: data.host,
    ...(clock ? { now: clock } : {}),
    ...(opts.cacheTtlMs !== undefined ? { collectCacheTtlMs: opts.cacheTtlMs } : {}),
  });
  return {
    data,
    rest,
    warehouse,
    source,
    restClient: client,
    async settled() {
      // appends chained while waiting are awaited too
      let seen: Promise<void> | null = null;
      while (seen !== pending) {
        seen = pending;
        await seen;
      }
    },
    async close() {
      unsubscribe();
      keepSettings();
      await pending;
      await rest.close();
      await warehouse.close();
    },
  };
}
