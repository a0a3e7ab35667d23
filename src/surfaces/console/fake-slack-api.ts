/**
 * An in-process Slack: the subset of the Web API the bot calls, behind a `fetch`-compatible
 * function handed to Bolt as `clientOptions.fetch`. @slack/web-api 8 sends every method as a
 * form-encoded POST to https://slack.com/api/<method> (objects such as `blocks` JSON-encoded,
 * binary uploads as multipart), and Bolt's `respond()` POSTs JSON to the response_url; both land
 * here, so the Slack surface runs unchanged and the console shows exactly what it would post.
 *
 * Answers follow Slack's conventions: HTTP 200 with `{ ok: false, error }` for a refused call
 * (https://docs.slack.dev/apis/web-api/#responses). Every change is emitted as a ConsoleChange.
 *
 * Modals: views.open (with a trigger_id from a click or command, valid 3 s and once, as in Slack:
 * https://docs.slack.dev/interactivity/handling-user-interaction#modal_responses) and views.update
 * store the view and emit it; the page shows it as a dialog. Slack has no views.close method: a
 * view closes when the app acks its submission without a response_action, or the user cancels.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ConsolePersistence } from '../../store/console-messages.js';

export const CONSOLE_HOST = 'https://console.local';
export const CONSOLE_USER_ID = 'U_CONSOLE';
export const CONSOLE_TEAM_ID = 'T_CONSOLE';
export const BOT_USER_ID = 'U_DLT_DOCTOR';
export const BOT_ID = 'B_DLT_DOCTOR';

export interface ConsoleChannel {
  id: string;
  name: string;
}

export const DEFAULT_CHANNELS: readonly ConsoleChannel[] = [
  { id: 'C_DATA_ENG', name: 'data-eng' },
  { id: 'C_PIPELINE_ALERTS', name: 'pipeline-alerts' },
];

export interface ConsoleFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  /** where the console serves the bytes */
  url: string;
  alt_text?: string;
}

export interface ConsoleMessage {
  channel: string;
  ts: string;
  /** set on thread replies (and on a parent that has replies, as Slack does) */
  thread_ts?: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks: unknown[];
  files?: ConsoleFile[];
  /** only the console user sees it ("Only visible to you") */
  ephemeral?: boolean;
  edited?: boolean;
  reply_count?: number;
  /** message metadata posted with chat.postMessage (https://docs.slack.dev/messaging/message-metadata/) */
  metadata?: ConsoleMessageMetadata;
}

export interface ConsoleMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** An open modal, as views.open returns it (the fields the console and its receiver use). */
export interface ConsoleView {
  id: string;
  type: 'modal';
  /** who sees it: the user whose trigger opened it */
  user: string;
  title: unknown;
  blocks: unknown[];
  submit?: unknown;
  close?: unknown;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  notify_on_close: boolean;
  /** changes on every update; views.update with a stale hash fails, as in Slack */
  hash: string;
}

export type ConsoleChange =
  | { type: 'message'; message: ConsoleMessage }
  | { type: 'message_changed'; message: ConsoleMessage }
  | { type: 'message_deleted'; channel: string; ts: string; thread_ts?: string }
  | { type: 'view_opened'; view: ConsoleView }
  | { type: 'view_updated'; view: ConsoleView }
  | { type: 'view_closed'; view_id: string; user: string };

interface ResponseUrlContext {
  channel: string;
  user: string;
  /** the message a button sits on (block_actions) */
  messageTs?: string;
  threadTs?: string;
  uses: number;
  expiresAt: number;
}

interface StoredFile extends ConsoleFile {
  bytes: Buffer | null;
  length: number;
}

export interface FakeSlackApiOptions {
  channels?: readonly ConsoleChannel[];
  now?: () => number;
  /** keeps messages and files across restarts (src/store/console-messages.ts); absent: memory only */
  persistence?: ConsolePersistence;
  /** a failed write of the persistence (the message stays on screen; default: a console warning) */
  onPersistenceError?: (err: unknown) => void;
}

/** Slack allows a response_url 5 uses within 30 minutes (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses). */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
/** A trigger_id opens one view within 3 s (https://docs.slack.dev/interactivity/handling-user-interaction#modal_responses). */
const TRIGGER_TTL_MS = 3000;

// ---- request schemas (the edge: what the web client sends) ----
const jsonArray = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}, z.array(z.unknown()));

const postMessageArgs = z.object({
  channel: z.string().min(1),
  text: z.string().optional(),
  blocks: jsonArray.optional(),
  thread_ts: z.string().optional(),
});
// chat.postMessage's `metadata`: a JSON object { event_type, event_payload }, form-encoded as a string
const metadataArg = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  },
  z.object({ event_type: z.string().min(1).max(255), event_payload: z.record(z.string(), z.unknown()) }),
);
const chatPostMessageArgs = postMessageArgs.extend({ metadata: metadataArg.optional() });
const flag = z.preprocess((v) => (typeof v === 'string' ? v === 'true' || v === '1' : v), z.boolean());
// conversations.history: Slack's default and maximum page sizes (https://docs.slack.dev/reference/methods/conversations.history)
const historyArgs = z.object({
  channel: z.string().min(1),
  oldest: z.coerce.number().optional(),
  latest: z.coerce.number().optional(),
  inclusive: flag.optional(),
  limit: z.coerce.number().int().min(1).max(999).optional(),
  cursor: z.string().optional(),
  include_all_metadata: flag.optional(),
});
// conversations.replies: the parent first, then its replies in order (https://docs.slack.dev/reference/methods/conversations.replies)
const repliesArgs = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  oldest: z.coerce.number().optional(),
  latest: z.coerce.number().optional(),
  inclusive: flag.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const updateArgs = z.object({ channel: z.string().min(1), ts: z.string().min(1), text: z.string().optional(), blocks: jsonArray.optional() });
const deleteArgs = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
const ephemeralArgs = postMessageArgs.extend({ user: z.string().min(1) });
const uploadUrlArgs = z.object({ filename: z.string().min(1), length: z.coerce.number().int().min(0), alt_text: z.string().optional() });
const completeArgs = z.object({
  files: jsonArray.pipe(z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1)),
  channel_id: z.string().optional(),
  channels: z.string().optional(),
  thread_ts: z.string().optional(),
  initial_comment: z.string().optional(),
});
const plainText = z.object({ type: z.literal('plain_text'), text: z.string().min(1).max(150), emoji: z.boolean().optional() });
const jsonObject = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}, z.record(z.string(), z.unknown()));
// https://docs.slack.dev/reference/views/modal-views: title ≤ 24 chars, submit/close ≤ 24, ≤ 100 blocks, metadata ≤ 3000
const modalView = z.object({
  type: z.literal('modal'),
  title: plainText.extend({ text: z.string().min(1).max(24) }),
  blocks: z.array(z.unknown()).max(100),
  submit: plainText.extend({ text: z.string().min(1).max(24) }).optional(),
  close: plainText.extend({ text: z.string().min(1).max(24) }).optional(),
  callback_id: z.string().max(255).optional(),
  private_metadata: z.string().max(3000).optional(),
  external_id: z.string().max(255).optional(),
  notify_on_close: z.boolean().optional(),
});
const viewsOpenArgs = z.object({ trigger_id: z.string().min(1), view: jsonObject });
const viewsUpdateArgs = z.object({ view_id: z.string().optional(), external_id: z.string().optional(), hash: z.string().optional(), view: jsonObject });
const respondArgs = z.object({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.boolean().optional(),
  delete_original: z.boolean().optional(),
  thread_ts: z.string().optional(),
});

class SlackError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

function parse<T>(schema: z.ZodType<T>, params: Record<string, unknown>): T {
  const r = schema.safeParse(params);
  if (!r.success) throw new SlackError('invalid_arguments');
  return r.data;
}

export class FakeSlackApi {
  private readonly events = new EventEmitter();
  private readonly channels: ConsoleChannel[];
  /** channel id → top-level messages and replies, in posting order */
  private readonly messages = new Map<string, ConsoleMessage[]>();
  private readonly files = new Map<string, StoredFile>();
  private readonly responseUrls = new Map<string, ResponseUrlContext>();
  private readonly triggers = new Map<string, { user: string; expiresAt: number; used: boolean }>();
  /** open views by id */
  private readonly views = new Map<string, ConsoleView>();
  private readonly now: () => number;
  private lastTs = 0;

  private readonly persistence: ConsolePersistence | undefined;
  private readonly logPersistence: (err: unknown) => void;

  constructor(options: FakeSlackApiOptions = {}) {
    this.channels = [...(options.channels ?? DEFAULT_CHANNELS)];
    this.now = options.now ?? Date.now;
    for (const c of this.channels) this.messages.set(c.id, []);
    this.events.setMaxListeners(100);
    this.persistence = options.persistence;
    this.logPersistence = options.onPersistenceError ?? ((err) => console.warn('[console] keeping a message failed:', err instanceof Error ? err.message : String(err)));
    if (this.persistence) this.restore(this.persistence);
  }

  /** the messages and files of the last run, in their channels (a channel no longer configured is left out) */
  private restore(p: ConsolePersistence): void {
    const { messages, files } = p.load();
    for (const raw of messages) {
      const m = raw as unknown as ConsoleMessage;
      const list = this.messages.get(m.channel);
      if (!list || m.ephemeral) continue;
      list.push(m);
      const micros = Math.round(Number(m.ts) * 1e6);
      if (Number.isFinite(micros) && micros > this.lastTs) this.lastTs = micros;
    }
    for (const list of this.messages.values()) list.sort((a, b) => Number(a.ts) - Number(b.ts));
    for (const f of files) this.files.set(f.meta.id, { ...f.meta, bytes: f.bytes, length: f.bytes?.length ?? 0 });
  }

  private keep(change: ConsoleChange): void {
    const p = this.persistence;
    if (!p) return;
    try {
      if ((change.type === 'message' || change.type === 'message_changed') && !change.message.ephemeral) p.saveMessage(change.message);
      else if (change.type === 'message_deleted') p.deleteMessage(change.channel, change.ts);
    } catch (err) {
      this.logPersistence(err);
    }
  }

  private keepFile(f: StoredFile): void {
    if (!this.persistence) return;
    try {
      this.persistence.saveFile(publicFile(f), f.bytes);
    } catch (err) {
      this.logPersistence(err);
    }
  }

  /** The `fetch` Bolt and the web client call (clientOptions.fetch). */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input instanceof Request ? input.url : String(input), init);
    const url = new URL(request.url);
    try {
      if (url.origin === 'https://slack.com' && url.pathname.startsWith('/api/')) {
        return json(this.call(url.pathname.slice('/api/'.length), await readParams(request)));
      }
      if (url.origin === CONSOLE_HOST && url.pathname.startsWith('/respond/')) {
        return await this.respond(url.pathname.slice('/respond/'.length), request);
      }
      if (url.origin === CONSOLE_HOST && url.pathname.startsWith('/upload/')) {
        return await this.upload(url.pathname.slice('/upload/'.length), request);
      }
    } catch (err) {
      if (err instanceof SlackError) return json({ ok: false, error: err.error });
      return json({ ok: false, error: 'invalid_request' }, 400);
    }
    return new Response('not found', { status: 404 });
  };

  // ---- reading ----

  listChannels(): ConsoleChannel[] {
    return this.channels.map((c) => ({ ...c }));
  }

  /** id, name or #name → channel */
  findChannel(ref: string): ConsoleChannel | undefined {
    const r = ref.replace(/^#/, '');
    return this.channels.find((c) => c.id === r || c.name === r);
  }

  /** Top-level messages and thread replies of a channel, oldest first. */
  history(channel: string): ConsoleMessage[] {
    const c = this.findChannel(channel);
    return c ? (this.messages.get(c.id) ?? []).map(copy) : [];
  }

  /** The replies of one thread, oldest first. */
  replies(channel: string, threadTs: string): ConsoleMessage[] {
    return this.history(channel).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  message(channel: string, ts: string): ConsoleMessage | undefined {
    const m = this.find(channel, ts);
    return m ? copy(m) : undefined;
  }

  file(id: string): { bytes: Buffer; mimetype: string; name: string } | undefined {
    const f = this.files.get(id);
    return f?.bytes ? { bytes: f.bytes, mimetype: f.mimetype, name: f.name } : undefined;
  }

  onChange(listener: (change: ConsoleChange) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** A response_url for one slash command or button click, as Slack puts in the payload. */
  createResponseUrl(ctx: { channel: string; user: string; messageTs?: string; threadTs?: string }): string {
    const id = randomUUID();
    this.responseUrls.set(id, { ...ctx, uses: 0, expiresAt: this.now() + RESPONSE_URL_TTL_MS });
    return `${CONSOLE_HOST}/respond/${id}`;
  }

  /** A trigger_id for one slash command or click, as Slack puts in the payload: it may open one view within 3 s. */
  createTrigger(user: string): string {
    const id = `${Math.floor(this.now() / 1000)}.console.${randomUUID().replace(/-/g, '')}`;
    this.triggers.set(id, { user, expiresAt: this.now() + TRIGGER_TTL_MS, used: false });
    return id;
  }

  /** An open view by id. */
  view(id: string): ConsoleView | undefined {
    const v = this.views.get(id);
    return v ? structuredClone(v) : undefined;
  }

  /** The open views of a user, oldest first (a page that reloads shows them again). */
  openViews(user: string): ConsoleView[] {
    return [...this.views.values()].filter((v) => v.user === user).map((v) => structuredClone(v));
  }

  /** Closes a view (the app acked its submission, or the user cancelled). False when it was not open. */
  closeView(id: string): boolean {
    const v = this.views.get(id);
    if (!v) return false;
    this.views.delete(id);
    this.emit({ type: 'view_closed', view_id: id, user: v.user });
    return true;
  }

  /** Replaces an open view's content (views.update, or an ack with response_action "update"). */
  replaceView(id: string, raw: unknown, expectedHash?: string): ConsoleView {
    const v = this.views.get(id);
    if (!v) throw new SlackError('not_found');
    if (expectedHash !== undefined && expectedHash !== v.hash) throw new SlackError('hash_conflict');
    const next = this.toView(raw, v.user, id);
    this.views.set(id, next);
    this.emit({ type: 'view_updated', view: structuredClone(next) });
    return structuredClone(next);
  }

  /** Posts as the bot (what chat.postMessage does); used by ack(response) and in_channel responses too. */
  post(channel: string, content: { text?: string; blocks?: unknown[]; thread_ts?: string; ephemeral?: boolean; user?: string; metadata?: ConsoleMessageMetadata }): ConsoleMessage {
    const c = this.findChannel(channel);
    if (!c) throw new SlackError('channel_not_found');
    const list = this.messages.get(c.id)!;
    let parent: ConsoleMessage | undefined;
    if (content.thread_ts) {
      parent = list.find((m) => m.ts === content.thread_ts && !m.ephemeral);
      if (!parent) throw new SlackError('thread_not_found');
      // a reply to a reply goes into the same thread, as in Slack
      if (parent.thread_ts && parent.thread_ts !== parent.ts) parent = list.find((m) => m.ts === parent!.thread_ts);
    }
    const message: ConsoleMessage = {
      channel: c.id,
      ts: this.nextTs(),
      user: content.user ?? BOT_USER_ID,
      ...(content.user ? {} : { bot_id: BOT_ID }),
      text: content.text ?? '',
      blocks: content.blocks ?? [],
      ...(parent ? { thread_ts: parent.ts } : {}),
      ...(content.ephemeral ? { ephemeral: true } : {}),
      ...(content.metadata ? { metadata: content.metadata } : {}),
    };
    list.push(message);
    this.emit({ type: 'message', message: copy(message) });
    if (parent && !message.ephemeral) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      this.emit({ type: 'message_changed', message: copy(parent) });
    }
    return copy(message);
  }

  // ---- Web API methods ----

  private call(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `${CONSOLE_HOST}/`, team: 'Local console', user: 'dlt-doctor', team_id: CONSOLE_TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false };
      case 'chat.postMessage': {
        const a = parse(chatPostMessageArgs, params);
        const m = this.post(a.channel, { text: a.text, blocks: a.blocks, thread_ts: a.thread_ts, metadata: a.metadata });
        return { ok: true, channel: m.channel, ts: m.ts, message: m };
      }
      case 'conversations.history':
        return this.conversationHistory(parse(historyArgs, params));
      case 'conversations.replies':
        return this.conversationReplies(parse(repliesArgs, params));
      case 'chat.update': {
        const a = parse(updateArgs, params);
        const m = this.update(a.channel, a.ts, { text: a.text, blocks: a.blocks });
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text, message: m };
      }
      case 'chat.delete': {
        const a = parse(deleteArgs, params);
        this.remove(a.channel, a.ts);
        return { ok: true, channel: this.findChannel(a.channel)!.id, ts: a.ts };
      }
      case 'chat.postEphemeral': {
        const a = parse(ephemeralArgs, params);
        const m = this.post(a.channel, { text: a.text, blocks: a.blocks, thread_ts: a.thread_ts, ephemeral: true });
        return { ok: true, message_ts: m.ts };
      }
      case 'files.getUploadURLExternal': {
        const a = parse(uploadUrlArgs, params);
        const id = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        this.files.set(id, { id, name: a.filename, title: a.filename, mimetype: mimetypeOf(a.filename), url: `/console/files/${id}`, ...(a.alt_text ? { alt_text: a.alt_text } : {}), bytes: null, length: a.length });
        return { ok: true, upload_url: `${CONSOLE_HOST}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const a = parse(completeArgs, params);
        const done: ConsoleFile[] = [];
        for (const f of a.files) {
          const stored = this.files.get(f.id);
          if (!stored?.bytes) throw new SlackError('file_not_found');
          if (f.title) stored.title = f.title;
          this.keepFile(stored);
          done.push(publicFile(stored));
        }
        const channel = a.channel_id ?? a.channels?.split(',')[0];
        if (channel) {
          const m = this.post(channel, { text: a.initial_comment ?? '', thread_ts: a.thread_ts });
          const list = this.messages.get(m.channel)!;
          const stored = list.find((x) => x.ts === m.ts)!;
          stored.files = done;
          this.emit({ type: 'message_changed', message: copy(stored) });
        }
        return { ok: true, files: done.map((f) => ({ id: f.id, title: f.title, name: f.name })) };
      }
      case 'views.open': {
        const a = parse(viewsOpenArgs, params);
        const trigger = this.triggers.get(a.trigger_id);
        if (!trigger) throw new SlackError('invalid_trigger_id');
        if (trigger.used) throw new SlackError('exchanged_trigger_id');
        if (trigger.expiresAt < this.now()) throw new SlackError('expired_trigger_id');
        const view = this.toView(a.view, trigger.user, `V${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`);
        trigger.used = true;
        this.views.set(view.id, view);
        this.emit({ type: 'view_opened', view: structuredClone(view) });
        return { ok: true, view: slackView(view) };
      }
      case 'views.update': {
        const a = parse(viewsUpdateArgs, params);
        const id = a.view_id ?? [...this.views.values()].find((v) => a.external_id && v.external_id === a.external_id)?.id;
        if (!id) throw new SlackError('not_found');
        return { ok: true, view: slackView(this.replaceView(id, a.view, a.hash)) };
      }
      default:
        throw new SlackError('unknown_method');
    }
  }

  /**
   * conversations.history as Slack answers it: top-level messages (no thread replies, no ephemeral
   * messages), newest first, within (oldest, latest) (bounds included with `inclusive`), a page of
   * `limit` (default 100) with a cursor to the next; `metadata` only with include_all_metadata.
   */
  private conversationReplies(a: z.infer<typeof repliesArgs>): Record<string, unknown> {
    const c = this.findChannel(a.channel);
    if (!c) throw new SlackError('channel_not_found');
    const all = this.messages.get(c.id)!.filter((m) => !m.ephemeral);
    const parent = all.find((m) => m.ts === a.ts);
    if (!parent) throw new SlackError('thread_not_found');
    const inRange = tsRange(a);
    // Slack answers the parent first whatever the range, then the replies in it
    const replies = all.filter((m) => m.thread_ts === a.ts && m.ts !== a.ts && inRange(m));
    const messages = [parent, ...replies].slice(0, a.limit ?? 1000).map((m) => ({ type: 'message', ...copy(m) }));
    return { ok: true, messages, has_more: false };
  }

  private conversationHistory(a: z.infer<typeof historyArgs>): Record<string, unknown> {
    const c = this.findChannel(a.channel);
    if (!c) throw new SlackError('channel_not_found');
    const inRange = tsRange(a);
    const all = this.messages
      .get(c.id)!
      .filter((m) => !m.ephemeral && (!m.thread_ts || m.thread_ts === m.ts) && inRange(m))
      .reverse();
    let start = 0;
    if (a.cursor) {
      const decoded = Number(Buffer.from(a.cursor, 'base64').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0) throw new SlackError('invalid_cursor');
      start = decoded;
    }
    const limit = a.limit ?? 100;
    const page = all.slice(start, start + limit).map((m) => {
      const out = copy(m);
      if (!a.include_all_metadata) delete out.metadata;
      return { type: 'message', ...out };
    });
    const more = start + limit < all.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(`offset:${start + limit}`).toString('base64') : '' },
    };
  }

  private toView(raw: unknown, user: string, id: string): ConsoleView {
    const r = modalView.safeParse(raw);
    if (!r.success) throw new SlackError('invalid_arguments');
    const v = r.data;
    return {
      id,
      type: 'modal',
      user,
      title: v.title,
      blocks: v.blocks,
      ...(v.submit ? { submit: v.submit } : {}),
      ...(v.close ? { close: v.close } : {}),
      callback_id: v.callback_id ?? '',
      private_metadata: v.private_metadata ?? '',
      external_id: v.external_id ?? '',
      notify_on_close: v.notify_on_close ?? false,
      hash: `${Math.floor(this.now() / 1000)}.${randomUUID().replace(/-/g, '').slice(0, 8)}`,
    };
  }

  /**
   * chat.update cannot edit an ephemeral message; a response_url can (`viaResponseUrl`): it is the
   * one way to replace an ephemeral message an interaction came from
   * (https://docs.slack.dev/messaging/modifying-messages, "Updating messages using response_url").
   */
  private update(channel: string, ts: string, content: { text?: string | undefined; blocks?: unknown[] | undefined }, viaResponseUrl = false): ConsoleMessage {
    const m = this.find(channel, ts);
    if (!m || (m.ephemeral && !viaResponseUrl)) throw new SlackError('message_not_found');
    if (content.text !== undefined) m.text = content.text;
    // Slack keeps the old blocks when an update sends text only; an empty array clears them
    if (content.blocks !== undefined) m.blocks = content.blocks;
    m.edited = true;
    this.emit({ type: 'message_changed', message: copy(m) });
    return copy(m);
  }

  private remove(channel: string, ts: string): void {
    const c = this.findChannel(channel);
    const list = c ? this.messages.get(c.id)! : undefined;
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!c || !list || i < 0) throw new SlackError('message_not_found');
    const [gone] = list.splice(i, 1);
    this.emit({ type: 'message_deleted', channel: c.id, ts, ...(gone!.thread_ts && gone!.thread_ts !== ts ? { thread_ts: gone!.thread_ts } : {}) });
    if (gone!.thread_ts && gone!.thread_ts !== ts) {
      const parent = list.find((m) => m.ts === gone!.thread_ts);
      if (parent && parent.reply_count) {
        parent.reply_count -= 1;
        this.emit({ type: 'message_changed', message: copy(parent) });
      }
    }
  }

  private async respond(id: string, request: Request): Promise<Response> {
    const ctx = this.responseUrls.get(id);
    if (!ctx || ctx.expiresAt < this.now()) return new Response('expired_url', { status: 404 });
    if (ctx.uses >= RESPONSE_URL_USES) return new Response('used_url', { status: 404 });
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return new Response('invalid_payload', { status: 400 });
    }
    const parsed = respondArgs.safeParse(typeof body === 'string' ? { text: body } : body);
    if (!parsed.success) return new Response('invalid_payload', { status: 400 });
    ctx.uses += 1;
    const r = parsed.data;
    try {
      if (r.delete_original) {
        if (ctx.messageTs) this.remove(ctx.channel, ctx.messageTs);
      } else if (r.replace_original && ctx.messageTs) {
        this.update(ctx.channel, ctx.messageTs, { text: r.text ?? '', blocks: r.blocks ?? [] }, true);
      } else {
        this.post(ctx.channel, { text: r.text, blocks: r.blocks, thread_ts: r.thread_ts ?? ctx.threadTs, ephemeral: r.response_type !== 'in_channel' });
      }
    } catch (err) {
      if (err instanceof SlackError) return new Response(err.error, { status: 404 });
      throw err;
    }
    return json({ ok: true });
  }

  private async upload(id: string, request: Request): Promise<Response> {
    const f = this.files.get(id);
    if (!f) return new Response('not found', { status: 404 });
    const type = request.headers.get('content-type') ?? '';
    let bytes: Buffer;
    if (type.startsWith('multipart/form-data')) {
      const form = await request.formData();
      const part = [...form.values()].find((v) => typeof v !== 'string') as unknown as Blob | undefined;
      bytes = part ? Buffer.from(await part.arrayBuffer()) : Buffer.from(String(form.values().next().value ?? ''));
    } else {
      bytes = Buffer.from(await request.arrayBuffer());
    }
    f.bytes = bytes;
    f.length = bytes.length;
    return new Response(`OK - ${bytes.length}`, { status: 200, headers: { 'content-type': 'text/plain' } });
  }

  private find(channel: string, ts: string): ConsoleMessage | undefined {
    const c = this.findChannel(channel);
    return c ? this.messages.get(c.id)?.find((m) => m.ts === ts) : undefined;
  }

  private emit(change: ConsoleChange): void {
    this.keep(change);
    this.events.emit('change', change);
  }

  /** Slack timestamps: seconds.microseconds, unique and increasing per workspace here. */
  private nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
}

/** A view as the Web API returns it (and as view_submission carries it). */
export function slackView(v: ConsoleView): Record<string, unknown> {
  return {
    id: v.id,
    team_id: CONSOLE_TEAM_ID,
    type: v.type,
    title: v.title,
    blocks: v.blocks,
    ...(v.submit ? { submit: v.submit } : {}),
    ...(v.close ? { close: v.close } : {}),
    private_metadata: v.private_metadata,
    callback_id: v.callback_id,
    external_id: v.external_id,
    state: { values: {} },
    hash: v.hash,
    clear_on_close: false,
    notify_on_close: v.notify_on_close,
    root_view_id: v.id,
    previous_view_id: null,
    app_id: 'A_CONSOLE',
    app_installed_team_id: CONSOLE_TEAM_ID,
    bot_id: BOT_ID,
  };
}

function copy(m: ConsoleMessage): ConsoleMessage {
  return structuredClone(m);
}

/** conversations.history / .replies: a message within `oldest`..`latest` (exclusive unless `inclusive`) */
function tsRange(a: { oldest?: number | undefined; latest?: number | undefined; inclusive?: boolean | undefined }): (m: ConsoleMessage) => boolean {
  return (m) => {
    const t = Number(m.ts);
    if (a.oldest !== undefined && (a.inclusive ? t < a.oldest : t <= a.oldest)) return false;
    if (a.latest !== undefined && (a.inclusive ? t > a.latest : t >= a.latest)) return false;
    return true;
  };
}

function publicFile(f: StoredFile): ConsoleFile {
  return { id: f.id, name: f.name, title: f.title, mimetype: f.mimetype, url: f.url, ...(f.alt_text ? { alt_text: f.alt_text } : {}) };
}

function mimetypeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'svg' ? 'image/svg+xml' : ext === 'txt' ? 'text/plain' : 'application/octet-stream';
}

async function readParams(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await request.json()) as unknown;
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  }
  if (type.startsWith('multipart/form-data')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of (await request.formData()).entries()) out[k] = typeof v === 'string' ? v : Buffer.from(await (v as unknown as Blob).arrayBuffer());
    return out;
  }
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

export function createFakeSlackApi(options: FakeSlackApiOptions = {}): FakeSlackApi {
  return new FakeSlackApi(options);
}
