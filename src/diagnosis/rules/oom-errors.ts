import { z } from 'zod';
import type { ErrorInfo } from '../evidence.js';
import { defineRule } from '../types.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** case-insensitive substrings of an exception class or message that mean memory ran out */
  patterns: z.array(z.string().min(1)).min(1),
  /** this many OOM events (or one fatal) make the finding critical */
  criticalCount: z.number().int().positive(),
});
type Options = z.infer<typeof options>;

/** The first pattern an ERROR/WARN event names (event message, exception classes and messages). */
function oomPattern(e: ErrorInfo, patterns: readonly string[]): string | null {
  if (e.level !== 'ERROR' && e.level !== 'WARN') return null;
  const text = [e.message, ...e.exceptions.flatMap((x) => [x.className, x.message])].join('\n').toLowerCase();
  return patterns.find((p) => text.includes(p.toLowerCase())) ?? null;
}

export const rule = defineRule<Options, 'oom' | 'oomRepeated'>({
  meta: {
    id: 'oom-errors',
    category: 'memory',
    severity: 'warning',
    description: 'The event log reports out-of-memory failures: Java/Spark OutOfMemoryError, containers killed for memory (exit code 137), lost executors or GC overhead.',
    guideSection: '2.2, 3.1, 8.1, 8.2',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['errors'],
    options,
    defaults: {
      patterns: ['OutOfMemoryError', 'SparkOutOfMemoryError', 'Container killed', 'ExecutorLostFailure', 'exit code 137', 'GC overhead limit'],
      criticalCount: 3,
    },
    messages: {
      oom: 'The update logged a memory failure: {{pattern}}',
      oomRepeated: 'The update logged {{count}} memory failures, first: {{pattern}}',
    },
  },
  check(evidence, o) {
    const hits = evidence.errors
      .map((e) => ({ e, pattern: oomPattern(e, o.patterns) }))
      .filter((x): x is { e: ErrorInfo; pattern: string } => x.pattern !== null)
      .sort((a, b) => a.e.t - b.e.t);
    const first = hits[0];
    if (first === undefined) return [];
    const fatal = hits.some((h) => h.e.fatal);
    const count = hits.length;
    const className = first.e.exceptions.find((x) => x.className.toLowerCase().includes(first.pattern.toLowerCase()))?.className ?? first.e.exceptions[0]?.className;
    return [
      {
        messageId: count > 1 ? 'oomRepeated' : 'oom',
        data: { pattern: first.pattern, count },
        severity: fatal || count >= o.criticalCount ? 'critical' : 'warning',
        strength: fatal ? 1 : strengthPast(count, 1, o.criticalCount + 2),
        evidence: [
          { metric: 'memory failure events', value: count, unit: 'events', threshold: 1, source: 'event_log:errors' },
          { metric: 'fatal', value: fatal ? 'yes' : 'no', unit: '', threshold: null, source: 'event_log:errors' },
          ...(className !== undefined ? [{ metric: 'first exception class', value: className, unit: '', threshold: null, source: 'event_log:errors' }] : []),
        ],
        fixes: [{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }],
      },
    ];
  },
});
