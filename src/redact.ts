/**
 * Outward redaction: every string that leaves the process — chat text and blocks, Teams cards,
 * console responses and SSE, CLI stdout/stderr and --json, exported bundles — passes through this
 * one redactor (src/log.ts `createRedactor`: the registered secrets in their raw, JSON-escaped,
 * URL-encoded and base64 forms, plus token shapes: dapi…, dose…, xox?-…, xapp-…, JWTs, PEM keys,
 * `Bearer …`, `Basic <base64>`, `"token": …`).
 *
 * It is process-wide on purpose: a surface cannot forget to pass it along. Entry points register the
 * configuration's secrets at start (`registerSecrets(redactionSecretsOf(config))`: main.ts, the CLI);
 * the few functions every surface sends through apply `redactDeep` (docs/security.md lists them).
 */
import type { Config } from './config.js';
import { createRedactor, secretsOf } from './log.js';

const outward = createRedactor();

/** registers secret values (short or empty ones are ignored); they stay registered for the process's life */
export function registerSecrets(values: readonly (string | null | undefined)[]): void {
  outward.add(values);
}

/**
 * secretsOf(config) plus the credentials built from them: the base64 of `client_id:client_secret`
 * (what an OAuth token request sends as `Authorization: Basic …`, and a proxy may echo), padded and not.
 */
export function redactionSecretsOf(config: Config): string[] {
  const out = secretsOf(config);
  const pairs: [string, string][] = [];
  const auth = config.databricks?.auth;
  if (auth?.kind === 'oauth-m2m' && auth.clientSecret) pairs.push([auth.clientId, auth.clientSecret]);
  if (config.slack?.oauth?.clientSecret) pairs.push([config.slack.oauth.clientId, config.slack.oauth.clientSecret]);
  for (const [id, secret] of pairs) {
    const b64 = Buffer.from(`${id}:${secret}`).toString('base64');
    out.push(b64, b64.replace(/=+$/, ''));
  }
  return out;
}

export function redactText(text: string): string {
  return outward.redact(text);
}

/** values walked into: plain objects, arrays and class instances holding data (activities, cards) */
function opaque(v: object): boolean {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp || v instanceof Map || v instanceof Set || v instanceof Promise || typeof (v as { pipe?: unknown }).pipe === 'function';
}

function walk(v: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof v === 'string') return outward.redact(v);
  if (v === null || typeof v !== 'object' || depth > 64 || opaque(v) || seen.has(v)) return v;
  seen.add(v);
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = walk(x, seen, depth + 1);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  let copy: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    const y = walk(x, seen, depth + 1);
    if (y === x) continue;
    // copy on the first change, keeping the prototype (an Activity stays an Activity)
    copy ??= Object.assign(Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>, v);
    copy[k] = y;
  }
  return copy ?? v;
}

/**
 * `value` with every string in it redacted, in one walk. Returns `value` itself when nothing
 * needed redacting (no copy on the common path); never mutates it.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, new WeakSet(), 0) as T;
}
