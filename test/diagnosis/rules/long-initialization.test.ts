import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/long-initialization.js';
import { fakeCluster, fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';
import { initShaped } from './helpers.js';

const phases = (initializing: number, setting_up_tables: number, running: number) =>
  fakeUpdate({ durationS: 5 + 60 + initializing + setting_up_tables + running, phasesS: { queued: 5, waiting_for_resources: 60, initializing, setting_up_tables, running } });
/** `n` flows: a graph of ≥ 15 datasets is planning whatever else happens in INITIALIZING */
const flows = (n: number) => Array.from({ length: n }, (_, i) => fakeFlow({ name: `f${i}` }));
const SCRIPTS = ['/Volumes/main/ops/init/install-gdal.sh', '/Workspace/Shared/init/pip-extras.sh'];
/** phases and flows that line up (helpers.initShaped), without node metrics */
const shapedEvidence = (o: Parameters<typeof initShaped>[0], spec: Partial<PipelineSpec> = {}) => {
  const { update, flows } = initShaped(o);
  return fakeEvidence({ update, flows, spec, nodeMetrics: null });
};

describe('long-initialization', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (55 s of init)', evidence: fakeEvidence() },
    { name: 'no phase timings', evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {} }), flows: flows(20) }) },
    // 400 s is past 300 s but only 10% of a 4000 s update
    { name: 'long but a small share', evidence: fakeEvidence({ update: phases(250, 150, 3535), flows: flows(20) }) },
    // 40% of a 10-minute update but under 300 s
    { name: 'large share but short', evidence: fakeEvidence({ update: phases(150, 90, 295), flows: flows(20) }) },
    { name: 'no duration at all', evidence: fakeEvidence({ update: fakeUpdate({ durationS: null, phasesS: {} }) }) },
    // a small graph cannot take minutes to plan: that time is cluster bring-up (cluster-bring-up's)
    { name: '17 min INITIALIZING, 3 flows, init scripts', evidence: shapedEvidence({ initializing: 1020, settingUp: 30, running: 600, flows: 3 }, { clusters: [fakeCluster({ initScripts: SCRIPTS })] }) },
    { name: '8 min INITIALIZING on 4 flows, nothing in the spec', evidence: shapedEvidence({ initializing: 480, settingUp: 40, running: 900, flows: 4 }) },
    { name: '12 flows, INITIALIZING (not table setup) dominating', evidence: fakeEvidence({ update: phases(300, 120, 1200), flows: flows(12) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns when init + setup ≥ 300 s and ≥ 20% of the update on a large graph', () => {
    // 420 s of 1685 s = 24.9%
    const [r, ...rest] = rule.run(fakeEvidence({ update: phases(300, 120, 1200), flows: flows(20) }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('longInit');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ initS: 420, percent: 25, flows: 20 });
    expect(r!.evidence).toEqual([
      { metric: 'initializing + setting_up_tables', value: 420, unit: 's', threshold: 300, source: 'event_log:update_progress' },
      { metric: 'share of update', value: 24.9, unit: '%', threshold: 20, source: 'event_log:update_progress' },
      { metric: 'setting_up_tables', value: 120, unit: 's', threshold: null, source: 'event_log:update_progress' },
      { metric: 'datasets in the update', value: 20, unit: 'flows', threshold: null, source: 'event_log:flow_definition' },
    ]);
    expect(r!.strength).toBeGreaterThanOrEqual(0.5);
    expect(r!.strength).toBeLessThan(1);
    expect(r!.fixes).toEqual([{ id: 'split-pipeline', params: { flows: 20, reason: 'initialization' } }]);
  });

  it('table setup dominating a mid-sized graph (12 flows) is planning', () => {
    const [r] = rule.run(fakeEvidence({ update: phases(120, 300, 1200), flows: flows(12) }));
    expect(r!.messageId).toBe('longInit');
    expect(r!.data).toEqual({ initS: 420, percent: 25, flows: 12 });
  });

  it('45 flows with 12 min of initialization: critical, init scripts or not', () => {
    for (const clusters of [[fakeCluster()], [fakeCluster({ initScripts: SCRIPTS })]]) {
      const [r, ...rest] = rule.run(shapedEvidence({ initializing: 600, settingUp: 120, running: 900, flows: 45 }, { clusters }));
      expect(rest).toEqual([]);
      expect(r!.severity).toBe('critical');
      expect(r!.data).toEqual({ initS: 720, percent: 43, flows: 45 });
    }
  });

  it('is critical at ≥ 40% of the update, and stronger than a warning', () => {
    const warn = rule.run(fakeEvidence({ update: phases(300, 120, 1200), flows: flows(20) }))[0]!;
    const crit = rule.run(fakeEvidence({ update: phases(600, 300, 600), flows: flows(20) }))[0]!;
    expect(crit.severity).toBe('critical');
    expect(crit.data).toMatchObject({ initS: 900, percent: 58 });
    expect(crit.strength).toBeGreaterThan(warn.strength);
  });

  it('uses the phases so far while the update is still running', () => {
    const update = fakeUpdate({ state: 'INITIALIZING', endedAt: null, durationS: null, phasesS: { waiting_for_resources: 30, initializing: 400 } });
    const [r] = rule.run(fakeEvidence({ update, flows: flows(20) }));
    expect(r!.data).toMatchObject({ initS: 400, percent: 93 });
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ flows: flows(20) }), { minInitS: 50, minShare: 0.05 })).toHaveLength(1);
    // a small graph stays cluster-bring-up's whatever the thresholds
    expect(rule.run(fakeEvidence(), { minInitS: 50, minShare: 0.05 })).toEqual([]);
  });
});
