import { z } from 'zod';
import type { EvidenceItem, FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { initializationFacts } from './initialization.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** initializing + setting_up_tables, seconds (Databricks: "more than 5 minutes" is high) */
  minInitS: z.number().positive(),
  /** share of the update spent there */
  minShare: z.number().min(0).max(1),
  /** share at which the finding becomes critical */
  criticalShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'bringUp' | 'bringUpScripts'>({
  meta: {
    id: 'cluster-bring-up',
    category: 'startup',
    severity: 'warning',
    description:
      'A long INITIALIZING on a small graph: the time goes to making the cluster ready — init scripts (they run on every node at every start, before Spark), cluster libraries, notebook %pip installs — not to planning. Splitting the pipeline would not help.',
    guideSection: 'docs',
    docUrl: 'https://docs.databricks.com/aws/en/init-scripts/',
    requires: [],
    options,
    defaults: { minInitS: 300, minShare: 0.2, criticalShare: 0.4 },
    messages: {
      bringUp: 'Initialization took {{initS}} s, {{percent}}% of the update, for only {{flows}} datasets: cluster bring-up, not planning',
      bringUpScripts: 'Initialization took {{initS}} s, {{percent}}% of the update, for only {{flows}} datasets while the cluster ran {{scripts}} init script(s){{libs}}: cluster bring-up, not planning',
    },
  },
  check(evidence, o) {
    if (evidence.pipeline.spec.serverless) return [];
    const f = initializationFacts(evidence);
    if (f === null || f.kind !== 'startup') return [];
    if (f.initS < o.minInitS || f.share < o.minShare) return [];
    const items: EvidenceItem[] = [
      { metric: 'initializing + setting_up_tables', value: Math.round(f.initS), unit: 's', threshold: o.minInitS, source: 'event_log:update_progress' },
      { metric: 'share of update', value: Math.round(f.share * 1000) / 10, unit: '%', threshold: o.minShare * 100, source: 'event_log:update_progress' },
      { metric: 'datasets in the update', value: f.datasets, unit: 'flows', threshold: null, source: 'event_log:flow_definition' },
    ];
    if (f.initScripts.length) items.push({ metric: 'init scripts', value: f.initScripts.length, unit: 'scripts', threshold: 0, source: 'pipeline.spec' });
    if (f.libraries.length) items.push({ metric: 'cluster libraries installed at start', value: f.libraries.length, unit: 'libraries', threshold: 0, source: 'pipeline.spec' });
    if (f.busyCpu !== null) items.push({ metric: 'workers mean CPU while initializing, before any flow', value: Math.round(f.busyCpu), unit: '%', threshold: 25, source: 'system.compute.node_timeline' });
    // A pool saves waiting for cloud instances (slow-startup's fix), not what runs on them once started.
    const fixes: FixRequest[] = [{ id: 'trim-init-scripts', params: { scripts: f.initScripts.length, libraries: f.libraries.length, initS: Math.round(f.initS) } }];
    return [
      {
        messageId: f.initScripts.length ? 'bringUpScripts' : 'bringUp',
        data: {
          initS: Math.round(f.initS),
          percent: Math.round(f.share * 100),
          flows: f.datasets,
          scripts: f.initScripts.length,
          libs: f.libraries.length ? ` and installed ${f.libraries.length} libraries` : '',
        },
        severity: f.share >= o.criticalShare ? 'critical' : 'warning',
        strength: strengthPast(f.share, o.minShare, Math.min(1, o.criticalShare * 1.5)),
        evidence: items,
        fixes,
      },
    ];
  },
});
