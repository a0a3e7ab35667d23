import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { updateDurationS, updatesCluster } from './pipeline-facts.js';
import { strengthPast } from './stats.js';
import { plural } from '../../util/plural.js';

const options = z.object({
  /** waiting_for_resources long enough to fire on its own, seconds */
  maxWaitS: z.number().positive(),
  /** …or this share of the update, */
  maxShare: z.number().min(0).max(1),
  /** …when the wait is at least this long (so a 2-minute update waiting 40 s does not fire) */
  minWaitS: z.number().nonnegative(),
  /** share at which the finding becomes critical */
  criticalShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'slowStartup'>({
  meta: {
    id: 'slow-startup',
    category: 'startup',
    severity: 'warning',
    description: 'The update waits a long time for cluster resources before it starts initializing.',
    guideSection: 'docs',
    docUrl: 'https://docs.databricks.com/aws/en/compute/pool-index',
    requires: ['spec'],
    options,
    defaults: { maxWaitS: 300, maxShare: 0.25, minWaitS: 120, criticalShare: 0.5 },
    messages: {
      slowStartup: 'The update waited {{waitS}} s for resources, {{percent}}% of its {{durationS}} s, before initializing{{scripts}}',
    },
  },
  check(evidence, o) {
    // Serverless compute is started by Databricks: neither a pool nor a cluster setting changes it.
    if (evidence.pipeline.spec.serverless) return [];
    const waitS = evidence.update.phasesS.waiting_for_resources;
    const durationS = updateDurationS(evidence.update);
    if (waitS === undefined || durationS === null || durationS <= 0) return [];
    const share = waitS / durationS;
    // an update that failed or was stopped before RUNNING is short, so its wait looks large: only the absolute wait counts then
    const ran = (evidence.update.phasesS.running ?? 0) > 0;
    if (!(waitS >= o.maxWaitS || (ran && share >= o.maxShare && waitS >= o.minWaitS))) return [];
    const fixes: FixRequest[] = [];
    const cluster = updatesCluster(evidence.pipeline.spec);
    // Init scripts run on every node while the cluster starts, before it is ready: their time is
    // part of this wait, and a pool does not shorten it (docs.databricks.com/aws/en/init-scripts/).
    const scripts = cluster?.initScripts.length ?? 0;
    const libraries = evidence.pipeline.spec.installedLibraries.length;
    if (scripts > 0 || libraries > 0) fixes.push({ id: 'trim-init-scripts', params: { scripts, libraries, initS: Math.round(waitS) } });
    if (cluster !== null && cluster.instancePoolId === null) fixes.push({ id: 'use-instance-pool', params: { waitS: Math.round(waitS) } });
    fixes.push({ id: 'use-serverless', params: { waitS: Math.round(waitS) } });
    return [
      {
        messageId: 'slowStartup',
        data: {
          waitS: Math.round(waitS),
          percent: Math.round(share * 100),
          durationS: Math.round(durationS),
          scripts: scripts > 0 ? ` (the cluster runs ${plural(scripts, 'init script')} while it starts)` : '',
        },
        severity: ran && share >= o.criticalShare ? 'critical' : 'warning',
        strength: Math.max(strengthPast(waitS, o.maxWaitS, o.maxWaitS * 4), strengthPast(share, o.maxShare, o.criticalShare)),
        evidence: [
          { metric: 'waiting_for_resources', value: Math.round(waitS), unit: 's', threshold: o.maxWaitS, source: 'event_log:update_progress' },
          { metric: 'share of update', value: Math.round(share * 1000) / 10, unit: '%', threshold: o.maxShare * 100, source: 'event_log:update_progress' },
        ],
        fixes,
      },
    ];
  },
});
