/**
 * Every change the recommendation catalog can produce names a real setting of its target
 * (src/diagnosis/fixes/settings-catalog.ts): each fix is built over a grid of pipelines (classic and
 * serverless, Photon on and off, Hive metastore and Unity Catalog, autoscaling and fixed-size,
 * pooled, overridden Spark confs) and the params rules pass, and each change it makes is checked.
 * The check is shown to fail on a misspelt key, another source's option and a bad value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClusterSpec, Evidence, PipelineSpec } from '../../src/diagnosis/evidence.js';
import { FIXES, FIXES_BY_ID } from '../../src/diagnosis/fixes/index.js';
import {
  changeProblem,
  CLUSTER_SETTINGS,
  isAnySourceOption,
  optionSourceOf,
  PIPELINE_SETTINGS,
  settingOf,
  SPARK_CONF_SETTINGS,
  TABLE_PROPERTY_SETTINGS,
} from '../../src/diagnosis/fixes/settings-catalog.js';
import { SOURCE_OPTIONS } from '../../src/diagnosis/fixes/source-options.js';
import type { Change } from '../../src/diagnosis/types.js';
import { fakeCluster, fakeEvidence } from '../support/fake-evidence.js';

type Params = Record<string, string | number | boolean>;

const cluster = (o: Partial<ClusterSpec>) => fakeCluster(o);
const pipeline = (spec: Partial<PipelineSpec>): Evidence => fakeEvidence({ spec });

/** Pipelines that between them make every branch of every fix fire. */
const PIPELINES: Record<string, Evidence> = {
  'unity, photon, i3, enhanced': pipeline({}),
  'hive, no photon, m5, legacy, AQE off, off-heap on without size': pipeline({
    photon: false,
    catalog: null,
    clusters: [cluster({ nodeTypeId: 'm5.2xlarge', driverNodeTypeId: 'm5.2xlarge', autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'LEGACY' }, sparkConf: { 'spark.sql.adaptive.enabled': 'false', 'spark.memory.offHeap.enabled': 'true' } })],
  }),
  'unity, no photon, azure D, unset mode, coalescing and skew join off, fixed partitions, off-heap size only, absolute overhead': pipeline({
    photon: false,
    clusters: [
      cluster({
        nodeTypeId: 'Standard_D16s_v3',
        driverNodeTypeId: 'Standard_D16s_v3',
        autoscale: { minWorkers: 1, maxWorkers: 6, mode: 'UNSET' },
        sparkConf: {
          'spark.sql.adaptive.coalescePartitions.enabled': 'false',
          'spark.sql.adaptive.skewJoin.enabled': 'false',
          'spark.sql.shuffle.partitions': '200',
          'spark.memory.offHeap.size': '4g',
          'spark.executor.memoryOverhead': '2048',
          'spark.sql.autoBroadcastJoinThreshold': '-1',
        },
      }),
    ],
  }),
  'fixed size m5, pipeline configuration (skew join off, fixed partitions)': pipeline({
    photon: false,
    configuration: { 'spark.sql.adaptive.skewJoin.enabled': 'false', 'spark.executor.memoryOverheadFactor': '0.2', 'spark.sql.shuffle.partitions': '200' },
    clusters: [cluster({ nodeTypeId: 'm5.4xlarge', driverNodeTypeId: 'm5.4xlarge', autoscale: null, numWorkers: 10, initScripts: ['/Volumes/main/ops/init.sh'] })],
  }),
  'instance pool': pipeline({ clusters: [cluster({ nodeTypeId: 'm5.2xlarge', instancePoolId: 'pool-1', driverInstancePoolId: 'pool-1' })] }),
  serverless: pipeline({ serverless: true, photon: false, clusters: [] }),
};

/** The params rules pass to their fixes (rules/*.ts), and none. */
const PARAMS: Params[] = [
  {},
  { flow: 'main.sales.orders_silver', table: 'main.sales.orders_bronze' },
  { optimal: 20 },
  { suggested: 16 },
  { dataGb: 400, complexity: 2 },
  { cpuAvg: 20, peakExecutors: 8 },
  { size: 'large' },
  { subType: 'TIME_FUNCTION', flow: 'main.sales.daily_revenue' },
  { cluster: 'default' },
  { flows: 45, maxFlows: 30 },
  { scripts: 2, libraries: 3, initS: 600 },
  { waitS: 900 },
  ...['autoloader', 'delta', 'kafka', 'kinesis', 'records', 'unknown'].map((source) => ({ source, flow: 'main.raw.events' })),
];

interface Built {
  fix: string;
  pipeline: string;
  params: Params;
  change: Change;
}

const built: Built[] = [];
const fired = new Set<string>();
for (const fix of FIXES) {
  for (const [name, evidence] of Object.entries(PIPELINES)) {
    for (const params of PARAMS) {
      const p = fix.build(evidence, params);
      if (p === null) continue;
      fired.add(fix.id);
      if (p.change) built.push({ fix: fix.id, pipeline: name, params, change: p.change });
    }
  }
}
const emitted = (target: Change['target']) => new Set(built.filter((b) => b.change.target === target).map((b) => b.change.key));

describe('settings catalog: every change the fix catalog makes is a real setting', () => {
  it('every fix fires on some pipeline of the grid', () => {
    expect([...fired].sort()).toEqual(FIXES.map((f) => f.id).sort());
  });

  it('the grid reaches every setting the catalog emits (a new branch with a new key must be added here and in settings-catalog.ts)', () => {
    const keys = [...new Set(built.map((b) => `${b.change.target}:${b.change.target === 'code' && !isAnySourceOption(b.change.key) ? '<code>' : b.change.key}`))].sort();
    expect(keys).toEqual(
      [
        'cluster:autoscale.max_workers',
        'cluster:autoscale.mode',
        'cluster:driver_node_type_id',
        'cluster:instance_pool_id',
        'cluster:node_type_id',
        'cluster:num_workers',
        'code:<code>',
        'code:cloudFiles.maxBytesPerTrigger',
        'code:cloudFiles.maxFilesPerTrigger',
        'code:cloudFiles.useNotifications',
        'code:maxBytesPerTrigger',
        'code:maxFetchRate',
        'code:maxOffsetsPerTrigger',
        'pipeline:photon',
        'pipeline:serverless',
        'spark_conf:spark.databricks.delta.autoCompact.enabled',
        'spark_conf:spark.databricks.delta.optimizeWrite.enabled',
        'spark_conf:spark.databricks.io.cache.enabled',
        'spark_conf:spark.executor.memoryOverhead',
        'spark_conf:spark.executor.memoryOverheadFactor',
        'spark_conf:spark.memory.offHeap.enabled',
        'spark_conf:spark.memory.offHeap.size',
        'spark_conf:spark.sql.adaptive.coalescePartitions.enabled',
        'spark_conf:spark.sql.adaptive.enabled',
        'spark_conf:spark.sql.adaptive.skewJoin.enabled',
        'spark_conf:spark.sql.autoBroadcastJoinThreshold',
        'spark_conf:spark.sql.shuffle.partitions',
        'table_property:delta.enableChangeDataFeed',
        'table_property:delta.enableRowTracking',
      ].sort(),
    );
  });

  it('each change key is a real setting for its target, with a value it takes', () => {
    expect(built.length).toBeGreaterThan(100);
    const problems = built.map((b) => changeProblem(b.fix, b.change, b.params)).filter((p): p is string => p !== null);
    expect(problems).toEqual([]);
  });

  it('the Spark conf and table property tables hold exactly the keys the catalog emits, each with its doc', () => {
    expect(Object.keys(SPARK_CONF_SETTINGS).sort()).toEqual([...emitted('spark_conf')].sort());
    expect(Object.keys(TABLE_PROPERTY_SETTINGS).sort()).toEqual([...emitted('table_property')].sort());
    for (const [key, s] of [...Object.entries(SPARK_CONF_SETTINGS), ...Object.entries(TABLE_PROPERTY_SETTINGS)]) expect(s.doc, key).toMatch(/https:\/\//);
  });

  it('pipeline and cluster settings come from the SDK classes, and the guide sections they cite exist', () => {
    const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8');
    const all = { ...PIPELINE_SETTINGS, ...CLUSTER_SETTINGS, ...SPARK_CONF_SETTINGS };
    for (const [key, s] of Object.entries(PIPELINE_SETTINGS)) expect(s.doc, key).toMatch(/pipelines\.py PipelineSpec$/);
    for (const [key, s] of Object.entries(CLUSTER_SETTINGS)) expect(s.doc, key).toMatch(/pipelines\.py PipelineCluster(Autoscale)?$/);
    for (const [key, s] of Object.entries(all)) {
      for (const section of (s.guide ?? '').split(',').map((x) => x.trim()).filter(Boolean)) expect(guide, `${key} cites §${section}`).toContain(`### ${section} `);
    }
  });

  it('source-option changes carry their own source\'s option; no other fix emits a source option', () => {
    for (const b of built.filter((x) => x.change.target === 'code')) {
      const source = optionSourceOf(b.fix, b.params);
      if (source === null) expect(isAnySourceOption(b.change.key), `${b.fix}: ${b.change.key}`).toBe(false);
      else if (source !== 'any') expect(Object.keys(SOURCE_OPTIONS[source].options), `${b.fix} on ${String(b.params.source ?? 'autoloader')}`).toContain(b.change.key);
    }
    // the streaming-trigger change for each named source is that source's option
    const trigger = (source: string) => built.find((b) => b.fix === 'streaming-trigger' && b.params.source === source)?.change.key;
    expect([trigger('delta'), trigger('kafka'), trigger('kinesis'), trigger('records'), trigger('unknown')]).toEqual(['maxBytesPerTrigger', 'maxOffsetsPerTrigger', 'maxFetchRate', undefined, undefined]);
  });
});

describe('settings catalog: the check fails on what is not a real setting', () => {
  it('a misspelt key of any emitted change fails', () => {
    const seen = new Set<string>();
    for (const b of built) {
      const id = `${b.change.target}:${b.change.key}`;
      if (seen.has(id) || (b.change.target === 'code' && optionSourceOf(b.fix, b.params) === null)) continue;
      seen.add(id);
      expect(changeProblem(b.fix, { ...b.change, key: `${b.change.key}s` }, b.params), id).not.toBeNull();
    }
    expect(seen.size).toBeGreaterThan(25);
  });

  it.each<[string, Change, Params, RegExp]>([
    ['enable-aqe-coalesce', { target: 'spark_conf', key: 'spark.sql.adaptive.enable', value: 'true' }, {}, /not a spark_conf setting/],
    ['enable-io-cache', { target: 'spark_conf', key: 'spark.databricks.io.cache.enable', value: 'true' }, {}, /not a spark_conf setting/],
    ['raise-max-workers', { target: 'cluster', key: 'autoscale.max_worker', value: '12' }, {}, /not a cluster setting/],
    ['raise-max-workers', { target: 'cluster', key: 'max_workers', value: '12' }, {}, /not a cluster setting/],
    ['enable-photon', { target: 'pipeline', key: 'photon_enabled', value: 'true' }, {}, /not a pipeline setting/],
    // a cluster field is not a pipeline field, nor the other way round
    ['use-instance-pool', { target: 'pipeline', key: 'instance_pool_id', value: 'pool-1' }, {}, /not a pipeline setting/],
    ['use-serverless', { target: 'cluster', key: 'serverless', value: 'true' }, {}, /not a cluster setting/],
    ['enable-cdf', { target: 'table_property', key: 'delta.enableChangeFeed', value: 'true' }, {}, /not a table_property setting/],
    // another source's option, or the Delta name for an Auto Loader option
    ['streaming-trigger', { target: 'code', key: 'maxFetchRate', value: '2.0' }, { source: 'kafka' }, /not a Kafka option/],
    ['streaming-trigger', { target: 'code', key: 'cloudFiles.maxBytesPerTrigger', value: '10g' }, { source: 'delta' }, /not a Delta option/],
    ['autoloader-max-files', { target: 'code', key: 'maxFilesPerTrigger', value: '10000' }, {}, /not a Auto Loader option/],
    ['streaming-trigger', { target: 'code', key: 'maxRatePerPartition', value: '100' }, { source: 'records' }, /no streaming source's option/],
    // a source option from a fix that is not a source-option fix
    ['replace-python-udf', { target: 'code', key: 'cloudFiles.maxFilesPerTrigger', value: '10000' }, {}, /not a source-option fix/],
    // real keys, impossible values
    ['enhanced-autoscaling', { target: 'cluster', key: 'autoscale.mode', value: 'FAST' }, {}, /ENHANCED or LEGACY/],
    ['enable-photon', { target: 'pipeline', key: 'photon', value: 'yes' }, {}, /true or false/],
    ['reduce-max-workers', { target: 'cluster', key: 'num_workers', value: '2.5' }, {}, /whole number/],
    ['raise-max-workers', { target: 'cluster', key: 'autoscale.max_workers', value: '0' }, {}, /whole number ≥ 1/],
    ['enable-aqe-coalesce', { target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: 'many' }, {}, /auto/],
    ['executor-memory-overhead', { target: 'spark_conf', key: 'spark.executor.memoryOverheadFactor', value: '3' }, {}, /0\.\.1/],
    ['offheap-memory', { target: 'spark_conf', key: 'spark.memory.offHeap.size', value: 'eight gigs' }, {}, /size/],
    // a structured field is set inside, never whole
    ['enhanced-autoscaling', { target: 'cluster', key: 'autoscale', value: 'ENHANCED' }, {}, /object, list or map/],
    ['enable-photon', { target: 'pipeline', key: 'photon', value: ' ' }, {}, /empty/],
  ])('%s: %j fails', (fix, change, params, why) => {
    expect(FIXES_BY_ID.has(fix)).toBe(true);
    expect(changeProblem(fix, change, params)).toMatch(why);
  });

  it('near misses that are real pass: a partition count, -1 for no broadcast, MiB without a unit', () => {
    expect(changeProblem('enable-aqe-coalesce', { target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: '400' })).toBeNull();
    expect(changeProblem('broadcast-threshold', { target: 'spark_conf', key: 'spark.sql.autoBroadcastJoinThreshold', value: '-1' })).toBeNull();
    expect(changeProblem('executor-memory-overhead', { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '4096' })).toBeNull();
    expect(changeProblem('streaming-trigger', { target: 'code', key: 'minPartitions', value: '64' }, { source: 'kafka' })).toBeNull();
    expect(changeProblem('split-pipeline', { target: 'code', key: 'pipeline', value: 'split into 2 pipelines' })).toBeNull();
    expect(settingOf('cluster', 'autoscale.min_workers')?.doc).toMatch(/PipelineClusterAutoscale/);
    expect(settingOf('code', 'pipeline')).toBeNull();
  });
});
