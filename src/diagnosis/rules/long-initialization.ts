import { z } from 'zod';
import { defineRule } from '../types.js';
import { initializationFacts } from './initialization.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** initializing + setting_up_tables, seconds (Databricks: "more than 5 minutes") */
  minInitS: z.number().positive(),
  /** share of the update spent initializing */
  minShare: z.number().min(0).max(1),
  /** share at which the finding becomes critical */
  criticalShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'longInit'>({
  meta: {
    id: 'long-initialization',
    category: 'planning',
    severity: 'warning',
    description: 'The update spends a large share of its time initializing and setting up tables — planning a graph of many datasets — before any data moves. Cluster bring-up (init scripts, libraries) on a small graph is cluster-bring-up\'s (startup).',
    guideSection: '2.1',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/',
    requires: [],
    options,
    defaults: { minInitS: 300, minShare: 0.2, criticalShare: 0.4 },
    messages: {
      longInit:
        'Initialization and table setup took {{initS}} s, {{percent}}% of the update ({{flows}} flows planned); triggered pipelines pay this on every update',
    },
  },
  check(evidence, o) {
    const facts = initializationFacts(evidence);
    if (facts === null || facts.kind !== 'planning') return [];
    const { initS, share } = facts;
    if (initS < o.minInitS || share < o.minShare) return [];
    return [
      {
        messageId: 'longInit',
        data: { initS: Math.round(initS), percent: Math.round(share * 100), flows: evidence.flows.length },
        severity: share >= o.criticalShare ? 'critical' : 'warning',
        strength: strengthPast(share, o.minShare, Math.min(1, o.criticalShare * 1.5)),
        evidence: [
          { metric: 'initializing + setting_up_tables', value: Math.round(initS), unit: 's', threshold: o.minInitS, source: 'event_log:update_progress' },
          { metric: 'share of update', value: Math.round(share * 1000) / 10, unit: '%', threshold: o.minShare * 100, source: 'event_log:update_progress' },
          { metric: 'setting_up_tables', value: Math.round(facts.settingUpS), unit: 's', threshold: null, source: 'event_log:update_progress' },
          { metric: 'datasets in the update', value: facts.datasets, unit: 'flows', threshold: null, source: 'event_log:flow_definition' },
        ],
        fixes: [{ id: 'split-pipeline', params: { flows: evidence.flows.length, reason: 'initialization' } }],
      },
    ];
  },
});
