import { describe, expect, it } from 'vitest';
import { cloneName, cloneSpec, parseScratchTarget } from '../../src/experiment/clone-spec.js';
import { parseSetting } from '../../src/experiment/changes.js';
import { dbuRateRatio } from '../../src/experiment/measure.js';

const uc = { id: 'p1', name: 'orders_silver', catalog: 'main', schema: 'sales', libraries: [{ notebook: { path: '/Repos/x' } }], clusters: [{ label: 'default', num_workers: 4 }], continuous: true, development: false, notifications: [{ email_recipients: ['oncall@x'] }], photon: false };

describe('clone settings', () => {
  it('a Unity Catalog pipeline: same code and clusters, its own scratch schema, development, triggered, no notifications', () => {
    const c = cloneSpec(uc, { pipelineName: 'orders_silver', variant: 'B', experimentId: '3f2a9c', scratch: parseScratchTarget('main.dlt_doctor_scratch') });
    expect(c).toMatchObject({ name: '[dlt-doctor benchmark] orders_silver B 3f2a9c', catalog: 'main', schema: 'dlt_doctor_scratch_3f2a9c_b', development: true, continuous: false, libraries: uc.libraries, clusters: uc.clusters, photon: false });
    expect(c).not.toHaveProperty('id');
    expect(c).not.toHaveProperty('notifications');
    // the input is not changed
    expect(uc.schema).toBe('sales');
  });
  it('another scratch catalog, and the legacy `target` field kept as the field the pipeline uses', () => {
    const c = cloneSpec({ ...uc, schema: undefined, target: 'sales' }, { pipelineName: 'x', variant: null, experimentId: 'abcdef', scratch: parseScratchTarget('sandbox.bench') });
    expect(c).toMatchObject({ catalog: 'sandbox', target: 'bench_abcdef' });
  });
  it('a Hive metastore pipeline: target redirected and its storage dropped (checkpoints of its own)', () => {
    const c = cloneSpec({ name: 'legacy', target: 'prod', storage: 'dbfs:/pipelines/prod-storage', clusters: [] }, { pipelineName: 'legacy', variant: 'A', experimentId: '000001', scratch: parseScratchTarget(null) });
    expect(c.target).toBe('dlt_doctor_scratch_000001_a');
    expect(c).not.toHaveProperty('storage');
  });
  it('a published event log moves into the clone\'s schema; tags carry the experiment id', () => {
    const c = cloneSpec({ ...uc, event_log: { catalog: 'main', schema: 'ops', name: 'orders_events' }, tags: { team: 'sales' } }, { pipelineName: 'orders_silver', variant: 'A', experimentId: 'abc123', scratch: parseScratchTarget(null) });
    expect(c.event_log).toEqual({ catalog: 'main', schema: 'dlt_doctor_scratch_abc123_a', name: 'orders_events' });
    expect(c.tags).toEqual({ team: 'sales', dlt_doctor_experiment: 'abc123' });
  });
  it('names carry the experiment id last (the orphan search matches on it)', () => {
    expect(cloneName('a'.repeat(300), 'A', 'ffffff')).toMatch(/ A ffffff$/);
  });
});

describe('key=value changes', () => {
  it('map to apply targets', () => {
    expect(parseSetting('photon=true')).toEqual({ target: 'pipeline', key: 'photon', value: 'true' });
    expect(parseSetting('autoscale.max_workers=16')).toEqual({ target: 'cluster', key: 'autoscale.max_workers', value: '16' });
    expect(parseSetting('spark.sql.shuffle.partitions=400')).toEqual({ target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: '400' });
  });
  it('refuse continuous, unknown keys and empty values', () => {
    expect(() => parseSetting('continuous=true')).toThrow(/triggered/);
    expect(() => parseSetting('rm_rf=/')).toThrow(/not a setting/);
    expect(() => parseSetting('photon=')).toThrow(/needs a value/);
  });
});

describe('DBU rate of B against A (the estimate while billing lags)', () => {
  it('Photon doubles it; twice the workers (plus the driver) scales it', () => {
    const a = { clusters: [{ num_workers: 4 }] };
    expect(dbuRateRatio(a, { ...a, photon: true })).toBe(2);
    expect(dbuRateRatio(a, { clusters: [{ num_workers: 9 }] })).toBe(2);
    expect(dbuRateRatio({ serverless: true }, { serverless: true, photon: true })).toBe(1);
  });
});
