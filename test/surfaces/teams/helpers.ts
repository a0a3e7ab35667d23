/**
 * Test doubles for the Teams surface: the handler on an ephemeral node:http port, Teams activity
 * builders, a card validator (ajv over the repository's Adaptive Card 1.5 schema) and a nock scope
 * standing in for the Bot Connector service (https://smba.trafficmanager.net/teams/).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import nock from 'nock';
import type { NodeHandler } from '../../../src/surfaces/teams/routes.js';
import type { TeamsLogger } from '../../../src/surfaces/teams/types.js';

export const SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
export const BOT = { id: '28:bot-app-id', name: 'dlt-doctor' };
export const USER = { id: '29:user-1', name: 'Ana', aadObjectId: 'aad-user-1' };
export const CHANNEL_CONVERSATION = '19:abc123@thread.tacv2';

const schema = JSON.parse(readFileSync(new URL('../../fixtures/adaptive-card-1.5.schema.json', import.meta.url), 'utf8')) as object;
const draft06 = JSON.parse(readFileSync(new URL('../../../node_modules/ajv/dist/refs/json-schema-draft-06.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true, meta: false });
ajv.addMetaSchema(draft06);
ajv.addFormat('uri-reference', (s: string) => {
  try {
    new URL(s, 'https://example.com/');
    return true;
  } catch {
    return false;
  }
});
const validate = ajv.compile(schema);

/** Schema errors of a card; [] when it is a valid Adaptive Card 1.5 (as far as our faithful subset goes). */
export function cardErrors(card: unknown): string[] {
  if (validate(card)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export async function startHandler(handler: NodeHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

let seq = 0;
/** A Teams message activity as the Bot Connector posts it; `mention` adds the <at> tag and entity as in a channel. */
export function messageActivity(text: string, o: { mention?: boolean; conversationId?: string; conversationType?: string; value?: unknown; replyToId?: string } = {}) {
  const atText = `<at>${BOT.name}</at>`;
  const conversationId = o.conversationId ?? `${CHANNEL_CONVERSATION};messageid=1700000000000`;
  return {
    type: 'message',
    id: `act-${++seq}`,
    timestamp: new Date('2026-11-27T09:00:00Z').toISOString(),
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: USER,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: o.conversationType ?? 'channel', tenantId: 'tenant-1', isGroup: true },
    text: o.mention ? `${atText} ${text}` : text,
    textFormat: 'plain',
    ...(o.mention ? { entities: [{ type: 'mention', text: atText, mentioned: BOT }] } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
    channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL_CONVERSATION } },
  };
}

export function conversationUpdate(conversationId = CHANNEL_CONVERSATION) {
  return {
    type: 'conversationUpdate',
    id: `act-${++seq}`,
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: USER,
    recipient: BOT,
    membersAdded: [BOT],
    conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
    channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, eventType: 'teamMemberAdded' },
  };
}

export interface ConnectorCall {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: { type?: string; text?: string; attachments?: { contentType: string; content: unknown }[]; replyToId?: string; summary?: string };
}

/** nock for the Bot Connector: records every POST/PUT to /teams/v3/conversations/… and answers with an id. */
export function connector() {
  const calls: ConnectorCall[] = [];
  let n = 0;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const scope = nock('https://smba.trafficmanager.net')
    .persist()
    .post(/^\/teams\/v3\/conversations\/.*\/activities(\/.*)?$/)
    .reply(function (path, body) {
      calls.push({ method: 'POST', path: decodeURIComponent(path), body: body as ConnectorCall['body'] });
      return [201, { id: `posted-${++n}` }];
    })
    .put(/^\/teams\/v3\/conversations\/.*\/activities\/.*$/)
    .reply(function (path, body) {
      calls.push({ method: 'PUT', path: decodeURIComponent(path), body: body as ConnectorCall['body'] });
      return [200, { id: path.split('/').pop() }];
    });
  return {
    calls,
    cards: () => calls.flatMap((c) => c.body.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content),
    done() {
      scope.persist(false);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

export const quietLogger = (): TeamsLogger & { lines: string[] } => {
  const lines: string[] = [];
  const log = (...m: unknown[]) => void lines.push(m.map(String).join(' '));
  return { debug: () => undefined, info: log, warn: log, error: log, lines };
};

/** Every string in a card, for "does it say X" assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

/**
 * The strings of a card that Teams reads as Markdown: TextBlock `text` and Fact `title` / `value`
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format). TextRun
 * text (in a RichTextBlock) is never Markdown.
 */
export function markdownFields(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; text?: unknown; facts?: { title: string; value: string }[] };
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet') for (const f of o.facts ?? []) out.push(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
