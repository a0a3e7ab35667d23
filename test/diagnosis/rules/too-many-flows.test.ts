import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/too-many-flows.js';
import { fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';

/** initialization + table setup of `initS` seconds in a 900 s update */
const withInit = (initS: number) =>
  fakeUpdate({ durationS: 900, phasesS: { queued: 5, waiting_for_resources: 60, initializing: initS * 0.7, setting_up_tables: initS * 0.3, running: 835 - initS } });

const flows = (n: number, flowType = 'APPEND') => Array.from({ length: n }, (_, i) => fakeFlow({ name: `main.sales.t${i}`, flowType }));

describe('too-many-flows', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (1 flow)', evidence: fakeEvidence() },
    { name: 'no flows (REST-only evidence)', evidence: fakeEvidence({ flows: [] }) },
    { name: '29 flows', evidence: fakeEvidence({ flows: flows(29) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('notes 30 flows (info) when initialization is a small share of the update, and counts the streaming ones', () => {
    // the default update spends 55 s of 900 (6%) initializing
    const [r, ...rest] = rule.run(fakeEvidence({ flows: [...flows(20, 'APPEND'), ...flows(10, 'MATERIALIZED_VIEW')] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('tooManyFlows');
    expect(r!.severity).toBe('info');
    expect(r!.data).toEqual({ flows: 30, streaming: 20 });
    expect(r!.evidence).toEqual([{ metric: 'flows in update', value: 30, unit: 'flows', threshold: 30, source: 'event_log:flow_progress' }]);
    expect(r!.strength).toBe(0.5);
    expect(r!.fixes).toEqual([{ id: 'split-pipeline', params: { flows: 30, maxFlows: 30, reason: 'flows' } }]);
  });

  it.each([
    { name: '8% of the update initializing', initS: 72, severity: 'info' },
    { name: '10% (the threshold)', initS: 90, severity: 'warning' },
    { name: '25%', initS: 225, severity: 'warning' },
  ])('is a warning only when the update pays for the flows in initialization: $name → $severity', ({ initS, severity }) => {
    const [r] = rule.run(fakeEvidence({ flows: flows(45), update: withInit(initS) }));
    expect(r!.severity).toBe(severity);
  });

  it('without phase timings it cannot show the cost: info', () => {
    expect(rule.run(fakeEvidence({ flows: flows(45), update: fakeUpdate({ phasesS: {} }) }))[0]!.severity).toBe('info');
  });

  it('grows stronger with more flows, saturating at 1', () => {
    const s60 = rule.run(fakeEvidence({ flows: flows(60) }))[0]!.strength;
    const s500 = rule.run(fakeEvidence({ flows: flows(500) }))[0]!.strength;
    expect(s60).toBeGreaterThan(0.5);
    expect(s60).toBeLessThan(1);
    expect(s500).toBe(1);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ flows: flows(10) }), { maxFlows: 10 })).toHaveLength(1);
    expect(rule.run(fakeEvidence({ flows: flows(45) }), { minInitShare: 0.05 })[0]!.severity).toBe('warning');
  });
});
