import { z } from 'zod';
import { defineRule } from '../types.js';
import { initializationFacts } from './initialization.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** Databricks: the driver becomes the bottleneck above ~30–40 streaming tables per pipeline */
  maxFlows: z.number().int().positive(),
  /** share of the update in initialization + table setup above which the flow count costs time */
  minInitShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

const STREAMING_TYPES = new Set(['APPEND', 'CHANGE']);

export const rule = defineRule<Options, 'tooManyFlows'>({
  meta: {
    id: 'too-many-flows',
    category: 'planning',
    severity: 'warning',
    description: 'The pipeline runs so many flows in one update that planning and the single driver become the bottleneck.',
    guideSection: '2.1',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/',
    requires: ['flows'],
    options,
    defaults: { maxFlows: 30, minInitShare: 0.1 },
    messages: {
      tooManyFlows: '{{flows}} flows in one update ({{streaming}} streaming); one driver plans and coordinates all of them',
    },
  },
  check(evidence, o) {
    const flows = evidence.flows.length;
    if (flows < o.maxFlows) return [];
    const streaming = evidence.flows.filter((f) => f.flowType !== null && STREAMING_TYPES.has(f.flowType)).length;
    // Many flows are a bottleneck only when the update pays for them in initialization; else a note.
    const init = initializationFacts(evidence);
    const costly = init !== null && init.share >= o.minInitShare;
    return [
      {
        messageId: 'tooManyFlows',
        data: { flows, streaming },
        severity: costly ? 'warning' : 'info',
        strength: strengthPast(flows, o.maxFlows, o.maxFlows * 3),
        evidence: [{ metric: 'flows in update', value: flows, unit: 'flows', threshold: o.maxFlows, source: 'event_log:flow_progress' }],
        fixes: [{ id: 'split-pipeline', params: { flows, maxFlows: o.maxFlows, reason: 'flows' } }],
      },
    ];
  },
});
