/**
 * The Teams bot: an ActivityHandler (Agents SDK compat layer) over the shared command layer.
 * - message with text: "@dlt-doctor dlt why-slow orders_silver" in a channel, or "why-slow orders_silver"
 *   in a personal chat → the @mention is stripped, the text goes through runCommandText (surface
 *   'teams'), the Reply comes back as an Adaptive Card. A slow command first gets a "Diagnosing…"
 *   message that is then updated in place with the card (updateActivity).
 * - message with value.action (Action.Submit from our cards): the same actions as the Slack buttons —
 *   dlt_show_fixes (every fix, in the thread), dlt_compare (in the thread), dlt_rediagnose (the card
 *   is updated in place).
 *   dlt_apply (preview with the exact diff) and dlt_apply_confirm (the shared apply service).
 * - conversationUpdate / installationUpdate / any message: the conversation reference is stored for
 *   proactive digests and alerts; installationUpdate "remove" forgets it.
 */
import { ActivityHandler, MessageFactory, type TurnContext } from '@microsoft/agents-hosting';
import { z } from 'zod';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { ALERT_ACTION_IDS } from '../../../templates/blocks/alerts.js';
import { ACTION_IDS, APPLY_ACTION_ID } from '../../../templates/blocks/diagnosis.js';
import type { ApplyService } from '../../apply/apply-service.js';
import { allFixesCard, toAdaptiveCard } from '../../../templates/cards/index.js';
import type { Source } from '../../source.js';
import type { TeamsConversationStore } from '../../store/teams-conversations.js';
import { describeError, errorReplyFrom } from '../slack/reply-errors.js';
import { cardMessage } from './messages.js';
import type { RunCommand, TeamsLogger } from './types.js';

/** Commands that call Databricks and may take a while: they get the "Diagnosing…" placeholder. */
export const WORK_COMMANDS = new Set(['why-slow', 'compare', 'size', 'pipelines', 'cost', 'digest']);

export interface TeamsBotDeps {
  run: RunCommand;
  source: Source;
  store: TeamsConversationStore | null;
  logger: TeamsLogger;
  now: () => Date;
  /** a command still running after this long gets a placeholder message (default 1500 ms) */
  progressAfterMs?: number;
  /** one-click apply (src/apply/apply-service.ts); without it Confirm answers that apply is off */
  apply?: Pick<ApplyService, 'confirm'> | null;
  /** extra fields for every CommandContext (cost backend, digest subscriptions, alerts, …) */
  context?: Partial<Omit<CommandContext, 'source' | 'surface' | 'channelId' | 'userId' | 'now' | 'onProgress'>>;
}

const id = z.string().min(1).max(500);
const submitSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum([ACTION_IDS.showFixes, ACTION_IDS.compare, ACTION_IDS.rediagnose]), pipeline_id: id, update_id: id.nullish() }),
  z.object({ action: z.literal(APPLY_ACTION_ID), pipeline_id: id, update_id: id.nullish(), recommendation_id: id }),
  z.object({ action: z.literal(ALERT_ACTION_IDS.confirmApply), pipeline_id: id, update_id: id.nullish(), recommendation_id: id, last_modified: z.number().int().nullish() }),
]);

/** Ids and names go back into command text: keep them to one safe token. */
const token = (s: string) => s.replace(/\s+/g, '');

/** "<at>dlt-doctor</at> dlt why-slow x" → "dlt why-slow x", after the SDK removed the recipient's own mention. */
export function commandText(context: TurnContext): string {
  const activity = context.activity;
  let text = activity.text ?? '';
  if (activity.recipient?.id && activity.entities?.some((e) => e.type?.toLowerCase() === 'mention')) text = activity.removeRecipientMention() || text;
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

function parseHead(text: string): { name: string; subject: string | null } {
  const words = text.split(/\s+/).filter(Boolean);
  if (words[0] && /^\/?(dlt|dlt-doctor)$/i.test(words[0])) words.shift();
  return { name: (words[0] ?? 'help').toLowerCase(), subject: words.slice(1).find((w) => !w.startsWith('--')) ?? null };
}

function progressText(name: string, subject: string | null): string {
  if (name === 'why-slow') return `Diagnosing ${subject ?? 'the pipeline'}…`;
  return `Working on \`${name}${subject ? ` ${subject}` : ''}\`…`;
}

export class DoctorTeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      this.remember(context);
      const value: unknown = context.activity.value;
      if (value && typeof value === 'object' && 'action' in value) await this.handleSubmit(context, value);
      else await this.handleText(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      this.remember(context);
      await next();
    });
    // the Agents SDK dispatches installationUpdate only to the Add/Remove handlers (onInstallationUpdate is never called)
    this.onInstallationUpdateAdd(async (context, next) => {
      this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      this.forget(context);
      await next();
    });
  }

  private remember(context: TurnContext): void {
    if (!this.deps.store) return;
    try {
      const channelData = context.activity.channelData as { team?: { id?: string } } | undefined;
      this.deps.store.save(context.activity.getConversationReference(), channelData?.team?.id ?? null);
    } catch (err) {
      this.deps.logger.warn(`cannot store the conversation reference: ${describeError(err)}`);
    }
  }

  private forget(context: TurnContext): void {
    const id = context.activity.conversation?.id;
    if (this.deps.store && id) this.deps.store.remove(id.split(';messageid=')[0]!);
  }

  private async runCommand(context: TurnContext, text: string, onProgress?: CommandContext['onProgress']): Promise<Reply> {
    const ctx: CommandContext = {
      ...this.deps.context,
      source: this.deps.source,
      surface: 'teams',
      channelId: context.activity.conversation?.id.split(';messageid=')[0],
      userId: context.activity.from?.aadObjectId ?? context.activity.from?.id,
      now: this.deps.now,
      ...(onProgress ? { onProgress } : {}),
    };
    try {
      return await this.deps.run(text, ctx);
    } catch (err) {
      this.deps.logger.error(`dlt ${text} failed: ${describeError(err)}`);
      return errorReplyFrom(err);
    }
  }

  /**
   * Runs the command; when it is a work command still running after `progressAfterMs`, posts a
   * placeholder first and replaces it with the card (`replaceId`: update that message instead).
   */
  private async answer(context: TurnContext, text: string, o: { replaceId?: string; progress: boolean }): Promise<Reply> {
    const { name, subject } = parseHead(text);
    const running = this.runCommand(context, text);
    let placeholderId = o.replaceId;
    if (o.progress && WORK_COMMANDS.has(name) && !placeholderId) {
      let timer: NodeJS.Timeout | undefined;
      const slow = await Promise.race([
        running.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.deps.progressAfterMs ?? 1500);
        }),
      ]);
      clearTimeout(timer);
      if (slow) {
        const sent = await context.sendActivity(MessageFactory.text(progressText(name, subject))).catch((err) => {
          this.deps.logger.warn(`progress message failed: ${describeError(err)}`);
          return undefined;
        });
        placeholderId = sent?.id || undefined;
      }
    }
    const reply = await running;
    const message = cardMessage(toAdaptiveCard(reply));
    // a failed re-diagnosis keeps the previous card and answers below it
    if (placeholderId && !(o.replaceId && reply.kind === 'error')) {
      message.id = placeholderId;
      try {
        await context.updateActivity(message);
        return reply;
      } catch (err) {
        this.deps.logger.warn(`updating message ${placeholderId} failed, posting instead: ${describeError(err)}`);
        delete message.id;
      }
    }
    await context.sendActivity(message);
    return reply;
  }

  private async handleText(context: TurnContext): Promise<void> {
    const text = commandText(context) || 'help';
    await this.answer(context, text, { progress: true });
  }

  private async handleSubmit(context: TurnContext, raw: object): Promise<void> {
    const parsed = submitSchema.safeParse(raw);
    if (!parsed.success) {
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'BAD_USAGE', message: 'This button no longer carries a pipeline. Run `dlt why-slow <pipeline>` again.', hint: null, suggestions: [], usage: 'why-slow <pipeline>' })));
      return;
    }
    const data = parsed.data;
    const { action, pipeline_id, update_id } = data;
    const pipeline = token(pipeline_id);
    if (data.action === APPLY_ACTION_ID) {
      // the preview (exact diff) with a Confirm button, in the thread
      await this.answer(context, `apply ${token(data.recommendation_id)} --pipeline ${pipeline}${update_id ? ` --update ${token(update_id)}` : ''}`, { progress: false });
      return;
    }
    if (data.action === ALERT_ACTION_IDS.confirmApply) {
      await this.confirmApply(context, data);
      return;
    }
    if (action === ACTION_IDS.showFixes) {
      // the submit activity sits in the card's thread (channel: conversation id ;messageid=root), so a reply lands there
      const reply = await this.runCommand(context, `why-slow ${pipeline}${update_id ? ` --update ${token(update_id)}` : ''}`);
      await context.sendActivity(cardMessage(reply.kind === 'diagnosis' ? allFixesCard(reply.diagnosis) : toAdaptiveCard(reply)));
      return;
    }
    if (action === ACTION_IDS.compare) {
      await this.answer(context, `compare ${pipeline}`, { progress: false });
      return;
    }
    // re-diagnose: the message holding the card is the one the button was clicked in (replyToId)
    const cardId = context.activity.replyToId;
    await this.answer(context, `why-slow ${pipeline}`, { progress: false, ...(cardId ? { replaceId: cardId } : {}) });
  }

  private async confirmApply(context: TurnContext, data: { pipeline_id: string; update_id?: string | null | undefined; recommendation_id: string; last_modified?: number | null | undefined }): Promise<void> {
    const apply = this.deps.apply;
    if (!apply) {
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'CONFIG', message: 'Apply is not enabled on this dlt-doctor server.', hint: 'Copy the setting into the pipeline yourself, or ask whoever runs dlt-doctor to enable apply.', suggestions: [], usage: null })));
      return;
    }
    const result = await apply.confirm({
      pipeline: data.pipeline_id,
      updateId: data.update_id ?? null,
      recommendationId: data.recommendation_id,
      // Teams users are named by their Entra object id in DLT_DOCTOR_APPLY_ALLOWED_USERS
      userId: context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '',
      surface: 'teams',
      channel: context.activity.conversation?.id.split(';messageid=')[0] ?? null,
      // in a channel's reply chain the conversation id ends in ;messageid=<root>: the thread an alert's
      // parent opened, where "did it help" follows and whose parent is marked "fix applied"
      threadTs: context.activity.conversation?.id.split(';messageid=')[1] || (context.activity.replyToId ?? null),
      expectedLastModified: data.last_modified ?? null,
    }).catch((err: unknown): { ok: false; message: string } => {
      this.deps.logger.error(`apply failed: ${describeError(err)}`);
      return { ok: false, message: 'Nothing was changed: the apply could not be completed. The details were logged for the operator.' };
    });
    const reply: Reply = result.ok
      ? { kind: 'text', text: `Applied to ${result.preview.pipelineName}: ${result.preview.recommendation.title} — ${result.preview.diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')}. The next update picks it up (audit #${result.auditId}).` }
      : { kind: 'error', code: 'APPLY', message: result.message, hint: null, suggestions: [], usage: null };
    const message = cardMessage(toAdaptiveCard(reply));
    // replace the preview card (its Confirm button must not be pressed twice) when it worked
    if (result.ok && context.activity.replyToId) {
      message.id = context.activity.replyToId;
      try {
        await context.updateActivity(message);
        return;
      } catch (err) {
        this.deps.logger.warn(`updating the apply preview failed: ${describeError(err)}`);
        delete message.id;
      }
    }
    await context.sendActivity(message);
  }
}
