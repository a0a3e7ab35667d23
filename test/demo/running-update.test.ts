/**
 * The demo server's running updates on an injected clock: a new update's rows are written (and
 * announced through onChange) as the clock passes their timestamps, the update ends with its
 * terminal update_progress, and the wall-clock `updateDurationMs` still ends it at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_NOW, generateDemoWorkspace } from '../../src/demo/generate.js';
import { createDemoState, type DemoChange, type DemoStateInternals } from '../../src/demo/rest-server.js';

const MIN = 60_000;
const data = generateDemoWorkspace({});
type Row = Record<string, unknown>;
const originOf = (r: Row) => (typeof r.origin === 'string' ? JSON.parse(r.origin) : r.origin) as Record<string, unknown>;
const detailsOf = (r: Row) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, any>;

describe('demo server: a running update is written as the demo clock moves', () => {
  let state: DemoStateInternals | null = null;
  afterEach(() => state?.close());

  it('per-minute backlog rows appear progressively, through onChange, and the terminal event ends the update', () => {
    const clock = { ms: DEMO_NOW };
    state = createDemoState(data, { now: () => clock.ms, updateDurationMs: 24 * 3_600_000 });
    const pid = String((data.pipelines.find((p) => (p.pipeline as Row).name === 'telemetry_stream')!.pipeline as Row).pipeline_id);
    const changes: DemoChange[] = [];
    state.onChange((c) => changes.push(c));
    const { update_id: run } = state.startUpdate(pid, {});
    const start = Number(state.updates(pid)[0]!.creation_time);
    const mine = () => state!.events(pid).filter((r) => originOf(r).update_id === run);
    const metrics = () => mine().filter((r) => r.event_type === 'flow_progress' && r.level === 'METRICS');

    const atStart = mine();
    expect(atStart.at(-1)!.event_type).toBe('update_progress');
    expect(atStart.filter((r) => r.event_type === 'update_progress')).toHaveLength(1);
    expect(metrics()).toHaveLength(0);
    expect(changes.map((c) => c.kind)).toEqual(['update', 'events']);

    let prev = 0;
    for (let t = start + 5 * MIN; t <= start + 30 * MIN; t += 5 * MIN) {
      clock.ms = t;
      const rows = metrics();
      expect(rows.length).toBeGreaterThan(prev);
      expect(rows.every((r) => Date.parse(String(r.timestamp)) <= t)).toBe(true);
      prev = rows.length;
    }
    const progress = mine().filter((r) => r.event_type === 'update_progress').map((r) => detailsOf(r).update_progress.state);
    expect(progress).toContain('RUNNING');
    expect(state.updates(pid)[0]!.state).toBe('RUNNING');
    // the growing backlog of the first flow, so far
    const raw = metrics().filter((r) => originOf(r).flow_name === 'main.telemetry.telemetry_raw').map((r) => detailsOf(r).flow_progress.metrics.backlog_bytes as number);
    expect(raw.length).toBeGreaterThan(20);
    expect(raw.at(-1)!).toBeGreaterThan(raw[0]! * 5);
    // every row written went out through onChange (the warehouse's feed), once
    const announced = changes.flatMap((c) => (c.kind === 'events' ? c.rows : [])).filter((r) => originOf(r).update_id === run);
    expect(announced.map((r) => r.id)).toEqual(mine().map((r) => r.id));

    clock.ms = start + 3 * 60 * MIN;
    state.tick();
    expect(state.updates(pid)[0]!.state).toBe('CANCELED');
    expect(detailsOf(mine().filter((r) => r.event_type === 'update_progress').at(-1)!).update_progress.state).toBe('CANCELED');
    expect(changes.at(-1)).toEqual({ kind: 'update', pipelineId: pid, updateId: run, state: 'CANCELED' });
    expect(changes.filter((c) => c.kind === 'update' && c.updateId === run)).toHaveLength(2);
    // a new run may start now
    expect(() => state!.startUpdate(pid, {})).not.toThrow();
  });

  it('updateDurationMs of wall time still ends a run at once, with all its rows', async () => {
    const clock = { ms: DEMO_NOW };
    state = createDemoState(data, { now: () => clock.ms, updateDurationMs: 20 });
    const pid = String((data.pipelines.find((p) => (p.pipeline as Row).name === 'telemetry_stream')!.pipeline as Row).pipeline_id);
    const { update_id: run } = state.startUpdate(pid, {});
    expect(state.updates(pid)[0]!.state).toBe('RUNNING');
    await new Promise((r) => setTimeout(r, 80));
    expect(state.updates(pid)[0]!.state).toBe('CANCELED');
    const rows = state.events(pid).filter((r) => originOf(r).update_id === run);
    const template = data.pipelines.find((p) => (p.pipeline as Row).pipeline_id === pid)!;
    const latestId = String((template.updates[0] as Row).update_id);
    expect(rows).toHaveLength((template.events as Row[]).filter((r) => originOf(r).update_id === latestId).length);
  });
});
