/**
 * The digest and `cost` never advise undoing a change dlt-doctor applied (issue 13 item 6) unless
 * the updates since clearly cost more per million rows: src/digest/applied.ts `checkReversals`,
 * over a fake warehouse answering digest-updates.sql's row shape.
 */
import { describe, expect, it } from 'vitest';
import type { QueryName, SqlParams, Warehouse } from '../../src/databricks/sql.js';
import type { AppliedChange } from '../../src/diagnosis/applied-changes.js';
import type { PipelineInfo } from '../../src/diagnosis/evidence.js';
import { checkReversals, proposedChangesOf, updateCostsAround } from '../../src/digest/applied.js';
import type { Opportunity } from '../../src/digest/types.js';
import { fakeCluster, fakeSpec } from '../support/fake-evidence.js';

const DAY = 86_400_000;
const PID = '0f1e2d3c-aaaa-4bbb-8ccc-000000000009';
const OTHER = '0f1e2d3c-aaaa-4bbb-8ccc-000000000010';
const END = new Date('2026-11-23T08:00:00Z');
/** Photon turned on by the bot 5 days before the period's end */
const AT = END.getTime() - 5 * DAY;
const photonOn: AppliedChange = { auditId: 3, pipelineId: PID, recommendationId: 'enable-photon', change: { target: 'pipeline', key: 'photon', value: 'true' }, before: 'false', appliedAt: AT, by: 'UADMIN' };

const info = (id: string, spec = {}): PipelineInfo => ({ id, name: id === PID ? 'clickstream_enrich' : 'orders_silver', state: 'IDLE', health: null, creatorUserName: null, lastModified: null, spec: fakeSpec({ photon: true, ...spec }) });
const specs = new Map([
  [PID, info(PID)],
  [OTHER, info(OTHER)],
]);

function opp(kind: Opportunity['kind'], pipeline = PID): Opportunity {
  return {
    kind,
    pipeline: { id: pipeline, name: specs.get(pipeline)!.name },
    change: kind === 'photon' ? 'Measure one update without Photon (photon: false) and keep the cheaper' : `do ${kind}`,
    why: `because ${kind}.`,
    risk: 'some',
    guideSection: '12.1',
    savingsUsd: { low: 10, high: 20 },
    savingsPercent: { low: 10, high: 20 },
  };
}

/** digest-updates rows: 10 updates before the change at ~$5 per 1M rows (± a little), `after` updates since at `afterPerM` */
function updates(afterPerM: number, after: number, o: { pipeline?: string; rows?: number | null } = {}) {
  const rows = o.rows === undefined ? 2_000_000 : o.rows;
  const mk = (i: number, t: number, perM: number) => ({
    pipeline_id: o.pipeline ?? PID,
    update_id: `u-${i}`,
    started_at: new Date(t),
    ended_at: new Date(t + 3_600_000),
    output_rows: rows,
    completed: 1,
    full_refresh: 0,
    dbus: 1,
    dollars: (perM * (rows ?? 1_000_000)) / 1e6,
    photon_dollars: 0,
  });
  const before = Array.from({ length: 10 }, (_, i) => mk(i, AT - (i + 1) * DAY, 5 + (((i * 37) % 11) - 5) / 50));
  const since = Array.from({ length: after }, (_, i) => mk(100 + i, AT + (i + 1) * 3_600_000 * 12, afterPerM));
  return [...before, ...since];
}

function fakeWarehouse(rows: Record<string, unknown>[] | Error) {
  const calls: { name: QueryName; params: SqlParams }[] = [];
  const wh: Warehouse = {
    async query(name, params) {
      calls.push({ name, params });
      if (rows instanceof Error) throw rows;
      return rows as never;
    },
    async close() {},
    stats: () => ({ statements: calls.length }),
  };
  return { wh, calls };
}

describe('which advice undoes an applied change', () => {
  it('Photon advice undoes "photon: true"; right-size undoes more workers, not fewer; spot undoes nothing apply writes', () => {
    expect(proposedChangesOf(opp('photon'), specs.get(PID))).toEqual([{ target: 'pipeline', key: 'photon', value: 'false' }]);
    expect(proposedChangesOf(opp('right-size'), specs.get(PID))).toEqual([{ target: 'cluster', key: 'autoscale.max_workers', direction: 'down' }]);
    const fixed = info(PID, { clusters: [fakeCluster({ autoscale: null, numWorkers: 6 })] });
    expect(proposedChangesOf(opp('right-size'), fixed)).toEqual([{ target: 'cluster', key: 'num_workers', direction: 'down' }]);
    expect(proposedChangesOf(opp('triggered'), specs.get(PID))).toEqual([{ target: 'pipeline', key: 'continuous', value: 'false' }]);
    expect(proposedChangesOf(opp('spot'), specs.get(PID))).toEqual([]);
  });

  it('dollars per million rows of completed, incremental updates, split at the change (the newest 10 before)', () => {
    const rows = updates(9, 4).map((r) => ({ ...r, started_at: r.started_at.getTime(), output_rows: r.output_rows, completed: r.completed > 0, full_refresh: r.full_refresh > 0 }));
    rows.push({ ...rows[0]!, update_id: 'fr', started_at: AT + DAY, full_refresh: true, dollars: 999 });
    rows.push({ ...rows[0]!, update_id: 'failed', started_at: AT + DAY, completed: false, dollars: 999 });
    const t = updateCostsAround(rows, AT, END.getTime());
    expect(t.perRows).toBe(true);
    expect(t.before).toHaveLength(10);
    expect(t.after).toEqual([9, 9, 9, 9]);
  });
});

describe('checkReversals', () => {
  it('one update since Photon was turned on: the Photon advice is withheld, with a note naming the change, its date and who applied it', async () => {
    const { wh, calls } = fakeWarehouse(updates(8, 1));
    const r = await checkReversals(wh, [opp('photon'), opp('spot')], specs, [photonOn], END);
    expect(r.kept.map((o) => o.kind)).toEqual(['spot']);
    expect(r.withheld).toHaveLength(1);
    expect(r.withheld[0]!.advice).toMatchObject({ kind: 'photon', pipeline: { id: PID }, auditId: 3, by: 'UADMIN', appliedAt: new Date(AT).toISOString() });
    expect(r.withheld[0]!.payOff.verdict).toBe('too-early');
    expect(r.withheld[0]!.line).toBe(
      'clickstream_enrich: not recommending "Measure one update without Photon (photon: false) and keep the cheaper": it would undo what dlt-doctor applied. ' +
        'Photon was turned on by dlt-doctor on 2026-11-18 (by @UADMIN); 1 update since, 3 needed to judge: keeping it for now.',
    );
    // one statement, over the pipelines concerned only, from 30 days before the change to the period's end
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('digest-updates');
    expect(calls[0]!.params).toEqual({ since: new Date(AT - 30 * DAY), until: END, pipeline_ids: PID });
  });

  it('updates since clearly costlier per million rows (+60%, beyond the spread): the advice comes back, with the reason', async () => {
    const { wh } = fakeWarehouse(updates(8, 4));
    const r = await checkReversals(wh, [opp('photon')], specs, [photonOn], END);
    expect(r.withheld).toEqual([]);
    expect(r.kept).toHaveLength(1);
    const back = r.kept[0]!;
    expect(back.undoes).toMatchObject({ auditId: 3, by: 'UADMIN' });
    expect(back.undoes!.reason).toMatch(/^the 4 updates since cost 60% more per million rows than the 10 before it \(beyond the usual spread of ±10%\): it did not pay off$/);
    expect(back.why).toBe(`because photon. It undoes what dlt-doctor applied: Photon was turned on by dlt-doctor on 2026-11-18 (by @UADMIN); ${back.undoes!.reason}.`);
  });

  it('near-miss: updates since 6% costlier, within the spread → still withheld; cheaper → withheld as paid off', async () => {
    const near = await checkReversals(fakeWarehouse(updates(5.3, 4)).wh, [opp('photon')], specs, [photonOn], END);
    expect(near.kept).toEqual([]);
    expect(near.withheld[0]!.payOff.verdict).toBe('no-clear-change');
    expect(near.withheld[0]!.line).toContain('within the usual spread of ±10%: keeping it');
    const cheaper = await checkReversals(fakeWarehouse(updates(3, 4)).wh, [opp('photon')], specs, [photonOn], END);
    expect(cheaper.withheld[0]!.payOff.verdict).toBe('paid-off');
    expect(cheaper.withheld[0]!.line).toContain('updates since cost 40% less per million rows: keeping it');
  });

  it('without output rows the measure is dollars per update', async () => {
    const r = await checkReversals(fakeWarehouse(updates(8, 4, { rows: null })).wh, [opp('photon')], specs, [photonOn], END);
    expect(r.kept[0]!.undoes!.reason).toContain('more per update');
  });

  it('nothing to check → no statement: advice of another pipeline, advice that goes the same way, a change someone undid by hand, a change after the period', async () => {
    const cases: [Opportunity[], AppliedChange[], Map<string, PipelineInfo>][] = [
      [[opp('photon', OTHER)], [photonOn], specs],
      // fewer workers after the bot lowered them: the same direction
      [[opp('right-size')], [{ ...photonOn, recommendationId: 'reduce-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '4' }, before: '8' }], specs],
      // Photon is off again (turned off by hand): no longer dlt-doctor's to protect
      [[opp('photon')], [photonOn], new Map([[PID, info(PID, { photon: false })]])],
      [[opp('photon')], [{ ...photonOn, appliedAt: END.getTime() + DAY }], specs],
    ];
    for (const [opps, applied, s] of cases) {
      const { wh, calls } = fakeWarehouse(updates(8, 1));
      const r = await checkReversals(wh, opps, s, applied, END);
      expect(r.kept).toEqual(opps);
      expect(r.withheld).toEqual([]);
      expect(calls).toHaveLength(0);
    }
  });

  it('right-size after the bot raised the workers is withheld; the latest apply of a setting counts', async () => {
    const raised: AppliedChange = { ...photonOn, auditId: 4, recommendationId: 'raise-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '8' }, before: '4' };
    const r = await checkReversals(fakeWarehouse(updates(5, 1)).wh, [opp('right-size')], specs, [raised], END);
    expect(r.withheld.map((w) => [w.advice.kind, w.advice.auditId])).toEqual([['right-size', 4]]);
    // lowered again later by the bot: fewer workers no longer undoes the latest change
    const lowered: AppliedChange = { ...raised, auditId: 5, appliedAt: AT + DAY, recommendationId: 'reduce-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '4' }, before: '8' };
    const again = await checkReversals(fakeWarehouse(updates(5, 1)).wh, [opp('right-size')], specs, [raised, lowered], END);
    expect(again.withheld).toEqual([]);
  });

  it('the updates cannot be read: the advice stays withheld, saying so', async () => {
    const r = await checkReversals(fakeWarehouse(new Error('PERMISSION_DENIED')).wh, [opp('photon')], specs, [photonOn], END);
    expect(r.kept).toEqual([]);
    expect(r.withheld[0]!.line).toContain('the updates since could not be read');
    expect(r.withheld[0]!.line).not.toContain('PERMISSION_DENIED');
  });
});
