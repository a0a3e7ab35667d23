import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/duration-regression.js';
import { fakeClusterSamples, fakeEvidence, fakeHistory, fakeUpdate } from '../../support/fake-evidence.js';

// fakeHistory(): 10 successful updates around 880 s (median 878.5 s), 11.8 M rows each
const slow = (durationS: number, outputRows: number | null) => fakeUpdate({ durationS, outputRows });

describe('duration-regression', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (900 s vs ~880 s)', evidence: fakeEvidence() },
    { name: 'no history', evidence: fakeEvidence({ update: slow(2400, 11_800_000), history: [] }) },
    { name: 'only 4 successful prior updates', evidence: fakeEvidence({ update: slow(2400, 11_800_000), history: fakeHistory(4) }) },
    {
      name: '6 prior updates but only 4 succeeded',
      evidence: fakeEvidence({ update: slow(2400, 11_800_000), history: fakeHistory(6).map((h, i) => (i < 2 ? { ...h, state: 'FAILED' } : h)) }),
    },
    { name: '1.45× the median', evidence: fakeEvidence({ update: slow(1274, 11_800_000) }) },
    { name: 'still running (no duration)', evidence: fakeEvidence({ update: fakeUpdate({ state: 'RUNNING', endedAt: null, durationS: null }) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('fires with exactly 5 successful prior updates', () => {
    expect(rule.run(fakeEvidence({ update: slow(2400, 11_800_000), history: fakeHistory(5) }))).toHaveLength(1);
  });

  it('calls it a slowdown when rows stayed flat and time doubled', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ update: slow(1800, 12_000_000) }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('slowdown');
    expect(r!.severity ?? rule.meta.severity).toBe('warning');
    // fakeHistory records durations and rows only: nothing else to compare, and the message says so
    expect(r!.data).toEqual({ ratio: 2.05, medianS: 879, rowsRatio: 1.02, changed: '; the earlier updates are known by duration and rows only, so nothing else can be compared' });
    expect(r!.evidence).toContainEqual({ metric: 'duration ratio', value: 2.05, unit: '×', threshold: 1.5, source: 'pipeline history' });
    expect(r!.evidence).toContainEqual({ metric: 'median of last 10 successful updates', value: 879, unit: 's', threshold: null, source: 'pipeline history' });
    expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'throughput ratio', value: 0.5 }));
    expect(r!.fixes).toEqual([]);
  });

  it('calls it data growth when rows grew in step with time, and ranks it below a slowdown', () => {
    const growth = rule.run(fakeEvidence({ update: slow(1800, 23_600_000) }))[0]!;
    const slowdown = rule.run(fakeEvidence({ update: slow(1800, 12_000_000) }))[0]!;
    expect(growth.messageId).toBe('dataGrowth');
    expect(growth.data).toMatchObject({ ratio: 2.05, rowsRatio: 2 });
    expect(growth.strength).toBeLessThan(slowdown.strength);
  });

  it('draws the line at rows growing 0.8× as much as time', () => {
    // time 2.05× (growth 1.05); rows need growth ≥ 0.84 → ratio ≥ 1.84
    expect(rule.run(fakeEvidence({ update: slow(1800, 11_800_000 * 1.86) }))[0]!.messageId).toBe('dataGrowth');
    expect(rule.run(fakeEvidence({ update: slow(1800, 11_800_000 * 1.8) }))[0]!.messageId).toBe('slowdown');
  });

  it('says neither when row counts are missing', () => {
    const [r] = rule.run(fakeEvidence({ update: slow(1800, null) }));
    expect(r!.messageId).toBe('regression');
    expect(r!.data).toMatchObject({ ratio: 2.05, medianS: 879 });
    expect(r!.data).not.toHaveProperty('rowsRatio');
  });

  it('says what changed against the baseline updates, biggest move first', () => {
    const history = fakeHistory(10).map((h) => ({
      ...h,
      dbrVersion: '15.4.x-scala2.12',
      phasesS: { queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: 760 },
      flows: 1,
      peakExecutors: 8,
    }));
    const update = fakeUpdate({ durationS: 1800, dbrVersion: '16.4.x-scala2.12', phasesS: { queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: 1680 } });
    const [r] = rule.run(fakeEvidence({ history, update, clusterResources: fakeClusterSamples({ numExecutors: 4 }) }));
    expect(r!.data!.changed).toBe('; changed: running phase 12m 40s → 28m, runtime 15.4.x-scala2.12 → 16.4.x-scala2.12, most executors reached 8 → 4');
    expect(r!.evidence).toContainEqual({ metric: 'changed: runtime', value: '16.4.x-scala2.12', unit: '', threshold: '15.4.x-scala2.12', source: 'event_log:runtime_details' });
  });

  it('uses only the newest baselineUpdates successful updates', () => {
    // 10 recent updates at 880 s, 10 older ones at 3000 s: the old ones must not lift the median
    const history = [...fakeHistory(10), ...fakeHistory(10, 3000).map((h) => ({ ...h, startedAt: h.startedAt - 30 * 86_400_000 }))];
    const [r] = rule.run(fakeEvidence({ update: slow(1800, 12_000_000), history }));
    expect(r!.data).toMatchObject({ medianS: 879 });
  });

  describe('full refreshes are compared like with like', () => {
    const full = (durationS: number, outputRows: number | null = 40_000_000) => fakeUpdate({ durationS, outputRows, fullRefresh: true });
    /** `n` earlier full refreshes, weekly, each `durationS` long */
    const fullRefreshes = (n: number, durationS = 2500) =>
      fakeHistory(n, durationS, 40_000_000).map((h, i) => ({ ...h, updateId: `upd-full-${i + 1}`, startedAt: h.startedAt - 3 * 86_400_000 - i * 7 * 86_400_000, fullRefresh: true }));

    it('a full refresh 2.9× the incremental baseline is not a regression', () => {
      expect(rule.run(fakeEvidence({ update: full(2550) }))).toEqual([]);
    });

    it('with fewer than 2 earlier full refreshes there is no baseline for it', () => {
      expect(rule.run(fakeEvidence({ update: full(6000), history: [...fakeHistory(), ...fullRefreshes(1)] }))).toEqual([]);
    });

    it('a full refresh near earlier full refreshes is not a regression, even with many incremental updates', () => {
      expect(rule.run(fakeEvidence({ update: full(2600), history: [...fakeHistory(), ...fullRefreshes(3)] }))).toEqual([]);
    });

    it('a full refresh 2× the earlier full refreshes is one, against them only', () => {
      const [r] = rule.run(fakeEvidence({ update: full(5100, 41_000_000), history: [...fakeHistory(), ...fullRefreshes(3)] }));
      expect(r!.messageId).toBe('slowdown');
      expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'median of last 3 successful updates' }));
      // the three full refreshes around 2500 s, not the incremental ~880 s
      expect(r!.data).toMatchObject({ medianS: 2513, ratio: 2.03 });
    });

    it('an incremental update is never compared with full refreshes', () => {
      // three long full refreshes among the incremental history do not lift the baseline
      const [r] = rule.run(fakeEvidence({ update: slow(1800, 12_000_000), history: [...fakeHistory(), ...fullRefreshes(3, 9000)] }));
      expect(r!.data).toMatchObject({ medianS: 879 });
      // and earlier full refreshes alone are no baseline for it
      expect(rule.run(fakeEvidence({ update: slow(1800, 12_000_000), history: fullRefreshes(6) }))).toEqual([]);
    });
  });

  it('a continuous update runs until stopped: its length is no regression', () => {
    expect(rule.run(fakeEvidence({ spec: { continuous: true }, update: slow(86_400, 12_000_000) }))).toEqual([]);
  });
});
