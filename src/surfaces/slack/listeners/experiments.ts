/**
 * Benchmark and A/B-test interactions in Slack and the console (issue 18):
 * - dlt_experiment_start (Start under a plan): the request is validated here (zod), planned again
 *   and checked against the apply allow-list by the service (a forged button changes nothing);
 *   the plan message becomes the progress message, edited per step ("B 2/3 running · 7m", at most
 *   every 2 s), and finally the result — runs, averages, the decision, Apply when it says apply —
 *   with the throughput chart in its thread.
 * - dlt_experiment_cancel (Cancel on the progress message): asks the service to stop it; the running
 *   update is stopped and the clones deleted, and the message shows the outcome.
 * Refusals and errors are ephemeral notes to the person who clicked; never a stack trace.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { parseButtonValue } from './button-value.js';
import { experimentIdSchema, experimentRequestSchema } from '../../../experiment/request-schema.js';
import { DoctorError } from '../../../errors.js';
import type { ExperimentService } from '../../../experiment/service.js';
import type { ExperimentProgress } from '../../../experiment/types.js';
import { EXPERIMENT_ACTION_IDS, renderExperimentProgress, renderExperimentResult } from '../../../../templates/blocks/experiment.js';
import { esc, fallbackText, section } from '../../../../templates/blocks/format.js';
import type { SlackPayload } from '../../../../templates/blocks/types.js';
import { uploadExperimentChart, type FilesClient } from '../chart.js';
import type { WebClient } from '../publish.js';
import { redactingRespond } from '../redact.js';

/** the Start button's value, and the Cancel button's (one schema with Teams: src/experiment/request-schema.ts) */
export const StartValue = experimentRequestSchema;
export const CancelValue = z.strictObject({ experiment_id: experimentIdSchema });

export interface ExperimentActionDeps {
  experiments: ExperimentService;
  logger: { warn(...m: unknown[]): void };
  /** charts off (no files:write): the result has no chart */
  charts?: boolean;
  /** how often the progress message is edited, at most (default 2 s) */
  editEveryMs?: number;
}

const note = (text: string): SlackPayload => ({ text: fallbackText(text), blocks: [section(esc(text))] });

const parse = parseButtonValue;

interface Click {
  body: Pick<BlockAction, 'user'> & { channel?: { id: string }; message?: { ts: string; thread_ts?: string } };
  action: Pick<ButtonAction, 'action_id' | 'value'>;
  ack: () => Promise<void>;
  client: WebClient;
  /** the click's response_url: replaces an ephemeral plan (a slash command's answer to its asker) */
  respond?: (message: { replace_original: boolean; text: string; blocks?: unknown[] }) => Promise<unknown>;
}

async function tell(client: WebClient, channel: string, user: string, text: string, threadTs?: string): Promise<void> {
  await client.chat.postEphemeral({ channel, user, ...note(text), ...(threadTs ? { thread_ts: threadTs } : {}) }).catch(() => undefined);
}

const messageOf = (err: unknown) => (err instanceof DoctorError ? [err.message, err.hint].filter(Boolean).join(' ') : 'The experiment could not be started; try again in a minute.');

export async function handleExperimentStart(c: Click, deps: ExperimentActionDeps): Promise<void> {
  await c.ack();
  const channel = c.body.channel?.id;
  const user = c.body.user.id;
  // the message to edit: the plan itself when it is a channel message; a slash command's plan is
  // ephemeral (Slack sends no `message` for it, and chat.update cannot edit it), so the progress
  // gets a message of its own in the channel, for everyone to follow
  let ts = c.body.message?.ts;
  const threadTs = c.body.message?.thread_ts;
  if (!channel) return;
  const request = parse(StartValue, c.action.value);
  if (!request) {
    await tell(c.client, channel, user, 'This Start button could not be read; run the command again.');
    return;
  }
  let started: Awaited<ReturnType<ExperimentService['start']>>;
  // edits of the progress message, serialized and throttled: always the newest state, at most every editEveryMs
  let pending: ExperimentProgress | null = null;
  let editing: Promise<void> = Promise.resolve();
  let lastEdit = 0;
  const every = deps.editEveryMs ?? 2000;
  const edit = (payload: SlackPayload) => {
    const at = ts;
    if (!at) return Promise.resolve();
    editing = editing.then(() => c.client.chat.update({ channel, ts: at, ...payload }).then(() => undefined, (err: unknown) => deps.logger.warn(`experiment progress edit failed: ${err instanceof Error ? err.message : String(err)}`)));
    return editing;
  };
  const onProgress = (p: ExperimentProgress) => {
    pending = p;
    const now = Date.now();
    if (now - lastEdit < every && p.step !== 'creating' && p.step !== 'cleaning') return;
    lastEdit = now;
    const latest = pending;
    pending = null;
    void edit(renderExperimentProgress(latest));
  };
  try {
    started = await deps.experiments.start(request, { userId: user, actor: { platform: 'slack', userId: user }, surface: 'slack', channel, threadTs: ts ?? null, onProgress });
    if (!ts) {
      const posted = await c.client.chat.postMessage({ channel, ...note(`<@${user}> started a ${request.kind} of ${started.plan.pipelineName} (${started.experimentId}).`), ...(threadTs ? { thread_ts: threadTs } : {}) }).catch(() => null);
      ts = typeof posted?.ts === 'string' ? posted.ts : undefined;
      await c.respond?.({ replace_original: true, text: `Started: progress and the result are in the channel (experiment ${started.experimentId}).` }).catch((err: unknown) => deps.logger.warn(`replacing the plan failed: ${err instanceof Error ? err.message : String(err)}`));
      if (pending) void edit(renderExperimentProgress(pending));
    }
  } catch (err) {
    if (!(err instanceof DoctorError)) deps.logger.warn(`experiment start failed: ${err instanceof Error ? err.message : String(err)}`);
    await tell(c.client, channel, user, messageOf(err), c.body.message?.thread_ts);
    return;
  }
  const outcome = await started.done;
  await editing;
  const reply = { kind: 'experiment-result' as const, plan: started.plan, outcome };
  if (ts) await edit(renderExperimentResult(reply));
  else await c.client.chat.postMessage({ channel, ...renderExperimentResult(reply) }).catch(() => undefined);
  if (deps.charts !== false && ts) {
    await uploadExperimentChart(c.client as unknown as FilesClient, outcome, { channel, threadTs: ts }).catch((err: unknown) => deps.logger.warn(`experiment chart upload failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

export async function handleExperimentCancel(c: Click, deps: ExperimentActionDeps): Promise<void> {
  await c.ack();
  const channel = c.body.channel?.id;
  const user = c.body.user.id;
  if (!channel) return;
  const v = parse(CancelValue, c.action.value);
  if (!v) {
    await tell(c.client, channel, user, 'This Cancel button could not be read.');
    return;
  }
  try {
    const e = await deps.experiments.cancel(v.experiment_id, { userId: user, actor: { platform: 'slack', userId: user } });
    await tell(c.client, channel, user, `Canceling the ${e.kind} of ${e.pipelineName}: its running update is stopped and its clones deleted; this message shows the outcome.`);
  } catch (err) {
    await tell(c.client, channel, user, messageOf(err));
  }
}

export function registerExperimentActions(app: App, deps: ExperimentActionDeps): void {
  app.action<BlockAction<ButtonAction>>(EXPERIMENT_ACTION_IDS.start, async ({ body, action, ack, client, respond }) => {
    await handleExperimentStart({ body, action, ack: () => ack(), client, respond: redactingRespond(respond) as Click['respond'] }, deps).catch((err: unknown) => deps.logger.warn(`experiment start click failed: ${err instanceof Error ? err.message : String(err)}`));
  });
  app.action<BlockAction<ButtonAction>>(EXPERIMENT_ACTION_IDS.cancel, async ({ body, action, ack, client }) => {
    await handleExperimentCancel({ body, action, ack: () => ack(), client }, deps).catch((err: unknown) => deps.logger.warn(`experiment cancel click failed: ${err instanceof Error ? err.message : String(err)}`));
  });
}
