/**
 * Adaptive Card for an alert thread's root message (failed update, duration regression, growing
 * backlog, cost spike). Alerts are not a command Reply: the alert poller builds them from an incident.
 * With a diagnosis attached, the card carries the same buttons as a diagnosis.
 */
import { diagnosisActions, type DiagnosisReply, verdictTitle, whereTimeWentBlock } from './diagnosis.js';
import { card, fitCard, heading, line, plain, plainFacts, rt, text } from './format.js';
import type { AdaptiveCard, CardAction, CardElement } from './types.js';

/** Action.Submit data.action of the alert card's Mute button (src/surfaces/teams/bot.ts routes it). */
export const MUTE_ACTION_ID = 'dlt_mute';

export type AlertKind = 'failed' | 'regression' | 'backlog' | 'cost';

export interface AlertInput {
  kind: AlertKind;
  pipeline: { id: string; name: string };
  updateId: string;
  /** one sentence: what happened and how far past the threshold */
  summary: string;
  /** the diagnosis of the update, when one was run */
  diagnosis?: DiagnosisReply | null;
  /** the incident's state, shown once it is no longer open (the card is updated in place); default open */
  state?: AlertState;
  /** e.g. "muted until 2026-11-23 10:00 UTC" */
  stateNote?: string | null;
  /** "Open in Databricks" */
  pipelineUrl?: string | null;
}

export type AlertState = 'open' | 'recovered' | 'muted' | 'fixed';
const STATE_ICON: Record<AlertState, string> = { open: '🚨', recovered: '✅', muted: '🔕', fixed: '🔧' };
const STATE_LABEL: Record<AlertState, string> = { open: 'open', recovered: 'recovered', muted: 'muted', fixed: 'fix applied' };

const TITLE: Record<AlertKind, string> = {
  failed: 'update failed',
  regression: 'update much slower than its baseline',
  backlog: 'falling behind its source',
  cost: 'daily cost spike',
};

export function alertCard(a: AlertInput): AdaptiveCard {
  const state = a.state ?? 'open';
  const body: CardElement[] = [
    heading(`${STATE_ICON[state]} ${a.pipeline.name}: ${TITLE[a.kind]}`),
    plain(a.summary, state === 'open' ? { color: 'attention', weight: 'bolder' } : {}),
    // the note carries diff values and names, the ids are Databricks': TextRuns, never Fact Markdown
    plainFacts([{ title: 'Pipeline', value: a.pipeline.id }, { title: 'Update', value: a.updateId }, { title: 'Status', value: `${STATE_LABEL[state]}${a.stateNote ? ` — ${a.stateNote}` : ''}` }]),
  ];
  if (a.diagnosis) {
    body.push(line(rt`Diagnosis: ${verdictTitle(a.diagnosis.diagnosis)}. ${a.diagnosis.diagnosis.verdict.summary}`));
    const where = whereTimeWentBlock(a.diagnosis.diagnosis);
    if (where) body.push(where);
  }
  body.push(text('Replies to this alert go in this thread.', { isSubtle: true, size: 'small' }));
  const actions: CardAction[] = [];
  // the same "Mute 1 day" as the Slack alert (the bot runs `alerts mute <pipeline> 1d`); gone once the incident is closed
  if (state === 'open') actions.push({ type: 'Action.Submit', title: 'Mute 1 day', data: { action: MUTE_ACTION_ID, pipeline_id: a.pipeline.id, duration: '1d' } });
  if (a.diagnosis) actions.push(...diagnosisActions(a.diagnosis));
  else if (a.pipelineUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open in Databricks', url: a.pipelineUrl });
  return fitCard(card(body, `${a.pipeline.name}: ${TITLE[a.kind]} (${STATE_LABEL[state]}). ${a.summary}`, actions));
}
