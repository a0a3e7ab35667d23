/**
 * Structured logging: one JSON object per line ({ time, level, msg, ...fields }) with redaction.
 *
 * Redaction runs on the finished line, so a secret cannot slip through a field, an error message,
 * a stack or a nested object:
 * - known secret values, registered from the configuration at start (`secretsOf(config)`), are
 *   replaced wherever they appear (raw, JSON-escaped and base64 forms, e.g. inside a Basic header);
 * - token-shaped strings are replaced even when nobody registered them: Databricks PATs (dapi…),
 *   Slack tokens (xoxb-/xoxp-/xoxa-/xoxr-/xoxs-/xapp-…), `Bearer …` and `Basic …` credentials.
 * Nothing below `main` reads the environment; surfaces receive a logger (or an adapter of it).
 */
import type { Config } from './config.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** a logger that adds `fields` to every line (e.g. { surface: 'slack' }) */
  child(fields: LogFields): Logger;
  /** registers more secret values (e.g. a token fetched later); empty or very short values are ignored */
  addSecrets(values: readonly (string | null | undefined)[]): void;
  /** the redaction this logger applies, for text that leaves the process by other ways */
  redact(text: string): string;
}

/** Loggers surfaces accept (SlackLogger, TeamsLogger, the poller's): variadic, level methods. */
export interface VariadicLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
}

export const REDACTED = '[REDACTED]';

const LEVELS: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

/** `word` matched in any letter case, inside a pattern that is otherwise case-sensitive */
const anyCase = (word: string) => [...word].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('');

/** Token shapes redacted whether or not they were registered (replaced whole). */
const TOKEN_SHAPES: string[] = [
  String.raw`\bdapi[A-Za-z0-9-]{8,}`, // Databricks personal access token
  String.raw`\bdose[A-Za-z0-9-]{8,}`, // Databricks OAuth secret
  String.raw`\bxox[abeoprs]-[A-Za-z0-9-]{4,}`, // Slack bot/user/... tokens
  String.raw`\bxapp-[A-Za-z0-9-]{4,}`, // Slack app-level token
  String.raw`\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*`, // a JWT (an OAuth access token)
  // a PEM private key (the Teams certificate's key file is only ever a path in the configuration,
  // but the SDK reads it): the whole block, or to the end of the text when it was cut short
  String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`,
];
/** `Bearer <credential>` / `Basic <base64>`: the scheme is kept, the credential replaced */
const SCHEME = String.raw`\b(${anyCase('bearer')}|${anyCase('basic')})(\s+)([A-Za-z0-9._~+/=-]{6,})`;
/** `"token": "…"`, `password=…`: the key is kept, the value replaced */
const KEY_VALUE = String.raw`("?(?:${['access_token', 'refresh_token', 'client_secret', 'signing_secret', 'password', 'token'].map(anyCase).join('|')})"?\s*[:=]\s*"?)([^"&\s,}]{6,})`;

/** Secrets shorter than this are not registered: replacing "a" everywhere would destroy the log, not protect it. */
const MIN_SECRET_LENGTH = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every secret value of the configuration (the variables docs/security.md lists). */
/** The password a PostgreSQL URI carries, decoded; null without one (or when it does not parse). */
export function databasePassword(url: string): string | null {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : null;
  } catch {
    return null;
  }
}

export function secretsOf(config: Config): string[] {
  const out: (string | null | undefined)[] = [];
  const auth = config.databricks?.auth;
  if (auth?.kind === 'pat') out.push(auth.token);
  if (auth?.kind === 'oauth-m2m') out.push(auth.clientSecret);
  if (config.slack) {
    out.push(config.slack.botToken, config.slack.signingSecret, config.slack.appToken);
    if (config.slack.oauth) out.push(config.slack.oauth.clientSecret, config.slack.oauth.stateSecret);
  }
  // with a certificate there is no secret value here: the configuration holds the key file's path, not its content
  if (config.teams) out.push(config.teams.appPassword);
  out.push(config.webhookSecret);
  // the password of DATABASE_URL (postgres://user:PASSWORD@host/db), as written and URL-decoded
  const password = config.databaseUrl ? databasePassword(config.databaseUrl) : null;
  if (password) out.push(password, encodeURIComponent(password));
  return out.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** A Basic credential looks like base64 of `id:secret`; "Basic settings" in a sentence does not. */
function looksLikeBasic(credential: string): boolean {
  return /[0-9+/=]/.test(credential) || Buffer.from(credential, 'base64').toString('latin1').includes(':');
}

/**
 * A redactor over a growing set of secret values plus the token shapes. One precompiled pattern
 * (the values, longest first, then the shapes), one pass over the text.
 */
export function createRedactor(initial: readonly (string | null | undefined)[] = []) {
  const values = new Set<string>();
  let matcher = /$^/g;
  const add = (list: readonly (string | null | undefined)[]) => {
    for (const v of list) {
      if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH) continue;
      values.add(v);
      // the forms a value takes on its way into a line: JSON-escaped, URL-encoded, base64
      values.add(JSON.stringify(v).slice(1, -1));
      values.add(encodeURIComponent(v));
      values.add(Buffer.from(v).toString('base64').replace(/=+$/, ''));
    }
    const sorted = [...values].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    const known = sorted.length ? sorted.map(escapeRegExp).join('|') : '(?!)';
    matcher = new RegExp(`(${known})|${TOKEN_SHAPES.join('|')}|${SCHEME}|${KEY_VALUE}`, 'g');
  };
  add(initial);
  const redact = (text: string): string =>
    text.replace(matcher, (m, _known?: string, scheme?: string, space?: string, credential?: string, key?: string) => {
      if (scheme !== undefined && credential !== undefined) {
        if (/^basic$/i.test(scheme) && !looksLikeBasic(credential)) return `${scheme}${space ?? ' '}${redact(credential)}`;
        return `${scheme} ${REDACTED}`;
      }
      if (key !== undefined) return `${key}${REDACTED}`;
      return REDACTED;
    });
  return { add, redact };
}

/** JSON-safe view of a value: errors as name/message/code/stack, cycles and functions dropped. */
function toJsonable(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (depth > 8) return '[…]';
  if (typeof value === 'object') {
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown; hint?: unknown };
      return {
        name: e.name,
        message: e.message,
        ...(e.code !== undefined ? { code: toJsonable(e.code, seen, depth + 1) } : {}),
        ...(e.stack ? { stack: e.stack } : {}),
        ...(e.cause !== undefined ? { cause: toJsonable(e.cause, seen, depth + 1) } : {}),
      };
    }
    if (Array.isArray(value)) return value.slice(0, 50).map((v) => toJsonable(v, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJsonable(v, seen, depth + 1);
    return out;
  }
  return String(value);
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** secret values to redact (secretsOf(config)) */
  secrets?: readonly (string | null | undefined)[];
  /** where lines go; default: stderr for warn and error, stdout for the rest */
  write?: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
  now?: () => Date;
  fields?: LogFields;
}

const defaultWrite = (line: string, level: Exclude<LogLevel, 'silent'>) => {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
};

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const redactor = createRedactor(options.secrets ?? []);
  return makeLogger({
    min: LEVELS[options.level ?? 'info'],
    redactor,
    write: options.write ?? defaultWrite,
    now: options.now ?? (() => new Date()),
    fields: options.fields ?? {},
  });
}

function makeLogger(s: {
  min: number;
  redactor: ReturnType<typeof createRedactor>;
  write: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
  now: () => Date;
  fields: LogFields;
}): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < s.min) return;
    let line: string;
    try {
      const extra = toJsonable({ ...s.fields, ...fields }) as Record<string, unknown>;
      line = JSON.stringify({ time: s.now().toISOString(), level, msg: String(msg), ...extra });
    } catch {
      line = JSON.stringify({ time: s.now().toISOString(), level, msg: String(msg), note: 'fields could not be serialised' });
    }
    try {
      s.write(s.redactor.redact(line), level);
    } catch {
      // a broken log sink must never take the bot down
    }
  };
  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => makeLogger({ ...s, fields: { ...s.fields, ...fields } }),
    addSecrets: (values) => s.redactor.add(values),
    redact: (text) => s.redactor.redact(text),
  };
}

/**
 * Adapts a Logger to the variadic interface surfaces take (`logger.warn('x', err)`): the first
 * string argument is the message, an Error becomes `err`, other arguments go into `args`.
 */
export function variadic(logger: Logger): VariadicLogger {
  const split = (m: unknown[]): [string, LogFields | undefined] => {
    const parts: string[] = [];
    const rest: unknown[] = [];
    let err: unknown;
    for (const x of m) {
      if (typeof x === 'string' && rest.length === 0 && err === undefined) parts.push(x);
      else if (x instanceof Error && err === undefined) err = x;
      else if (x !== undefined) rest.push(x);
    }
    const fields: LogFields = {};
    if (err !== undefined) fields.err = err;
    if (rest.length) fields.args = rest;
    return [parts.join(' '), Object.keys(fields).length ? fields : undefined];
  };
  return {
    debug: (...m) => logger.debug(...split(m)),
    info: (...m) => logger.info(...split(m)),
    warn: (...m) => logger.warn(...split(m)),
    error: (...m) => logger.error(...split(m)),
  };
}
