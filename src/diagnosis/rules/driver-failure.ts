import { z } from 'zod';
import { defineRule } from '../types.js';
import { memoryFailures } from './memory-failures.js';

const options = z.object({});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'driverFailed'>({
  meta: {
    id: 'driver-failure',
    category: 'memory',
    severity: 'critical',
    description:
      'The driver ran out of memory: killed for memory (exit code 137), results bigger than spark.driver.maxResultSize, a driver not responsive because of GC, a driver that stopped unexpectedly, or an OutOfMemoryError outside any task while the driver\'s memory was full. Work collected to the driver (§8.2) or a driver too small; worker changes do not help.',
    guideSection: '8.1, 8.2',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['errors'],
    options,
    defaults: {},
    messages: {
      driverFailed: 'The driver ran out of memory: {{pattern}}{{where}}',
    },
  },
  check(evidence) {
    const hits = memoryFailures(evidence).filter((h) => h.site === 'driver');
    const first = hits[0];
    if (first === undefined) return [];
    const fatal = hits.some((h) => h.error.fatal);
    const className = first.error.exceptions[0]?.className;
    // Results collected past maxResultSize are the code's (§8.2) first; a driver killed for memory
    // (exit 137) or restarted ("The spark driver has stopped unexpectedly", "the driver is
    // temporarily unavailable") needs a bigger driver node first (§8.1).
    const killed = hits.some((h) => h.kind === 'driver-killed' || h.kind === 'driver-restarted');
    const collect = hits.some((h) => h.kind === 'max-result-size');
    const fixes = killed && !collect ? [{ id: 'larger-driver', params: { first: true } }, { id: 'avoid-collect' }] : [{ id: 'avoid-collect' }, { id: 'larger-driver' }];
    return [
      {
        messageId: 'driverFailed',
        data: { pattern: first.phrase, where: first.error.flowName ? ` (flow ${first.error.flowName})` : '' },
        severity: fatal || hits.length >= 2 || evidence.update.state === 'FAILED' ? 'critical' : 'warning',
        strength: fatal || evidence.update.state === 'FAILED' ? 1 : 0.8,
        evidence: [
          { metric: 'driver memory failures', value: hits.length, unit: 'events', threshold: 1, source: 'event_log:errors' },
          { metric: 'first', value: first.phrase, unit: '', threshold: null, source: 'event_log:errors' },
          ...(className ? [{ metric: 'first exception class', value: className, unit: '', threshold: null, source: 'event_log:errors' }] : []),
        ],
        fixes,
        rulesOut: ['workers'],
      },
    ];
  },
});
