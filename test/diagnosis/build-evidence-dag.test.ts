/**
 * Where the time went (src/diagnosis/build-evidence/dag.ts): each flow's share of the RUNNING phase
 * and the critical path through the flow DAG — on FlowInfo directly (flowTimeline), and through the
 * real reader (EventAccumulator + buildEvidence), with the reader facts the rules rely on: flows
 * ended by REST-style messages, full refresh from RESETTING, init scripts from the cluster spec.
 */
import { describe, expect, it } from 'vitest';
import { EventRowSchema, GetPipelineSchema } from '../../src/databricks/schemas.js';
import { EventAccumulator, buildEvidence } from '../../src/diagnosis/build-evidence/index.js';
import { flowTimeline } from '../../src/diagnosis/build-evidence/dag.js';
import type { FlowInfo, FlowTime, FlowTimeline, UpdateInfo } from '../../src/diagnosis/evidence.js';
import { fakeFlow, fakeUpdate } from '../support/fake-evidence.js';
import { MIN, S, T0, flowProgress, rawEvent, rawPipeline, updateEvents, type RawEvent } from '../support/raw-events.js';

/** RUNNING starts 2 minutes after T0 (the fake update's phases before it) and lasts 30 minutes */
const RUN = T0 + 2 * MIN;
const update: UpdateInfo = fakeUpdate({
  durationS: 120 + 1800,
  endedAt: T0 + (120 + 1800) * S,
  phasesS: { queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: 1800 },
});

/** a flow writing `out` from `inputs`, from minute `from` to minute `to` of the running phase */
function flow(name: string, from: number, to: number | null, out: string | null, inputs: string[] = []): FlowInfo {
  const start = RUN + from * MIN;
  const end = to === null ? null : RUN + to * MIN;
  return fakeFlow({
    name,
    outputDataset: out,
    inputDatasets: inputs,
    statuses: end === null ? [{ t: start, status: 'RUNNING' }] : [{ t: start, status: 'RUNNING' }, { t: end, status: 'COMPLETED' }],
    finalStatus: end === null ? 'RUNNING' : 'COMPLETED',
    startedAt: start,
    endedAt: end,
    durationS: end === null ? null : (end - start) / 1000,
  });
}

const timeline = (flows: FlowInfo[], o: { continuous?: boolean; update?: UpdateInfo } = {}): FlowTimeline =>
  flowTimeline(flows, o.update ?? update, o.continuous ?? false, (o.update ?? update).endedAt ?? RUN + 30 * MIN)!;
const byName = (t: FlowTimeline): Record<string, FlowTime> => Object.fromEntries(t.flows.map((f) => [f.name, f]));

// bronze 0–8 min, silver 8–20, gold 20–30: one after the other
const bronze = flow('orders_bronze', 0, 8, 'main.sales.orders_bronze');
const silver = flow('orders_silver', 8, 20, 'main.sales.orders_silver', ['main.sales.orders_bronze']);
const gold = flow('daily_revenue', 20, 30, 'main.sales.daily_revenue', ['main.sales.orders_silver']);

describe('flowTimeline', () => {
  it('a sequential chain bronze → silver → gold: all three critical, shares ≈ their durations', () => {
    const t = timeline([bronze, silver, gold]);
    expect(t.runningS).toBe(1800);
    expect(t.fromDefinitions).toBe(true);
    expect(t.criticalPathS).toBe(1800);
    const f = byName(t);
    expect(f.orders_bronze).toMatchObject({ critical: true, durationS: 480, criticalS: 480, wallS: 480 });
    expect(f.orders_silver).toMatchObject({ critical: true, durationS: 720, criticalS: 720, wallS: 720 });
    expect(f.daily_revenue).toMatchObject({ critical: true, durationS: 600, criticalS: 600, wallS: 600 });
    expect(f.orders_bronze!.share).toBeCloseTo(480 / 1800, 5);
    expect(f.orders_silver!.share).toBeCloseTo(720 / 1800, 5);
    expect(f.daily_revenue!.share).toBeCloseTo(600 / 1800, 5);
    // largest share first
    expect(t.flows.map((x) => x.name)).toEqual(['orders_silver', 'daily_revenue', 'orders_bronze']);
  });

  it('a side flow running beside silver is not critical and gets half of the overlap as wallS', () => {
    // customers_dim reads bronze too, from minute 10 to 16, entirely beside silver (8–20); gold reads only silver
    const side = flow('customers_dim', 10, 16, 'main.sales.customers_dim', ['main.sales.orders_bronze']);
    const f = byName(timeline([bronze, silver, side, gold]));
    expect(f.customers_dim).toMatchObject({ critical: false, criticalS: 0, durationS: 360, wallS: 180 });
    expect(f.customers_dim!.share).toBeCloseTo(180 / 1800, 5);
    // silver gives up half of the 6 shared minutes in wall-clock terms but keeps its critical time
    expect(f.orders_silver).toMatchObject({ critical: true, wallS: 720 - 180, criticalS: 720 });
    expect(f.orders_silver!.share).toBeCloseTo(720 / 1800, 5);
  });

  it('links datasets named with different qualification (catalog.schema.table, table, `backticks`)', () => {
    const b = flow('orders_bronze', 0, 8, 'main.sales.orders_bronze');
    const s = flow('orders_silver', 8, 20, 'orders_silver', ['orders_bronze']);
    const g = flow('daily_revenue', 20, 30, '`main`.`sales`.`daily_revenue`', ['`main`.`sales`.`orders_silver`']);
    const t = timeline([b, s, g]);
    expect(t.flows.every((x) => x.critical)).toBe(true);
    expect(t.criticalPathS).toBe(1800);
    // LIVE.<table> and quoted names too
    const s2 = flow('orders_silver', 8, 20, 'main.sales.orders_silver', ['LIVE.orders_bronze']);
    const g2 = flow('daily_revenue', 20, 30, 'daily_revenue', ['"main"."sales"."ORDERS_SILVER"']);
    expect(timeline([b, s2, g2]).flows.every((x) => x.critical)).toBe(true);
  });

  it('a streaming consumer pipelined with its producer is on the path; the path times add up to its span', () => {
    // bronze streams 0–12 min; silver consumes it from minute 1 and ends at 14; gold 14–30
    const b = flow('orders_bronze', 0, 12, 'main.sales.orders_bronze');
    const s = flow('orders_silver', 1, 14, 'main.sales.orders_silver', ['main.sales.orders_bronze']);
    const g = flow('daily_revenue', 14, 30, 'main.sales.daily_revenue', ['main.sales.orders_silver']);
    const t = timeline([b, s, g]);
    const f = byName(t);
    expect(f.orders_bronze).toMatchObject({ critical: true, criticalS: 720 });
    // silver owns the time after bronze ended
    expect(f.orders_silver).toMatchObject({ critical: true, criticalS: 120 });
    expect(f.daily_revenue).toMatchObject({ critical: true, criticalS: 960 });
    expect(t.criticalPathS).toBe(1800);
  });

  it('an input whose producer started after the consumer did not gate it', () => {
    // gold (5–30) reads bronze (0–5) and a late side table (12–25): bronze gated it
    const b = flow('orders_bronze', 0, 5, 'main.sales.orders_bronze');
    const late = flow('fx_rates', 12, 25, 'main.sales.fx_rates');
    const g = flow('daily_revenue', 5, 30, 'main.sales.daily_revenue', ['main.sales.orders_bronze', 'main.sales.fx_rates']);
    const f = byName(timeline([b, late, g]));
    expect(f.orders_bronze).toMatchObject({ critical: true, criticalS: 300 });
    expect(f.daily_revenue).toMatchObject({ critical: true, criticalS: 1500 });
    expect(f.fx_rates).toMatchObject({ critical: false, criticalS: 0, wallS: 390 });
  });

  it('without flow definitions there is no DAG: fromDefinitions false, only the last flow is on the path', () => {
    const t = timeline([flow('a', 0, 8, null), flow('b', 8, 20, null), flow('c', 20, 30, null)]);
    expect(t.fromDefinitions).toBe(false);
    const f = byName(t);
    expect(f.c).toMatchObject({ critical: true, criticalS: 600 });
    expect(f.a).toMatchObject({ critical: false, criticalS: 0, wallS: 480 });
    expect(f.b!.critical).toBe(false);
    expect(t.criticalPathS).toBe(600);
    // a flow alone still gets its wall-clock share
    expect(f.b!.share).toBeCloseTo(720 / 1800, 5);
  });

  it('continuous: no critical path, shares are the wall-clock split', () => {
    const t = timeline([flow('a', 0, null, 'a'), flow('b', 0, null, 'b', ['a'])], { continuous: true, update: fakeUpdate({ ...update, endedAt: RUN + 30 * MIN }) });
    expect(t.fromDefinitions).toBe(false);
    expect(t.criticalPathS).toBe(0);
    expect(t.flows.every((x) => !x.critical && x.criticalS === 0)).toBe(true);
    expect(t.flows.map((x) => x.wallS)).toEqual([900, 900]);
    expect(t.flows.map((x) => x.share)).toEqual([0.5, 0.5]);
  });

  it('a flow still running ends at the update’s end (or now)', () => {
    const t = timeline([bronze, flow('orders_silver', 8, null, 'main.sales.orders_silver', ['main.sales.orders_bronze'])]);
    // silver started at minute 8 and the update ended at minute 30 of RUNNING
    expect(byName(t).orders_silver).toMatchObject({ durationS: 1320, critical: true });
  });

  it('is null when no flow has a start', () => {
    expect(flowTimeline([], update, false, T0)).toBeNull();
    expect(flowTimeline([fakeFlow({ startedAt: null, endedAt: null, statuses: [] })], update, false, T0)).toBeNull();
  });
});

// ————————————————————————————————————————————————————————— through the reader

function build(raws: RawEvent[], pipeline: Record<string, unknown> = rawPipeline()) {
  const acc = new EventAccumulator();
  for (const r of raws) acc.add(EventRowSchema.parse(r));
  return buildEvidence({ pipeline: GetPipelineSchema.parse(pipeline), updates: null, events: acc, nodeTimeline: null, cost: null });
}
const definition = (t: number, flow: string, output: string, inputs: string[]) =>
  rawEvent({ type: 'flow_definition', t, flow, details: { flow_definition: { output_dataset: output, input_datasets: inputs.map((name) => ({ name })), flow_type: 'COMPLETE', language: 'SQL' } } });
/** a REST-style event: no details, the state only in the message */
const restFlow = (t: number, flow: string, status: string): RawEvent => {
  const { details: _d, ...row } = flowProgress({ t, flow, status });
  return { ...row, message: `Flow '${flow}' has ${status}.` };
};

describe('buildEvidence: the timeline from real events', () => {
  // updateEvents' default phases: RUNNING from T0 + 300 s for 1535 s
  const R = T0 + 300 * S;

  it("ends a flow on a REST-style 'Flow x has COMPLETED.' message and builds the chain from flow_definition", () => {
    const raws = [
      ...updateEvents({ id: 'upd-1', start: T0 }),
      definition(T0 + 290 * S, 'orders_bronze', 'main.sales.orders_bronze', []),
      definition(T0 + 290 * S, 'orders_silver', 'main.sales.orders_silver', ['orders_bronze']),
      flowProgress({ t: R, flow: 'orders_bronze', status: 'RUNNING' }),
      restFlow(R + 10 * MIN, 'orders_bronze', 'COMPLETED'),
      flowProgress({ t: R + 10 * MIN, flow: 'orders_silver', status: 'QUEUED' }),
      flowProgress({ t: R + 11 * MIN, flow: 'orders_silver', status: 'RUNNING' }),
      restFlow(R + 25 * MIN, 'orders_silver', 'COMPLETED'),
    ];
    const ev = build(raws);
    const f = Object.fromEntries(ev.flows.map((x) => [x.name, x]));
    expect(f.orders_bronze).toMatchObject({ finalStatus: 'COMPLETED', startedAt: R, endedAt: R + 10 * MIN, durationS: 600 });
    // QUEUED behind its input is not its own time
    expect(f.orders_silver).toMatchObject({ finalStatus: 'COMPLETED', startedAt: R + 11 * MIN, endedAt: R + 25 * MIN, durationS: 840 });
    const t = ev.timeline!;
    expect(t.fromDefinitions).toBe(true);
    expect(t.runningS).toBe(1535);
    expect(t.flows.map((x) => [x.name, x.critical, x.criticalS])).toEqual([
      ['orders_silver', true, 840],
      ['orders_bronze', true, 600],
    ]);
  });

  it('a flow with no end event runs until the update ends', () => {
    const ev = build([...updateEvents({ id: 'upd-1', start: T0 }), flowProgress({ t: R, flow: 'orders_bronze', status: 'RUNNING' })]);
    expect(ev.flows[0]!.endedAt).toBeNull();
    expect(ev.timeline!.flows[0]).toMatchObject({ name: 'orders_bronze', durationS: 1535, critical: true });
  });

  it('no flow events: no timeline', () => {
    expect(build(updateEvents({ id: 'upd-1', start: T0 })).timeline).toBeNull();
  });

  it('a RESETTING phase makes update.fullRefresh true', () => {
    const phases: [string, number][] = [['WAITING_FOR_RESOURCES', 60], ['INITIALIZING', 30], ['RESETTING', 45], ['SETTING_UP_TABLES', 20], ['RUNNING', 900]];
    const resetting = build(updateEvents({ id: 'upd-1', start: T0, phases }));
    expect(resetting.update.fullRefresh).toBe(true);
    expect(resetting.update.phasesS.resetting).toBe(45);
    // also when create_update is missing (REST-only or trimmed logs)
    const noCreate = build(updateEvents({ id: 'upd-1', start: T0, phases }).filter((r) => r.event_type !== 'create_update'));
    expect(noCreate.update.fullRefresh).toBe(true);
    expect(build(updateEvents({ id: 'upd-1', start: T0 })).update.fullRefresh).toBe(false);
  });

  it('a RESETTING phase of a selective refresh (full_refresh_selection) is not a full refresh', () => {
    const phases: [string, number][] = [['INITIALIZING', 30], ['RESETTING', 45], ['RUNNING', 900]];
    const raws = updateEvents({ id: 'upd-1', start: T0, phases }).map((r) =>
      r.event_type === 'create_update' ? { ...r, details: { create_update: { cause: 'USER_ACTION', full_refresh: false, full_refresh_selection: ['orders_silver'] } } } : r,
    );
    expect(build(raws).update.fullRefresh).toBe(false);
  });

  it('init_scripts in the cluster spec map to initScripts destinations', () => {
    const pipeline = rawPipeline();
    const spec = pipeline.spec as { clusters: Record<string, unknown>[] };
    spec.clusters[0]!.init_scripts = [
      { workspace: { destination: '/Users/dana@example.com/init/install-gdal.sh' } },
      { volumes: { destination: '/Volumes/main/ops/init/pip-extras.sh' } },
      { s3: { destination: 's3://acme-init/java-agent.sh', region: 'us-west-2' } },
      { dbfs: {} },
    ];
    const ev = build(updateEvents({ id: 'upd-1', start: T0 }), pipeline);
    expect(ev.pipeline.spec.clusters[0]!.initScripts).toEqual([
      '/Users/dana@example.com/init/install-gdal.sh',
      '/Volumes/main/ops/init/pip-extras.sh',
      's3://acme-init/java-agent.sh',
    ]);
    expect(ev.pipeline.spec.clusters[1]!.initScripts).toEqual([]);
  });
});
