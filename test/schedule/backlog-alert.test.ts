/**
 * The backlog alert on a RUNNING update, with a fake clock shared by the demo REST server, the
 * source and the poller: the demo server writes the run of telemetry_stream (a replay of its
 * latest update, backlog 2 GB → 40 GB over an hour) minute by minute as the clock moves; the poller
 * re-diagnoses the running update at most every 5 min and alerts once the backlog has grown for
 * --backlog 15m. Then: the update ends (nothing new), and a run with twice the workers (whose
 * backlog drains) completes and edits the alerts to "recovered".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { slashCommand, textOf } from '../surfaces/slack/helpers.js';
import { harness, posts, tempDbPath, type Harness } from './alert-support.js';

const MIN = 60_000;
type Row = Record<string, unknown>;
const originOf = (r: Row) => (typeof r.origin === 'string' ? JSON.parse(r.origin) : r.origin) as Record<string, unknown>;
const detailsOf = (r: Row) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, any>;

describe('backlog alert on a running update (fake clock)', () => {
  const clock = { ms: DEMO_NOW };
  let ws: DemoWorkspace;
  let h: Harness;
  let pid: string;
  beforeAll(async () => {
    // updates end by the demo clock (their terminal event), not by a wall-clock timer
    ws = await startDemoWorkspace({ clock: () => clock.ms, updateDurationMs: 6 * 3_600_000, cacheTtlMs: 0 });
    h = harness(ws, tempDbPath(), clock);
    pid = (await ws.source.resolvePipeline('telemetry_stream')).id;
  });
  afterAll(async () => {
    h?.close();
    await ws?.close();
  });

  /** moves the demo clock, lets the server write what is due and the warehouse take it, then polls */
  async function pollAt(ms: number) {
    clock.ms = ms;
    ws.rest.state.tick();
    await ws.settled();
    return h.alerts.poller.pollOnce();
  }
  const backlogRows = (updateId: string) =>
    ws.rest.state
      .events(pid)
      .filter((r) => r.event_type === 'flow_progress' && originOf(r).update_id === updateId && originOf(r).flow_name === 'main.telemetry.telemetry_raw')
      .map((r) => ({ t: Date.parse(String(r.timestamp)), bytes: detailsOf(r).flow_progress?.metrics?.backlog_bytes as number | undefined }))
      .filter((x) => typeof x.bytes === 'number');

  it('alerts once after 15 min of growth, with the diagnosis in the thread; nothing more when the update ends', async () => {
    await h.receiver.send(slashCommand('alerts on telemetry_stream --backlog 15m --cost-spike 1000%'));
    expect(textOf(h.api.of('respond').at(-1))).toContain('Alerts on for telemetry_stream');
    // the generated history's own CANCELED update already fell behind: that is one alert of its own
    await pollAt(clock.ms);
    const historical = await h.alerts.store.incidents('C1');
    expect(historical.map((i) => i.kind)).toEqual(['backlog']);
    const before = h.api.of('chat.postMessage').length;

    const { update_id: run } = await h.rest.startUpdate(pid);
    const start = Number(ws.rest.state.updates(pid)[0]!.creation_time);
    expect(ws.rest.state.updates(pid)[0]).toMatchObject({ update_id: run, state: 'RUNNING' });
    // only the rows up to the first update_progress are written at the start
    expect(backlogRows(run)).toHaveLength(0);

    let alertedAt: number | null = null;
    let firstSample: number | null = null;
    for (let t = start + MIN; t <= start + 40 * MIN; t += MIN) {
      const r = await pollAt(t);
      const rows = backlogRows(run);
      // per-minute rows appear as the clock passes them, never ahead of it, and keep growing
      expect(rows.every((x) => x.t <= t)).toBe(true);
      if (rows.length >= 2) expect(rows.at(-1)!.bytes!).toBeGreaterThan(rows[0]!.bytes!);
      firstSample ??= rows[0]?.t ?? null;
      const mine = (await h.alerts.store.incidents('C1')).filter((i) => i.updateId === run);
      const grownMin = firstSample === null ? 0 : (rows.at(-1)!.t - firstSample) / MIN;
      if (grownMin < 15) {
        expect(mine).toHaveLength(0);
        expect(r.posted).toBe(0);
      }
      if (mine.length > 0 && alertedAt === null) {
        alertedAt = t;
        expect(r.posted).toBe(1);
      }
      expect(mine.length).toBeLessThanOrEqual(1);
    }
    expect(ws.rest.state.updates(pid)[0]!.state).toBe('RUNNING');
    // the first recheck (at most every 5 min) after 15 min of growth raised it
    expect(firstSample).not.toBeNull();
    expect(alertedAt).not.toBeNull();
    expect(alertedAt! - firstSample!).toBeGreaterThanOrEqual(15 * MIN);
    expect(alertedAt! - firstSample!).toBeLessThanOrEqual(15 * MIN + 6 * MIN);

    const mine = (await h.alerts.store.incidents('C1')).filter((i) => i.updateId === run);
    expect(mine.map((i) => [i.kind, i.state])).toEqual([['backlog', 'open']]);
    const { parents, replies } = posts(h.api);
    const parent = parents.at(-1)!;
    expect(h.api.of('chat.postMessage').length).toBeGreaterThan(before);
    expect(textOf(parent)).toContain('telemetry_stream: falling behind its source');
    expect(textOf(parent)).toContain('alert after 15m of growth');
    const thread = replies.filter((r) => r.params.thread_ts === mine[0]!.parentTs);
    expect(thread.length).toBeGreaterThan(0);
    expect(JSON.stringify(thread[0]!.params.blocks)).toMatch(/backlog/i);

    // more polls while it runs, then past its end (the replay's CANCELED at ~64 min): nothing new
    const posted = h.api.of('chat.postMessage').length;
    for (let t = start + 41 * MIN; t <= start + 70 * MIN; t += 5 * MIN) await pollAt(t);
    expect(ws.rest.state.updates(pid)[0]).toMatchObject({ update_id: run, state: 'CANCELED' });
    const terminal = ws.rest.state.events(pid).filter((r) => originOf(r).update_id === run && r.event_type === 'update_progress').at(-1)!;
    expect(detailsOf(terminal).update_progress.state).toBe('CANCELED');
    expect(h.api.of('chat.postMessage')).toHaveLength(posted);
    expect((await h.alerts.store.incidents('C1')).filter((i) => i.updateId === run)).toHaveLength(1);
  }, 180_000);

  it('a run with more workers drains its backlog: no new alert, and when it completes the open alerts are edited to recovered', async () => {
    const p = await h.rest.getPipeline(pid);
    const spec = structuredClone(p.rawSpec!) as { clusters: Record<string, unknown>[] };
    const c = spec.clusters.find((x) => x.label !== 'maintenance')!;
    const auto = c.autoscale as Record<string, number> | undefined;
    if (auto) auto.max_workers = 2 * Number(auto.max_workers);
    else c.num_workers = 2 * Number(c.num_workers);
    await h.rest.editPipeline(pid, { ...spec, expected_last_modified: p.last_modified! });
    const { update_id: run } = await h.rest.startUpdate(pid);
    const start = Number(ws.rest.state.updates(pid)[0]!.creation_time);
    const posted = h.api.of('chat.postMessage').length;
    const edits = h.api.of('chat.update').length;

    for (let t = start + 5 * MIN; t <= start + 30 * MIN; t += 5 * MIN) await pollAt(t);
    const rows = backlogRows(run);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.at(-1)!.bytes!).toBeLessThan(rows[0]!.bytes!);
    expect(ws.rest.state.updates(pid)[0]!.state).toBe('RUNNING');
    expect(h.api.of('chat.postMessage')).toHaveLength(posted);
    expect(h.api.of('chat.update')).toHaveLength(edits); // running: not recovered yet

    for (let t = start + 35 * MIN; ws.rest.state.updates(pid)[0]!.state === 'RUNNING' && t <= start + 90 * MIN; t += 5 * MIN) await pollAt(t);
    expect(ws.rest.state.updates(pid)[0]).toMatchObject({ update_id: run, state: 'COMPLETED' });
    const report = await pollAt(clock.ms + MIN);
    expect(report.posted).toBe(0);
    expect(h.api.of('chat.postMessage')).toHaveLength(posted);
    const incidents = await h.alerts.store.incidents('C1');
    expect(incidents).toHaveLength(2);
    expect(incidents.every((i) => i.kind === 'backlog' && i.state === 'recovered')).toBe(true);
    const newEdits = h.api.of('chat.update').slice(edits);
    expect(newEdits.map((e) => e.params.ts).sort()).toEqual(incidents.map((i) => i.parentTs).sort());
    expect(newEdits.every((e) => textOf(e).includes('recovered'))).toBe(true);
  }, 120_000);
});
