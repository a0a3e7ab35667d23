import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { rule as ioWait } from './io-wait.js';
import { nodeStats } from './node-stats.js';
import { publishesToUnityCatalog } from './pipeline-facts.js';
import { sparkSetting } from './spark-setting.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** with neither setting present, report (info) only when workers' mean cpu_wait % reaches io-wait's threshold */
  minWait: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

/** §3.4 / §7.1 settings and the fix that turns each on. */
const SETTINGS = [
  { key: 'spark.databricks.delta.optimizeWrite.enabled', fix: 'optimize-write' },
  { key: 'spark.databricks.delta.autoCompact.enabled', fix: 'auto-compact' },
] as const;

export const rule = defineRule<Options, 'disabled' | 'unsetUnderIoWait'>({
  meta: {
    id: 'auto-optimize-off',
    category: 'io',
    severity: 'warning',
    description: 'Optimized writes or auto compaction are turned off in the pipeline configuration or a cluster spark_conf (the guide turns both on), or neither is set while the workers wait on I/O.',
    guideSection: '3.4, 7.1',
    requires: ['spec'],
    options,
    defaults: { minWait: 15 },
    messages: {
      disabled: '{{key}} is set to false ({{where}})',
      unsetUnderIoWait: 'Workers waited on I/O {{wait}}% of the time and neither optimizeWrite nor autoCompact is set',
    },
  },
  check(evidence, o) {
    const spec = evidence.pipeline.spec;
    if (spec.serverless) return [];
    // Unity Catalog managed tables tune their file sizes themselves; these switches do not apply
    // (docs.databricks.com/aws/en/tables/tune-file-size).
    if (publishesToUnityCatalog(spec)) return [];
    const found = SETTINGS.map((s) => ({ ...s, setting: sparkSetting(spec, s.key) }));
    const disabled = found
      .map((s) => ({ ...s, off: s.setting.values.filter((v) => v.value.toLowerCase() === 'false' && v.where !== 'cluster:maintenance') }))
      .filter((s) => s.off.length > 0);
    const first = disabled[0];
    if (first !== undefined) {
      return [
        {
          messageId: 'disabled',
          data: { key: disabled.map((d) => d.key).join(' and '), where: [...new Set(disabled.flatMap((d) => d.off.map((v) => v.where)))].join(', ') },
          // a switched-off default is a setting to review; it names the verdict only with I/O wait to show for it
          severity: ioWait.run(evidence).length > 0 ? 'warning' : 'info',
          strength: disabled.length === 2 ? 0.8 : 0.6,
          evidence: disabled.map((d) => ({ metric: d.key, value: 'false', unit: '', threshold: 'true', source: 'pipeline.spec' })),
          fixes: disabled.map((d): FixRequest => ({ id: d.fix })),
        },
      ];
    }
    if (found.some((s) => s.setting.values.length > 0)) return [];
    // unset defaults matter only when the run is I/O-bound (io-wait's sustained reading)
    const stats = nodeStats(evidence);
    const wait = stats?.workerWaitMean ?? null;
    if (wait === null || wait < o.minWait || ioWait.run(evidence).length === 0) return [];
    return [
      {
        messageId: 'unsetUnderIoWait',
        data: { wait: Math.round(wait) },
        severity: 'info',
        strength: strengthPast(wait, o.minWait, 4 * o.minWait) * 0.8,
        evidence: [
          { metric: 'workers mean cpu_wait', value: Math.round(wait * 10) / 10, unit: '%', threshold: o.minWait, source: 'system.compute.node_timeline' },
          ...SETTINGS.map((s) => ({ metric: s.key, value: 'unset', unit: '', threshold: 'true', source: 'pipeline.spec' })),
        ],
        fixes: SETTINGS.map((s): FixRequest => ({ id: s.fix })),
      },
    ];
  },
});
