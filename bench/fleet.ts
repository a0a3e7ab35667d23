/**
 * Issue 16 item 4, bench/fleet.ts: 2,016 pipelines (24 scenarios × 84) in the demo workspace
 * (thinned: bench/fleet-workspace.ts). With the update timeline granted and revoked it measures
 * - the pipeline list: ≤ 3 SQL statements, ≤ one REST page per 100 pipelines, < 3 s;
 * - one alert-poll cycle over explicit watches of every pipeline, in the steady state (every
 *   pipeline's latest update already checked) and with CHANGED pipelines (an update started on
 *   each): the poll's own reads ≤ 3 SQL statements and ≤ one REST page per 100 pipelines plus one
 *   listUpdates per changed pipeline (0 pages when the timeline answers), < 3 s wall time.
 * The changed pipelines' diagnoses (why-slow on their running update, the alert's work, not the
 * state read) run on the source's own REST client and are reported beside the poll's counts;
 * their time is inside the poll's wall time. With the timeline revoked the list's one statement is
 * the refused timeline statement (the refusal is then cached for 10 minutes, so the polls send none).
 * Exits 1 when a target is missed, 0 otherwise.
 *   npx tsx bench/fleet.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertThreads } from '../src/schedule/alert-poster.js';
import { createAlertPoller } from '../src/schedule/alert-poller.js';
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../src/databricks/rest.js';
import { startDemoRestServer } from '../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../src/demo/warehouse.js';
import { createAlertStore, DEFAULT_THRESHOLDS } from '../src/store/alerts.js';
import { openDb } from '../src/store/db.js';
import { thinFleet } from './fleet-workspace.js';

const TOKEN = 'fleet-bench';
const COPIES = 84;
const CHANGED = 5;
const MAX_MS = 3000;
const MAX_STATEMENTS = 3;

const t0 = performance.now();
const demo = thinFleet(COPIES, 12);
const n = demo.pipelines.length;
const pages = Math.ceil(n / 100);
const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);
console.log(`fleet bench: ${n} pipelines, ${demo.pipelines.reduce((s, p) => s + p.events.length, 0)} update-level event rows, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (rss ${rssMb()} MB)`);

const clock = { ms: demo.now };

/** SQL statements by query name (the warehouse's own counter counts them all) */
function countStatements(wh: DuckDbWarehouse) {
  const by = new Map<string, number>();
  const query = wh.query.bind(wh);
  wh.query = (name, ...rest) => {
    by.set(name, (by.get(name) ?? 0) + 1);
    return query(name, ...rest);
  };
  return () => new Map(by);
}
const diff = (a: Map<string, number>, b: Map<string, number>) => {
  let fleet = 0;
  let other = 0;
  for (const [k, v] of b) (k === 'fleet-update-states' ? (fleet += v - (a.get(k) ?? 0)) : (other += v - (a.get(k) ?? 0)));
  return { fleet, other };
};
const restCalls = (c: RestClient) => {
  const by = c.stats().byPath;
  const sum = (f: (k: string) => boolean) => Object.entries(by).filter(([k]) => f(k)).reduce((s, [, v]) => s + v, 0);
  return { total: c.stats().total, pages: sum((k) => k === 'GET /api/2.0/pipelines'), listUpdates: sum((k) => k.startsWith('GET ') && k.endsWith('/updates')) };
};

const quietThreads: AlertThreads = {
  postParent: async () => `ts-${Math.random()}`,
  updateParent: async () => undefined,
  postReply: async () => undefined,
  postDidItHelp: async () => undefined,
};

let failed = false;
const verdict = (ok: boolean) => {
  if (!ok) failed = true;
  return ok ? 'PASS' : 'FAIL';
};
const lines: string[] = [];
const out = (s: string) => {
  lines.push(s);
  console.log(s);
};

for (const revokeUpdateTimeline of [false, true]) {
  const label = revokeUpdateTimeline ? 'timeline revoked' : 'timeline granted';
  clock.ms = demo.now;
  // a fresh server per round (the changed phase starts updates); they stay running (they end by the demo clock)
  const server = await startDemoRestServer(demo, { token: TOKEN, now: () => clock.ms, updateDurationMs: 6 * 3_600_000 });
  const client = () => createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0, rateLimit: false /* a local server */ });
  const wh = await createDuckDbWarehouse(demo, { revokeUpdateTimeline });
  const statements = countStatements(wh);
  // updates started through REST reach the warehouse too, as in src/demo/workspace.ts
  let appended: Promise<void> = Promise.resolve();
  const unsubscribe = server.state.onChange((c) => {
    if (c.kind === 'events' && c.rows.length) appended = appended.then(() => wh.appendEvents(c.rows));
  });
  const sourceRest = client();
  const pollRest = client();
  const source = createWorkspaceSource({ rest: sourceRest, warehouse: wh, kind: 'demo', host: demo.host, now: () => clock.ms, collectCacheTtlMs: 0 });

  // the pipeline list
  {
    const s0 = statements();
    const r0 = restCalls(sourceRest);
    const t = performance.now();
    const list = await source.listPipelines();
    const ms = performance.now() - t;
    const { fleet, other } = diff(s0, statements());
    const r = restCalls(sourceRest);
    const sql = fleet + other;
    const rest = r.total - r0.total;
    const src = [...new Set(list.map((p) => p.updatesSource))].join(',');
    const ok = list.length === n && sql <= MAX_STATEMENTS && rest <= pages && ms < MAX_MS && src === (revokeUpdateTimeline ? 'rest_no_timeline' : 'update_timeline');
    out(`list, ${label}: ${list.length} pipelines, ${sql} SQL statement(s) (≤ ${MAX_STATEMENTS}), ${rest} REST calls (≤ ${pages}), ${ms.toFixed(0)} ms (< ${MAX_MS}), source ${src} ${verdict(ok)}`);
  }

  // the alert poll: one channel watching every pipeline; the steady state has every latest update checked
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'dlt-fleet-bench-')), 'bot.sqlite'));
  const store = createAlertStore(db);
  for (const p of demo.pipelines) {
    const id = String(p.pipeline.pipeline_id);
    await store.watch({ channel: 'C-FLEET', pipelineId: id, pipelineName: String(p.pipeline.name), createdBy: null, createdAt: clock.ms, ...DEFAULT_THRESHOLDS });
    for (const u of p.updates.slice(0, 1)) await store.markChecked('C-FLEET', id, String(u.update_id), clock.ms);
  }
  const logs: string[] = [];
  const poller = createAlertPoller({
    store,
    source,
    rest: pollRest,
    threads: { slack: quietThreads },
    now: () => clock.ms,
    // cost spikes are read once a day, not every cycle; the cycles measured here are not that one
    dailyCost: null,
    logger: { info: (...m) => void logs.push(m.join(' ')), warn: (...m) => void logs.push(m.join(' ')) },
  });
  // the timeline's availability is detected (and a refusal cached) by the cycles, as in the product
  const changedIds = demo.pipelines.filter((p) => String(p.updates[0]?.state) !== 'RUNNING').slice(0, CHANGED).map((p) => String(p.pipeline.pipeline_id));
  for (const phase of ['steady', 'changed'] as const) {
    if (phase === 'changed') {
      clock.ms += 60_000;
      for (const id of changedIds) await pollRest.startUpdate(id);
      server.state.tick();
      await appended;
    }
    const s0 = statements();
    const p0 = restCalls(pollRest);
    const d0 = restCalls(sourceRest);
    const t = performance.now();
    const report = await poller.pollOnce();
    const ms = performance.now() - t;
    const { fleet, other } = diff(s0, statements());
    const p = restCalls(pollRest);
    const d = restCalls(sourceRest);
    const pollRestCalls = p.total - p0.total;
    const expectChanged = phase === 'changed' ? CHANGED : 0;
    const listed = p.listUpdates - p0.listUpdates;
    const restTarget = (revokeUpdateTimeline ? pages : 0) + expectChanged;
    const pollSql = fleet + (phase === 'changed' ? 0 : other);
    const ok =
      report.pipelines === n &&
      report.updatesSource === (revokeUpdateTimeline ? 'rest' : 'update_timeline') &&
      pollSql <= MAX_STATEMENTS &&
      pollRestCalls <= restTarget &&
      listed === expectChanged &&
      ms < MAX_MS;
    out(
      `poll, ${label}, ${phase} (${expectChanged} changed): ${report.pipelines} watched, states from ${report.updatesSource}; ` +
        `poll reads ${fleet} fleet statement(s) (≤ ${MAX_STATEMENTS}), ${pollRestCalls} REST calls = ${p.pages - p0.pages} page(s) + ${listed} listUpdates (≤ ${restTarget}); ` +
        (phase === 'changed' ? `diagnoses of the changed: ${other} statements, ${d.total - d0.total} REST calls; ` : other ? `other statements ${other}; ` : '') +
        `${ms.toFixed(0)} ms (< ${MAX_MS}) ${verdict(ok)}`,
    );
  }
  console.log(`(${label}: rss ${rssMb()} MB)`);
  unsubscribe();
  db.close();
  await wh.close();
  await server.close();
}
console.log(failed ? 'fleet bench: a target was missed' : 'fleet bench: every target met');
process.exit(failed ? 1 : 0);
