import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { FIXES, parseNodeType } from '../../../src/diagnosis/fixes/compute.js';
import type { FixDefinition } from '../../../src/diagnosis/types.js';
import { fakeCluster, fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

function fix(id: string): FixDefinition {
  const f = FIXES.find((x) => x.id === id);
  if (!f) throw new Error(`no fix ${id}`);
  return f;
}
const change = (id: string, evidence: Evidence, params: Record<string, string | number | boolean> = {}) => fix(id).build(evidence, params)?.change;
const build = (id: string, evidence: Evidence, params: Record<string, string | number | boolean> = {}) => fix(id).build(evidence, params);

const onNodes = (nodeTypeId: string, driverNodeTypeId: string | null = nodeTypeId) => fakeEvidence({ spec: { clusters: [fakeCluster({ nodeTypeId, driverNodeTypeId })] } });
const serverless = fakeEvidence({ spec: { serverless: true, photon: false, clusters: [] }, nodeMetrics: null });
const withConf = (configuration: Record<string, string>, sparkConf: Record<string, string> = {}) =>
  fakeEvidence({ spec: { configuration, clusters: [fakeCluster({ sparkConf })] } });

describe('compute fix catalog', () => {
  it('has unique ids, all the ids the cpu/memory/io/network rules ask for, and guide sections that exist', () => {
    const ids = FIXES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'compute-optimized-instances', 'enable-photon', 'replace-python-udf', 'memory-optimized-instances', 'offheap-memory', 'avoid-collect',
        'larger-driver', 'storage-optimized-instances', 'enable-io-cache', 'optimize-write', 'auto-compact',
        'enable-aqe-coalesce', 'broadcast-threshold', 'enable-skew-join', 'salt-skewed-key',
      ]),
    );
    expect(ids).not.toContain('raise-max-workers'); // owned by the capacity catalog
    expect(ids).not.toContain('autoloader-max-files'); // owned by the streaming catalog
    const guide = readFileSync(new URL('../../../docs/guide.md', import.meta.url), 'utf8');
    for (const f of FIXES) {
      if (f.guideSection === 'docs') continue; // a Databricks doc, cited in the why
      for (const section of f.guideSection.split(',').map((s) => s.trim())) expect(guide, `${f.id} cites §${section}`).toContain(`### ${section} `);
      expect(['cpu', 'memory', 'io', 'network']).toContain(f.category);
    }
  });

  it('every proposal on a plain classic pipeline has why, effect, risk and an impact in 0..1', () => {
    const cluster = fakeCluster({ nodeTypeId: 'm5.2xlarge', driverNodeTypeId: 'm5.2xlarge', sparkConf: { 'spark.sql.adaptive.enabled': 'false' } });
    const hive = fakeEvidence({ spec: { photon: false, catalog: null, schema: 'sales', clusters: [cluster] } });
    const unity = fakeEvidence({ spec: { photon: false, clusters: [cluster] } });
    for (const f of FIXES) {
      // file-size tuning is for Hive metastore tables; predictive optimization for Unity Catalog's
      const p = f.build(f.id === 'predictive-optimization' ? unity : hive, {});
      expect(p, f.id).not.toBeNull();
      expect(p!.why.length, f.id).toBeGreaterThan(10);
      expect(p!.expected_effect.length, f.id).toBeGreaterThan(10);
      expect(p!.risk.length, f.id).toBeGreaterThan(10);
      expect(p!.impact).toBeGreaterThan(0);
      expect(p!.impact).toBeLessThanOrEqual(1);
    }
  });

  describe('enable-photon', () => {
    it('turns photon on', () => {
      expect(change('enable-photon', fakeEvidence({ spec: { photon: false } }))).toEqual({ target: 'pipeline', key: 'photon', value: 'true' });
      expect(build('enable-photon', fakeEvidence({ spec: { photon: false } }))!.risk).toMatch(/Higher DBU rate/);
    });
    it('is null when Photon is on or the pipeline is serverless', () => {
      expect(build('enable-photon', fakeEvidence())).toBeNull();
      expect(build('enable-photon', serverless)).toBeNull();
    });
  });

  describe('instance families (§3.1)', () => {
    it.each([
      ['compute-optimized-instances', 'i3.2xlarge', 'c5.4xlarge'],
      ['compute-optimized-instances', 'c5.xlarge', 'c5.4xlarge'],
      ['compute-optimized-instances', 'Standard_L8s_v2', 'Standard_F16s_v2'],
      ['memory-optimized-instances', 'i3.2xlarge', 'r5.4xlarge'],
      ['memory-optimized-instances', 'r5.2xlarge', 'r5.4xlarge'],
      ['memory-optimized-instances', 'Standard_DS3_v2', 'Standard_E16s_v5'],
      ['storage-optimized-instances', 'c5.4xlarge', 'i3.2xlarge'],
      ['storage-optimized-instances', 'Standard_F16s_v2', 'Standard_L8s_v2'],
    ])('%s on %s → %s', (id, current, target) => {
      expect(change(id, onNodes(current))).toEqual({ target: 'cluster', key: 'node_type_id', value: target });
    });

    it.each([
      ['compute-optimized-instances', 'c5.4xlarge'],
      ['compute-optimized-instances', 'c5.9xlarge'],
      ['compute-optimized-instances', 'Standard_F32s_v2'],
      ['memory-optimized-instances', 'r5.4xlarge'],
      ['memory-optimized-instances', 'Standard_E16s_v5'],
      ['storage-optimized-instances', 'i3.2xlarge'],
      ['storage-optimized-instances', 'Standard_L8s_v2'],
    ])('%s is null on %s (already that family and size)', (id, current) => {
      expect(build(id, onNodes(current))).toBeNull();
    });

    it('large shuffles ask for i3.4xlarge / Standard_L16s_v2', () => {
      expect(change('storage-optimized-instances', onNodes('i3.2xlarge'), { size: 'large' })).toEqual({ target: 'cluster', key: 'node_type_id', value: 'i3.4xlarge' });
      expect(change('storage-optimized-instances', onNodes('Standard_E16s_v5'), { size: 'large' })).toEqual({ target: 'cluster', key: 'node_type_id', value: 'Standard_L16s_v2' });
      expect(build('storage-optimized-instances', onNodes('i3.4xlarge'), { size: 'large' })).toBeNull();
    });

    it('is null on serverless and on a cloud the guide has no row for (GCP)', () => {
      for (const id of ['compute-optimized-instances', 'memory-optimized-instances', 'storage-optimized-instances', 'larger-driver']) {
        expect(build(id, serverless)).toBeNull();
        expect(build(id, onNodes('n2-standard-8'))).toBeNull();
      }
    });

    it('ignores the maintenance cluster', () => {
      const evidence = fakeEvidence({ spec: { clusters: [fakeCluster({ nodeTypeId: 'c5.4xlarge' }), fakeCluster({ label: 'maintenance', nodeTypeId: 'm5.large' })] } });
      expect(build('compute-optimized-instances', evidence)).toBeNull();
    });

    it('takes the node type from node_timeline when the spec does not name one', () => {
      const evidence = fakeEvidence({ spec: { clusters: [fakeCluster({ nodeTypeId: null, driverNodeTypeId: null })] }, nodeMetrics: fakeNodeSamples() });
      expect(change('compute-optimized-instances', evidence)).toEqual({ target: 'cluster', key: 'node_type_id', value: 'c5.4xlarge' });
    });

    it('has no single change with an instance pool, and says so', () => {
      const evidence = fakeEvidence({ spec: { clusters: [fakeCluster({ instancePoolId: 'pool-1' })] } });
      const p = build('memory-optimized-instances', evidence)!;
      expect(p.change).toBeNull();
      expect(p.why).toMatch(/instance pool.*r5\.4xlarge/);
    });
  });

  describe('larger-driver', () => {
    it('sets a memory-optimized driver', () => {
      expect(change('larger-driver', onNodes('i3.2xlarge'))).toEqual({ target: 'cluster', key: 'driver_node_type_id', value: 'r5.4xlarge' });
      expect(change('larger-driver', onNodes('Standard_L8s_v2'))).toEqual({ target: 'cluster', key: 'driver_node_type_id', value: 'Standard_E16s_v5' });
    });
    it('is null when the driver already is one (or inherits one from node_type_id)', () => {
      expect(build('larger-driver', onNodes('i3.2xlarge', 'r5.4xlarge'))).toBeNull();
      expect(build('larger-driver', onNodes('r5.8xlarge', null))).toBeNull();
    });
  });

  describe('spark_conf switches', () => {
    it.each([
      ['optimize-write', 'spark.databricks.delta.optimizeWrite.enabled'],
      ['auto-compact', 'spark.databricks.delta.autoCompact.enabled'],
    ])('%s sets %s=true on a Hive metastore pipeline, unless already true; never on Unity Catalog', (id, key) => {
      const hive = (configuration: Record<string, string> = {}, sparkConf: Record<string, string> = {}) =>
        fakeEvidence({ spec: { catalog: null, schema: 'sales', configuration, clusters: [fakeCluster({ sparkConf })] } });
      expect(change(id, hive())).toEqual({ target: 'spark_conf', key, value: 'true' });
      expect(change(id, hive({ [key]: 'false' }))).toEqual({ target: 'spark_conf', key, value: 'true' });
      expect(build(id, hive({ [key]: 'true' }))).toBeNull();
      expect(build(id, hive({}, { [key]: 'TRUE' }))).toBeNull();
      expect(build(id, serverless)).toBeNull();
      // Databricks "Control data file size": manual tuning does not apply to UC managed tables
      expect(build(id, fakeEvidence())).toBeNull();
      expect(build(id, withConf({ [key]: 'false' }))).toBeNull();
    });

    it('predictive-optimization: for Unity Catalog pipelines only, on their schema', () => {
      expect(change('predictive-optimization', fakeEvidence())).toEqual({ target: 'code', key: 'ALTER SCHEMA main.sales', value: 'ENABLE PREDICTIVE OPTIMIZATION' });
      expect(build('predictive-optimization', fakeEvidence({ spec: { catalog: null } }))).toBeNull();
      expect(build('predictive-optimization', fakeEvidence({ spec: { catalog: 'hive_metastore' } }))).toBeNull();
    });

    it('enable-io-cache: on by default for local-SSD nodes, else set', () => {
      const key = 'spark.databricks.io.cache.enabled';
      expect(build('enable-io-cache', onNodes('i3.2xlarge'))).toBeNull();
      expect(change('enable-io-cache', onNodes('c5.4xlarge'))).toEqual({ target: 'spark_conf', key, value: 'true' });
      expect(change('enable-io-cache', fakeEvidence({ spec: { configuration: { [key]: 'false' } } }))).toEqual({ target: 'spark_conf', key, value: 'true' });
      expect(build('enable-io-cache', fakeEvidence({ spec: { configuration: { [key]: 'true' }, clusters: [fakeCluster({ nodeTypeId: 'c5.4xlarge' })] } }))).toBeNull();
    });

    it('broadcast-threshold sets 104857600 unless already ≥ 100 MB', () => {
      const key = 'spark.sql.autoBroadcastJoinThreshold';
      const expected = { target: 'spark_conf', key, value: '104857600' };
      expect(change('broadcast-threshold', fakeEvidence())).toEqual(expected);
      expect(change('broadcast-threshold', withConf({ [key]: '10485760' }))).toEqual(expected);
      expect(change('broadcast-threshold', withConf({ [key]: '-1' }))).toEqual(expected);
      expect(build('broadcast-threshold', withConf({ [key]: '100MB' }))).toBeNull();
      expect(build('broadcast-threshold', withConf({}, { [key]: '209715200' }))).toBeNull();
      expect(build('broadcast-threshold', serverless)).toBeNull();
    });

    it('enable-aqe-coalesce restores overridden defaults only', () => {
      expect(build('enable-aqe-coalesce', fakeEvidence())).toBeNull();
      expect(change('enable-aqe-coalesce', withConf({ 'spark.sql.adaptive.enabled': 'false' }))).toEqual({ target: 'spark_conf', key: 'spark.sql.adaptive.enabled', value: 'true' });
      expect(change('enable-aqe-coalesce', withConf({}, { 'spark.sql.adaptive.coalescePartitions.enabled': 'false' }))).toEqual({ target: 'spark_conf', key: 'spark.sql.adaptive.coalescePartitions.enabled', value: 'true' });
      expect(change('enable-aqe-coalesce', withConf({ 'spark.sql.shuffle.partitions': '200' }))).toEqual({ target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: 'auto' });
      expect(build('enable-aqe-coalesce', withConf({ 'spark.sql.shuffle.partitions': 'auto' }))).toBeNull();
    });

    it('enable-skew-join restores overridden defaults only', () => {
      expect(build('enable-skew-join', fakeEvidence())).toBeNull();
      expect(build('enable-skew-join', withConf({ 'spark.sql.adaptive.skewJoin.enabled': 'true' }))).toBeNull();
      expect(change('enable-skew-join', withConf({ 'spark.sql.adaptive.skewJoin.enabled': 'false' }))).toEqual({ target: 'spark_conf', key: 'spark.sql.adaptive.skewJoin.enabled', value: 'true' });
      expect(change('enable-skew-join', withConf({}, { 'spark.sql.adaptive.enabled': 'false' }))).toEqual({ target: 'spark_conf', key: 'spark.sql.adaptive.enabled', value: 'true' });
    });
  });

  describe('offheap-memory (§8.1)', () => {
    const off = (conf: Record<string, string>) => fakeEvidence({ spec: { photon: false, configuration: conf } });
    it('is null with Photon (it manages off-heap memory) and when both settings are in place', () => {
      expect(build('offheap-memory', fakeEvidence())).toBeNull();
      expect(build('offheap-memory', off({ 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': '8g' }))).toBeNull();
    });
    it('names both settings when neither is set (two settings, no single change)', () => {
      const p = build('offheap-memory', off({}))!;
      expect(p.change).toBeNull();
      expect(p.why).toContain('spark.memory.offHeap.enabled=true');
      expect(p.why).toContain('spark.memory.offHeap.size=8g');
    });
    it('completes a half-done setting', () => {
      expect(change('offheap-memory', off({ 'spark.memory.offHeap.enabled': 'true' }))).toEqual({ target: 'spark_conf', key: 'spark.memory.offHeap.size', value: '8g' });
      expect(change('offheap-memory', off({ 'spark.memory.offHeap.size': '8g' }))).toEqual({ target: 'spark_conf', key: 'spark.memory.offHeap.enabled', value: 'true' });
    });
  });

  describe('executor-memory-overhead (§8.1, exit code 137)', () => {
    const conf = (c: Record<string, string>) => withConf(c);
    it('raises the overhead factor from Spark\'s default 0.10 when nothing is set', () => {
      const p = build('executor-memory-overhead', fakeEvidence())!;
      expect(p.change).toEqual({ target: 'spark_conf', key: 'spark.executor.memoryOverheadFactor', value: '0.2' });
      expect(p.expected_effect).toContain('from 10% to 20%');
      expect(p.why).toMatch(/137/);
      expect(p.why).toContain('§8.1');
      expect(p.risk).toMatch(/heap shrinks/);
    });
    it('adds 0.1 to a factor already set, up to 0.4, and is null at 0.4', () => {
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverheadFactor': '0.25' }))).toEqual({ target: 'spark_conf', key: 'spark.executor.memoryOverheadFactor', value: '0.35' });
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverheadFactor': '0.35' }))!.value).toBe('0.4');
      expect(build('executor-memory-overhead', conf({ 'spark.executor.memoryOverheadFactor': '0.4' }))).toBeNull();
      // set on the cluster's spark_conf instead of the configuration
      expect(change('executor-memory-overhead', withConf({}, { 'spark.executor.memoryOverheadFactor': '0.2' }))!.value).toBe('0.3');
    });
    it('doubles an absolute spark.executor.memoryOverhead, which wins over the factor', () => {
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverhead': '2g', 'spark.executor.memoryOverheadFactor': '0.4' }))).toEqual({ target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '4g' });
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverhead': '1536m' }))!.value).toBe('3g');
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverhead': '384m' }))!.value).toBe('1g');
    });
    it('reads a unit-less spark.executor.memoryOverhead as MiB, as Spark does (never proposes less than is set)', () => {
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverhead': '2048' }))!.value).toBe('4g');
      expect(change('executor-memory-overhead', conf({ 'spark.executor.memoryOverhead': '3072' }))!.value).toBe('6g');
    });
    it('is null on serverless (no Spark memory settings to change)', () => {
      expect(build('executor-memory-overhead', serverless)).toBeNull();
    });
  });

  describe('code changes', () => {
    it.each([
      ['replace-python-udf', { flow: 'main.sales.orders_silver' }, 'main.sales.orders_silver', /built-in pyspark\.sql\.functions/],
      ['avoid-collect', {}, 'collect() / toPandas()', /\.limit\(10000\)/],
      ['salt-skewed-key', { flow: 'enriched' }, 'enriched', /F\.floor\(F\.rand\(\) \* 10\)/],
    ] as const)('%s', (id, params, key, value) => {
      const c = change(id, fakeEvidence(), params)!;
      expect(c.target).toBe('code');
      expect(c.key).toBe(key);
      expect(c.value).toMatch(value);
    });
  });

  it('a bigger node of the family the cluster already uses is a size change, not a family switch', () => {
    const p = build('storage-optimized-instances', onNodes('i3.2xlarge'), { size: 'large' })!;
    expect(p.change).toEqual({ target: 'cluster', key: 'node_type_id', value: 'i3.4xlarge' });
    expect(p.title).toBe('Use larger storage-optimized workers (i3.4xlarge)');
    expect(p.why).toContain('i3.2xlarge is already storage-optimized');
    expect(build('storage-optimized-instances', onNodes('c5.4xlarge'))!.title).toBeUndefined();
  });

  it('enable-io-cache: not on local-SSD nodes, where the disk cache is on by default', () => {
    expect(build('enable-io-cache', onNodes('r5d.4xlarge'))).toBeNull();
    expect(build('enable-io-cache', onNodes('Standard_E16ds_v5'))).toBeNull();
    expect(change('enable-io-cache', onNodes('r5.4xlarge'))).toEqual({ target: 'spark_conf', key: 'spark.databricks.io.cache.enabled', value: 'true' });
  });

  it('parses node type names by cloud, with local-SSD variants', () => {
    expect(parseNodeType('i3.2xlarge')).toEqual({ cloud: 'aws', family: 'storage', vcpus: 8, localSsd: true });
    expect(parseNodeType('r6gd.xlarge')).toEqual({ cloud: 'aws', family: 'memory', vcpus: 4, localSsd: true });
    expect(parseNodeType('r5.4xlarge')).toEqual({ cloud: 'aws', family: 'memory', vcpus: 16, localSsd: false });
    expect(parseNodeType('m5d.2xlarge')).toEqual({ cloud: 'aws', family: 'general', vcpus: 8, localSsd: true });
    expect(parseNodeType('c5.large')).toEqual({ cloud: 'aws', family: 'compute', vcpus: 2, localSsd: false });
    expect(parseNodeType('Standard_E16ds_v5')).toEqual({ cloud: 'azure', family: 'memory', vcpus: 16, localSsd: true });
    expect(parseNodeType('Standard_E16s_v5')).toEqual({ cloud: 'azure', family: 'memory', vcpus: 16, localSsd: false });
    expect(parseNodeType('Standard_L8s_v2')).toEqual({ cloud: 'azure', family: 'storage', vcpus: 8, localSsd: true });
    expect(parseNodeType('n2-highcpu-16')).toEqual({ cloud: 'gcp', family: 'compute', vcpus: 16, localSsd: false });
    expect(parseNodeType('mystery')).toBeNull();
  });
});
