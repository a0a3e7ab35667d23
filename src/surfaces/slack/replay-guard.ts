/**
 * Replay protection for Slack's signed HTTP requests, in front of Bolt's HTTPReceiver.
 *
 * Slack signs each request with HMAC-SHA256 over `v0:<timestamp>:<body>` and tells apps to refuse
 * requests whose timestamp is more than five minutes from now "to protect against replay attacks"
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack). Bolt 4/5's
 * verifySlackRequest refuses only timestamps older than five minutes: a captured request can be sent
 * again any number of times inside the window (three replays made three digest subscriptions), and
 * a timestamp in the future is accepted. This guard, for POSTs to the events endpoint:
 * - verifies the signature itself (Bolt's isValidSlackRequest); an invalid request is passed on
 *   untouched so Bolt answers it (401) as before;
 * - refuses (401) a valid request whose timestamp is more than `windowSec` ahead of our clock;
 * - remembers each valid signature until its timestamp leaves the window, and refuses (401) a
 *   second request with the same signature: the same timestamp and body, i.e. a replay.
 * The body is buffered with Bolt's own bufferIncomingMessage (same body limit), which Bolt reuses
 * when it parses the request, so it is read once.
 * Memory: only verified signatures are kept (forging one needs the signing secret), in the bounded
 * set the Teams dedupe uses (src/util/recent-keys.ts): expired ones are dropped, and at most
 * `maxEntries` are kept (oldest evicted first).
 * Several replicas (issue 19): with `shared` (the store's seen_keys, src/store/seen-keys.ts) a
 * signature is also claimed in the database, so a replay sent to another replica is refused too;
 * if the database cannot answer, the request is admitted (this replica's own set still applies) and
 * the failure logged once.
 * Socket Mode needs none of this: requests arrive over a websocket the app opened itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isValidSlackRequest, type HTTPReceiver } from '@slack/bolt';
import { RecentKeys } from '../../util/recent-keys.js';
import { admitWhenUnavailable, type SeenKeys } from '../../store/seen-keys.js';

export interface ReplayGuardOptions {
  signingSecret: string;
  /** the events endpoint(s) Bolt serves; default /slack/events */
  endpoints?: string[];
  /** Slack's window: five minutes */
  windowSec?: number;
  maxEntries?: number;
  now?: () => number;
  logger?: { warn(...m: unknown[]): void };
  /** signatures every replica shares (the store); absent: this process's set only */
  shared?: SeenKeys;
}

export interface ReplayGuard {
  /** true when the request may go on to Bolt; false when it was refused here (401 sent) */
  admit(timestampSec: number, signature: string): 'ok' | 'replayed' | 'future';
  readonly size: number;
}

export function createReplayGuard(o: { windowSec?: number; maxEntries?: number; now?: () => number } = {}): ReplayGuard {
  const windowSec = o.windowSec ?? 300;
  const now = o.now ?? Date.now;
  // a signature is kept for the window from when it was first seen: at least until its timestamp
  // (never later than arrival) leaves Slack's window, after which Bolt refuses it anyway
  const seen = new RecentKeys(windowSec * 1000, o.maxEntries ?? 100_000);
  return {
    admit(timestampSec, signature) {
      const nowMs = now();
      if (timestampSec > Math.floor(nowMs / 1000) + windowSec) return 'future';
      return seen.check(signature, nowMs) ? 'replayed' : 'ok';
    },
    get size() {
      return seen.size;
    },
  };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function refuse(res: ServerResponse) {
  res.writeHead(401);
  res.end();
}

/** wraps the receiver's request listener; returns the guard (tests read its size) */
export function guardSlackReplays(receiver: HTTPReceiver, o: ReplayGuardOptions): ReplayGuard {
  const endpoints = new Set(o.endpoints ?? ['/slack/events']);
  const now = o.now ?? Date.now;
  const guard = createReplayGuard({ windowSec: o.windowSec, maxEntries: o.maxEntries, now });
  const inner = receiver.requestListener;
  const shared = o.shared
    ? admitWhenUnavailable(o.shared, (message) => o.logger?.warn(`Slack replay guard: the shared store could not be read (${message}); requests are checked against this replica's own list until it answers`))
    : null;
  const dispatchError = (receiver as unknown as { dispatchErrorHandler?: (a: { error: Error; logger: unknown; request: IncomingMessage; response: ServerResponse }) => void }).dispatchErrorHandler;

  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !endpoints.has(path)) return inner(req, res);
    void (async () => {
      let buffered: IncomingMessage;
      try {
        buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
      } catch (err) {
        // too large (Bolt's own limit and answer, 413) or unreadable: the stream is spent, answer here
        res.writeHead((err as { statusCode?: number }).statusCode === 413 ? 413 : 400);
        res.end();
        return;
      }
      const signature = header(buffered, 'x-slack-signature');
      const ts = Number(header(buffered, 'x-slack-request-timestamp'));
      const rawBody = (buffered as IncomingMessage & { rawBody: Buffer }).rawBody;
      const valid =
        signature !== undefined &&
        Number.isInteger(ts) &&
        isValidSlackRequest({ signingSecret: o.signingSecret, body: rawBody.toString(), headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts }, nowMilliseconds: now() });
      if (valid) {
        let verdict = guard.admit(ts, signature);
        if (verdict === 'ok' && shared) verdict = (await shared.check(signature, now())) ? 'replayed' : 'ok';
        if (verdict !== 'ok') {
          o.logger?.warn(verdict === 'replayed' ? 'Slack request refused: a replay of a request already received (same signature)' : 'Slack request refused: its timestamp is more than five minutes in the future');
          return refuse(res);
        }
      }
      try {
        inner(buffered, res);
      } catch (error) {
        if (dispatchError) dispatchError({ error: error as Error, logger: o.logger, request: buffered, response: res });
        else refuse(res);
      }
    })().catch(() => {
      if (!res.headersSent) refuse(res);
    });
  };
  return guard;
}
