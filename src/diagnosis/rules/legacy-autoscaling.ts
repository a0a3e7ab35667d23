import { z } from 'zod';
import { defineRule } from '../types.js';
import { updatesCluster } from './pipeline-facts.js';

const options = z.object({});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'legacyMode'>({
  meta: {
    id: 'legacy-autoscaling',
    category: 'scaling',
    severity: 'warning',
    description: 'The cluster that runs updates uses legacy autoscaling, which scales up and down more slowly than Enhanced Autoscaling.',
    guideSection: '3.3',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/auto-scaling',
    requires: ['spec'],
    options,
    defaults: {},
    messages: {
      legacyMode: 'The {{cluster}} cluster autoscales in LEGACY mode ({{minWorkers}}–{{maxWorkers}} workers); ENHANCED scales faster for production workloads',
    },
  },
  check(evidence) {
    // Only the update cluster: maintenance clusters always use legacy autoscaling (Databricks docs).
    const cluster = updatesCluster(evidence.pipeline.spec);
    if (cluster === null || cluster.autoscale === null || cluster.autoscale.mode !== 'LEGACY') return [];
    // Evidence that scaling lagged: Databricks asked for more executors than were running.
    const lagging = evidence.clusterResources.filter(
      (s) => s.requestedExecutors !== null && s.numExecutors !== null && s.requestedExecutors > s.numExecutors,
    ).length;
    const lagShare = evidence.clusterResources.length > 0 ? lagging / evidence.clusterResources.length : 0;
    return [
      {
        messageId: 'legacyMode',
        data: { cluster: cluster.label, minWorkers: cluster.autoscale.minWorkers, maxWorkers: cluster.autoscale.maxWorkers },
        strength: Math.round((0.5 + 0.5 * lagShare) * 100) / 100,
        evidence: [
          { metric: `${cluster.label}.autoscale.mode`, value: 'LEGACY', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' },
          ...(lagging > 0
            ? [{ metric: 'samples waiting for requested executors', value: Math.round(lagShare * 1000) / 10, unit: '%', threshold: null, source: 'event_log:cluster_resources' }]
            : []),
        ],
        fixes: [{ id: 'enhanced-autoscaling', params: { cluster: cluster.label } }],
      },
    ];
  },
});
