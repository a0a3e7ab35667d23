import { z } from 'zod';
import type { ErrorInfo } from '../evidence.js';
import { defineRule } from '../types.js';

const options = z.object({
  /** longest exception message quoted in a finding, characters */
  maxMessageChars: z.number().int().positive(),
});
type Options = z.infer<typeof options>;

function firstCause(errors: ErrorInfo[]): { error: ErrorInfo; className: string; message: string } | null {
  const sorted = [...errors].sort((a, b) => a.t - b.t);
  const pick = sorted.find((e) => e.fatal) ?? sorted.find((e) => e.level === 'ERROR') ?? null;
  if (pick === null) return null;
  const exception = pick.exceptions[0];
  return { error: pick, className: exception?.className ?? pick.eventType, message: exception?.message || pick.message };
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export const rule = defineRule<Options, 'failedWith' | 'failed'>({
  meta: {
    id: 'update-failed',
    category: 'none',
    severity: 'critical',
    description: 'The update ended FAILED; names the first fatal exception from the event log.',
    guideSection: 'docs',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-logs',
    requires: [],
    options,
    defaults: { maxMessageChars: 300 },
    messages: {
      failedWith: 'The update failed: {{exception}}: {{message}}',
      failed: 'The update failed; the event log holds no error event explaining why',
    },
  },
  check(evidence, o) {
    if (evidence.update.state !== 'FAILED') return [];
    const state = { metric: 'update state', value: 'FAILED', unit: '', threshold: null, source: 'event_log:update_progress' };
    const cause = firstCause(evidence.errors);
    if (cause === null) return [{ messageId: 'failed', strength: 1, evidence: [state], fixes: [] }];
    const message = shorten(cause.message, o.maxMessageChars);
    return [
      {
        messageId: 'failedWith',
        data: { exception: cause.className, message, ...(cause.error.fatal ? {} : { fatal: 'no' }) },
        strength: 1,
        evidence: [
          state,
          { metric: 'first fatal exception', value: cause.className, unit: '', threshold: null, source: `event_log:${cause.error.eventType}` },
        ],
        fixes: [],
      },
    ];
  },
});
