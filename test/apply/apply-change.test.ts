import { describe, expect, it } from 'vitest';
import { applyChange, isAppliable, type Spec } from '../../src/apply/apply-change.js';
import type { Change } from '../../src/diagnosis/types.js';

const fixed: Spec = {
  name: 'orders_silver',
  photon: false,
  serverless: false,
  clusters: [
    { label: 'default', node_type_id: 'i3.2xlarge', driver_node_type_id: 'i3.2xlarge', num_workers: 4 },
    { label: 'maintenance', num_workers: 1 },
  ],
};
const autoscaled: Spec = {
  name: 'events_bronze',
  clusters: [{ label: 'updates', node_type_id: 'i3.2xlarge', autoscale: { min_workers: 2, max_workers: 8, mode: 'ENHANCED' }, spark_conf: { 'spark.sql.shuffle.partitions': '200' } }],
};
const serverless: Spec = { name: 'web', serverless: true };

const c = (target: Change['target'], key: string, value: string): Change => ({ target, key, value });

describe('applyChange: valid changes give the new spec and the exact diff', () => {
  const cases: { name: string; spec: Spec; change: Change; diff: { key: string; before: string | null; after: string | null }[]; check: (s: Spec) => unknown; want: unknown }[] = [
    { name: 'photon on', spec: fixed, change: c('pipeline', 'photon', 'true'), diff: [{ key: 'photon', before: 'false', after: 'true' }], check: (s) => s.photon, want: true },
    { name: 'continuous on (absent before)', spec: autoscaled, change: c('pipeline', 'continuous', 'true'), diff: [{ key: 'continuous', before: null, after: 'true' }], check: (s) => s.continuous, want: true },
    { name: 'channel preview', spec: fixed, change: c('pipeline', 'channel', 'preview'), diff: [{ key: 'channel', before: null, after: 'PREVIEW' }], check: (s) => s.channel, want: 'PREVIEW' },
    {
      name: 'serverless drops the clusters',
      spec: fixed,
      change: c('pipeline', 'serverless', 'true'),
      diff: [{ key: 'serverless', before: 'false', after: 'true' }, { key: 'clusters', before: '2 cluster settings', after: null }],
      check: (s) => [s.serverless, s.clusters],
      want: [true, undefined],
    },
    {
      name: 'raise max workers',
      spec: autoscaled,
      change: c('cluster', 'autoscale.max_workers', '16'),
      diff: [{ key: 'clusters[updates].autoscale.max_workers', before: '8', after: '16' }],
      check: (s) => (s.clusters as Spec[])[0]!.autoscale,
      want: { min_workers: 2, max_workers: 16, mode: 'ENHANCED' },
    },
    {
      name: 'max workers on a fixed cluster turns it into autoscale (maintenance untouched)',
      spec: fixed,
      change: c('cluster', 'autoscale.max_workers', '8'),
      diff: [
        { key: 'clusters[default].autoscale.min_workers', before: null, after: '4' },
        { key: 'clusters[default].autoscale.max_workers', before: null, after: '8' },
        { key: 'clusters[default].autoscale.mode', before: null, after: 'ENHANCED' },
        { key: 'clusters[default].num_workers', before: '4', after: null },
      ],
      check: (s) => (s.clusters as Spec[]).map((x) => [x.num_workers, x.autoscale]),
      want: [[undefined, { min_workers: 4, max_workers: 8, mode: 'ENHANCED' }], [1, undefined]],
    },
    { name: 'enhanced autoscaling', spec: { clusters: [{ label: 'updates', autoscale: { min_workers: 1, max_workers: 6, mode: 'LEGACY' } }] }, change: c('cluster', 'autoscale.mode', 'ENHANCED'), diff: [{ key: 'clusters[updates].autoscale.mode', before: 'LEGACY', after: 'ENHANCED' }], check: (s) => ((s.clusters as Spec[])[0]!.autoscale as Spec).mode, want: 'ENHANCED' },
    { name: 'node type', spec: fixed, change: c('cluster', 'node_type_id', 'r5.4xlarge'), diff: [{ key: 'clusters[default].node_type_id', before: 'i3.2xlarge', after: 'r5.4xlarge' }], check: (s) => (s.clusters as Spec[])[0]!.node_type_id, want: 'r5.4xlarge' },
    {
      name: 'instance pool replaces the node types',
      spec: fixed,
      change: c('cluster', 'instance_pool_id', 'pool-123'),
      diff: [
        { key: 'clusters[default].instance_pool_id', before: null, after: 'pool-123' },
        { key: 'clusters[default].node_type_id', before: 'i3.2xlarge', after: null },
        { key: 'clusters[default].driver_node_type_id', before: 'i3.2xlarge', after: null },
      ],
      check: (s) => (s.clusters as Spec[])[0],
      want: { label: 'default', instance_pool_id: 'pool-123', num_workers: 4 },
    },
    { name: 'fixed size down', spec: fixed, change: c('cluster', 'num_workers', '2'), diff: [{ key: 'clusters[default].num_workers', before: '4', after: '2' }], check: (s) => (s.clusters as Spec[])[0]!.num_workers, want: 2 },
    {
      name: 'spark conf added next to existing ones',
      spec: autoscaled,
      change: c('spark_conf', 'spark.sql.adaptive.enabled', 'true'),
      diff: [{ key: 'clusters[updates].spark_conf.spark.sql.adaptive.enabled', before: null, after: 'true' }],
      check: (s) => (s.clusters as Spec[])[0]!.spark_conf,
      want: { 'spark.sql.shuffle.partitions': '200', 'spark.sql.adaptive.enabled': 'true' },
    },
    {
      name: 'spark conf set in the pipeline configuration is edited there, where it is in effect',
      spec: { ...autoscaled, configuration: { 'spark.sql.shuffle.partitions': '400', 'pipelines.trigger.interval': '1 hour' } },
      change: c('spark_conf', 'spark.sql.shuffle.partitions', 'auto'),
      diff: [{ key: 'configuration.spark.sql.shuffle.partitions', before: '400', after: 'auto' }],
      check: (s) => [s.configuration, (s.clusters as Spec[])[0]!.spark_conf],
      want: [{ 'spark.sql.shuffle.partitions': 'auto', 'pipelines.trigger.interval': '1 hour' }, { 'spark.sql.shuffle.partitions': '200' }],
    },
    {
      name: 'spark conf on a spec without clusters creates the default cluster',
      spec: { name: 'x' },
      change: c('spark_conf', 'spark.sql.shuffle.partitions', 'auto'),
      diff: [{ key: 'clusters[default].spark_conf.spark.sql.shuffle.partitions', before: null, after: 'auto' }],
      check: (s) => s.clusters,
      want: [{ label: 'default', spark_conf: { 'spark.sql.shuffle.partitions': 'auto' } }],
    },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const before = structuredClone(t.spec);
      const r = applyChange(t.spec, t.change);
      if (!r.ok) throw new Error(r.reason);
      expect(r.diff).toEqual(t.diff);
      expect(t.check(r.spec)).toEqual(t.want);
      expect(t.spec).toEqual(before); // the input is never mutated
    });
  }
});

describe('applyChange: refusals', () => {
  const cases: { name: string; spec: Spec; change: Change; reason: RegExp }[] = [
    { name: 'min > max', spec: autoscaled, change: c('cluster', 'autoscale.max_workers', '1'), reason: /min_workers \(2\) larger than autoscale.max_workers \(1\)/ },
    { name: 'min above max', spec: autoscaled, change: c('cluster', 'autoscale.min_workers', '9'), reason: /larger than/ },
    { name: 'num_workers below autoscale min', spec: autoscaled, change: c('cluster', 'num_workers', '1'), reason: /smaller than/ },
    { name: 'not a number', spec: autoscaled, change: c('cluster', 'autoscale.max_workers', 'lots'), reason: /whole number/ },
    { name: 'negative', spec: fixed, change: c('cluster', 'num_workers', '-1'), reason: /whole number/ },
    { name: 'placeholder', spec: fixed, change: c('cluster', 'instance_pool_id', '<instance-pool-id>'), reason: /real value/ },
    { name: 'table property', spec: fixed, change: c('table_property', 'delta.enableChangeDataFeed', 'true'), reason: /not a pipeline setting/ },
    { name: 'code', spec: fixed, change: c('code', 'maxOffsetsPerTrigger', '1000000'), reason: /not a pipeline setting/ },
    { name: 'cluster change on serverless', spec: serverless, change: c('cluster', 'node_type_id', 'r5.4xlarge'), reason: /serverless/ },
    { name: 'already set', spec: fixed, change: c('pipeline', 'photon', 'false'), reason: /already/ },
    { name: 'bad boolean', spec: fixed, change: c('pipeline', 'photon', 'yes please'), reason: /true or false/ },
    { name: 'unknown cluster key', spec: fixed, change: c('cluster', 'spark_version', '15.4'), reason: /not one apply can change/ },
    { name: 'mode on a fixed cluster', spec: fixed, change: c('cluster', 'autoscale.mode', 'ENHANCED'), reason: /fixed size/ },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const r = applyChange(t.spec, t.change);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(t.reason);
    });
  }

  it('isAppliable matches what the template offers', () => {
    expect(isAppliable(c('pipeline', 'photon', 'true'))).toBe(true);
    expect(isAppliable(c('spark_conf', 'spark.sql.adaptive.enabled', 'true'))).toBe(true);
    expect(isAppliable(c('cluster', 'instance_pool_id', '<instance-pool-id>'))).toBe(false);
    expect(isAppliable(c('code', 'x', 'y'))).toBe(false);
    expect(isAppliable(null)).toBe(false);
  });
});

describe('applyChange: the effective Spark setting', () => {
  it('refuses a change the pipeline configuration already makes, whatever the clusters say', () => {
    const spec: Spec = { configuration: { 'spark.sql.shuffle.partitions': 'auto' }, clusters: [{ label: 'default', spark_conf: { 'spark.sql.shuffle.partitions': '400' } }] };
    const r = applyChange(spec, { target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: 'auto' });
    expect(r).toEqual({ ok: false, reason: 'spark.sql.shuffle.partitions is already auto (pipeline configuration).' });
  });
});
