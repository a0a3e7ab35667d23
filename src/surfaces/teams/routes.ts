/**
 * POST /api/messages as a plain node:http handler, for the main server to mount. The Agents SDK
 * expects an Express-like request (parsed `body`, `headers`, `method`) and response (`status`,
 * `send`, …); this file adapts node's objects to that, authorizes the request with the adapter's
 * JWT middleware (Bot Framework / Entra tokens; anonymous in test mode), refuses an activity from a
 * tenant not on the allow-list or with a serviceUrl the token does not vouch for (403, `refuse`)
 * and runs the bot.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudAdapter, WebResponse } from '@microsoft/agents-hosting';
import type { ActivityHandler } from '@microsoft/agents-hosting';
import type { TeamsLogger } from './types.js';
import { redactDeep, redactText } from '../../redact.js';

/** Bot Framework activities are small; Teams caps a message at ~28 KB. */
export const MAX_BODY_BYTES = 256 * 1024;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded) return;
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** node's ServerResponse → the Express-like response the SDK writes to. */
export function webResponse(res: ServerResponse): WebResponse {
  const web: WebResponse = {
    status(code: number) {
      if (!res.headersSent) res.statusCode = code;
      return web;
    },
    setHeader(name: string, value: string) {
      if (!res.headersSent) res.setHeader(name, value);
      return web;
    },
    send(body?: unknown) {
      if (res.writableEnded) return web;
      if (body === undefined || body === null) {
        res.end();
      } else if (Buffer.isBuffer(body)) {
        res.end(body);
      } else if (typeof body === 'string') {
        // an answer in the HTTP response (an invoke's card, expectReplies) is redacted like a sent activity
        res.end(redactText(body));
      } else {
        if (!res.headersSent) res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(redactDeep(body)));
      }
      return web;
    },
    end() {
      if (!res.writableEnded) res.end();
      return web;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return web;
}

/**
 * The Entra tenant an activity says it comes from: Teams puts it in `channelData.tenant.id` and
 * `conversation.tenantId` (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages).
 * Both are read: if either names another tenant, the activity is not ours.
 */
export function activityTenants(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  for (const t of [channelData?.tenant?.id, conversation?.tenantId]) if (typeof t === 'string' && t) out.push(t.toLowerCase());
  return out;
}

const forLog = (v: string) => v.slice(0, 80).replace(/[^\w.:/-]/g, '?');

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Why an authenticated activity is still refused, or null. With an allow-list (not in test mode):
 *  - the activity must name its tenant and every tenant it names must be allowed (a Bot Connector
 *    token is issued by https://api.botframework.com for every tenant, so only the activity says whose
 *    it is);
 *  - when the token carries a `serviceurl` claim (Bot Connector tokens do), the activity's
 *    `serviceUrl` must be on that host: the bot sends its own access token to that URL and stores it
 *    as the conversation reference. Same comparison as the SDK's CloudAdapter.validateServiceUrl
 *    (hosts, case-insensitive), which answers 400 later; this refuses with 403 first.
 */
export function refuse(body: Record<string, unknown>, user: Record<string, unknown> | undefined, tenants: ReadonlySet<string>): string | null {
  if (!tenants.size) return null;
  const named = activityTenants(body);
  if (!named.length) return 'the activity names no tenant (channelData.tenant.id)';
  const foreign = named.find((t) => !tenants.has(t));
  if (foreign) return `tenant ${forLog(foreign)} is not TEAMS_TENANT_ID or in TEAMS_ALLOWED_TENANT_IDS`;
  const claim = user?.serviceurl;
  if (typeof claim === 'string') {
    const claimed = hostOf(claim);
    const actual = hostOf(body.serviceUrl);
    if (!claimed || !actual || claimed !== actual) return `serviceUrl ${forLog(String(body.serviceUrl))} is not on the token's serviceurl host ${forLog(claim)}`;
  }
  return null;
}

export function createTeamsHandler(o: { adapter: CloudAdapter; bot: ActivityHandler; logger: TeamsLogger; tenants?: readonly string[] }): NodeHandler {
  const tenants = new Set(o.tenants ?? []);
  return async (req, res) => {
    if (req.method !== 'POST') {
      json(res, 405, { error: 'POST an activity to /api/messages' }, { allow: 'POST' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      if (err instanceof BodyTooLarge) json(res, 413, { error: 'activity too large' });
      else json(res, 400, { error: 'body is not JSON' });
      return;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      json(res, 400, { error: 'body is not an activity object' });
      return;
    }
    const request = { body: body as Record<string, unknown>, headers: req.headers as Record<string, string | string[] | undefined>, method: req.method, user: undefined as Record<string, unknown> | undefined };
    const web = webResponse(res);
    try {
      let authorized = false;
      await o.adapter.authorizeRequest(request, web, () => {
        authorized = true;
      });
      if (!authorized) {
        // the middleware has answered (401/405); make sure the socket is released
        if (!res.writableEnded) json(res, 401, { error: 'unauthorized' });
        return;
      }
      const refusal = refuse(request.body, request.user, tenants);
      if (refusal) {
        // before adapter.process: no reply, no token fetched for that host, no conversation reference stored
        o.logger.warn(`Teams activity refused: ${refusal}`);
        json(res, 403, { error: 'forbidden' });
        return;
      }
      await o.adapter.process(request, web, (context) => o.bot.run(context));
      if (!res.writableEnded) web.end();
    } catch (err) {
      o.logger.error(`Teams request failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      json(res, 500, { error: 'internal error' });
    }
  };
}
