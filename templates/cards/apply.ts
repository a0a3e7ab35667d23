/**
 * Adaptive Card for `apply <recommendation>`: the exact settings diff and a Confirm button. Confirm
 * goes through the same apply service as Slack (allowed users, expected_last_modified, audit).
 */
import type { Reply } from '../../commands/types.js';
import { ALERT_ACTION_IDS } from '../blocks/alerts.js';
import { card, heading, plainFacts, line, rt, subtle } from './format.js';
import type { AdaptiveCard } from './types.js';

export type ApplyPreviewReply = Extract<Reply, { kind: 'apply-preview' }>;

export function toAdaptiveCard(reply: ApplyPreviewReply): AdaptiveCard {
  const r = reply.recommendation;
  const body = [
    heading(`Apply to ${reply.pipeline.name}`),
    line(rt`**${r.title}** (guide §${r.guideSection}) · update ${reply.updateId}`),
    plainFacts(reply.diff.map((d) => ({ title: d.key, value: `${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}` }))),
    ...(r.expectedEffect || r.risk ? [subtle([r.expectedEffect ? `Expected: ${r.expectedEffect}` : '', r.risk ? `Risk: ${r.risk}` : ''].filter(Boolean).join(' · '))] : []),
    subtle('The pipeline settings are replaced with exactly this change (PUT with expected_last_modified). The next update picks them up.'),
  ];
  const fallback = `Apply to ${reply.pipeline.name}: ${r.title} — ${reply.diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')}`;
  return card(body, fallback, [{
    type: 'Action.Submit',
    title: 'Confirm',
    style: 'positive',
    data: { action: ALERT_ACTION_IDS.confirmApply, pipeline_id: reply.pipeline.id, update_id: reply.updateId, recommendation_id: r.id, last_modified: reply.lastModified },
  }]);
}
