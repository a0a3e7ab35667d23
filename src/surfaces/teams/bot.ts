/**
 * The Teams bot: an ActivityHandler (Agents SDK compat layer) over the shared command layer.
 * - message with text: "@dlt-doctor dlt why-slow orders_silver" in a channel, or "why-slow orders_silver"
 *   in a personal chat → the @mention is stripped, the text goes through runCommandText (surface
 *   'teams'), the Reply comes back as an Adaptive Card. A work command still running after
 *   `progressAfterMs` gets a "Diagnosing…" message, the turn ends (the HTTP 200 goes out: the Bot
 *   Connector retries requests not answered within ~15 s) and the card replaces that message later,
 *   in a new turn of the same conversation (continueConversation → updateActivity). A redelivered
 *   activity (same id within DEDUPE_MS) is ignored, so a retry never runs a command twice.
 * - message with value.action (Action.Submit from our cards): the same actions as the Slack buttons —
 *   dlt_show_fixes (every fix, in the thread), dlt_compare (in the thread), dlt_rediagnose (the card
 *   is updated in place).
 *   dlt_apply (preview with the exact diff) and dlt_apply_confirm (the shared apply service);
 *   dlt_mute (the alert card's "Mute 1 day") runs `alerts mute <pipeline> 1d` and confirms.
 *   dlt_experiment_start (a benchmark / A/B test plan's Start) starts it through the experiment
 *   service; the plan card gives way to a progress card (edited at most every 2 s) and then to the
 *   result. dlt_experiment_cancel (the progress card's Cancel) asks it to stop.
 * - conversationUpdate / installationUpdate / any message: the conversation reference is stored for
 *   proactive digests and alerts; installationUpdate "remove" forgets it.
 */
import { teamsIdentityOf } from './apply-identity.js';
import { ActivityHandler, MessageFactory, type TurnContext } from '@microsoft/agents-hosting';
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import { z } from 'zod';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { ALERT_ACTION_IDS } from '../../../templates/blocks/alerts.js';
import { ACTION_IDS, APPLY_ACTION_ID } from '../../../templates/blocks/diagnosis.js';
import type { ApplyService } from '../../apply/apply-service.js';
import { allFixesCard, toAdaptiveCard, type AdaptiveCard } from '../../../templates/cards/index.js';
import { INCIDENT_ACTION_IDS, MUTE_ACTION_ID } from '../../../templates/cards/alert.js';
import type { Source } from '../../source.js';
import type { TeamsConversationStore } from '../../store/teams-conversations.js';
import { admitWhenUnavailable, type SeenKeys } from '../../store/seen-keys.js';
import { describeError, errorReplyFrom } from '../slack/reply-errors.js';
import { cardMessage } from './messages.js';
import { hasApplyButton, markAppliedCard } from '../../../templates/cards/applied-mark.js';
import { progressMessage } from '../../../templates/cards/progress.js';
import type { ContinueIn } from './proactive.js';
import type { RunCommand, TeamsLogger } from './types.js';
import { RecentKeys } from '../../util/recent-keys.js';
import { CANCEL_REFUSED, EXPERIMENT_REFUSED, type ExperimentRequest, type ExperimentService } from '../../experiment/service.js';
import type { ExperimentOutcome, ExperimentPlan, ExperimentProgress } from '../../experiment/types.js';
import { progressCard } from '../../../templates/cards/experiment.js';
import { EXPERIMENT_ACTION_IDS } from '../../../templates/blocks/experiment.js';
import { EXPERIMENT_ACTIONS, PROGRESS_UPDATE_MS, experimentCancelSchema, experimentStartSchema, throttle, type Throttle } from './experiments.js';

/** Commands that call Databricks and may take a while: they get the "Diagnosing…" placeholder. */
export const WORK_COMMANDS = new Set(['why-slow', 'compare', 'size', 'pipelines', 'cost', 'digest', 'benchmark', 'ab-test']);

/** What a Start or Cancel answers when the bot was built without the experiment service. */
export const EXPERIMENTS_OFF = 'Benchmarks and A/B tests are not enabled in this bot: ask whoever runs dlt-doctor to enable them.';

export interface TeamsBotDeps {
  run: RunCommand;
  source: Source;
  store: TeamsConversationStore | null;
  /**
   * activity ids every replica shares (the store's seen_keys): a redelivery to another replica is
   * ignored too; absent: this process's own set only
   */
  seen?: SeenKeys | null;
  logger: TeamsLogger;
  now: () => Date;
  /** a command still running after this long gets a placeholder message (default 1500 ms) */
  progressAfterMs?: number;
  /** one-click apply (src/apply/apply-service.ts); without it Confirm answers that apply is off */
  /** auditInvalid: an unreadable Confirm payload is audited (optional for callers that only confirm) */
  apply?: (Pick<ApplyService, 'confirm'> & Partial<Pick<ApplyService, 'auditInvalid'>>) | null;
  /**
   * a new turn in the conversation of an incoming activity (adapter.continueConversation): a slow
   * work command finishes there after the HTTP request was answered; without it, inside the request
   */
  continueIn?: ContinueIn | null;
  /**
   * benchmarks and A/B tests (src/experiment/service.ts): on the CommandContext (the plan card) and
   * behind the plan's Start and the progress card's Cancel; without it those answer that it is off
   */
  experiments?: ExperimentService | null;
  /** the progress card is edited at most this often (default PROGRESS_UPDATE_MS, 2 s) */
  progressUpdateMs?: number;
  /** extra fields for every CommandContext (cost backend, digest subscriptions, alerts, …) */
  context?: Partial<Omit<CommandContext, 'source' | 'surface' | 'channelId' | 'userId' | 'now' | 'onProgress'>>;
}

const id = z.string().min(1).max(500);
const submitSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum([ACTION_IDS.showFixes, ACTION_IDS.compare, ACTION_IDS.rediagnose]), pipeline_id: id, update_id: id.nullish() }),
  z.object({ action: z.literal(APPLY_ACTION_ID), pipeline_id: id, update_id: id.nullish(), recommendation_id: id }),
  z.object({ action: z.literal(ALERT_ACTION_IDS.confirmApply), pipeline_id: id, update_id: id.nullish(), recommendation_id: id, last_modified: z.number().int().nullish(), source_id: id.nullish() }),
  z.object({ action: z.literal(MUTE_ACTION_ID), pipeline_id: id, duration: z.string().regex(/^\d{1,3}[mhd]$/) }),
  z.object({ action: z.enum([INCIDENT_ACTION_IDS.acknowledge, INCIDENT_ACTION_IDS.resolve, INCIDENT_ACTION_IDS.unmute]), pipeline_id: id }),
]);
const INCIDENT_COMMAND = { [INCIDENT_ACTION_IDS.acknowledge]: 'ack', [INCIDENT_ACTION_IDS.resolve]: 'resolve', [INCIDENT_ACTION_IDS.unmute]: 'unmute' } as const;

/** How long a delivered activity id is remembered; the Bot Connector retries within seconds to minutes. */
export const DEDUPE_MS = 10 * 60_000;
/** At most this many ids are remembered (the oldest go first): a bounded set, not a log. */
export const DEDUPE_MAX = 2000;

/** Activity ids seen lately (src/util/recent-keys.ts), with the Bot Connector's retry window. */
export class RecentActivities extends RecentKeys {
  constructor(ttlMs = DEDUPE_MS, max = DEDUPE_MAX) {
    super(ttlMs, max);
  }
}

/** Activity ids are unique within a conversation; keyed by both. */
function activityKey(activity: Activity): string | null {
  const conversation = activity.conversation?.id;
  return activity.id && conversation ? `${conversation.split(';messageid=')[0]}|${activity.id}` : null;
}

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


/** The placeholder as a plain-text activity (no Markdown: see templates/cards/progress.ts). */
function progressActivity(name: string, subject: string | null) {
  const { text, textFormat } = progressMessage(name, subject);
  const activity = MessageFactory.text(text);
  activity.textFormat = textFormat;
  return activity;
}

type Render = (reply: Reply) => AdaptiveCard;

/** Who clicked, as apply sees them: shown and audited (the Entra object id, else the Teams id)… */
const userIdOf = (context: TurnContext): string | undefined => context.activity.from?.aadObjectId ?? context.activity.from?.id;
/** …and checked against the allow-list (teams:<aadObjectId>, an allowed tenant, msteams) */
const actorOf = (context: TurnContext) => ({ platform: 'teams' as const, ...teamsIdentityOf(context.activity) });
const textCard = (text: string) => cardMessage(toAdaptiveCard({ kind: 'text', text }));

/** experiments.start settled: what it returned or threw */
type Starting = { ok: true; value: Awaited<ReturnType<ExperimentService['start']>> } | { ok: false; err: unknown };

/** What the progress card shows until the runner's first report: the clones being created. */
function firstProgress(experimentId: string, plan: ExperimentPlan): ExperimentProgress {
  return { experimentId, kind: plan.kind, pipelineName: plan.pipelineName, step: 'creating', variant: null, iteration: null, iterations: plan.iterations, done: 0, total: plan.iterations * plan.variants.length, elapsedMs: 0, updateElapsedMs: null, spentDollars: 0, maxDollars: plan.maxDollars };
}

/** The apply preview's Confirm, told which card the Apply was clicked in (`source_id`). */
function withSourceId(card: AdaptiveCard, sourceId: string): AdaptiveCard {
  const actions = card.actions?.map((a) => (a.type === 'Action.Submit' && a.data?.action === ALERT_ACTION_IDS.confirmApply ? { ...a, data: { ...a.data, source_id: sourceId } } : a));
  return actions ? { ...card, actions } : card;
}

export class DoctorTeamsBot extends ActivityHandler {
  private readonly recent = new RecentActivities();
  private readonly pending = new Set<Promise<void>>();

  /** the shared set (other replicas); a store that cannot answer admits the activity, said once */
  private readonly shared: SeenKeys | null;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.shared = deps.seen
      ? admitWhenUnavailable(deps.seen, (message) => deps.logger.warn(`Teams redelivery check: the shared store could not be read (${message}); activities are checked against this replica's own list until it answers`))
      : null;
    this.onMessage(async (context, next) => {
      const key = activityKey(context.activity);
      if (key && (this.recent.check(key, this.deps.now().getTime()) || (await this.shared?.check(key, this.deps.now().getTime())))) {
        this.deps.logger.info(`ignoring a redelivered activity ${context.activity.id}`);
        return;
      }
      await this.remember(context);
      const value: unknown = context.activity.value;
      if (value && typeof value === 'object' && 'action' in value) await this.handleSubmit(context, value);
      else await this.handleText(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.remember(context);
      await next();
    });
    // the Agents SDK dispatches installationUpdate only to the Add/Remove handlers (onInstallationUpdate is never called)
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
      await next();
    });
  }

  private async remember(context: TurnContext): Promise<void> {
    if (!this.deps.store) return;
    try {
      const channelData = context.activity.channelData as { team?: { id?: string } } | undefined;
      await this.deps.store.save(context.activity.getConversationReference(), channelData?.team?.id ?? null);
    } catch (err) {
      this.deps.logger.warn(`cannot store the conversation reference: ${describeError(err)}`);
    }
  }

  private async forget(context: TurnContext): Promise<void> {
    const id = context.activity.conversation?.id;
    if (this.deps.store && id) await this.deps.store.remove(id.split(';messageid=')[0]!).catch((err: unknown) => this.deps.logger.warn(`cannot forget the conversation: ${describeError(err)}`));
  }

  private async runCommand(context: TurnContext, text: string, onProgress?: CommandContext['onProgress']): Promise<Reply> {
    const ctx: CommandContext = {
      ...this.deps.context,
      ...(this.deps.experiments ? { experiments: this.deps.experiments } : {}),
      source: this.deps.source,
      surface: 'teams',
      channelId: context.activity.conversation?.id.split(';messageid=')[0],
      userId: userIdOf(context),
      // `apply` previews (and benchmark / ab-test plans) only for a teams: allow-list entry from an
      // allowed tenant, in msteams
      applyActor: actorOf(context),
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

  /** Resolves once every command finished after its turn has delivered its card (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /**
   * Runs the command. A work command still running after `progressAfterMs` gets a placeholder (or,
   * with `replaceId`, keeps the card the button sits in) and the turn ends; the card replaces that
   * message later in a new turn (finishLater). Everything else answers within the turn.
   */
  private async answer(context: TurnContext, text: string, o: { replaceId?: string; render?: Render } = {}): Promise<void> {
    const { name, subject } = parseHead(text);
    const render = o.render ?? toAdaptiveCard;
    const running = this.runCommand(context, text);
    if (WORK_COMMANDS.has(name)) {
      let timer: NodeJS.Timeout | undefined;
      const slow = await Promise.race([
        running.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.deps.progressAfterMs ?? 1500);
        }),
      ]);
      clearTimeout(timer);
      if (slow) {
        let placeholderId = o.replaceId;
        if (!placeholderId) {
          const sent = await context.sendActivity(progressActivity(name, subject)).catch((err: unknown) => {
            this.deps.logger.warn(`progress message failed: ${describeError(err)}`);
            return undefined;
          });
          placeholderId = sent?.id || undefined;
        }
        if (placeholderId && this.deps.continueIn) {
          this.track(this.finishLater(context.activity.getConversationReference(), running, { id: placeholderId, replacing: Boolean(o.replaceId), render, text }));
          return;
        }
        await this.deliver(context, await running, render, { id: placeholderId, replacing: Boolean(o.replaceId) });
        return;
      }
    }
    await this.deliver(context, await running, render, { id: o.replaceId, replacing: Boolean(o.replaceId) });
  }

  /**
   * Posts the card, or replaces message `target.id` with it. A failed re-diagnosis (`replacing`)
   * keeps the previous card and answers below it.
   */
  private async deliver(context: TurnContext, reply: Reply, render: Render, target: { id: string | undefined; replacing: boolean }): Promise<void> {
    const card = render(reply);
    const message = cardMessage(card);
    if (target.id && !(target.replacing && reply.kind === 'error')) {
      message.id = target.id;
      try {
        await context.updateActivity(message);
        await this.rememberCard(target.id, card);
        return;
      } catch (err) {
        this.deps.logger.warn(`updating message ${target.id} failed, posting instead: ${describeError(err)}`);
        delete message.id;
      }
    }
    const sent = await context.sendActivity(message);
    if (sent?.id) await this.rememberCard(sent.id, card);
  }

  /** A card with an Apply button is kept, so the fix applied from it can be marked on it later. */
  private async rememberCard(activityId: string, card: AdaptiveCard): Promise<void> {
    if (!this.deps.store || !hasApplyButton(card)) return;
    try {
      await this.deps.store.rememberCard(activityId, card);
    } catch (err) {
      this.deps.logger.warn(`keeping card ${activityId} for its applied mark failed: ${describeError(err)}`);
    }
  }

  /**
   * After an apply: the card the fix was applied from (`sourceId`) is edited in place, its Apply
   * button giving way to "✓ Applied by … at …". Best effort: the apply itself is already done.
   */
  private async markSource(context: TurnContext, sourceId: string, recommendationId: string): Promise<void> {
    const stored = await this.deps.store?.card(sourceId).catch(() => null);
    if (!stored) return;
    const who = context.activity.from?.name || 'a Teams user';
    const marked = markAppliedCard(stored, recommendationId, who, this.deps.now().getTime());
    if (!marked) return;
    const message = cardMessage(marked);
    message.id = sourceId;
    try {
      await context.updateActivity(message);
      await this.deps.store!.rememberCard(sourceId, marked);
    } catch (err) {
      this.deps.logger.warn(`marking card ${sourceId} as applied failed: ${describeError(err)}`);
    }
  }

  /** The rest of a slow command, after its turn ended: the card replaces the placeholder. Never rejects. */
  private async finishLater(reference: ConversationReference, running: Promise<Reply>, o: { id: string; replacing: boolean; render: Render; text: string }): Promise<void> {
    const reply = await running; // runCommand turns every failure into an error Reply
    try {
      await this.inNewTurn(reference, async (context) => {
        let card: AdaptiveCard;
        try {
          card = o.render(reply);
        } catch (err) {
          this.deps.logger.error(`rendering dlt ${o.text} failed: ${describeError(err)}`);
          card = toAdaptiveCard(errorReplyFrom(err));
        }
        await this.deliver(context, reply, () => card, { id: o.id, replacing: o.replacing });
      });
    } catch (err) {
      this.deps.logger.error(`delivering the result of dlt ${o.text} failed: ${describeError(err)}`);
    }
  }

  /**
   * `fn` in a new turn of the conversation (deps.continueIn). A post there (not an update) is a new
   * message in the conversation or thread, not a reply to the continuation activity the SDK makes up.
   */
  private async inNewTurn(reference: ConversationReference, fn: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.deps.continueIn!(reference, async (context) => {
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      await fn(context);
    });
  }

  private async handleText(context: TurnContext): Promise<void> {
    const text = commandText(context) || 'help';
    await this.answer(context, text);
  }

  private async handleSubmit(context: TurnContext, raw: object): Promise<void> {
    if (EXPERIMENT_ACTIONS.has((raw as { action?: unknown }).action)) {
      await this.handleExperimentSubmit(context, raw);
      return;
    }
    const parsed = submitSchema.safeParse(raw);
    if (!parsed.success) {
      if ((raw as { action?: unknown }).action === ALERT_ACTION_IDS.confirmApply) {
        // a Confirm that carries no readable fix: every apply attempt is audited
        const conversation = context.activity.conversation?.id ?? '';
        await this.deps.apply?.auditInvalid?.({ userId: context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '', surface: 'teams', channel: conversation.split(';messageid=')[0] || null, threadTs: conversation.split(';messageid=')[1] || null, what: 'Confirm card payload' });
      }
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'BAD_USAGE', message: 'This button no longer carries a pipeline. Run `dlt why-slow <pipeline>` again.', hint: null, suggestions: [], usage: 'why-slow <pipeline>' })));
      return;
    }
    const data = parsed.data;
    if (data.action === MUTE_ACTION_ID) {
      // the command the Slack alert's Mute button ends in; alerts context comes from main's `run`
      await this.answer(context, `alerts mute ${token(data.pipeline_id)} ${data.duration}`);
      return;
    }
    if (data.action in INCIDENT_COMMAND) {
      await this.answer(context, `alerts ${INCIDENT_COMMAND[data.action as keyof typeof INCIDENT_COMMAND]} ${token(data.pipeline_id)}`);
      return;
    }
    const { action, pipeline_id, update_id } = data as Exclude<typeof data, { action: keyof typeof INCIDENT_COMMAND }>;
    const pipeline = token(pipeline_id);
    if (data.action === APPLY_ACTION_ID) {
      // the preview (exact diff) with a Confirm button, in the thread; the Confirm carries the card
      // the Apply was clicked in (replyToId), which is marked "✓ Applied by …" once it is done
      const sourceId = context.activity.replyToId;
      const render: Render = (reply) => (reply.kind === 'apply-preview' && sourceId ? withSourceId(toAdaptiveCard(reply), sourceId) : toAdaptiveCard(reply));
      await this.answer(context, `apply ${token(data.recommendation_id)} --pipeline ${pipeline}${update_id ? ` --update ${token(update_id)}` : ''}`, { render });
      return;
    }
    if (data.action === ALERT_ACTION_IDS.confirmApply) {
      await this.confirmApply(context, data);
      return;
    }
    if (action === ACTION_IDS.showFixes) {
      // the submit activity sits in the card's thread (channel: conversation id ;messageid=root), so a reply lands there
      await this.answer(context, `why-slow ${pipeline}${update_id ? ` --update ${token(update_id)}` : ''}`, { render: (reply) => (reply.kind === 'diagnosis' ? allFixesCard(reply.diagnosis) : toAdaptiveCard(reply)) });
      return;
    }
    if (action === ACTION_IDS.compare) {
      // "Compare with baseline": A the update closest to the baseline median, B the one on the card
      await this.answer(context, `compare ${pipeline} --baseline${update_id ? ` ${token(update_id)}` : ''}`);
      return;
    }
    // re-diagnose: the message holding the card is the one the button was clicked in (replyToId)
    const cardId = context.activity.replyToId;
    await this.answer(context, `why-slow ${pipeline}`, cardId ? { replaceId: cardId } : {});
  }

  private async confirmApply(context: TurnContext, data: { pipeline_id: string; update_id?: string | null | undefined; recommendation_id: string; last_modified?: number | null | undefined; source_id?: string | null | undefined }): Promise<void> {
    const apply = this.deps.apply;
    if (!apply) {
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'CONFIG', message: 'Apply is not enabled on this dlt-doctor server.', hint: 'Copy the setting into the pipeline yourself, or ask whoever runs dlt-doctor to enable apply.', suggestions: [], usage: null })));
      return;
    }
    const result = await apply.confirm({
      pipeline: data.pipeline_id,
      updateId: data.update_id ?? null,
      recommendationId: data.recommendation_id,
      // shown and audited; the allow-list check uses `teams` (teams:<aadObjectId>, tenant, msteams) only
      userId: context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '',
      surface: 'teams',
      teams: teamsIdentityOf(context.activity),
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
    // never in the way of the outcome: a failed mark is logged
    if (result.ok && data.source_id) await this.markSource(context, data.source_id, data.recommendation_id).catch((err: unknown) => this.deps.logger.warn(`marking card ${data.source_id} as applied failed: ${describeError(err)}`));
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

  /** dlt_experiment_start / dlt_experiment_cancel, validated here: `value` is whatever was posted. */
  private async handleExperimentSubmit(context: TurnContext, raw: object): Promise<void> {
    const start = (raw as { action?: unknown }).action === EXPERIMENT_ACTION_IDS.start;
    const parsed = start ? experimentStartSchema.safeParse(raw) : experimentCancelSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.logger.warn(`unreadable ${start ? 'Start' : 'Cancel'} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ').slice(0, 300)}`);
      const message = start
        ? 'This Start button carries no readable benchmark or A/B test, so nothing was started. Run `dlt benchmark <pipeline>` or `dlt ab-test <pipeline> <fix>` again.'
        : 'This Cancel button carries no readable experiment id. Use `dlt benchmark cancel <pipeline>` (or `dlt ab-test cancel <pipeline>`).';
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'BAD_USAGE', message, hint: null, suggestions: [], usage: start ? 'benchmark <pipeline> | ab-test <pipeline> <recommendation-id | key=value …>' : 'benchmark cancel <pipeline>' })));
      return;
    }
    const experiments = this.deps.experiments;
    if (!experiments) {
      await context.sendActivity(textCard(EXPERIMENTS_OFF));
      return;
    }
    const data = parsed.data;
    if ('request' in data) await this.startExperiment(context, experiments, data.request);
    else await this.cancelExperiment(context, experiments, data.experiment_id);
  }

  private async cancelExperiment(context: TurnContext, experiments: ExperimentService, experimentId: string): Promise<void> {
    const actor = actorOf(context);
    let reply: Reply;
    if (!experiments.canRun(actor)) reply = { kind: 'error', code: 'PERMISSION_DENIED', message: CANCEL_REFUSED, hint: null, suggestions: [], usage: null };
    else {
      try {
        const e = await experiments.cancel(experimentId, { userId: userIdOf(context) ?? null, actor });
        reply = { kind: 'text', text: `Canceling the ${e.kind} ${e.id} of ${e.pipelineName}: its running update is stopped and its clones are deleted. The result card follows.` };
      } catch (err) {
        this.deps.logger.warn(`cancel of experiment ${experimentId} failed: ${describeError(err)}`);
        reply = errorReplyFrom(err);
      }
    }
    await context.sendActivity(cardMessage(toAdaptiveCard(reply)));
  }

  /**
   * Starts the experiment as the person who clicked. Refused, busy (one per pipeline) or unplannable:
   * the error card, nothing started. Started: the plan card that was clicked (replyToId) gives way
   * to the progress card, edited as the runner reports (at most every `progressUpdateMs`, always the
   * newest), then to the result card. Teams replaces a card the bot sent with updateActivity on the
   * id of the message the button sits in, the incoming activity's replyToId
   * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages);
   * the edits after this turn run in new turns of the same conversation (continueIn).
   */
  private async startExperiment(context: TurnContext, experiments: ExperimentService, request: ExperimentRequest): Promise<void> {
    const actor = actorOf(context);
    if (!experiments.canRun(actor)) {
      // the service checks again; refused here, nothing is read from Databricks either
      await context.sendActivity(cardMessage(toAdaptiveCard({ kind: 'error', code: 'PERMISSION_DENIED', message: EXPERIMENT_REFUSED, hint: null, suggestions: [], usage: null })));
      return;
    }
    const reference = context.activity.getConversationReference();
    const later = Boolean(this.deps.continueIn);
    // the message the progress is shown in: the clicked plan card, else the one posted instead
    const card: { id: string | null } = { id: context.activity.replyToId || null };
    const updates = throttle<ExperimentProgress>(async (p) => {
      const id = card.id;
      if (!id || !later) return;
      // a missed edit is only a stale progress line: logged, and the experiment goes on. Caught
      // inside the turn too: an error escaping it would reach the adapter's onTurnError, which posts
      const failed = (err: unknown) => this.deps.logger.warn(`updating the progress card ${id} failed: ${describeError(err)}`);
      await this.inNewTurn(reference, async (turn) => {
        const message = cardMessage(progressCard(p));
        message.id = id;
        await turn.updateActivity(message).catch(failed);
      }).catch(failed);
    }, this.deps.progressUpdateMs ?? PROGRESS_UPDATE_MS);
    const conversation = context.activity.conversation?.id ?? '';
    const starting: Promise<Starting> = experiments
      .start(request, {
        userId: userIdOf(context) ?? null,
        actor,
        surface: 'teams',
        channel: conversation.split(';messageid=')[0] || null,
        threadTs: null,
        onProgress: (p) => {
          try {
            updates.push(p);
          } catch (err) {
            this.deps.logger.warn(`experiment progress: ${describeError(err)}`);
          }
        },
      })
      .then((value): Starting => ({ ok: true, value }), (err: unknown): Starting => ({ ok: false, err }));
    const o = { request, updates, reference, card, userId: userIdOf(context) ?? null };
    // start() reads the pipeline from Databricks (and diagnoses it for an A/B test) before it
    // returns: a slow start goes on in a new turn, as a slow command does, so /api/messages is
    // answered before the Bot Connector's ~15 s retry (see finishLater)
    let timer: NodeJS.Timeout | undefined;
    const inTime = later
      ? await Promise.race([starting, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.deps.progressAfterMs ?? 1500)))])
      : await starting;
    clearTimeout(timer);
    if (inTime) {
      await this.experimentStarted(context, inTime, o);
      return;
    }
    this.track(
      starting
        .then((s) => this.inNewTurn(reference, (turn) => this.experimentStarted(turn, s, o)))
        .catch((err: unknown) => this.deps.logger.error(`starting the ${request.kind} of ${request.pipeline} failed: ${describeError(err)}`)),
    );
  }

  /** Keeps a background task for idle() (tests, shutdown). */
  private track(task: Promise<void>): void {
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /**
   * In `turn` (the click's, or a new one when the start was slow): the error card, or the plan card
   * replaced by the progress card (posted instead when it cannot be edited) and the wait for the
   * result in the background.
   */
  private async experimentStarted(turn: TurnContext, s: Starting, o: { request: ExperimentRequest; updates: Throttle<ExperimentProgress>; reference: ConversationReference; card: { id: string | null }; userId: string | null }): Promise<void> {
    const { updates, card } = o;
    if (!s.ok) {
      await updates.close();
      this.deps.logger.warn(`starting the ${o.request.kind} of ${o.request.pipeline} failed: ${describeError(s.err)}`);
      await turn.sendActivity(cardMessage(toAdaptiveCard(errorReplyFrom(s.err))));
      return;
    }
    const { experimentId, plan, done } = s.value;
    this.deps.logger.info(`${plan.kind} ${experimentId} of ${plan.pipelineName} started by ${o.userId ?? 'someone'}`);
    // the plan card becomes the progress card at once: its Start is not pressed twice
    const first = cardMessage(progressCard(updates.take() ?? firstProgress(experimentId, plan)));
    if (card.id) {
      first.id = card.id;
      try {
        await turn.updateActivity(first);
      } catch (err) {
        this.deps.logger.warn(`replacing the plan card ${card.id} failed, posting the progress instead: ${describeError(err)}`);
        delete first.id;
        card.id = null;
      }
    }
    if (!card.id) {
      const sent = await turn.sendActivity(first).catch((err: unknown) => {
        this.deps.logger.warn(`posting the progress card failed: ${describeError(err)}`);
        return undefined;
      });
      card.id = sent?.id || null;
    }
    updates.release();
    // `open`: the click's turn when there is no continueIn (it is still open), else null
    const finish = async (open: TurnContext | null) => {
      const outcome = await done.catch((err: unknown): null => {
        this.deps.logger.error(`experiment ${experimentId} failed: ${describeError(err)}`);
        return null;
      });
      await updates.close();
      const reply: Reply = outcome ? { kind: 'experiment-result', plan, outcome } : { kind: 'error', code: 'INTERNAL', message: `The ${plan.kind} ${experimentId} of ${plan.pipelineName} ended unexpectedly. The details were logged for the operator.`, hint: null, suggestions: [], usage: null };
      await this.deliverResult(open, o.reference, reply, card.id, outcome);
    };
    if (!this.deps.continueIn) {
      // no way to come back after this turn: the result is awaited within it
      await finish(turn);
      return;
    }
    this.track(finish(null).catch((err: unknown) => this.deps.logger.error(`delivering the result of experiment ${experimentId} failed: ${describeError(err)}`)));
  }

  /**
   * The result replaces the progress card (`cardId`); if it cannot be edited the result is posted as
   * a new message in the conversation (deliver). Rendered through toAdaptiveCard, which fits the
   * card to the size budget.
   */
  private async deliverResult(turn: TurnContext | null, reference: ConversationReference, reply: Reply, cardId: string | null, outcome: ExperimentOutcome | null): Promise<void> {
    let card: AdaptiveCard;
    try {
      card = toAdaptiveCard(reply);
    } catch (err) {
      this.deps.logger.error(`rendering the result of experiment ${outcome?.experimentId ?? '?'} failed: ${describeError(err)}`);
      card = toAdaptiveCard(errorReplyFrom(err));
    }
    const target = { id: cardId ?? undefined, replacing: false };
    if (turn) {
      await this.deliver(turn, reply, () => card, target);
      return;
    }
    await this.inNewTurn(reference, (context) => this.deliver(context, reply, () => card, target));
  }
}
