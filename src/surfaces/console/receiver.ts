/**
 * A Bolt Receiver for the console: turns "the user typed /dlt …" and "the user clicked a button"
 * into the very bodies Slack sends (slash command, block_actions) and hands them to
 * `app.processEvent`, as Bolt's own receivers do. The listeners of the Slack surface handle them
 * unchanged; what they post goes to the FakeSlackApi through the injected fetch.
 *
 * Like Slack, a request is answered as soon as the listener acks; the work goes on afterwards and
 * shows up as message events. An ack carrying a message is shown as Slack shows it (ephemeral
 * unless response_type is in_channel).
 */
import { randomUUID } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { CONSOLE_TEAM_ID, CONSOLE_USER_ID, type ConsoleMessage, type FakeSlackApi } from './fake-slack-api.js';

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

function findButton(message: ConsoleMessage, actionId: string): ButtonFound | undefined {
  for (const block of message.blocks as { type?: string; block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
    const candidates = [...(block.type === 'actions' ? (block.elements ?? []) : []), ...(block.accessory ? [block.accessory] : [])];
    for (const el of candidates as ButtonFound['element'][]) {
      if (el?.type === 'button' && el.action_id === actionId) return { blockId: block.block_id, element: el };
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
      trigger_id: `console.${randomUUID()}`,
    };
    return this.dispatch(body, c.id, undefined);
  }

  /** A click on button `actionId` of message `messageTs`. The value comes from the stored message, as in Slack. */
  action(channel: string, messageTs: string, actionId: string): Dispatch {
    const c = this.api.findChannel(channel);
    if (!c) throw new ConsoleRequestError(404, `No channel ${channel}.`);
    const message = this.api.message(c.id, messageTs);
    if (!message) throw new ConsoleRequestError(404, `No message ${messageTs} in #${c.name}.`);
    const found = findButton(message, actionId);
    if (!found) throw new ConsoleRequestError(400, `That message has no button ${actionId}.`);
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
      trigger_id: `console.${randomUUID()}`,
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
    return this.dispatch(body, c.id, threadTs);
  }

  private dispatch(body: Record<string, unknown>, channel: string, threadTs: string | undefined): Dispatch {
    const app = this.app;
    if (!app) throw new ConsoleRequestError(503, 'The bot is not ready yet.');
    let resolveAck!: () => void;
    let rejectAck!: (err: Error) => void;
    const acked = new Promise<void>((resolve, reject) => {
      resolveAck = resolve;
      rejectAck = reject;
    });
    let isAcked = false;
    const timer = setTimeout(() => rejectAck(new ConsoleRequestError(504, 'The bot did not answer within 3 seconds.')), ACK_TIMEOUT_MS);
    timer.unref?.();
    const ack = async (response?: unknown) => {
      if (isAcked) return;
      isAcked = true;
      clearTimeout(timer);
      const msg = typeof response === 'string' ? { text: response } : (response as { text?: string; blocks?: unknown[]; response_type?: string } | undefined);
      if (msg && (msg.text || msg.blocks)) {
        this.api.post(channel, { text: msg.text, blocks: msg.blocks, ephemeral: msg.response_type !== 'in_channel', ...(threadTs ? { thread_ts: threadTs } : {}) });
      }
      resolveAck();
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
    this.inflight.add(done);
    return { acked, done };
  }
}
