/**
 * Block Kit for alert threads and apply: the incident's parent message (edited in place when the
 * incident recovers, is muted or fixed), the "applied by" note, the "did it help" reply, the
 * confirmation modal (views.open) and the /dlt apply preview with its Confirm button.
 */
import type { SettingChange } from '../../src/apply/apply-change.js';
import type { Block, ButtonElement, SlackPayload } from './types.js';
import { code, context, duration, esc, escKeepMentions, fallbackText, header, inlineCode, mention, section, truncate } from './format.js';
import { SLACK_LIMITS } from './limits.js';
import { actionsFor, EVENT_VERB, KIND_TITLE, STATE_LABEL, subjectOf, type AlertKind, type AlertState } from '../alert-words.js';
import { slackDate } from './applied-mark.js';

export const ALERT_ACTION_IDS = {
  mute: 'dlt_alert_mute',
  unmute: 'dlt_alert_unmute',
  acknowledge: 'dlt_alert_ack',
  resolve: 'dlt_alert_resolve',
  confirmApply: 'dlt_apply_confirm',
} as const;
/** callback_id of the confirmation modal */
export const APPLY_VIEW_CALLBACK = 'dlt_apply_modal';

export type { AlertKind, AlertState };

export interface AlertParent {
  pipelineId: string;
  pipelineName: string;
  updateId: string;
  kind: AlertKind;
  summary: string;
  state: AlertState;
  /** e.g. "muted by <@U1> until 2026-11-23 10:00 UTC", "by <@U1>" (acknowledged, resolved) */
  stateNote: string | null;
  /** when the state note's action was taken (shown after it) */
  stateAt?: number | null;
  pipelineUrl: string | null;
  /** when it happened (the failure, the end of the slow update); else when it was noticed */
  eventAt?: number | null;
  openedAt?: number;
}

const STATE_ICON: Record<AlertState, string> = { open: ':rotating_light:', acknowledged: ':eyes:', recovered: ':white_check_mark:', muted: ':no_bell:', fixed: ':wrench:', resolved: ':white_check_mark:' };

const BUTTON_TEXT = { acknowledge: 'Acknowledge', resolve: 'Resolve', mute: 'Mute 1 day', unmute: 'Unmute' } as const;

export function renderAlertParent(a: AlertParent): SlackPayload {
  const title = `${STATE_ICON[a.state]} ${a.pipelineName}: ${KIND_TITLE[a.kind]}`;
  const subject = subjectOf(a.updateId);
  const when = a.eventAt ?? a.openedAt;
  const whenText = when === undefined || when === null ? '' : ` · ${a.eventAt ? EVENT_VERB[a.kind] : 'noticed'} ${slackDate(when)}`;
  const note = a.stateNote ? ` — ${escKeepMentions(a.stateNote)}${a.stateAt ? ` ${slackDate(a.stateAt)}` : ''}` : '';
  const blocks: Block[] = [
    header(title),
    section(`${esc(a.summary)}\n${subject.label} ${inlineCode(subject.value)}${whenText} · diagnosis in the thread`),
    context(`Status: *${STATE_LABEL[a.state]}*${note}`),
  ];
  const buttons: ButtonElement[] = [];
  const value = JSON.stringify({ pipeline_id: a.pipelineId, update_id: a.updateId });
  for (const act of actionsFor(a.state)) {
    if (act === 'mute') buttons.push({ type: 'button', text: { type: 'plain_text', text: BUTTON_TEXT.mute }, action_id: ALERT_ACTION_IDS.mute, value: JSON.stringify({ pipeline_id: a.pipelineId, update_id: a.updateId, duration: '1d' }) });
    else buttons.push({ type: 'button', text: { type: 'plain_text', text: BUTTON_TEXT[act] }, action_id: ALERT_ACTION_IDS[act], value, ...(act === 'acknowledge' ? { style: 'primary' as const } : {}) });
  }
  if (a.pipelineUrl && a.pipelineUrl.length <= SLACK_LIMITS.buttonUrl) {
    buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Open in Databricks' }, action_id: 'dlt_open_in_databricks', url: a.pipelineUrl });
  }
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'dlt_alert_actions', elements: buttons });
  return { text: fallbackText(truncate(`${title} (${STATE_LABEL[a.state]}). ${a.summary}`, SLACK_LIMITS.fallbackText)), blocks };
}

export function diffLines(diff: SettingChange[]): string {
  return diff.map((d) => `${d.key}: ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('\n');
}

/** The diff as a code block within a section's limit; values are data (`<catalog>`), escaped by code(). */
function diffBlock(diff: SettingChange[]): string {
  const max = SLACK_LIMITS.sectionText - 6; // the fences
  let body = diffLines(diff);
  // cut the raw text (an entity is never split) until its escaped form fits
  while (esc(body).length > max) body = truncate(body, body.length - (esc(body).length - max));
  return code(body);
}

export function renderApplied(a: { userId: string; pipelineName: string; title: string; diff: SettingChange[] }): SlackPayload {
  // the user id comes from Slack's payload (the click): our one mention; everything after it is data
  const who = `Applied by ${mention(a.userId)}`;
  const rest = ` to ${a.pipelineName}: ${a.title} — ${a.diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')}`;
  return {
    text: truncate(`${who}${fallbackText(rest)}`, SLACK_LIMITS.fallbackText),
    blocks: [
      section(`:wrench: *${who}* to ${esc(a.pipelineName)}: ${esc(a.title)}`),
      section(diffBlock(a.diff)),
      context("I'll report here whether it helped once the next update completes."),
    ],
  };
}

export interface DidItHelp {
  pipelineName: string;
  before: { updateId: string; state: string; durationS: number | null; dollars: number | null };
  after: { updateId: string; state: string; durationS: number | null; dollars: number | null };
  verdict: 'helped' | 'no clear change' | 'worse';
}

const money = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(2)}`);
const pct = (a: number | null, b: number | null) => (a === null || b === null || a === 0 ? '' : ` (${b >= a ? '+' : ''}${Math.round(((b - a) / a) * 100)}%)`);

export function renderDidItHelp(r: DidItHelp): SlackPayload {
  const icon = r.verdict === 'helped' ? ':white_check_mark:' : r.verdict === 'worse' ? ':warning:' : ':grey_question:';
  const lines = [
    `Duration: ${duration(r.before.durationS)} → ${duration(r.after.durationS)}${pct(r.before.durationS, r.after.durationS)}`,
    `Cost: ${money(r.before.dollars)} → ${money(r.after.dollars)}${pct(r.before.dollars, r.after.dollars)}`,
    `State: ${r.before.state} → ${r.after.state}`,
  ];
  return {
    text: fallbackText(`Did it help? ${r.verdict} — ${r.pipelineName}: ${lines.join('; ')}`),
    blocks: [
      section(`${icon} *Did it help? ${r.verdict}* — ${esc(r.pipelineName)}, update ${inlineCode(r.before.updateId)} → ${inlineCode(r.after.updateId)}`),
      section(lines.map(esc).join('\n')),
    ],
  };
}

export interface ApplyPreviewView {
  pipelineName: string;
  title: string;
  guideSection: string;
  diff: SettingChange[];
  /** the fix's expected effect and risk, repeated where it is confirmed (cost effects such as "up to 2.0× DBUs" are in them) */
  expectedEffect?: string;
  risk?: string;
  /** JSON the view_submission handler reads back (≤ 3000 chars) */
  privateMetadata: string;
}

/** "_Expected:_ … _Risk:_ …" under a diff, when the fix says */
function effectLine(p: { expectedEffect?: string | undefined; risk?: string | undefined }): Block[] {
  const parts = [p.expectedEffect ? `_Expected:_ ${esc(p.expectedEffect)}` : '', p.risk ? `_Risk:_ ${esc(p.risk)}` : ''].filter(Boolean);
  return parts.length ? [section(parts.join('\n'))] : [];
}

/** The confirmation modal for views.open. */
export function renderApplyModal(p: ApplyPreviewView) {
  return {
    type: 'modal' as const,
    callback_id: APPLY_VIEW_CALLBACK,
    private_metadata: p.privateMetadata,
    title: { type: 'plain_text' as const, text: 'Apply a fix' },
    submit: { type: 'plain_text' as const, text: 'Apply' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      section(`*${esc(p.pipelineName)}*: ${esc(p.title)} (guide §${esc(p.guideSection)})`),
      section(diffBlock(p.diff)),
      ...effectLine(p),
      context('The pipeline settings are replaced with exactly this change (PUT with expected_last_modified). The next update picks them up.'),
    ],
  };
}

/** /dlt apply: the diff with a Confirm button (the command's reply, shown to the asker). */
export function renderApplyPreview(p: { pipelineId: string; pipelineName: string; updateId: string | null; recommendationId: string; title: string; guideSection: string; diff: SettingChange[]; lastModified: number | null; threadTs?: string | null; expectedEffect?: string | undefined; risk?: string | undefined }): SlackPayload {
  const value = JSON.stringify({ pipeline_id: p.pipelineId, update_id: p.updateId, recommendation_id: p.recommendationId, last_modified: p.lastModified, ...(p.threadTs ? { thread_ts: p.threadTs } : {}) });
  return {
    text: fallbackText(`Apply to ${p.pipelineName}: ${p.title} — ${p.diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')}`),
    blocks: [
      section(`*Apply to ${esc(p.pipelineName)}*: ${esc(p.title)} (guide §${esc(p.guideSection)})`),
      section(diffBlock(p.diff)),
      ...effectLine(p),
      { type: 'actions', block_id: 'dlt_apply_confirm_actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Confirm' }, action_id: ALERT_ACTION_IDS.confirmApply, style: 'primary', value }] },
    ],
  };
}

/** The apply-preview Reply as plain text (terminal, Teams). */
export function applyPreviewText(r: { pipeline: { name: string }; recommendation: { id: string; title: string; guideSection: string; expectedEffect?: string | undefined; risk?: string | undefined }; diff: SettingChange[] }): string {
  const effect = [r.recommendation.expectedEffect ? `Expected: ${r.recommendation.expectedEffect}` : '', r.recommendation.risk ? `Risk: ${r.recommendation.risk}` : ''].filter(Boolean);
  return `Apply to ${r.pipeline.name}: ${r.recommendation.title} (${r.recommendation.id}, guide §${r.recommendation.guideSection})\n${diffLines(r.diff)}${effect.length ? `\n${effect.join('\n')}` : ''}`;
}
