/**
 * The demo workspace's pipeline lifecycle (issue 18, what `benchmark` / `ab-test` do): clone a
 * pipeline with POST /api/2.0/pipelines, run full refreshes on the clone, read them back over REST
 * and over DuckDB SQL, stop a run, delete the clone. src/demo/pipeline-lifecycle.ts, rest-server.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOW, generateDemoWorkspace } from '../../src/demo/generate.js';
import { createDemoState, type DemoChange, type DemoStateInternals } from '../../src/demo/rest-server.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';

type Json = Record<string, any>;
const TOKEN = 'dapi-demo-workspace';
const originOf = (r: Json) => (typeof r.origin === 'string' ? JSON.parse(r.origin) : r.origin) as Json;
const detailsOf = (r: Json) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Json;

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await startDemoWorkspace({ updateDurationMs: 250, cacheTtlMs: 0 });
});
afterAll(async () => {
  await ws?.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${ws.rest.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}
const pipelineNamed = (name: string) => ws.data.pipelines.find((p) => (p.pipeline as Json).name === name)!;
/** the clone body `benchmark` sends: the source's spec, development, a scratch target, a new name */
function cloneBody(name: string, tag: string, patch: Json = {}) {
  const spec = { ...((pipelineNamed(name).pipeline as Json).spec as Json) };
  delete spec.id;
  return { ...spec, name: `[dlt-doctor benchmark] ${name} ${tag}`, development: true, schema: 'dlt_doctor_scratch', ...patch };
}
async function waitForState(pid: string, uid: string, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const { body } = await api('GET', `/api/2.0/pipelines/${pid}/updates/${uid}`);
    if (['COMPLETED', 'FAILED', 'CANCELED'].includes(body.update?.state)) return body.update as Json;
    if (Date.now() > until) throw new Error(`update ${uid} still ${body.update?.state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
async function restEvents(pid: string): Promise<Json[]> {
  const { body } = await api('GET', `/api/2.0/pipelines/${pid}/events?max_results=1000&order_by=timestamp%20asc`);
  return body.events as Json[];
}
/** running phase (RUNNING → terminal update_progress) of one update, from its REST events */
function runningMs(events: Json[], uid: string) {
  const mine = events.filter((e) => e.origin?.update_id === uid && e.event_type === 'update_progress');
  const running = mine.find((e) => /is RUNNING\./.test(e.message));
  const end = mine.find((e) => /is (COMPLETED|FAILED|CANCELED)\./.test(e.message));
  return Date.parse(end!.timestamp) - Date.parse(running!.timestamp);
}

describe('demo lifecycle: create → full refresh → measure → delete', () => {
  it('a clone runs the source pipeline’s data, reaches REST and DuckDB, and is gone after DELETE', async () => {
    const source = pipelineNamed('orders_silver');
    const created = await api('POST', '/api/2.0/pipelines', cloneBody('orders_silver', 'A 3f2a'));
    expect(created.status).toBe(200);
    const pid = created.body.pipeline_id as string;
    expect(pid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pid).not.toBe((source.pipeline as Json).pipeline_id);

    // appears in the list and reads like a generated pipeline, idle, never run
    const list = await api('GET', `/api/2.0/pipelines?filter=${encodeURIComponent("name LIKE '%dlt-doctor benchmark%'")}`);
    expect(list.body.statuses.map((p: Json) => p.pipeline_id)).toEqual([pid]);
    const got = (await api('GET', `/api/2.0/pipelines/${pid}`)).body;
    expect(got).toMatchObject({ pipeline_id: pid, name: '[dlt-doctor benchmark] orders_silver A 3f2a', state: 'IDLE', creator_user_name: expect.any(String) });
    expect(got.spec).toMatchObject({ id: pid, development: true, schema: 'dlt_doctor_scratch', libraries: (source.pipeline as Json).spec.libraries });
    expect(typeof got.last_modified).toBe('number');
    expect(got.latest_updates).toBeUndefined();
    expect((await api('GET', `/api/2.0/pipelines/${pid}/updates`)).body.updates).toEqual([]);

    // a full refresh runs to completion in about updateDurationMs
    const started = await api('POST', `/api/2.0/pipelines/${pid}/updates`, { full_refresh: true });
    const uid = started.body.update_id as string;
    expect((await api('GET', `/api/2.0/pipelines/${pid}/updates/${uid}`)).body.update).toMatchObject({ update_id: uid, state: 'RUNNING', full_refresh: true });
    const done = await waitForState(pid, uid);
    expect(done.state).toBe('COMPLETED');
    expect((await api('GET', `/api/2.0/pipelines/${pid}`)).body).toMatchObject({ state: 'IDLE', latest_updates: [{ update_id: uid, state: 'COMPLETED' }] });

    // REST events: the clone's own ids and name, the template's records, full refresh kept RESETTING
    const events = (await restEvents(pid)).filter((e) => e.origin?.update_id === uid);
    expect(events.length).toBeGreaterThan(20);
    expect(events.every((e) => e.origin.pipeline_id === pid && e.origin.pipeline_name === got.name)).toBe(true);
    expect(events.find((e) => e.event_type === 'create_update')!.message).toContain(`Update ${uid.slice(0, 6)} `);
    const templateId = String((source.updates[0] as Json).update_id);
    const templateRows = (source.events as Json[]).filter((r) => originOf(r).update_id === templateId);
    const rowsOut = (rs: Json[]) =>
      rs.filter((r) => r.event_type === 'flow_progress').reduce((s, r) => s + Number(detailsOf(r)?.flow_progress?.metrics?.num_output_rows ?? 0), 0);
    const cloneRows = ws.rest.state.events(pid).filter((r) => originOf(r).update_id === uid);
    expect(rowsOut(cloneRows)).toBeGreaterThan(0);
    expect(rowsOut(cloneRows)).toBe(rowsOut(templateRows));
    if (templateRows.some((r) => r.event_type === 'update_progress' && detailsOf(r).update_progress.state === 'RESETTING'))
      expect(events.some((e) => /is RESETTING\./.test(e.message))).toBe(true);

    // DuckDB answers the product's statements for the clone id
    await ws.settled();
    const overview = await ws.warehouse.query('update-overview', { pipeline_id: pid, update_id: uid });
    expect(overview.reduce((s, r: Json) => s + Number(r.events), 0)).toBe(cloneRows.length);
    const span = overview[0] as Json;
    const cost = (await ws.warehouse.query('update-cost', {
      pipeline_id: pid,
      update_id: uid,
      update_start: new Date(Number(span.min_ms)).toISOString(),
      update_end: new Date(Number(span.max_ms)).toISOString(),
    })) as Json[];
    expect(cost[0]!.dbus).toBeGreaterThan(0);
    expect(cost[0]!.dollars).toBeGreaterThan(0);
    const buckets = (await ws.warehouse.query('update-flow-buckets', { pipeline_id: pid, update_id: uid, window_minutes: 0 })) as Json[];
    expect(buckets.length).toBeGreaterThan(0);
    const timeline = (await ws.warehouse.query('fleet-update-states', { since: new Date(DEMO_NOW - 86_400_000).toISOString() })) as Json[];
    expect(timeline.find((r) => r.pipeline_id === pid)).toMatchObject({ update_id: uid, result_state: 'COMPLETED' });

    // delete: {} then 404 and gone from the list
    expect(await api('DELETE', `/api/2.0/pipelines/${pid}?cascade=true`)).toEqual({ status: 200, body: {} });
    const after = await api('GET', `/api/2.0/pipelines/${pid}`);
    expect(after.status).toBe(404);
    expect(after.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await api('GET', `/api/2.0/pipelines/${pid}/updates/${uid}`)).status).toBe(404);
    const all = await api('GET', '/api/2.0/pipelines?max_results=100');
    expect(all.body.statuses.some((p: Json) => p.pipeline_id === pid)).toBe(false);
    expect((await api('DELETE', `/api/2.0/pipelines/${pid}`)).status).toBe(404);
  });

  it('refuses a blank or duplicate name unless allow_duplicate_names; dry_run creates nothing', async () => {
    const before = ws.rest.state.pipelines().length;
    const blank = await api('POST', '/api/2.0/pipelines', { ...cloneBody('orders_silver', 'x'), name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await api('POST', '/api/2.0/pipelines', { libraries: [] })).status).toBe(400);
    const dup = await api('POST', '/api/2.0/pipelines', { ...cloneBody('orders_silver', 'x'), name: 'orders_silver' });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain('orders_silver');
    const dry = await api('POST', '/api/2.0/pipelines', { ...cloneBody('orders_silver', 'dry'), dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body.pipeline_id).toBeUndefined();
    expect(dry.body.effective_settings).toMatchObject({ name: '[dlt-doctor benchmark] orders_silver dry', development: true });
    expect(ws.rest.state.pipelines()).toHaveLength(before);
    // a dry run validates too
    expect((await api('POST', '/api/2.0/pipelines', { ...cloneBody('orders_silver', 'x'), name: 'orders_silver', dry_run: true })).status).toBe(400);

    const allowed = await api('POST', '/api/2.0/pipelines', { ...cloneBody('orders_silver', 'x'), name: 'orders_silver', allow_duplicate_names: true });
    expect(allowed.status).toBe(200);
    expect(ws.rest.state.pipelines()).toHaveLength(before + 1);
    expect((await api('DELETE', `/api/2.0/pipelines/${allowed.body.pipeline_id}`)).status).toBe(200);
    expect(ws.rest.state.pipelines()).toHaveLength(before);
  });

  it('POST …/stop over REST cancels the clone’s running update; {} and a no-op when idle', async () => {
    const pid = (await api('POST', '/api/2.0/pipelines', cloneBody('customer_360', 'A st01'))).body.pipeline_id as string;
    const uid = (await api('POST', `/api/2.0/pipelines/${pid}/updates`, { full_refresh: true })).body.update_id as string;
    expect(await api('POST', `/api/2.0/pipelines/${pid}/stop`)).toEqual({ status: 200, body: {} });
    expect((await api('GET', `/api/2.0/pipelines/${pid}/updates/${uid}`)).body.update.state).toBe('CANCELED');
    expect((await api('GET', `/api/2.0/pipelines/${pid}`)).body.state).toBe('IDLE');
    const [last] = (await api('GET', `/api/2.0/pipelines/${pid}/events?max_results=1`)).body.events as Json[];
    expect(last).toMatchObject({ event_type: 'update_progress', message: `Update ${uid.slice(0, 6)} is CANCELED.`, origin: { pipeline_id: pid, update_id: uid } });
    expect(await api('POST', `/api/2.0/pipelines/${pid}/stop`)).toEqual({ status: 200, body: {} });
    expect((await api('POST', '/api/2.0/pipelines/no-such-id/stop')).status).toBe(404);
    // a new run may start after the stop
    expect((await api('POST', `/api/2.0/pipelines/${pid}/updates`, {})).status).toBe(200);
    expect((await api('DELETE', `/api/2.0/pipelines/${pid}?cascade=false`)).status).toBe(200);
  });

  it('Photon on a clone of a CPU-bound pipeline: a 2–3× shorter running phase, the same records', async () => {
    const a = (await api('POST', '/api/2.0/pipelines', cloneBody('orders_silver', 'A ph01'))).body.pipeline_id as string;
    const b = (await api('POST', '/api/2.0/pipelines', cloneBody('orders_silver', 'B ph01', { photon: true }))).body.pipeline_id as string;
    const ua = (await api('POST', `/api/2.0/pipelines/${a}/updates`, { full_refresh: true })).body.update_id as string;
    const ub = (await api('POST', `/api/2.0/pipelines/${b}/updates`, { full_refresh: true })).body.update_id as string;
    await waitForState(a, ua);
    await waitForState(b, ub);
    const ratio = runningMs(await restEvents(a), ua) / runningMs(await restEvents(b), ub);
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(3);
    // billed at Photon's DBU rate on B (run-billing.ts): more DBUs per hour of run than A
    await ws.settled();
    const perHour = async (pid: string, uid: string) => {
      const [span] = (await ws.warehouse.query('update-overview', { pipeline_id: pid, update_id: uid })) as Json[];
      const [cost] = (await ws.warehouse.query('update-cost', {
        pipeline_id: pid,
        update_id: uid,
        update_start: new Date(Number(span!.min_ms)).toISOString(),
        update_end: new Date(Number(span!.max_ms)).toISOString(),
      })) as Json[];
      return Number(cost!.dbus) / ((Number(span!.max_ms) - Number(span!.min_ms)) / 3_600_000);
    };
    expect(await perHour(b, ub)).toBeGreaterThan((await perHour(a, ua)) * 1.5);
    for (const pid of [a, b]) await api('DELETE', `/api/2.0/pipelines/${pid}`);
  });

  it('4 sequential full refreshes on a clone at the default 2 s each finish well under a minute, each a few % apart', async () => {
    const fast = await startDemoWorkspace({ cacheTtlMs: 0 });
    try {
      const spec = { ...((fast.data.pipelines.find((p) => (p.pipeline as Json).name === 'orders_silver')!.pipeline as Json).spec as Json) };
      delete spec.id;
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${fast.rest.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
        return (await res.json()) as Json;
      };
      const pid = (await post('/api/2.0/pipelines', { ...spec, name: '[dlt-doctor benchmark] orders_silver A seq1', development: true })).pipeline_id as string;
      const t0 = Date.now();
      const durations: number[] = [];
      for (let i = 0; i < 4; i++) {
        const uid = (await post(`/api/2.0/pipelines/${pid}/updates`, { full_refresh: true })).update_id as string;
        for (;;) {
          const u = fast.rest.state.updates(pid).find((x) => x.update_id === uid)!;
          if (u.state !== 'RUNNING') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        const rows = fast.rest.state.events(pid).filter((r) => originOf(r).update_id === uid);
        const times = rows.map((r) => Date.parse(String(r.timestamp)));
        durations.push(Math.max(...times) - Math.min(...times));
      }
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(new Set(durations).size).toBe(4);
      const spread = (Math.max(...durations) - Math.min(...durations)) / Math.min(...durations);
      expect(spread).toBeGreaterThan(0);
      expect(spread).toBeLessThan(0.3);
    } finally {
      await fast.close();
    }
  }, 60_000);
});

describe('demo lifecycle: stop', () => {
  let state: DemoStateInternals | null = null;
  afterEach(() => state?.close());
  const data = generateDemoWorkspace({});

  it('stop cancels the running update: rows up to now, then update_progress CANCELED; idle again; a no-op when idle', () => {
    const clock = { ms: DEMO_NOW };
    state = createDemoState(data, { now: () => clock.ms, updateDurationMs: 24 * 3_600_000 });
    const source = data.pipelines.find((p) => (p.pipeline as Json).name === 'orders_silver')!;
    const spec = { ...((source.pipeline as Json).spec as Json) };
    delete spec.id;
    const { pipeline_id: pid } = state.createPipeline({ ...spec, name: 'clone to stop', development: true }) as { pipeline_id: string };
    const changes: DemoChange[] = [];
    state.onChange((c) => changes.push(c));
    const { update_id: uid } = state.startUpdate(pid, { full_refresh: true });
    const start = Number(state.updates(pid)[0]!.creation_time);
    clock.ms = start + 10 * 60_000;
    state.tick();
    const mine = () => state!.events(pid).filter((r) => originOf(r).update_id === uid);
    const before = mine().length;
    state.stopPipeline(pid);
    const rows = mine();
    expect(rows.length).toBeGreaterThanOrEqual(before + 1);
    const last = rows.at(-1)!;
    expect(last.event_type).toBe('update_progress');
    expect(detailsOf(last).update_progress.state).toBe('CANCELED');
    expect(last.message).toBe(`Update ${uid.slice(0, 6)} is CANCELED.`);
    expect(rows.every((r) => Date.parse(String(r.timestamp)) <= Date.parse(String(last.timestamp)))).toBe(true);
    expect(Date.parse(String(last.timestamp))).toBeLessThan(start + 11 * 60_000);
    expect(rows.filter((r) => r.event_type === 'update_progress').map((r) => detailsOf(r).update_progress.state)).not.toContain('COMPLETED');
    expect(state.updates(pid)[0]!.state).toBe('CANCELED');
    expect(state.pipeline(pid)!.state).toBe('IDLE');
    expect(changes.filter((c) => c.kind === 'update').at(-1)).toEqual({ kind: 'update', pipelineId: pid, updateId: uid, state: 'CANCELED' });
    // billed up to the stop
    const usage = changes.flatMap((c) => (c.kind === 'usage' ? c.rows : []));
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((u) => u.usage_metadata && (u.usage_metadata as Json).dlt_update_id === uid)).toBe(true);
    // idle: a no-op
    const n = mine().length;
    state.stopPipeline(pid);
    expect(mine()).toHaveLength(n);
    expect(() => state!.stopPipeline('nope')).toThrow(/was not found/);
  });

  it('DELETE of a running pipeline cancels its update first, then emits deleted', () => {
    state = createDemoState(data, { now: () => DEMO_NOW, updateDurationMs: 24 * 3_600_000 });
    const { pipeline_id: pid } = state.createPipeline({ name: 'no libraries', clusters: [{ label: 'default', num_workers: 2 }] }) as { pipeline_id: string };
    const changes: DemoChange[] = [];
    state.onChange((c) => changes.push(c));
    const { update_id: uid } = state.startUpdate(pid, {});
    state.deletePipeline(pid);
    expect(changes.filter((c) => c.kind === 'update').map((c) => (c as Json).state)).toEqual(['RUNNING', 'CANCELED']);
    expect(changes.at(-1)).toEqual({ kind: 'deleted', pipelineId: pid });
    const written = changes.flatMap((c) => (c.kind === 'events' ? c.rows : []));
    expect(written.every((r) => originOf(r).update_id === uid && originOf(r).pipeline_id === pid)).toBe(true);
    expect(state.pipeline(pid)).toBeUndefined();
    expect(state.pipelines().some((p) => p.pipeline_id === pid)).toBe(false);
  });
});
