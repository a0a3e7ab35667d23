/**
 * Alert and apply interactions:
 * - dlt_apply (the Apply button beside a fix): allowed users get a modal at once (views.open with a
 *   loading view, while the click's trigger_id is valid), then the exact settings diff or the reason
 *   it cannot be applied (views.update); anyone else gets an ephemeral refusal and nothing changes.
 * - view_submission of that modal (callback dlt_apply_modal): confirm → read-modify-write PUT
 *   (apply-service), "applied by <@U> — before → after" in the thread, the alert's parent edited.
 * - dlt_apply_confirm (the Confirm button under `/dlt apply`'s preview): the same confirmation path.
 * - dlt_alert_mute (on an alert's parent): mutes that pipeline in the channel for the given time.
 * Every handler acks first (Slack wants it within 3 s).
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { parseButtonValue } from './button-value.js';
import { CONFLICT_MESSAGE, REFUSED_MESSAGE, type ApplyService } from '../../../apply/apply-service.js';
import { DoctorError } from '../../../errors.js';
import type { AlertPoster } from '../../../schedule/alert-poster.js';
import type { IncidentAction } from '../../../schedule/alerts-api.js';
import type { AlertStore } from '../../../store/alerts.js';
import { slackInstallationOf, type SlackInstallationRef } from '../../../store/slack-installations.js';
import { ALERT_ACTION_IDS, APPLY_VIEW_CALLBACK, renderApplied, renderApplyModal, renderApplyPreview } from '../../../../templates/blocks/alerts.js';
import { APPLY_ACTION_ID } from '../../../../templates/blocks/diagnosis.js';
import { renderApplyErrorModal, renderApplyLoadingModal } from '../../../../templates/blocks/apply-modal.js';
import { appliedMarkText, markApplied } from '../../../../templates/blocks/applied-mark.js';
import { esc, fallbackText, mention, section } from '../../../../templates/blocks/format.js';
import { redactingRespond } from '../redact.js';
import type { SlackPayload } from '../../../../templates/blocks/types.js';
import { slackErrorCode } from '../channel-join.js';
import type { WebClient } from '../publish.js';

export interface AlertActionDeps {
  apply: ApplyService;
  store: AlertStore;
  poster: AlertPoster;
  /** edits an incident's parent message (the poller's editParent) */
  editParent(incident: NonNullable<Awaited<ReturnType<AlertStore['incidentByThread']>>>, state: 'fixed' | 'muted', note: string): Promise<boolean>;
  onMuted(channel: string, pipelineId: string, untilMs: number, by: string | null): Promise<void>;
  /** Acknowledge / Resolve / Unmute on an alert's parent (startAlerts' onIncidentAction) */
  onIncidentAction?(channel: string, pipelineId: string, action: IncidentAction, by: string | null): Promise<number>;
  now: () => number;
  logger: { warn(...m: unknown[]): void };
}

const id = z.string().min(1).max(500);
const ApplyValue = z.object({ pipeline_id: id, update_id: id.nullable(), recommendation_id: id });
const ConfirmValue = ApplyValue.extend({ last_modified: z.number().nullable(), thread_ts: id.nullish() });
const MuteValue = z.object({ pipeline_id: id, update_id: id.nullable(), duration: z.enum(['1h', '1d', '7d']) });
const IncidentValue = z.object({ pipeline_id: id, update_id: id.nullable() });
const INCIDENT_ACTIONS: Record<string, IncidentAction> = {
  [ALERT_ACTION_IDS.acknowledge]: 'acknowledge',
  [ALERT_ACTION_IDS.resolve]: 'resolve',
  [ALERT_ACTION_IDS.unmute]: 'unmute',
};
/** m: the message the Apply button was on (marked "applied" in place afterwards); absent in modals opened before it was recorded */
const Metadata = z.object({ p: id, u: id.nullable(), r: id, lm: z.number().nullable(), c: id.nullable(), t: id.nullable(), m: id.nullish() });
/** what conversations.history / conversations.replies answer about a message (https://docs.slack.dev/reference/methods/conversations.replies) */
const FetchedMessages = z.object({ messages: z.array(z.object({ ts: z.string(), text: z.string().optional(), blocks: z.array(z.unknown()).optional() })) });
type Respond = (message: { replace_original: boolean; text: string; blocks?: unknown[] }) => Promise<unknown>;
const MUTE_MS = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 } as const;

const parse = parseButtonValue;

/** A short note (refusal, conflict, error): data and `<placeholder>` usage in it are escaped for mrkdwn. */
const note = (text: string): SlackPayload => ({ text: fallbackText(text), blocks: [section(esc(text))] });
const diffText = (diff: { key: string; before: string | null; after: string | null }[]) => diff.map((d) => `${d.key}: ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ');

export interface ClickArgs {
  body: Pick<BlockAction, 'user'> & { trigger_id?: string; channel?: { id: string }; message?: { ts: string; thread_ts?: string } };
  action: Pick<ButtonAction, 'action_id' | 'value'>;
  ack: () => Promise<void>;
  client: WebClient;
  /** the click's response_url (Bolt's respond): replaces a used Confirm so it cannot be pressed twice */
  respond?: Respond;
  /** Bolt's listener context: the installation the click came from (teamId, enterpriseId, isEnterpriseInstall) */
  context?: unknown;
}

type Install = SlackInstallationRef | null;

async function tell(deps: AlertActionDeps, install: Install, channel: string | undefined, user: string, text: string, threadTs?: string) {
  if (!channel) return;
  await deps.poster.ephemeral(channel, user, note(text), threadTs, install).catch((err: unknown) => deps.logger.warn(`ephemeral to ${user} failed: ${err instanceof Error ? err.message : String(err)}`));
}

/** A payload that could not be read (a forged or stale button, modal metadata): audited, nothing changes. */
async function auditInvalid(deps: AlertActionDeps, install: Install, user: string, channel: string | null, threadTs: string | null, what: string): Promise<void> {
  try {
    await deps.store.audit({ at: deps.now(), userId: user, surface: 'slack', channel, threadTs, pipelineId: '?', updateId: null, recommendationId: '?', change: null, diff: [], before: null, after: null, result: 'invalid', message: `unreadable ${what}`, latestUpdateTime: null, slack: install });
  } catch (err) {
    deps.logger.warn(`auditing an invalid ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function confirmAndReport(
  deps: AlertActionDeps,
  install: Install,
  input: { userId: string; channel: string | null; threadTs: string | null; pipeline: string; updateId: string | null; recommendationId: string; lastModified: number | null; messageTs?: string | null },
  io: { client?: WebClient; respond?: Respond } = {},
) {
  const r = await deps.apply.confirm({
    pipeline: input.pipeline,
    updateId: input.updateId,
    recommendationId: input.recommendationId,
    userId: input.userId,
    surface: 'slack',
    channel: input.channel,
    threadTs: input.threadTs,
    expectedLastModified: input.lastModified,
    slack: install,
  });
  const channel = input.channel ?? undefined;
  if (!r.ok) {
    const text = r.code === 'refused' ? REFUSED_MESSAGE : r.code === 'conflict' ? CONFLICT_MESSAGE : r.message;
    // a used Confirm says what became of it instead of staying clickable
    if (io.respond) await replaceOriginal(deps, io.respond, `:warning: Not applied: ${text}`);
    await tell(deps, install, channel, input.userId, text, input.threadTs ?? undefined);
    return;
  }
  const p = r.preview;
  const mark = appliedMarkText(input.userId, deps.now());
  if (io.respond) await replaceOriginal(deps, io.respond, `${mark}: ${esc(p.recommendation.title)} — ${esc(diffText(p.diff))}`);
  if (!channel) return;
  if (io.client && input.messageTs) await markOriginal(deps, io.client, channel, input.threadTs, input.messageTs, input.recommendationId, mark);
  const ts = await deps.poster.post(channel, renderApplied({ userId: input.userId, pipelineName: p.pipelineName, title: p.recommendation.title, diff: p.diff }), input.threadTs ?? undefined, install);
  if (!input.threadTs) await deps.store.setAuditThread(r.auditId, channel, ts);
  const incident = input.threadTs ? await deps.store.incidentByThread(channel, input.threadTs) : null;
  if (incident) await deps.editParent(incident, 'fixed', `fix applied by <@${input.userId}>: ${diffText(p.diff)}`);
}

/** the used Confirm's message replaced by its outcome (response_url, replace_original; works for ephemeral messages) */
async function replaceOriginal(deps: AlertActionDeps, respond: Respond, mrkdwnText: string): Promise<void> {
  try {
    await respond({ replace_original: true, text: fallbackText(mrkdwnText), blocks: [section(mrkdwnText)] });
  } catch (err) {
    deps.logger.warn(`replacing the used Confirm failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The message the fix was applied from, with its Apply button replaced by "✓ Applied by …"
 * (chat.update). The message is read back first (conversations.history for a top-level one,
 * conversations.replies in a thread; channels:history / groups:history), since the modal's submit
 * does not carry it; a message without that button is left as it is.
 */
async function markOriginal(deps: AlertActionDeps, client: WebClient, channel: string, threadTs: string | null, messageTs: string, recommendationId: string, mark: string): Promise<void> {
  try {
    const inThread = threadTs !== null && threadTs !== messageTs;
    const raw = inThread
      ? await client.conversations.replies({ channel, ts: threadTs, oldest: messageTs, latest: messageTs, inclusive: true, limit: 2 })
      : await client.conversations.history({ channel, oldest: messageTs, latest: messageTs, inclusive: true, limit: 1 });
    const msg = FetchedMessages.parse(raw).messages.find((m) => m.ts === messageTs);
    const blocks = msg?.blocks ? markApplied(msg.blocks, recommendationId, mark) : null;
    if (!msg || !blocks) return;
    await client.chat.update({ channel, ts: messageTs, text: msg.text ?? '', blocks: blocks as never });
  } catch (err) {
    deps.logger.warn(`marking the applied fix on its message failed (${slackErrorOf(err)})`);
  }
}

export async function handleApplyClick(args: ClickArgs, deps: AlertActionDeps): Promise<void> {
  await args.ack();
  const { body, action, client } = args;
  const user = body.user.id;
  const channel = body.channel?.id;
  const threadTs = body.message ? (body.message.thread_ts ?? body.message.ts) : undefined;
  // the workspace the click came from: in OAuth mode every post below uses its bot token
  const install = slackInstallationOf(args.context);

  if (action.action_id === ALERT_ACTION_IDS.confirmApply) {
    const v = parse(ConfirmValue, action.value);
    if (!v) {
      await auditInvalid(deps, install, user, channel ?? null, threadTs ?? null, 'Confirm button value');
      return tell(deps, install, channel, user, 'This button no longer carries a fix. Run `/dlt apply <recommendation> --pipeline <name>` again.');
    }
    if (args.respond) await replaceOriginal(deps, args.respond, `:hourglass_flowing_sand: Applying (confirmed by ${mention(user)})…`);
    await confirmAndReport(deps, install, { userId: user, channel: channel ?? null, threadTs: v.thread_ts ?? null, pipeline: v.pipeline_id, updateId: v.update_id, recommendationId: v.recommendation_id, lastModified: v.last_modified }, { client, ...(args.respond ? { respond: args.respond } : {}) });
    return;
  }

  const v = parse(ApplyValue, action.value);
  if (!v) {
    await auditInvalid(deps, install, user, channel ?? null, threadTs ?? null, 'Apply button value');
    return tell(deps, install, channel, user, 'This button no longer carries a fix. Run `/dlt why-slow <pipeline>` again.', threadTs);
  }
  if (!deps.apply.canApply(user)) {
    await deps.store.audit({ at: deps.now(), userId: user, surface: 'slack', channel: channel ?? null, threadTs: threadTs ?? null, pipelineId: v.pipeline_id, updateId: v.update_id, recommendationId: v.recommendation_id, change: null, diff: [], before: null, after: null, result: 'refused', message: 'user not in DLT_DOCTOR_APPLY_ALLOWED_USERS', latestUpdateTime: null, slack: install });
    return tell(deps, install, channel, user, REFUSED_MESSAGE, threadTs);
  }
  // the modal opens now, while the trigger_id is fresh (3 s, once); the diff follows by views.update
  const modal = body.trigger_id ? await openLoadingModal(client, body.trigger_id, deps) : null;
  let preview;
  try {
    preview = await deps.apply.preview({ pipeline: v.pipeline_id, updateId: v.update_id, recommendationId: v.recommendation_id });
  } catch (err) {
    // a DoctorError's message is written for people; anything else stays in the log
    if (!(err instanceof DoctorError)) deps.logger.warn(`apply preview failed: ${err instanceof Error ? err.message : String(err)}`);
    const text = `Cannot apply this fix: ${err instanceof DoctorError ? err.message : 'it could not be prepared. The details were logged for the operator.'}`;
    if (modal && (await updateModal(client, modal, renderApplyErrorModal(text), deps)) !== 'failed') return;
    return tell(deps, install, channel, user, text, threadTs);
  }
  const privateMetadata = JSON.stringify({ p: preview.pipelineId, u: preview.updateId, r: preview.recommendation.id, lm: preview.lastModified, c: channel ?? null, t: threadTs ?? null, m: body.message?.ts ?? null } satisfies z.infer<typeof Metadata>);
  const view = renderApplyModal({ pipelineName: preview.pipelineName, title: preview.recommendation.title, guideSection: preview.recommendation.guide_section, diff: preview.diff, expectedEffect: preview.recommendation.expected_effect, risk: preview.recommendation.risk, privateMetadata });
  if (modal) {
    const shown = await updateModal(client, modal, view, deps);
    // closed by the person meanwhile: they changed their mind, nothing more to show
    if (shown !== 'failed') return;
  }
  // no modal (no trigger, an expired or used one, a surface without views, a failed update): the
  // same diff with a Confirm button, shown to the clicker alone
  if (!channel) return;
  await deps.poster.ephemeral(
    channel,
    user,
    renderApplyPreview({ pipelineId: preview.pipelineId, pipelineName: preview.pipelineName, updateId: preview.updateId, recommendationId: preview.recommendation.id, title: preview.recommendation.title, guideSection: preview.recommendation.guide_section, diff: preview.diff, lastModified: preview.lastModified, threadTs: threadTs ?? null, expectedEffect: preview.recommendation.expected_effect, risk: preview.recommendation.risk }),
    threadTs,
    install,
  );
}

/** What views.open and views.update answer about the view (https://docs.slack.dev/reference/methods/views.open). */
const OpenedView = z.object({ view: z.object({ id: z.string().min(1), hash: z.string().min(1) }) });
type OpenedModal = z.infer<typeof OpenedView>['view'];

/** The loading view, opened with the click's trigger_id before any slow work; null when Slack refused it. */
async function openLoadingModal(client: WebClient, triggerId: string, deps: AlertActionDeps): Promise<OpenedModal | null> {
  try {
    const res = OpenedView.safeParse(await client.views.open({ trigger_id: triggerId, view: renderApplyLoadingModal() }));
    if (res.success) return res.data.view;
    deps.logger.warn('views.open answered without a view id; confirming in an ephemeral message instead');
  } catch (err) {
    deps.logger.warn(`views.open failed (${slackErrorOf(err)}); confirming in an ephemeral message instead`);
  }
  return null;
}

/**
 * Replaces the loading view (by id, with the hash views.open returned, so an older state cannot
 * overwrite a newer one: https://docs.slack.dev/reference/methods/views.update). 'closed': Slack
 * answered not_found, the person closed the modal.
 */
async function updateModal(client: WebClient, modal: OpenedModal, view: ReturnType<typeof renderApplyModal> | ReturnType<typeof renderApplyErrorModal>, deps: AlertActionDeps): Promise<'shown' | 'closed' | 'failed'> {
  try {
    await client.views.update({ view_id: modal.id, hash: modal.hash, view });
    return 'shown';
  } catch (err) {
    const code = slackErrorOf(err);
    if (code === 'not_found') return 'closed';
    deps.logger.warn(`views.update failed (${code}); confirming in an ephemeral message instead`);
    return 'failed';
  }
}

/** Slack's error code of a failed Web API call, else the message. */
function slackErrorOf(err: unknown): string {
  return slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err));
}

export interface SubmitArgs {
  body: { user: { id: string }; view: { callback_id: string; private_metadata: string } };
  ack: () => Promise<void>;
  /** Bolt's listener context: the installation the modal was submitted in */
  context?: unknown;
  /** reads back and edits the message the fix was applied from */
  client?: WebClient;
}

export async function handleApplySubmit(args: SubmitArgs, deps: AlertActionDeps): Promise<void> {
  await args.ack();
  const m = parse(Metadata, args.body.view.private_metadata);
  if (!m) {
    deps.logger.warn('apply modal without readable metadata');
    await auditInvalid(deps, slackInstallationOf(args.context), args.body.user.id, null, null, 'apply modal metadata');
    return;
  }
  await confirmAndReport(deps, slackInstallationOf(args.context), { userId: args.body.user.id, channel: m.c, threadTs: m.t, pipeline: m.p, updateId: m.u, recommendationId: m.r, lastModified: m.lm, messageTs: m.m ?? null }, args.client ? { client: args.client } : {});
}

export async function handleMuteClick(args: ClickArgs, deps: AlertActionDeps): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const v = parse(MuteValue, action.value);
  const channel = body.channel?.id;
  if (!v || !channel) return;
  const until = deps.now() + MUTE_MS[v.duration];
  await deps.store.mute(channel, v.pipeline_id, until, body.user.id);
  await deps.onMuted(channel, v.pipeline_id, until, body.user.id);
}

/** Acknowledge, Resolve, Unmute on an alert's parent: the pipeline's alerts in that channel, who did it shown on the parent */
export async function handleIncidentClick(args: ClickArgs, deps: AlertActionDeps): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const act = INCIDENT_ACTIONS[action.action_id];
  const v = parse(IncidentValue, action.value);
  const channel = body.channel?.id;
  if (!act || !v || !channel || !deps.onIncidentAction) return;
  const n = await deps.onIncidentAction(channel, v.pipeline_id, act, body.user.id);
  if (n === 0) await tell(deps, slackInstallationOf(args.context), channel, body.user.id, act === 'unmute' ? 'Nothing to unmute: this alert is not muted any more.' : 'This alert is already closed.', body.message?.ts);
}

export function registerAlertActions(app: App, deps: AlertActionDeps): void {
  for (const actionId of [ALERT_ACTION_IDS.acknowledge, ALERT_ACTION_IDS.resolve, ALERT_ACTION_IDS.unmute]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, action, ack, client, context }) => {
      await handleIncidentClick({ body, action, ack: () => ack(), client, context }, deps).catch((err: unknown) => deps.logger.warn(`alert ${actionId} click failed: ${err instanceof Error ? err.message : String(err)}`));
    });
  }
  for (const actionId of [APPLY_ACTION_ID, ALERT_ACTION_IDS.confirmApply]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, action, ack, client, context, respond }) => {
      await handleApplyClick({ body, action, ack: () => ack(), client, context, respond: redactingRespond(respond) as Respond }, deps).catch((err: unknown) => deps.logger.warn(`apply click failed: ${err instanceof Error ? err.message : String(err)}`));
    });
  }
  app.action<BlockAction<ButtonAction>>(ALERT_ACTION_IDS.mute, async ({ body, action, ack, client, context }) => {
    await handleMuteClick({ body, action, ack: () => ack(), client, context }, deps).catch((err: unknown) => deps.logger.warn(`mute click failed: ${err instanceof Error ? err.message : String(err)}`));
  });
  app.view<ViewSubmitAction>(APPLY_VIEW_CALLBACK, async ({ body, ack, context, client }) => {
    await handleApplySubmit({ body, ack: () => ack(), context, client }, deps).catch((err: unknown) => deps.logger.warn(`apply confirmation failed: ${err instanceof Error ? err.message : String(err)}`));
  });
}
