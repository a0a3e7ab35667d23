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
import { ACTION_IDS, renderAllFixes } from '../../../../templates/blocks/diagnosis.js';
import { toBlocks } from '../../../../templates/blocks/index.js';
import { renderProgress } from '../../../../templates/blocks/progress.js';
import type { Block } from '../../../../templates/blocks/types.js';
import { slackInstallationOf } from '../../../store/slack-installations.js';
import type { SlackDeps } from '../deps.js';
import { publishPayload, publishReply, updatePayload, type WebClient } from '../publish.js';
import { describeError, errorReplyFrom } from '../reply-errors.js';
import { redactingRespond } from '../redact.js';

const buttonValue = z.object({ pipeline_id: z.string().min(1).max(500), update_id: z.string().min(1).max(500).nullable() });
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
    const reply = await run(deps, `why-slow ${pipeline}${value.update_id ? ` --update ${token(value.update_id)}` : ''}`, args);
    if (reply.kind !== 'diagnosis') return tellUser(respond, reply);
    await publishPayload(client, deps, renderAllFixes(reply.diagnosis), { channel, threadTs: thread });
    return;
  }

  if (action.action_id === ACTION_IDS.compare) {
    const reply = await run(deps, `compare ${pipeline}`, args);
    if (reply.kind === 'error') return tellUser(respond, reply);
    await publishReply(client, deps, reply, { channel, threadTs: thread });
    return;
  }

  if (action.action_id === ACTION_IDS.rediagnose) {
    await updatePayload(client, deps, channel, message.ts, renderProgress('why-slow', value.pipeline_id, 'started', body.user.id)).catch((err) =>
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
  }
}

export function registerActions(app: App, deps: SlackDeps): void {
  for (const id of Object.values(ACTION_IDS)) {
    app.action<BlockAction<ButtonAction>>(id, async ({ body, action, ack, respond, client, context }) => {
      await handleAction({ body, action, ack: () => ack(), respond: redactingRespond(respond), client, context }, deps);
    });
  }
}
