/**
 * A stand-in for slack.com over real HTTP, for tests and benchmarks that run whole bot processes
 * (SLACK_API_URL=<url>/api/): it answers the Web API methods the bot calls (auth.test,
 * chat.postMessage with message metadata, chat.update, chat.postEphemeral, conversations.history
 * with include_all_metadata, the file upload methods) and `response_url` POSTs (/response/<id>),
 * and records every post. A `hold` rule makes it accept a chat.postMessage (recorded, given a ts,
 * visible in conversations.history, as Slack would have it) and never answer: the post is in flight
 * when the test kills the process that made it.
 *
 * Shapes follow https://docs.slack.dev/reference/methods/chat.postMessage/ and
 * https://docs.slack.dev/reference/methods/conversations.history/ (metadata only with include_all_metadata).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedPost {
  channel: string;
  ts: string;
  text: string;
  threadTs: string | null;
  metadata: { event_type: string; event_payload?: Record<string, unknown> } | null;
  /** answered: false while held */
  answered: boolean;
  at: number;
}

export interface CapturedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

type HoldRule = (p: CapturedPost) => boolean;

export interface SlackCapture {
  url: string;
  posts: CapturedPost[];
  responses: CapturedResponse[];
  updates: { channel: string; ts: string; text: string }[];
  /** the next post matching `rule` is held (accepted, never answered); resolves with it */
  holdNext(rule: HoldRule): Promise<CapturedPost>;
  /** resolves once `predicate` holds (checked after every request and every 100 ms), rejects after `timeoutMs` */
  waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  // @slack/web-api sends form fields; objects (blocks, metadata) as JSON strings
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = v.startsWith('{') || v.startsWith('[') ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

export async function startSlackCapture(): Promise<SlackCapture> {
  const posts: CapturedPost[] = [];
  const responses: CapturedResponse[] = [];
  const updates: { channel: string; ts: string; text: string }[] = [];
  const holds: { rule: HoldRule; resolve: (p: CapturedPost) => void }[] = [];
  const held = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  let seq = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const poke = () => {
    for (const w of [...waiters]) w();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const body = await bodyOf(req).catch(() => ({}) as Record<string, unknown>);
      const send = (answer: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      if (path.startsWith('/response/')) {
        responses.push({ id: path.slice('/response/'.length), body, at: Date.now() });
        send({ ok: true });
        return poke();
      }
      const method = path.replace(/^\/api\//, '');
      switch (method) {
        case 'auth.test':
          send({ ok: true, url: 'https://capture.slack.test/', team: 'Capture', user: 'dlt-doctor', team_id: 'T0CAPTURE', user_id: 'U0BOT', bot_id: 'B0BOT' });
          break;
        case 'chat.postMessage': {
          const p: CapturedPost = {
            channel: String(body.channel ?? ''),
            ts: nextTs(),
            text: String(body.text ?? ''),
            threadTs: typeof body.thread_ts === 'string' && body.thread_ts ? body.thread_ts : null,
            metadata: body.metadata && typeof body.metadata === 'object' ? (body.metadata as CapturedPost['metadata']) : null,
            answered: false,
            at: Date.now(),
          };
          posts.push(p);
          const h = holds.findIndex((x) => x.rule(p));
          if (h >= 0) {
            const [hold] = holds.splice(h, 1);
            held.add(res);
            hold!.resolve(p);
            break; // never answered
          }
          p.answered = true;
          send({ ok: true, channel: p.channel, ts: p.ts, message: { ts: p.ts, text: p.text } });
          break;
        }
        case 'chat.update':
          updates.push({ channel: String(body.channel ?? ''), ts: String(body.ts ?? ''), text: String(body.text ?? '') });
          send({ ok: true, channel: body.channel, ts: body.ts });
          break;
        case 'conversations.history': {
          const channel = String(body.channel ?? '');
          const oldest = Number(body.oldest ?? 0);
          const withMeta = body.include_all_metadata === true || body.include_all_metadata === 'true';
          const top = posts.filter((p) => p.channel === channel && p.threadTs === null && Number(p.ts) >= oldest).reverse();
          send({ ok: true, messages: top.map((p) => ({ type: 'message', ts: p.ts, text: p.text, ...(withMeta && p.metadata ? { metadata: p.metadata } : {}) })), has_more: false });
          break;
        }
        default:
          // chat.postEphemeral, files.getUploadURLExternal, … : accepted
          send({ ok: true, ts: nextTs(), upload_url: `http://${req.headers.host}/upload`, file_id: `F${++seq}`, files: [] });
      }
      poke();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tick = setInterval(poke, 100);
  tick.unref();

  return {
    url,
    posts,
    responses,
    updates,
    holdNext: (rule) => new Promise((resolve) => holds.push({ rule, resolve })),
    waitFor(what, predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      clearInterval(tick);
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
