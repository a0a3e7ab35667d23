/**
 * Adaptive Card for an alert thread's root message (failed update, duration regression, growing
 * backlog, cost spike). Alerts are not a command Reply: the alert poller builds them from an incident.
 * With a diagnosis attached, the card carries the same buttons as a diagnosis.
 */
import { diagnosisActions, type DiagnosisReply, verdictTitle, whereTimeWentBlock } from './diagnosis.js';
import { card, fitCard, heading, line, plain, plainFacts, rt, text } from './format.js';
import type { AdaptiveCard, CardAction, CardElement } from './types.js';
import { actionsFor, EVENT_VERB, KIND_TITLE, STATE_LABEL, subjectOf, utcTime, type AlertKind, type AlertState } from '../alert-words.js';

/** Action.Submit data.action of the alert card's Mute button (src/surfaces/teams/bot.ts routes it). */
export const MUTE_ACTION_ID = 'dlt_mute';
/** …and of Acknowledge, Resolve, Unmute: the bot runs `alerts ack|resolve|unmute <pipeline>` */
export const INCIDENT_ACTION_IDS = { acknowledge: 'dlt_ack', resolve: 'dlt_resolve', unmute: 'dlt_unmute' } as const;

export type { AlertKind, AlertState };

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
  /** e.g. "muted until 2026-11-23 10:00 UTC", "by ana@contoso.com" */
  stateNote?: string | null;
  /** when the note's action was taken */
  stateAt?: number | null;
  /** when it happened (the failure, the end of the slow update); else openedAt, when it was noticed */
  eventAt?: number | null;
  openedAt?: number;
  /** "Open in Databricks" */
  pipelineUrl?: string | null;
}

const STATE_ICON: Record<AlertState, string> = { open: '🚨', acknowledged: '👀', recovered: '✅', muted: '🔕', fixed: '🔧', resolved: '✅' };
const TITLE = KIND_TITLE;
const BUTTON_TEXT = { acknowledge: 'Acknowledge', resolve: 'Resolve', unmute: 'Unmute' } as const;

export function alertCard(a: AlertInput): AdaptiveCard {
  const state = a.state ?? 'open';
  const body: CardElement[] = [
    heading(`${STATE_ICON[state]} ${a.pipeline.name}: ${TITLE[a.kind]}`),
    plain(a.summary, state === 'open' ? { color: 'attention', weight: 'bolder' } : {}),
    // the note carries diff values and names, the ids are Databricks': TextRuns, never Fact Markdown
    plainFacts([
      { title: 'Pipeline', value: a.pipeline.id },
      { title: subjectOf(a.updateId).label, value: subjectOf(a.updateId).value },
      ...(a.eventAt ?? a.openedAt ? [{ title: a.eventAt ? EVENT_VERB[a.kind].replace(/^./, (c) => c.toUpperCase()) : 'Noticed', value: utcTime((a.eventAt ?? a.openedAt)!) }] : []),
      { title: 'Status', value: `${STATE_LABEL[state]}${a.stateNote ? ` — ${a.stateNote}${a.stateAt ? ` at ${utcTime(a.stateAt)}` : ''}` : ''}` },
    ]),
  ];
  if (a.diagnosis) {
    body.push(line(rt`Diagnosis: ${verdictTitle(a.diagnosis.diagnosis)}. ${a.diagnosis.diagnosis.verdict.summary}`));
    const where = whereTimeWentBlock(a.diagnosis.diagnosis);
    if (where) body.push(where);
  }
  body.push(text('Replies to this alert go in this thread.', { isSubtle: true, size: 'small' }));
  const actions: CardAction[] = [];
  // the same buttons as the Slack alert, by state (the bot runs `alerts mute <pipeline> 1d`, `alerts ack <pipeline>`, …); none once it is closed
  for (const act of actionsFor(state)) {
    if (act === 'mute') actions.push({ type: 'Action.Submit', title: 'Mute 1 day', data: { action: MUTE_ACTION_ID, pipeline_id: a.pipeline.id, duration: '1d' } });
    else actions.push({ type: 'Action.Submit', title: BUTTON_TEXT[act], data: { action: INCIDENT_ACTION_IDS[act], pipeline_id: a.pipeline.id } });
  }
  if (a.diagnosis) actions.push(...diagnosisActions(a.diagnosis));
  else if (a.pipelineUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open in Databricks', url: a.pipelineUrl });
  return fitCard(card(body, `${a.pipeline.name}: ${TITLE[a.kind]} (${STATE_LABEL[state]}). ${a.summary}`, actions));
}
