/**
 * POST /hooks/databricks: Databricks notification destinations (webhook) and pipeline event hooks
 * call this when an update fails or finishes, so alerts arrive without waiting for the next poll.
 *
 * - Auth: the shared secret DLT_DOCTOR_WEBHOOK_SECRET, as `Authorization: Bearer <secret>` or
 *   `X-DLT-Doctor-Secret: <secret>`, compared in constant time (crypto.timingSafeEqual over SHA-256
 *   digests, so the length of the secret does not leak either). No or wrong secret → 401, nothing
 *   posted. No secret configured → 503 (the hook is off).
 * - Body (JSON, ≤ 64 KB), zod-validated; accepted shapes (docs/alerts.md):
 *     { "pipeline_id": "...", "update_id"?: "...", "event_type"?: "...", "state"?: "FAILED" }
 *     { "event_type"?: "...", "pipeline": { "pipeline_id" | "id": "..." }, "update"?: { "update_id" | "id": "...", "state"?: "..." } }
 * - A watched pipeline → 202 {"accepted": true}; the incident path runs right after (the poller's
 *   checkPipeline: same dedupe, thread and diagnosis). An unwatched pipeline → 202 {"ignored": true}.
 *   Not JSON / not a known shape → 400 with a message.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

export const WEBHOOK_PATH = '/hooks/databricks';
const MAX_BODY = 64 * 1024;

const id = z.string().trim().min(1).max(200);
const Flat = z.object({ pipeline_id: id, update_id: id.optional(), event_type: z.string().max(200).optional(), state: z.string().max(50).optional() });
const Nested = z.object({
  event_type: z.string().max(200).optional(),
  pipeline: z.union([z.object({ pipeline_id: id }), z.object({ id })]),
  update: z.union([z.object({ update_id: id, state: z.string().max(50).optional() }), z.object({ id, state: z.string().max(50).optional() })]).optional(),
});
export const WebhookPayload = z.union([Flat, Nested]).transform((p) => {
  if ('pipeline' in p) {
    const u = p.update;
    return {
      pipelineId: 'pipeline_id' in p.pipeline ? p.pipeline.pipeline_id : p.pipeline.id,
      updateId: u ? ('update_id' in u ? u.update_id : u.id) : null,
      eventType: p.event_type ?? null,
      state: u?.state ?? null,
    };
  }
  return { pipelineId: p.pipeline_id, updateId: p.update_id ?? null, eventType: p.event_type ?? null, state: p.state ?? null };
});
export type WebhookEvent = z.infer<typeof WebhookPayload>;

export interface WebhookOptions {
  /** DLT_DOCTOR_WEBHOOK_SECRET; null disables the hook (503) */
  secret: string | null;
  isWatched(pipelineId: string): Promise<boolean>;
  /** runs the incident path for the pipeline */
  trigger(event: WebhookEvent): Promise<unknown>;
  logger?: { warn(...m: unknown[]): void };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function secretMatches(given: string | null, secret: string): boolean {
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(secret));
}

function presentedSecret(req: IncomingMessage): string | null {
  const header = req.headers['x-dlt-doctor-secret'];
  if (typeof header === 'string' && header) return header;
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m ? m[1]!.trim() : null;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A node:http handler for POST /hooks/databricks; `idle()` resolves when triggered work is done (tests). */
export function createWebhookHandler(o: WebhookOptions) {
  const pending = new Set<Promise<unknown>>();
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return send(res, 405, { error: 'use POST' });
      }
      if (!o.secret) return send(res, 503, { error: 'the webhook is off: set DLT_DOCTOR_WEBHOOK_SECRET' });
      if (!secretMatches(presentedSecret(req), o.secret)) {
        req.resume();
        return send(res, 401, { error: 'missing or wrong secret (Authorization: Bearer <secret> or X-DLT-Doctor-Secret)' });
      }
      const text = await readBody(req);
      if (text === null) return send(res, 413, { error: `body over ${MAX_BODY} bytes` });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return send(res, 400, { error: 'the body is not JSON' });
      }
      const parsed = WebhookPayload.safeParse(json);
      if (!parsed.success) return send(res, 400, { error: 'expected {"pipeline_id": "...", "update_id"?: "...", "state"?: "..."} or {"pipeline": {"pipeline_id": "..."}, "update"?: {"update_id": "...", "state"?: "..."}}' });
      const event = parsed.data;
      if (!(await o.isWatched(event.pipelineId))) return send(res, 202, { ignored: true, reason: 'no channel watches this pipeline' });
      send(res, 202, { accepted: true });
      const work = o.trigger(event).catch((err: unknown) => o.logger?.warn(`webhook: alert check failed: ${err instanceof Error ? err.message : String(err)}`));
      pending.add(work);
      void work.finally(() => pending.delete(work));
    } catch (err) {
      o.logger?.warn(`webhook: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    }
  };
  return {
    handler,
    async idle(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
