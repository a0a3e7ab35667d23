import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/photon-disabled.js';
import { fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';

const phases = (running: number) => ({ queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (Photon on)', evidence: fakeEvidence() },
  { name: 'serverless (always Photon)', evidence: fakeEvidence({ spec: { photon: false, serverless: true, clusters: [] }, nodeMetrics: null }) },
  { name: 'short run (5 min)', evidence: fakeEvidence({ spec: { photon: false }, update: fakeUpdate({ phasesS: phases(300), durationS: 420 }) }) },
  { name: 'a flow runs a Python UDF', evidence: fakeEvidence({ spec: { photon: false }, flows: [fakeFlow({ explainText: '+- BatchEvalPython [f(x#1)#2]' })] }) },
  { name: 'running time unknown', evidence: fakeEvidence({ spec: { photon: false }, update: fakeUpdate({ phasesS: {}, durationS: null }) }) },
];

describe('photon-disabled', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    // an opportunity, never a bottleneck by itself: info however long the run (cpu findings carry enable-photon)
    { name: '13-minute run', running: 780, severity: 'info', minutes: 13 },
    { name: '40-minute run', running: 2400, severity: 'info', minutes: 40 },
    { name: '3-hour run', running: 10800, severity: 'info', minutes: 180 },
  ])('invalid: $name', (c) => {
    const evidence = fakeEvidence({ spec: { photon: false }, update: fakeUpdate({ phasesS: phases(c.running) }) });
    const results = rule.run(evidence);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('photonOff');
    expect(r.severity ?? rule.meta.severity).toBe(c.severity);
    expect(r.data).toEqual({ minutes: c.minutes });
    expect(r.evidence).toContainEqual({ metric: 'photon', value: 'false', unit: '', threshold: 'true', source: 'pipeline.spec' });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'running phase', value: c.running }));
    expect(r.fixes).toEqual([{ id: 'enable-photon' }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });

  it('is stronger the longer the run, and always info', () => {
    const run = (running: number) => rule.run(fakeEvidence({ spec: { photon: false }, update: fakeUpdate({ phasesS: phases(running) }) }))[0]!;
    expect(run(2400).strength).toBeGreaterThan(run(780).strength);
    expect(run(3600).strength).toBe(1);
    expect(rule.meta.severity).toBe('info');
    expect(run(3600).severity ?? rule.meta.severity).toBe('info');
  });
});
