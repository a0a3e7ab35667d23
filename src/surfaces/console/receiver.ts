/**
 * A Bolt Receiver for the console: turns "the user typed /dlt …", "the user clicked a button" and
 * "the user submitted (or closed) a modal" into the very bodies Slack sends (slash command,
 * block_actions, view_submission, view_closed) and hands them to
 * `app.processEvent`, as Bolt's own receivers do. The listeners of the Slack surface handle them
 * unchanged; what they post goes to the FakeSlackApi through the injected fetch.
 *
 * Like Slack, a request is answered as soon as the listener acks; the work goes on afterwards and
 * shows up as message events. An ack carrying a message is shown as Slack shows it (ephemeral
 * unless response_type is in_channel). A view_submission ack follows Slack's response_action
 * contract (https://docs.slack.dev/surfaces/modals#updating_response): none closes the view,
 * "errors" keeps it open with the errors, "update" replaces it, "clear" closes it.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { z } from 'zod';
import { CONSOLE_TEAM_ID, CONSOLE_USER_ID, slackView, type ConsoleMessage, type FakeSlackApi } from './fake-slack-api.js';

export const CONSOLE_COMMAND = '/dlt';
/** How long a request waits for its ack (Slack gives up after 3 s). */
const ACK_TIMEOUT_MS = 3000;

export class ConsoleRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Dispatch {
  /** resolves when the listener acked (or rejects after 3 s without an ack) */
  acked: Promise<void>;
  /** what the listener acked with (undefined for a bare ack()) */
  response: Promise<unknown>;
  /** resolves when every listener has finished (processEvent returned) */
  done: Promise<void>;
}

export interface ConsoleReceiverOptions {
  api: FakeSlackApi;
  userId?: string;
  userName?: string;
  teamId?: string;
  command?: string;
  onError?: (err: unknown) => void;
}

interface ButtonFound {
  blockId: string | undefined;
  element: { type: 'button'; action_id: string; value?: string; url?: string; text?: unknown; style?: string };
}

/** What a view_submission's ack may carry back (https://docs.slack.dev/surfaces/modals#updating_response). */
const ViewAck = z.union([
  z.object({ response_action: z.literal('errors'), errors: z.record(z.string(), z.string()) }),
  z.object({ response_action: z.enum(['update', 'push']), view: z.unknown() }),
  z.object({ response_action: z.literal('clear') }),
]);

export interface ViewSubmissionResult {
  /** true when the view closed (a bare ack, or "clear") */
  closed: boolean;
  /** block_id → message, when the app answered "errors" (the view stays open) */
  errors?: Record<string, string>;
}

/**
 * The clicked button of a stored message. Slack lets buttons share an action_id across blocks
 * (every fix's Apply is `dlt_apply`, told apart by its value), so the click names the button by its
 * action_id and, when there are several, its block_id and value; both must be a button the message
 * holds (a click cannot invent a value).
 */
function findButton(message: ConsoleMessage, actionId: string, which: { value?: string; blockId?: string } = {}): ButtonFound | undefined {
  for (const block of message.blocks as { type?: string; block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
    if (which.blockId !== undefined && block.block_id !== which.blockId) continue;
    const candidates = [...(block.type === 'actions' ? (block.elements ?? []) : []), ...(block.accessory ? [block.accessory] : [])];
    for (const el of candidates as ButtonFound['element'][]) {
      if (el?.type !== 'button' || el.action_id !== actionId) continue;
      if (which.value !== undefined && el.value !== which.value) continue;
      return { blockId: block.block_id, element: el };
    }
  }
  return undefined;
}

export class ConsoleReceiver implements Receiver {
  private app: App | undefined;
  private readonly api: FakeSlackApi;
  private readonly userId: string;
  private readonly userName: string;
  private readonly teamId: string;
  private readonly command: string;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: ConsoleReceiverOptions) {
    this.api = options.api;
    this.userId = options.userId ?? CONSOLE_USER_ID;
    this.userName = options.userName ?? 'you';
    this.teamId = options.teamId ?? CONSOLE_TEAM_ID;
    this.command = options.command ?? CONSOLE_COMMAND;
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Waits for work still running (a diagnosis after its ack) so shutdown does not cut it. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /** `/dlt <text>` typed in `channel` (id or name). */
  slashCommand(channel: string, text: string): Dispatch {
    const c = this.api.findChannel(channel);
    if (!c) throw new ConsoleRequestError(404, `No channel ${channel}.`);
    const responseUrl = this.api.createResponseUrl({ channel: c.id, user: this.userId });
    const body = {
      token: 'console',
      team_id: this.teamId,
      team_domain: 'console',
      channel_id: c.id,
      channel_name: c.name,
      user_id: this.userId,
      user_name: this.userName,
      command: this.command,
      text,
      api_app_id: 'A_CONSOLE',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: this.api.createTrigger(this.userId),
    };
    return this.dispatch(body, this.messageAck(c.id, undefined));
  }

  /**
   * A click on button `actionId` of message `messageTs` (the one with `which.value` / `which.blockId`
   * when several share the action_id). The payload's value comes from the stored message, as in Slack.
   */
  action(channel: string, messageTs: string, actionId: string, which: { value?: string; blockId?: string } = {}): Dispatch {
    const c = this.api.findChannel(channel);
    if (!c) throw new ConsoleRequestError(404, `No channel ${channel}.`);
    const message = this.api.message(c.id, messageTs);
    if (!message) throw new ConsoleRequestError(404, `No message ${messageTs} in #${c.name}.`);
    const found = findButton(message, actionId, which);
    if (!found) throw new ConsoleRequestError(400, `That message has no button ${actionId}${which.value !== undefined || which.blockId !== undefined ? ' with that value' : ''}.`);
    const threadTs = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    const responseUrl = this.api.createResponseUrl({ channel: c.id, user: this.userId, messageTs: message.ts, ...(threadTs ? { threadTs } : {}) });
    const slackMessage = {
      type: 'message',
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      user: message.user,
      ...(message.bot_id ? { bot_id: message.bot_id } : {}),
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    };
    const body = {
      type: 'block_actions',
      team: { id: this.teamId, domain: 'console' },
      user: { id: this.userId, username: this.userName, name: this.userName, team_id: this.teamId },
      api_app_id: 'A_CONSOLE',
      token: 'console',
      trigger_id: this.api.createTrigger(this.userId),
      container: { type: 'message', message_ts: message.ts, channel_id: c.id, is_ephemeral: Boolean(message.ephemeral), ...(threadTs ? { thread_ts: threadTs } : {}) },
      channel: { id: c.id, name: c.name },
      // Slack sends no `message` for a click on an ephemeral message
      ...(message.ephemeral ? {} : { message: slackMessage }),
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: found.blockId ?? 'console',
          text: found.element.text ?? { type: 'plain_text', text: actionId },
          ...(found.element.value !== undefined ? { value: found.element.value } : {}),
          ...(found.element.url ? { url: found.element.url } : {}),
          ...(found.element.style ? { style: found.element.style } : {}),
          action_ts: String(Date.now() / 1000),
        },
      ],
    };
    return this.dispatch(body, this.messageAck(c.id, threadTs));
  }

  /**
   * The user pressed the submit button of view `viewId`: a view_submission body, as Slack sends it
   * (no input blocks in our modals, so `state.values` is empty). Resolves once the app acked, with
   * what became of the view.
   */
  async viewSubmission(viewId: string): Promise<ViewSubmissionResult & { done: Promise<void> }> {
    const view = this.api.view(viewId);
    if (!view || view.user !== this.userId) throw new ConsoleRequestError(404, 'That dialog is no longer open.');
    if (!view.submit) throw new ConsoleRequestError(400, 'That dialog has no submit button.');
    const body = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'console' },
      user: { id: this.userId, username: this.userName, name: this.userName, team_id: this.teamId },
      api_app_id: 'A_CONSOLE',
      token: 'console',
      trigger_id: this.api.createTrigger(this.userId),
      view: slackView(view),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    let result: ViewSubmissionResult = { closed: false };
    const d = this.dispatch(body, (response) => {
      const r = ViewAck.safeParse(response);
      if (!r.success) {
        // a bare ack() (or one Slack would ignore) closes the view
        this.api.closeView(viewId);
        result = { closed: true };
      } else if (r.data.response_action === 'errors') {
        result = { closed: false, errors: r.data.errors };
      } else if (r.data.response_action === 'clear') {
        this.api.closeView(viewId);
        result = { closed: true };
      } else {
        // "push" stacks a view in Slack; the console shows one dialog, so it replaces it
        this.api.replaceView(viewId, r.data.view);
      }
    });
    await d.acked;
    return { ...result, done: d.done };
  }

  /**
   * The user closed view `viewId` (Cancel or ×). Slack sends view_closed only to a view opened with
   * notify_on_close; otherwise the view just closes.
   */
  async viewClosed(viewId: string): Promise<{ done: Promise<void> }> {
    const view = this.api.view(viewId);
    if (!view || view.user !== this.userId) throw new ConsoleRequestError(404, 'That dialog is no longer open.');
    this.api.closeView(viewId);
    if (!view.notify_on_close) return { done: Promise.resolve() };
    const body = {
      type: 'view_closed',
      team: { id: this.teamId, domain: 'console' },
      user: { id: this.userId, username: this.userName, name: this.userName, team_id: this.teamId },
      api_app_id: 'A_CONSOLE',
      token: 'console',
      view: slackView(view),
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    };
    const d = this.dispatch(body, () => undefined);
    // the view is gone either way; an app without a view_closed listener is no error
    await d.acked.catch(() => undefined);
    return { done: d.done };
  }

  /** An ack carrying a message shows like Slack shows it: ephemeral unless response_type is in_channel. */
  private messageAck(channel: string, threadTs: string | undefined): (response: unknown) => void {
    return (response) => {
      const msg = typeof response === 'string' ? { text: response } : (response as { text?: string; blocks?: unknown[]; response_type?: string } | undefined);
      if (msg && (msg.text || msg.blocks)) {
        this.api.post(channel, { text: msg.text, blocks: msg.blocks, ephemeral: msg.response_type !== 'in_channel', ...(threadTs ? { thread_ts: threadTs } : {}) });
      }
    };
  }

  private dispatch(body: Record<string, unknown>, onAck: (response: unknown) => void): Dispatch {
    const app = this.app;
    if (!app) throw new ConsoleRequestError(503, 'The bot is not ready yet.');
    let resolveAck!: (response: unknown) => void;
    let rejectAck!: (err: Error) => void;
    const response = new Promise<unknown>((resolve, reject) => {
      resolveAck = resolve;
      rejectAck = reject;
    });
    const acked = response.then(() => undefined);
    let isAcked = false;
    const timer = setTimeout(() => rejectAck(new ConsoleRequestError(504, 'The bot did not answer within 3 seconds.')), ACK_TIMEOUT_MS);
    timer.unref?.();
    const ack = async (reply?: unknown) => {
      if (isAcked) return;
      isAcked = true;
      clearTimeout(timer);
      try {
        onAck(reply);
        resolveAck(reply);
      } catch (err) {
        rejectAck(err instanceof ConsoleRequestError ? err : new ConsoleRequestError(502, 'The bot answered with something the console cannot show.'));
      }
    };
    const done = app
      .processEvent({ body, ack } as ReceiverEvent)
      .catch((err: unknown) => {
        this.options.onError?.(err);
      })
      .finally(() => {
        // a listener that never acks (no listener matched) still ends the request
        if (!isAcked) {
          clearTimeout(timer);
          rejectAck(new ConsoleRequestError(404, 'Nothing handles that here.'));
        }
        this.inflight.delete(done);
      });
    // the caller may only await `done`; keep an unawaited rejection from crashing the process
    acked.catch(() => undefined);
    response.catch(() => undefined);
    this.inflight.add(done);
    return { acked, response, done };
  }
}
