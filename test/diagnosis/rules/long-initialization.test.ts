import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/long-initialization.js';
import { fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';

const phases = (initializing: number, setting_up_tables: number, running: number) =>
  fakeUpdate({ durationS: 5 + 60 + initializing + setting_up_tables + running, phasesS: { queued: 5, waiting_for_resources: 60, initializing, setting_up_tables, running } });

describe('long-initialization', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (55 s of init)', evidence: fakeEvidence() },
    { name: 'no phase timings', evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {} }) }) },
    // 400 s is past 300 s but only 10% of a 4000 s update
    { name: 'long but a small share', evidence: fakeEvidence({ update: phases(250, 150, 3535) }) },
    // 40% of a 10-minute update but under 300 s
    { name: 'large share but short', evidence: fakeEvidence({ update: phases(150, 90, 295) }) },
    { name: 'no duration at all', evidence: fakeEvidence({ update: fakeUpdate({ durationS: null, phasesS: {} }) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns when init + setup ≥ 300 s and ≥ 20% of the update', () => {
    // 420 s of 1685 s = 24.9%
    const flows = Array.from({ length: 12 }, (_, i) => fakeFlow({ name: `f${i}` }));
    const [r, ...rest] = rule.run(fakeEvidence({ update: phases(300, 120, 1200), flows }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('longInit');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ initS: 420, percent: 25, flows: 12 });
    expect(r!.evidence[0]).toMatchObject({ metric: 'initializing + setting_up_tables', value: 420, unit: 's', threshold: 300, source: 'event_log:update_progress' });
    expect(r!.strength).toBeGreaterThanOrEqual(0.5);
    expect(r!.strength).toBeLessThan(1);
    expect(r!.fixes).toEqual([{ id: 'split-pipeline', params: { flows: 12, reason: 'initialization' } }]);
  });

  it('is critical at ≥ 40% of the update, and stronger than a warning', () => {
    const warn = rule.run(fakeEvidence({ update: phases(300, 120, 1200) }))[0]!;
    const crit = rule.run(fakeEvidence({ update: phases(600, 300, 600) }))[0]!;
    expect(crit.severity).toBe('critical');
    expect(crit.data).toMatchObject({ initS: 900, percent: 58 });
    expect(crit.strength).toBeGreaterThan(warn.strength);
  });

  it('uses the phases so far while the update is still running', () => {
    const update = fakeUpdate({ state: 'INITIALIZING', endedAt: null, durationS: null, phasesS: { waiting_for_resources: 30, initializing: 400 } });
    const [r] = rule.run(fakeEvidence({ update }));
    expect(r!.data).toMatchObject({ initS: 400, percent: 93 });
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence(), { minInitS: 50, minShare: 0.05 })).toHaveLength(1);
  });
});
