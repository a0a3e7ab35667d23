/**
 * One wording for alert threads on every surface (issue 17 item 6): what happened, the state, and
 * when it happened. Slack (blocks/alerts.ts) and Teams (cards/alert.ts) format these words their way.
 */
export type AlertKind = 'failed' | 'regression' | 'backlog' | 'cost';
export type AlertState = 'open' | 'acknowledged' | 'recovered' | 'muted' | 'fixed' | 'resolved';

/** guide §5.2's wording for a growing backlog: a stream falling behind its source */
export const KIND_TITLE: Record<AlertKind, string> = {
  failed: 'update failed',
  regression: 'slower than its baseline',
  backlog: 'falling behind its source',
  cost: 'daily cost spike',
};

export const STATE_LABEL: Record<AlertState, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  recovered: 'recovered',
  muted: 'muted',
  fixed: 'fix applied',
  resolved: 'resolved',
};

/** the verb before the event time: "failed 05:10", "finished 05:10", "seen 05:10" */
export const EVENT_VERB: Record<AlertKind, string> = { failed: 'failed', regression: 'finished', backlog: 'seen', cost: 'seen' };

/** what the alert is about: "Update 8f2c…" or, for a cost spike, "Day 2026-11-30" */
export function subjectOf(updateId: string): { label: 'Update' | 'Day'; value: string } {
  return updateId.startsWith('day:') ? { label: 'Day', value: updateId.slice(4) } : { label: 'Update', value: updateId };
}

export const utcTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** which people's actions the parent offers in each state (the buttons); Open in Databricks always */
export function actionsFor(state: AlertState): ('acknowledge' | 'resolve' | 'mute' | 'unmute')[] {
  if (state === 'open') return ['acknowledge', 'resolve', 'mute'];
  if (state === 'acknowledged') return ['resolve', 'mute'];
  if (state === 'muted') return ['unmute', 'resolve'];
  return [];
}
