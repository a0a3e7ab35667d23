import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/slow-startup.js';
import { fakeCluster, fakeEvidence, fakeUpdate } from '../../support/fake-evidence.js';

const waiting = (waitS: number, runningS = 780) =>
  fakeUpdate({ durationS: 5 + waitS + 55 + runningS, phasesS: { queued: 5, waiting_for_resources: waitS, initializing: 30, setting_up_tables: 25, running: runningS } });

describe('slow-startup', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (60 s waiting)', evidence: fakeEvidence() },
    { name: 'no phase timings', evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {} }) }) },
    { name: 'serverless (nothing to tune)', evidence: fakeEvidence({ update: waiting(900), spec: { serverless: true, clusters: [] } }) },
    // 100 s of a 4-minute update is 42% but under the 120 s floor
    { name: 'large share of a tiny update', evidence: fakeEvidence({ update: waiting(100, 85) }) },
    // 280 s of 3000 s: under 300 s and under 25%
    { name: 'moderate wait on a long update', evidence: fakeEvidence({ update: waiting(280, 2660) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns at ≥ 300 s even when the share is small, with pool and serverless fixes', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ update: waiting(320, 2400) }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('slowStartup');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ waitS: 320, percent: 12, durationS: 2780, scripts: '' });
    expect(r!.evidence[0]).toEqual({ metric: 'waiting_for_resources', value: 320, unit: 's', threshold: 300, source: 'event_log:update_progress' });
    expect(r!.fixes.map((f) => f.id)).toEqual(['use-instance-pool', 'use-serverless']);
    expect(r!.fixes[0]!.params).toEqual({ waitS: 320 });
  });

  it('an update that failed or was stopped before RUNNING is judged by the absolute wait only', () => {
    const never = (waitS: number) => fakeUpdate({ state: 'FAILED', durationS: 5 + waitS + 40, phasesS: { queued: 5, waiting_for_resources: waitS, initializing: 40 } });
    // 200 s of a 245 s update is 82%, but it never ran: a short update makes any wait look large
    expect(rule.run(fakeEvidence({ update: never(200) }))).toEqual([]);
    const [r] = rule.run(fakeEvidence({ update: never(400) }));
    expect(r!.severity).toBe('warning');
  });

  it('warns at ≥ 25% of the update when the wait is ≥ 120 s', () => {
    const [r] = rule.run(fakeEvidence({ update: waiting(150, 300) }));
    expect(r!.data).toMatchObject({ waitS: 150, percent: 29 });
    expect(r!.severity).toBe('warning');
    expect(r!.strength).toBeGreaterThanOrEqual(0.5);
  });

  it('is critical at ≥ 50% of the update', () => {
    const [r] = rule.run(fakeEvidence({ update: waiting(900, 600) }));
    expect(r!.severity).toBe('critical');
    expect(r!.data).toMatchObject({ percent: 58 });
  });

  it('does not ask for a pool the cluster already uses', () => {
    const [r] = rule.run(fakeEvidence({ update: waiting(600), spec: { clusters: [fakeCluster({ instancePoolId: 'pool-1' })] } }));
    expect(r!.fixes.map((f) => f.id)).toEqual(['use-serverless']);
  });
});

describe('slow-startup with init scripts', () => {
  it('names the init scripts and asks to take installs out of start-up before a pool', async () => {
    const { rule } = await import('../../../src/diagnosis/rules/slow-startup.js');
    const { fakeCluster, fakeEvidence, fakeUpdate } = await import('../../support/fake-evidence.js');
    const e = fakeEvidence({
      spec: { clusters: [fakeCluster({ initScripts: ['/Workspace/Shared/init/gdal.sh'] })] },
      update: fakeUpdate({ durationS: 2000, phasesS: { queued: 5, waiting_for_resources: 900, initializing: 40, setting_up_tables: 20, running: 1035 } }),
    });
    const [r] = rule.run(e);
    expect(r!.data!.scripts).toBe(' (the cluster runs 1 init script while it starts)');
    expect(r!.fixes.map((f) => f.id)).toEqual(['trim-init-scripts', 'use-instance-pool', 'use-serverless']);
  });
});
