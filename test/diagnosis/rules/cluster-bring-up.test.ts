import { describe, expect, it } from 'vitest';
import type { Evidence, PipelineSpec } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/cluster-bring-up.js';
import { rule as longInitialization } from '../../../src/diagnosis/rules/long-initialization.js';
import { fakeCluster, fakeEvidence, fakeNodeSamples, fakeUpdate } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { initShaped } from './helpers.js';

const SCRIPTS = ['/Volumes/main/ops/init/install-gdal.sh', '/Workspace/Shared/init/pip-extras.sh'];
const withScripts = { clusters: [fakeCluster({ initScripts: SCRIPTS })] };
const shaped = (o: Parameters<typeof initShaped>[0], spec: Partial<PipelineSpec> = {}, o2: Partial<Evidence> = {}) => {
  const s = initShaped(o);
  // no node metrics unless a case gives them: the default rows would fall inside INITIALIZING
  return fakeEvidence({ update: s.update, flows: s.flows, spec, nodeMetrics: null, ...o2 });
};
/** 17 min INITIALIZING, 3 flows, two init scripts */
const INIT_SCRIPTS = shaped({ initializing: 1020, settingUp: 30, running: 600, flows: 3 }, withScripts);
/** 45 flows with 12 min of initialization */
const BIG_GRAPH = shaped({ initializing: 600, settingUp: 120, running: 900, flows: 45 });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (55 s of init)', evidence: fakeEvidence() },
  { name: 'no phase timings', evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {} }) }) },
  { name: 'serverless (Databricks brings the compute up)', evidence: shaped({ initializing: 1020, settingUp: 30, running: 600, flows: 3 }, { serverless: true, clusters: [] }) },
  { name: '45 flows with 12 min of initialization (planning, long-initialization’s)', evidence: BIG_GRAPH },
  { name: '45 flows with 12 min of initialization and init scripts (still planning)', evidence: shaped({ initializing: 600, settingUp: 120, running: 900, flows: 45 }, withScripts) },
  { name: 'table setup dominating a 12-flow graph (planning)', evidence: shaped({ initializing: 120, settingUp: 300, running: 1200, flows: 12 }) },
  { name: 'init scripts, but 4 minutes of initialization (under 300 s)', evidence: shaped({ initializing: 240, settingUp: 30, running: 600, flows: 3 }, withScripts) },
  { name: 'init scripts, 6 minutes of a 2-hour update (5%)', evidence: shaped({ initializing: 360, settingUp: 30, running: 6800, flows: 3 }, withScripts) },
];

describe('cluster-bring-up', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('17 min INITIALIZING, 3 flows, init scripts: bring-up with the scripts as evidence (critical), and not long-initialization', () => {
    const r = expectOneResult(rule, INIT_SCRIPTS);
    expect(r.messageId).toBe('bringUpScripts');
    expect(r.severity).toBe('critical');
    expect(r.data).toEqual({ initS: 1050, percent: 61, flows: 3, scripts: 2, libs: '' });
    expect(r.evidence).toEqual([
      { metric: 'initializing + setting_up_tables', value: 1050, unit: 's', threshold: 300, source: 'event_log:update_progress' },
      { metric: 'share of update', value: 61.2, unit: '%', threshold: 20, source: 'event_log:update_progress' },
      { metric: 'datasets in the update', value: 3, unit: 'flows', threshold: null, source: 'event_log:flow_definition' },
      { metric: 'init scripts', value: 2, unit: 'scripts', threshold: 0, source: 'pipeline.spec' },
    ]);
    // a pool saves waiting for cloud instances (slow-startup's), not what runs on them once started
    expect(r.fixes).toEqual([{ id: 'trim-init-scripts', params: { scripts: 2, libraries: 0, initS: 1050 } }]);
    // a small graph is not split for planning
    expect(longInitialization.run(INIT_SCRIPTS)).toEqual([]);
  });

  it('45 flows with 12 min of init: long-initialization fires and cluster-bring-up does not', () => {
    expect(rule.run(BIG_GRAPH)).toEqual([]);
    expect(longInitialization.run(BIG_GRAPH)).toHaveLength(1);
  });

  it('cluster libraries installed at start are named too', () => {
    const r = expectOneResult(rule, shaped({ initializing: 500, settingUp: 30, running: 1200, flows: 3 }, { installedLibraries: ['dbfs:/libs/geo-1.2.jar', 'maven:com.acme:udfs:3.1'] }));
    expect(r.messageId).toBe('bringUp');
    expect(r.severity).toBe('warning');
    expect(r.evidence).toContainEqual({ metric: 'cluster libraries installed at start', value: 2, unit: 'libraries', threshold: 0, source: 'pipeline.spec' });
    expect(r.fixes).toEqual([{ id: 'trim-init-scripts', params: { scripts: 0, libraries: 2, initS: 530 } }]);
    const both = rule.run(shaped({ initializing: 500, settingUp: 30, running: 1200, flows: 3 }, { ...withScripts, installedLibraries: ['dbfs:/libs/geo-1.2.jar'] }))[0]!;
    expect(both.data).toMatchObject({ scripts: 2, libs: ' and installed 1 libraries' });
  });

  it('a long INITIALIZING on a small graph with nothing in the spec is still bring-up (installs in the source, e.g. %pip)', () => {
    const r = expectOneResult(rule, shaped({ initializing: 480, settingUp: 40, running: 900, flows: 4 }));
    expect(r.messageId).toBe('bringUp');
    expect(r.data).toMatchObject({ initS: 520, flows: 4 });
    expect(r.fixes).toEqual([{ id: 'trim-init-scripts', params: { scripts: 0, libraries: 0, initS: 520 } }]);
  });

  it('nodes busy before any flow turn a setup-heavy mid-sized graph into bring-up, with the CPU as evidence', () => {
    const s = initShaped({ initializing: 200, settingUp: 400, running: 900, flows: 8 });
    const nodeMetrics = fakeNodeSamples({ start: s.initStart, minutes: 25, cpu: (_w, m) => (m * 60 < 200 ? 65 : 72) });
    const evidence = fakeEvidence({ update: s.update, flows: s.flows, nodeMetrics });
    const r = expectOneResult(rule, evidence);
    expect(r.evidence).toContainEqual({ metric: 'workers mean CPU while initializing, before any flow', value: 65, unit: '%', threshold: 25, source: 'system.compute.node_timeline' });
    expect(longInitialization.run(evidence)).toEqual([]);
  });

  it('honours option overrides', () => {
    expect(rule.run(shaped({ initializing: 240, settingUp: 30, running: 600, flows: 3 }, withScripts), { minInitS: 200 })).toHaveLength(1);
  });
});
