import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { memoryFailures } from './memory-failures.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** this many executor memory failures (or one fatal) make the finding critical */
  criticalCount: z.number().int().positive(),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'oom' | 'oomRepeated'>({
  meta: {
    id: 'oom-errors',
    category: 'memory',
    severity: 'warning',
    description:
      'The event log reports executors running out of memory: containers killed with exit code 137, ExecutorLostFailure, OutOfMemoryError or GC overhead in tasks, shuffle fetch failures once executors died. Driver-side failures are driver-failure\'s.',
    guideSection: '2.2, 3.1, 8.1',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['errors'],
    options,
    defaults: { criticalCount: 3 },
    messages: {
      oom: 'Executors ran out of memory: {{pattern}}',
      oomRepeated: 'Executors ran out of memory {{count}} times, first: {{pattern}}',
    },
  },
  check(evidence, o) {
    const hits = memoryFailures(evidence).filter((h) => h.site === 'executor');
    const first = hits[0];
    if (first === undefined) return [];
    const fatal = hits.some((h) => h.error.fatal);
    const count = hits.length;
    const killed = hits.some((h) => h.kind === 'container-killed');
    const className = first.error.exceptions[0]?.className;
    // 137: the container's total memory (heap + overhead) ran out — give the overhead room first;
    // heap / GC: more memory per core (§3.1 memory-optimized), then off-heap buffers (§8.1).
    const fixes: FixRequest[] = killed
      ? [{ id: 'executor-memory-overhead', params: { exit137: true } }, { id: 'memory-optimized-instances' }]
      : [{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }];
    return [
      {
        messageId: count > 1 ? 'oomRepeated' : 'oom',
        data: { pattern: first.phrase, count },
        severity: fatal || count >= o.criticalCount ? 'critical' : 'warning',
        strength: fatal ? 1 : strengthPast(count, 1, o.criticalCount + 2),
        evidence: [
          { metric: 'executor memory failures', value: count, unit: 'events', threshold: 1, source: 'event_log:errors' },
          { metric: 'fatal', value: fatal ? 'yes' : 'no', unit: '', threshold: null, source: 'event_log:errors' },
          ...(first.error.flowName ? [{ metric: 'first failing flow', value: first.error.flowName, unit: '', threshold: null, source: 'event_log:errors' }] : []),
          ...(className ? [{ metric: 'first exception class', value: className, unit: '', threshold: null, source: 'event_log:errors' }] : []),
        ],
        fixes,
      },
    ];
  },
});
