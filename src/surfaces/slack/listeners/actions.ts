/**
 * Buttons under a diagnosis. Every handler acks first (3 s), then works:
 * - dlt_show_fixes: every recommendation of that update, in the message's thread
 * - dlt_compare: the compare reply for that pipeline, in the thread
 * - dlt_rediagnose: runs why-slow again and replaces the message in place
 * - dlt_open_in_databricks: a url button; Slack still sends the action, which we only ack
 */
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Reply } from '../../../../commands/types.js';
import { ACTION_IDS, renderAllFixes, verdictLabel, withoutShowFixes } from '../../../../templates/blocks/diagnosis.js';
import { slackDate } from '../../../../templates/blocks/applied-mark.js';
import { context, esc, fallbackText, inlineCode } from '../../../../templates/blocks/format.js';
import { toBlocks } from '../../../../templates/blocks/index.js';
import { renderProgress } from '../../../../templates/blocks/progress.js';
import type { Block } from '../../../../templates/blocks/types.js';
import { slackInstallationOf } from '../../../store/slack-installations.js';
import type { SlackDeps } from '../deps.js';
import { publishPayload, publishReply, updatePayload, type WebClient } from '../publish.js';
import { describeError, errorReplyFrom } from '../reply-errors.js';
import { redactingRespond } from '../redact.js';

const buttonValue = z.object({
  pipeline_id: z.string().min(1).max(500),
  update_id: z.string().min(1).max(500).nullable(),
  // the diagnosis the message showed (absent on messages posted before they were carried)
  verdict: z.string().max(40).optional(),
  at: z.number().int().positive().optional(),
});
export type ParsedButtonValue = z.infer<typeof buttonValue>;

export function parseButtonValue(raw: string | undefined): ParsedButtonValue | null {
  try {
    const parsed = buttonValue.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Ids and names go back into command text: keep them to one safe token. */
const token = (s: string) => s.replace(/\s+/g, '');

export interface ActionArgs {
  body: Pick<BlockAction, 'user'> & { channel?: { id: string }; message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] } };
  action: Pick<ButtonAction, 'action_id' | 'value'>;
  ack: () => Promise<void>;
  respond: RespondFn;
  client: WebClient;
  /** Bolt's listener context: the installation the click came from */
  context?: unknown;
}

async function run(deps: SlackDeps, text: string, args: ActionArgs): Promise<Reply> {
  try {
    return await deps.run(text, { source: deps.source, surface: 'slack', channelId: args.body.channel?.id, userId: args.body.user.id, slackInstallation: slackInstallationOf(args.context), now: deps.now });
  } catch (err) {
    deps.logger.error(`button ${args.action.action_id} (${text}) failed: ${describeError(err)}`);
    return errorReplyFrom(err);
  }
}

async function tellUser(respond: RespondFn, reply: Reply): Promise<void> {
  const p = toBlocks(reply);
  await respond({ response_type: 'ephemeral', replace_original: false, text: p.text, blocks: p.blocks });
}

const stale = (): Reply => ({ kind: 'error', code: 'BAD_USAGE', message: 'This button no longer carries a pipeline. Run `/dlt why-slow <pipeline>` again.', hint: null, suggestions: [], usage: 'why-slow <pipeline>' });

export async function handleAction(args: ActionArgs, deps: SlackDeps): Promise<void> {
  await args.ack();
  const { body, action, client, respond } = args;
  if (action.action_id === ACTION_IDS.open) return;
  const value = parseButtonValue(action.value);
  const channel = body.channel?.id;
  const message = body.message;
  if (!value || !channel || !message) {
    await tellUser(respond, stale());
    return;
  }
  const thread = message.thread_ts ?? message.ts;
  const pipeline = token(value.pipeline_id);

  if (action.action_id === ACTION_IDS.showFixes) {
    // once: the button leaves the message as the fixes go into the thread (a second click that
    // raced the edit finds it gone from the message it clicked and does nothing)
    const hasButtons = (message.blocks ?? []).some((b) => (b as { type?: string }).type === 'actions');
    const edited = withoutShowFixes(message.blocks ?? []);
    if (hasButtons && !edited) return;
    const reply = await run(deps, `why-slow ${pipeline}${value.update_id ? ` --update ${token(value.update_id)}` : ''}`, args);
    if (reply.kind !== 'diagnosis') return tellUser(respond, reply);
    if (edited) await updatePayload(client, deps, channel, message.ts, { text: message.text || 'Diagnosis', blocks: edited }).catch((err) => deps.logger.warn(`removing "Show all fixes" failed: ${describeError(err)}`));
    await publishPayload(client, deps, renderAllFixes(reply.diagnosis), { channel, threadTs: thread });
    return;
  }

  if (action.action_id === ACTION_IDS.compare) {
    // the button says "baseline": A is the update closest to the baseline median, B the one shown
    const reply = await run(deps, `compare ${pipeline} --baseline${value.update_id ? ` ${token(value.update_id)}` : ''}`, args);
    if (reply.kind === 'error') return tellUser(respond, reply);
    await publishReply(client, deps, reply, { channel, threadTs: thread });
    return;
  }

  if (action.action_id === ACTION_IDS.rediagnose) {
    // progress names the pipeline, not its id
    const name = await deps.source.resolvePipeline(value.pipeline_id).then((p) => p.name, () => value.pipeline_id);
    await updatePayload(client, deps, channel, message.ts, renderProgress('why-slow', name, 'started', body.user.id)).catch((err) =>
      deps.logger.warn(`progress update failed: ${describeError(err)}`),
    );
    const reply = await run(deps, `why-slow ${pipeline}`, args);
    if (reply.kind === 'error') {
      // put the previous diagnosis back and tell the clicker why nothing changed
      await updatePayload(client, deps, channel, message.ts, { text: message.text || 'Diagnosis', blocks: (message.blocks ?? []) as Block[] }).catch(() => undefined);
      await tellUser(respond, reply);
      return;
    }
    await publishReply(client, deps, reply, { channel, ts: message.ts, ...(message.thread_ts ? { threadTs: message.thread_ts } : {}) });
    // what changed since the diagnosis the message showed, to the clicker
    if (reply.kind === 'diagnosis') {
      const changed = whatChanged(value, reply.diagnosis);
      await respond({ response_type: 'ephemeral', replace_original: false, text: fallbackText(changed.replace(/<!date[^>]*>/g, '')), blocks: [context(changed)] }).catch((err) => deps.logger.warn(`re-diagnose note failed: ${describeError(err)}`));
    }
  }
}

/** "No change since <date>: update `x` is still CPU-bound." or what is new; mrkdwn (data escaped) */
export function whatChanged(before: ParsedButtonValue, d: { update: { id: string }; verdict: { bottleneck: string } }): string {
  const since = before.at ? ` since ${slackDate(before.at * 1000)}` : '';
  const verdict = verdictLabel(d.verdict.bottleneck as Parameters<typeof verdictLabel>[0]);
  const was = before.verdict ? verdictLabel(before.verdict as Parameters<typeof verdictLabel>[0]) : null;
  if (before.update_id && before.update_id !== d.update.id) return `Re-diagnosed: a newer update ${inlineCode(d.update.id)} is ${esc(verdict)}${was ? ` (update ${inlineCode(before.update_id)} was ${esc(was)})` : ''}.`;
  if (was && was !== verdict) return `Re-diagnosed: update ${inlineCode(d.update.id)} is now ${esc(verdict)} (was ${esc(was)}${since}).`;
  // a message from before the verdict was carried: nothing to compare with
  if (!was) return `Re-diagnosed: update ${inlineCode(d.update.id)} is ${esc(verdict)}.`;
  return `No change${since}: update ${inlineCode(d.update.id)} is still ${esc(verdict)}.`;
}

export function registerActions(app: App, deps: SlackDeps): void {
  for (const id of Object.values(ACTION_IDS)) {
    app.action<BlockAction<ButtonAction>>(id, async ({ body, action, ack, respond, client, context }) => {
      await handleAction({ body, action, ack: () => ack(), respond: redactingRespond(respond), client, context }, deps);
    });
  }
}
