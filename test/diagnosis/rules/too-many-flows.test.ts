import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/too-many-flows.js';
import { fakeEvidence, fakeFlow } from '../../support/fake-evidence.js';

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

  it('warns at 30 flows and counts the streaming ones', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ flows: [...flows(20, 'APPEND'), ...flows(10, 'MATERIALIZED_VIEW')] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('tooManyFlows');
    expect(r!.severity ?? rule.meta.severity).toBe('warning');
    expect(r!.data).toEqual({ flows: 30, streaming: 20 });
    expect(r!.evidence).toEqual([{ metric: 'flows in update', value: 30, unit: 'flows', threshold: 30, source: 'event_log:flow_progress' }]);
    expect(r!.strength).toBe(0.5);
    expect(r!.fixes).toEqual([{ id: 'split-pipeline', params: { flows: 30, maxFlows: 30, reason: 'flows' } }]);
  });

  it('grows stronger with more flows, saturating at 1', () => {
    const s60 = rule.run(fakeEvidence({ flows: flows(60) }))[0]!.strength;
    const s500 = rule.run(fakeEvidence({ flows: flows(500) }))[0]!.strength;
    expect(s60).toBeGreaterThan(0.5);
    expect(s60).toBeLessThan(1);
    expect(s500).toBe(1);
  });
});
