/**
 * Issue 16 item 3 benchmark (PARTIAL: the pipeline list only; the alert-poll cycle is not measured yet).
 * 2,016 pipelines (24 scenarios × 84) in the demo workspace; the pipeline list must issue at most 3 SQL
 * statements, at most one REST page per 100 pipelines, and finish in under 3 s, with the update
 * timeline granted and revoked. Exits 1 when a target is missed.
 *   npx tsx bench/fleet.ts
 */
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient } from '../src/databricks/rest.js';
import { generateDemoWorkspace } from '../src/demo/generate.js';
import { startDemoRestServer } from '../src/demo/rest-server.js';
import { createDuckDbWarehouse } from '../src/demo/warehouse.js';

const TOKEN = 'fleet-bench';
const demo = generateDemoWorkspace({ scale: 84, updatesPerPipeline: 12 });
const n = demo.pipelines.length;
const server = await startDemoRestServer(demo, { token: TOKEN, now: () => demo.now });
let failed = false; void failed;
for (const revokeUpdateTimeline of [false, true]) {
  const wh = await createDuckDbWarehouse(demo, { revokeUpdateTimeline });
  const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0, rateLimit: false });
  const source = createWorkspaceSource({ rest, warehouse: wh, kind: 'demo', host: 'dbc-demo.cloud.databricks.com', now: () => demo.now });
  const s0 = wh.stats().statements;
  const t0 = performance.now();
  const list = await source.listPipelines();
  const ms = performance.now() - t0;
  const statements = wh.stats().statements - s0;
  const restCalls = rest.stats().total;
  const pages = Math.ceil(n / 100);
  const ok = list.length === n && statements <= 3 && restCalls <= pages && ms < 3000;
  if (!ok) failed = true;
  console.log(
    `list ${revokeUpdateTimeline ? 'timeline revoked' : 'timeline granted'}: ${n} pipelines, ${statements} SQL statements (≤ 3), ` +
      `${restCalls} REST calls (≤ ${pages}), ${ms.toFixed(0)} ms (< 3000), source ${[...new Set(list.map((p) => p.updatesSource))].join(',')} ${ok ? 'PASS' : 'FAIL'}`,
  );
  await wh.close();
}
console.log('alert-poll cycle: NOT MEASURED (not implemented yet) FAIL');
await server.close();
process.exit(1); // the alert-poll target is not measured yet; `failed` covers the list
