/**
 * initializationFacts (src/diagnosis/rules/initialization.ts): what INITIALIZING + SETTING_UP_TABLES
 * were spent on — cluster bring-up (startup: init scripts, libraries, nodes busy before any flow, a
 * small graph) or planning a graph that grows with its datasets.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../src/diagnosis/evidence.js';
import { PLANNING_DATASETS, initializationFacts } from '../../../src/diagnosis/rules/initialization.js';
import { fakeCluster, fakeEvidence, fakeNodeSamples, fakeUpdate } from '../../support/fake-evidence.js';
import { initShaped } from './helpers.js';

const SCRIPTS = ['/Volumes/main/ops/init/install-gdal.sh', '/Workspace/Shared/init/pip-extras.sh'];
const facts = (o: Parameters<typeof initShaped>[0], spec: Partial<PipelineSpec> = {}, nodes: 'none' | 'idle' | 'busy' = 'none') => {
  const s = initShaped(o);
  const nodeMetrics =
    nodes === 'none'
      ? null
      : fakeNodeSamples({ start: s.initStart, minutes: Math.ceil((o.initializing + o.settingUp + o.running) / 60), cpu: (_w, m) => (m * 60 < o.initializing ? (nodes === 'busy' ? 65 : 5) : 72) });
  return initializationFacts(fakeEvidence({ update: s.update, flows: s.flows, spec, nodeMetrics }));
};

describe('initializationFacts', () => {
  it('is null without initialization phases or without a duration', () => {
    expect(initializationFacts(fakeEvidence({ update: fakeUpdate({ phasesS: { running: 800 } }) }))).toBeNull();
    expect(initializationFacts(fakeEvidence({ update: fakeUpdate({ durationS: null, phasesS: { initializing: 100 }, endedAt: null }) }))?.share).toBe(1);
    expect(initializationFacts(fakeEvidence({ update: fakeUpdate({ durationS: null, phasesS: {}, endedAt: null }) }))).toBeNull();
  });

  it('adds INITIALIZING and SETTING_UP_TABLES and their share of the update', () => {
    const f = facts({ initializing: 600, settingUp: 120, running: 900, flows: 45 })!;
    expect(f).toMatchObject({ initS: 720, initializingS: 600, settingUpS: 120, datasets: 45 });
    expect(f.share).toBeCloseTo(720 / 1685, 5);
  });

  it(`a graph of ≥ ${PLANNING_DATASETS} datasets is planning, init scripts or not`, () => {
    expect(facts({ initializing: 600, settingUp: 120, running: 900, flows: 45 })!.kind).toBe('planning');
    expect(facts({ initializing: 600, settingUp: 120, running: 900, flows: 15 }, { clusters: [fakeCluster({ initScripts: SCRIPTS })] })!.kind).toBe('planning');
  });

  it('init scripts or cluster libraries on a small graph are startup, and are listed', () => {
    const f = facts({ initializing: 1020, settingUp: 30, running: 600, flows: 3 }, { clusters: [fakeCluster({ initScripts: SCRIPTS })] })!;
    expect(f.kind).toBe('startup');
    expect(f.initScripts).toEqual(SCRIPTS);
    const libs = facts({ initializing: 500, settingUp: 30, running: 600, flows: 3 }, { installedLibraries: ['dbfs:/libs/geo-1.2.jar', 'maven:com.acme:udfs:3.1'] })!;
    expect(libs.kind).toBe('startup');
    expect(libs.libraries).toHaveLength(2);
  });

  it('table setup dominating a mid-sized graph (≥ 5 datasets) is planning; on 3 datasets it is not', () => {
    expect(facts({ initializing: 120, settingUp: 300, running: 900, flows: 8 })!.kind).toBe('planning');
    expect(facts({ initializing: 120, settingUp: 300, running: 900, flows: 3 })!.kind).toBe('startup');
    // INITIALIZING dominating a mid-sized graph, no scripts: still not planning
    expect(facts({ initializing: 400, settingUp: 60, running: 900, flows: 8 })!.kind).toBe('startup');
  });

  it('reads the workers busy while INITIALIZING, before any flow started, as bring-up', () => {
    const busy = facts({ initializing: 200, settingUp: 400, running: 900, flows: 8 }, {}, 'busy')!;
    expect(busy.busyCpu).toBeCloseTo(65, 5);
    expect(busy.kind).toBe('startup');
    const idle = facts({ initializing: 200, settingUp: 400, running: 900, flows: 8 }, {}, 'idle')!;
    expect(idle.busyCpu).toBeCloseTo(5, 5);
    expect(idle.kind).toBe('planning');
    expect(facts({ initializing: 200, settingUp: 400, running: 900, flows: 8 })!.busyCpu).toBeNull();
  });
});
