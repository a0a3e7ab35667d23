/**
 * Alert threads in Teams: the incident's parent is an Adaptive Card (templates/cards/alert.ts) posted
 * proactively to the watching channel's stored conversation; the diagnosis and "did it help" go in
 * its reply chain (threadRootId = the parent's activity id); state changes (recovered, muted, fix
 * applied) replace the parent card in place with updateActivity inside continueConversation.
 */
import type { Reply } from '../../commands/types.js';
import type { AlertParent, DidItHelp } from '../../templates/blocks/alerts.js';
import { alertCard, toAdaptiveCard } from '../../templates/cards/index.js';
import type { SendProactive, UpdateProactive } from '../surfaces/teams/proactive.js';
import type { AlertThreads } from './alert-poster.js';

/** Slack mentions we wrote ourselves (<@U123>) read as plain ids in a card. */
const plain = (s: string | null) => (s === null ? null : s.replace(/<@([^>]+)>/g, '$1'));

export function teamsAlertCard(a: AlertParent) {
  return alertCard({
    kind: a.kind,
    pipeline: { id: a.pipelineId, name: a.pipelineName },
    updateId: a.updateId,
    summary: a.summary,
    state: a.state,
    stateNote: plain(a.stateNote),
    stateAt: a.stateAt ?? null,
    eventAt: a.eventAt ?? null,
    ...(a.openedAt !== undefined ? { openedAt: a.openedAt } : {}),
    pipelineUrl: a.pipelineUrl,
  });
}

const money = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(2)}`);
const mins = (s: number | null) => (s === null ? 'n/a' : `${Math.round(s / 60)}m`);

/** The "did it help" follow-up as a text Reply (rendered as a card like every other Reply). */
export function didItHelpReply(r: DidItHelp): Reply {
  return {
    kind: 'text',
    text: [
      `Did it help? ${r.verdict} — ${r.pipelineName}, update ${r.before.updateId} → ${r.after.updateId}`,
      `Duration: ${mins(r.before.durationS)} → ${mins(r.after.durationS)}`,
      `Cost: ${money(r.before.dollars)} → ${money(r.after.dollars)}`,
      `State: ${r.before.state} → ${r.after.state}`,
    ].join('\n'),
  };
}

export function teamsAlertThreads(teams: { sendProactive: SendProactive; updateProactive: UpdateProactive }): AlertThreads {
  return {
    async postParent(conversationId, parent) {
      const r = await teams.sendProactive(conversationId, teamsAlertCard(parent));
      if (!r.activityId) throw new Error('Teams returned no activity id for the alert');
      return r.activityId;
    },
    updateParent: (conversationId, activityId, parent) => teams.updateProactive(conversationId, activityId, teamsAlertCard(parent)),
    async postReply(conversationId, reply, rootId) {
      await teams.sendProactive(conversationId, toAdaptiveCard(reply), { threadRootId: rootId });
    },
    async postDidItHelp(conversationId, result, rootId) {
      await teams.sendProactive(conversationId, toAdaptiveCard(didItHelpReply(result)), { threadRootId: rootId });
    },
  };
}
