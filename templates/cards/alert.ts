/**
 * Adaptive Card for an alert thread's root message (failed update, duration regression, growing
 * backlog, cost spike). Alerts are not a command Reply: the alert poller builds them from an incident.
 * With a diagnosis attached, the card carries the same buttons as a diagnosis.
 */
import { diagnosisActions, type DiagnosisReply, verdictTitle } from './diagnosis.js';
import { card, facts, fitCard, heading, md, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type AlertKind = 'failed' | 'regression' | 'backlog' | 'cost';

export interface AlertInput {
  kind: AlertKind;
  pipeline: { id: string; name: string };
  updateId: string;
  /** one sentence: what happened and how far past the threshold */
  summary: string;
  /** the diagnosis of the update, when one was run */
  diagnosis?: DiagnosisReply | null;
}

const TITLE: Record<AlertKind, string> = {
  failed: 'update failed',
  regression: 'update much slower than its baseline',
  backlog: 'falling behind its source',
  cost: 'daily cost spike',
};

export function alertCard(a: AlertInput): AdaptiveCard {
  const body: CardElement[] = [
    heading(`🚨 ${a.pipeline.name}: ${TITLE[a.kind]}`),
    text(md(a.summary), { color: 'attention', weight: 'bolder' }),
    facts([{ title: 'Pipeline', value: a.pipeline.id }, { title: 'Update', value: a.updateId }]),
  ];
  if (a.diagnosis) body.push(text(`Diagnosis: ${md(verdictTitle(a.diagnosis.diagnosis))}. ${md(a.diagnosis.diagnosis.verdict.summary)}`));
  body.push(text('Replies to this alert go in this thread.', { isSubtle: true, size: 'small' }));
  return fitCard(card(body, `${a.pipeline.name}: ${TITLE[a.kind]}. ${a.summary}`, a.diagnosis ? diagnosisActions(a.diagnosis) : []));
}
