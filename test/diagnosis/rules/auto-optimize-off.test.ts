import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/auto-optimize-off.js';
import { fakeCluster, fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { runOf } from './helpers.js';

/** These switches are for Hive metastore pipelines; Unity Catalog managed tables tune file sizes themselves. */
const hive = (o: Parameters<typeof fakeEvidence>[0] = {}): Evidence => fakeEvidence({ ...o, spec: { catalog: null, schema: 'sales', ...o.spec } });

const OW = 'spark.databricks.delta.optimizeWrite.enabled';
const AC = 'spark.databricks.delta.autoCompact.enabled';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (nothing set, wait 3%)', evidence: hive() },
  { name: 'nothing set, no node metrics', evidence: hive({ nodeMetrics: null }) },
  { name: 'both on, I/O wait high', evidence: hive({ spec: { configuration: { [OW]: 'true', [AC]: 'true' } }, nodeMetrics: fakeNodeSamples({ wait: 25, cpu: 30 }) }) },
  { name: 'off on the maintenance cluster only', evidence: hive({ spec: { clusters: [fakeCluster(), fakeCluster({ label: 'maintenance', sparkConf: { [OW]: 'false' } })] } }) },
  { name: 'Unity Catalog pipeline with optimizeWrite off (manual file-size tuning does not apply)', evidence: fakeEvidence({ spec: { configuration: { [OW]: 'false' } }, nodeMetrics: fakeNodeSamples({ wait: 25, cpu: 30 }) }) },
  { name: 'serverless (no spark_conf to edit)', evidence: hive({ spec: { serverless: true, clusters: [], configuration: { [OW]: 'false' } }, nodeMetrics: null }) },
];

describe('auto-optimize-off', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: 'optimizeWrite false in configuration', spec: { configuration: { [OW]: 'false' } }, key: OW, where: 'configuration', fixes: ['optimize-write'] },
    { name: 'autoCompact false on the default cluster', spec: { clusters: [fakeCluster({ sparkConf: { [AC]: 'False' } })] }, key: AC, where: 'cluster:default', fixes: ['auto-compact'] },
    {
      name: 'both false',
      spec: { configuration: { [OW]: 'false' }, clusters: [fakeCluster({ sparkConf: { [AC]: 'false' } })] },
      key: `${OW} and ${AC}`,
      where: 'configuration, cluster:default',
      fixes: ['optimize-write', 'auto-compact'],
    },
  ])('invalid: $name — info while the workers do not wait on I/O, warning when they do', (c) => {
    const results = rule.run(hive({ spec: c.spec }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('disabled');
    // a switched-off default is a setting to review; it names the verdict only with I/O wait to show for it
    expect(r.severity).toBe('info');
    const [waiting] = rule.run(hive({ spec: c.spec, nodeMetrics: fakeNodeSamples({ wait: 20, cpu: 40 }) }));
    expect(waiting!.severity).toBe('warning');
    expect(waiting!.data).toEqual(r.data);
    expect(r.data).toEqual({ key: c.key, where: c.where });
    expect(r.evidence[0]).toEqual(expect.objectContaining({ value: 'false', threshold: 'true', source: 'pipeline.spec' }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
  });

  it('a short I/O burst does not make a switched-off setting a warning', () => {
    const evidence = hive({
      update: runOf(40),
      spec: { configuration: { [OW]: 'false' } },
      nodeMetrics: fakeNodeSamples({ minutes: 40, cpu: 40, wait: (_w, m) => (m >= 20 && m < 23 ? 40 : 4) }),
    });
    expect(rule.run(evidence)[0]!.severity).toBe('info');
  });

  it('a switched-off setting with no node metrics stays info', () => {
    expect(rule.run(hive({ spec: { configuration: { [OW]: 'false' } }, nodeMetrics: null }))[0]!.severity).toBe('info');
  });

  it('invalid: neither set while workers wait on I/O is info', () => {
    const results = rule.run(hive({ nodeMetrics: fakeNodeSamples({ wait: 22, cpu: 35 }) }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('unsetUnderIoWait');
    expect(r.severity).toBe('info');
    expect(r.data).toEqual({ wait: 22 });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers mean cpu_wait', value: 22, threshold: 15 }));
    expect(r.fixes).toEqual([{ id: 'optimize-write' }, { id: 'auto-compact' }]);
    expect(r.strength).toBeGreaterThan(0);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
