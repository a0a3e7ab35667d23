/**
 * Configuration: the only reader of process.env. Parsed once at the edge with zod into a result
 * with human-readable errors; everything below `main` receives the typed `Config`.
 * `.env.example` lists exactly the variables of `ENV_SCHEMA` (checked by test/config.test.ts).
 */
import { allowEntryProblem } from './apply/allow-list.js';
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BUNDLE_LIMIT_ENV, type BundleLimits } from './bundle/limits.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optional = z.preprocess(blankToUndefined, z.string().optional());
const bool = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
      .optional()
      .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v))),
  );

// --- bundle limits (issue 15 item 7): DLT_DOCTOR_BUNDLE_*, read by `--bundle`; docs/security.md ---
const positiveInt = z.preprocess(
  blankToUndefined,
  z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).positive({ message: 'must be a whole number above 0' }).optional(),
);
const BUNDLE_LIMIT_SCHEMA = {
  DLT_DOCTOR_BUNDLE_MAX_BYTES: positiveInt,
  DLT_DOCTOR_BUNDLE_MAX_ENTRIES: positiveInt,
  DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES: positiveInt,
  DLT_DOCTOR_BUNDLE_MAX_JSON_BYTES: positiveInt,
  DLT_DOCTOR_BUNDLE_MAX_UPDATES: positiveInt,
  DLT_DOCTOR_BUNDLE_MAX_ROWS: positiveInt,
} satisfies Record<(typeof BUNDLE_LIMIT_ENV)[keyof BundleLimits], typeof positiveInt>;

/**
 * The bundle limits the environment overrides (unset → DEFAULT_BUNDLE_LIMITS). Parsed on its own so
 * `--bundle` works without the rest of the configuration (no workspace, no chat platform).
 */
export function bundleLimitsFromEnv(env: Record<string, string | undefined>): { ok: true; limits: Partial<BundleLimits> } | { ok: false; errors: string[] } {
  const parsed = z.object(BUNDLE_LIMIT_SCHEMA).safeParse(env);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const limits: Partial<BundleLimits> = {};
  for (const [key, variable] of Object.entries(BUNDLE_LIMIT_ENV) as [keyof BundleLimits, keyof typeof BUNDLE_LIMIT_SCHEMA][]) {
    const v = parsed.data[variable];
    if (v !== undefined) limits[key] = v;
  }
  return { ok: true, limits };
}
// --- end bundle limits ---

/** Every environment variable dlt-doctor reads, with its parser. */
export const ENV_SCHEMA = z.object({
  DATABRICKS_HOST: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/, { message: 'must be a workspace host like https://adb-123.4.azuredatabricks.net' })
      .optional(),
  ),
  DATABRICKS_TOKEN: optional,
  DATABRICKS_CLIENT_ID: optional,
  DATABRICKS_CLIENT_SECRET: optional,
  DATABRICKS_WAREHOUSE_HTTP_PATH: z.preprocess(
    blankToUndefined,
    z.string().regex(/^\/sql\/[0-9.]+\/warehouses\/[A-Za-z0-9]+$|^\/sql\/protocolv1\/o\/\d+\/[A-Za-z0-9-]+$/, {
      message: 'must be the SQL warehouse HTTP path, like /sql/1.0/warehouses/abcdef1234567890',
    }).optional(),
  ),
  DLT_DOCTOR_EVENT_SOURCE: z.preprocess(
    blankToUndefined,
    z.enum(['event_log', 'published', 'system_table'], { message: 'must be one of event_log, published, system_table' }).default('event_log'),
  ),
  // where the pipeline events system table is, when not at Databricks' Beta or GA path (src/databricks/sql.ts probes those)
  DLT_DOCTOR_PIPELINE_EVENTS_TABLE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, {
        message: 'must be a three-part table name, catalog.schema.table (letters, digits and _), like system.lakeflow.pipeline_events',
      })
      .optional(),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: 'must be a port number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be between 1 and 65535 (0: any free port)' }).max(65535, { message: 'must be between 1 and 65535 (0: any free port)' }).default(3000),
  ),
  DLT_DOCTOR_DB: z.preprocess(blankToUndefined, z.string().default('.data/dlt-doctor.sqlite')),
  /**
   * PostgreSQL for the bot's state (several replicas on one database: docs/deploy.md); absent: the
   * SQLite file DLT_DOCTOR_DB. A libpq connection URI (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING).
   */
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a PostgreSQL connection URI, like postgres://dlt_doctor:PASSWORD@db.internal:5432/dlt_doctor' })
      .optional(),
  ),
  /** where benchmark / A/B-test clones publish: "catalog.schema" or "schema" (the pipeline's catalog); one schema per clone is made under it */
  DLT_DOCTOR_SCRATCH_SCHEMA: z.preprocess(
    blankToUndefined,
    z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be schema or catalog.schema (letters, digits and _), like main.dlt_doctor_scratch' }).optional(),
  ),
  SLACK_BOT_TOKEN: z.preprocess(blankToUndefined, z.string().startsWith('xoxb-', { message: 'must start with xoxb-' }).optional()),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: z.preprocess(blankToUndefined, z.string().startsWith('xapp-', { message: 'must start with xapp-' }).optional()),
  SLACK_SOCKET_MODE: bool(false),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  /** the Web API base URL; Slack's own by default. GovSlack: https://slack-gov.com/api/ (tests: a local fake) */
  SLACK_API_URL: z.preprocess(
    blankToUndefined,
    z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be the Web API base URL, like https://slack.com/api/' }).optional(),
  ),
  SLACK_ALLOWED_TEAM_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
  ),
  TEAMS_APP_ID: optional,
  TEAMS_APP_PASSWORD: optional,
  TEAMS_TENANT_ID: optional,
  TEAMS_CERT_PEM_FILE: optional,
  TEAMS_CERT_KEY_FILE: optional,
  /** further Entra tenant ids (GUIDs, comma-separated) whose Teams users may use the bot, besides TEAMS_TENANT_ID */
  TEAMS_ALLOWED_TENANT_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
  ),
  DLT_DOCTOR_WEBHOOK_SECRET: optional,
  DLT_DOCTOR_APPLY_ALLOWED_USERS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
  ),
  /** how often the alert poller reads update states (the lease holder's), seconds; default 60 */
  DLT_DOCTOR_ALERT_POLL_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: 'must be a number of seconds' }).int({ message: 'must be a whole number of seconds' }).min(2, { message: 'must be between 2 and 3600 seconds' }).max(3600, { message: 'must be between 2 and 3600 seconds' }).default(60),
  ),
  /**
   * The scheduler lease's time to live, seconds (default 60; renewed every quarter of it): a
   * replica that died is replaced as the scheduler after at most this plus a quarter (docs/deploy.md)
   */
  DLT_DOCTOR_SCHEDULER_LEASE_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: 'must be a number of seconds' }).int({ message: 'must be a whole number of seconds' }).min(4, { message: 'must be between 4 and 600 seconds' }).max(600, { message: 'must be between 4 and 600 seconds' }).default(60),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof blankToUndefined(v) === 'string' ? (blankToUndefined(v) as string).toLowerCase() : undefined),
    z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent'], { message: 'must be one of trace, debug, info, warn, error, silent' }).default('info'),
  ),
  ...BUNDLE_LIMIT_SCHEMA,
});

export type EnvVar = keyof typeof ENV_SCHEMA.shape;
export const ENV_VARS = Object.keys(ENV_SCHEMA.shape) as EnvVar[];

export type DatabricksAuth = { kind: 'pat'; token: string } | { kind: 'oauth-m2m'; clientId: string; clientSecret: string };

/** Certificate credential of the Teams app registration: absolute paths of PEM files, never their content. */
export interface TeamsCertificate {
  /** the X.509 certificate (public part, uploaded to the app registration) */
  pemFile: string;
  /** its private key (PEM, unencrypted) */
  keyFile: string;
}

/** Why `path` cannot be read as a file, or null when it can. Only the path goes into the message. */
function unreadableFile(variable: string, path: string): string | null {
  try {
    if (!statSync(path).isFile()) return `${variable}: ${path} is not a file.`;
    accessSync(path, constants.R_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${variable}: ${path} does not exist.`;
    if (code === 'EACCES' || code === 'EPERM') return `${variable}: ${path} is not readable by this process.`;
    return `${variable}: ${path} cannot be read (${code ?? 'unknown error'}).`;
  }
}

export interface Config {
  /** no DATABRICKS_HOST → the embedded demo workspace */
  mode: 'demo' | 'workspace';
  databricks: {
    host: string;
    auth: DatabricksAuth;
    /** null: no SQL warehouse, REST-only diagnosis */
    warehouseHttpPath: string | null;
    eventSource: 'event_log' | 'published' | 'system_table';
    /** DLT_DOCTOR_PIPELINE_EVENTS_TABLE; null: resolved at run time (Beta path, then GA path) */
    pipelineEventsTable: string | null;
  } | null;
  port: number;
  dbPath: string;
  /** DATABASE_URL: the state lives in PostgreSQL (replicas); null: the SQLite file dbPath */
  databaseUrl: string | null;
  /** DLT_DOCTOR_SCRATCH_SCHEMA: benchmark clones' target (src/experiment/clone-spec.ts) */
  scratchSchema: string | null;
  slack: {
    botToken: string | null;
    signingSecret: string | null;
    appToken: string | null;
    socketMode: boolean;
    /** multi-workspace OAuth install */
    /** multi-workspace OAuth install; allowedTeamIds (SLACK_ALLOWED_TEAM_IDS) empty = any workspace may install */
    oauth: { clientId: string; clientSecret: string; stateSecret: string; allowedTeamIds: string[] } | null;
    /** SLACK_API_URL; null: https://slack.com/api/ */
    apiUrl: string | null;
  } | null;
  /**
   * Exactly one credential: `appPassword` (client secret) or `certificate` (paths only: the private
   * key is never read into the configuration, so it cannot reach a log line through it).
   */
  teams: {
    appId: string;
    appPassword: string | null;
    certificate: TeamsCertificate | null;
    tenantId: string | null;
    /** TEAMS_ALLOWED_TENANT_IDS, when set: tokens and activities from these tenants are accepted too (src/surfaces/teams/adapter.ts) */
    extraTenantIds?: string[];
  } | null;
  webhookSecret: string | null;
  applyAllowedUsers: string[];
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** DLT_DOCTOR_ALERT_POLL_SECONDS, in ms */
  alertPollMs: number;
  /** DLT_DOCTOR_SCHEDULER_LEASE_SECONDS, in ms (renewed every quarter) */
  schedulerLeaseMs: number;
}

const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  const parsed = ENV_SCHEMA.safeParse(env);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`) };
  }
  const e = parsed.data;
  const errors: string[] = [];
  const need = (cond: boolean, message: string) => {
    if (!cond) errors.push(message);
  };

  let databricks: Config['databricks'] = null;
  if (e.DATABRICKS_HOST) {
    const hasOAuth = Boolean(e.DATABRICKS_CLIENT_ID || e.DATABRICKS_CLIENT_SECRET);
    need(Boolean(e.DATABRICKS_TOKEN) || hasOAuth, 'DATABRICKS_HOST is set: also set DATABRICKS_TOKEN (personal access token) or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (service principal).');
    need(!(e.DATABRICKS_TOKEN && hasOAuth), 'Set either DATABRICKS_TOKEN or DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET, not both.');
    need(!hasOAuth || Boolean(e.DATABRICKS_CLIENT_ID && e.DATABRICKS_CLIENT_SECRET), 'OAuth machine-to-machine needs both DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET.');
    const auth: DatabricksAuth = e.DATABRICKS_TOKEN
      ? { kind: 'pat', token: e.DATABRICKS_TOKEN }
      : { kind: 'oauth-m2m', clientId: e.DATABRICKS_CLIENT_ID ?? '', clientSecret: e.DATABRICKS_CLIENT_SECRET ?? '' };
    databricks = {
      host: `https://${e.DATABRICKS_HOST.replace(/^https?:\/\//, '').replace(/\/+$/, '')}`,
      auth,
      warehouseHttpPath: e.DATABRICKS_WAREHOUSE_HTTP_PATH ?? null,
      eventSource: e.DLT_DOCTOR_EVENT_SOURCE,
      pipelineEventsTable: e.DLT_DOCTOR_PIPELINE_EVENTS_TABLE ?? null,
    };
  } else {
    for (const v of ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET', 'DATABRICKS_WAREHOUSE_HTTP_PATH'] as const) {
      need(!e[v], `${v} is set but DATABRICKS_HOST is not: set DATABRICKS_HOST to use a workspace, or remove ${v} to run the demo.`);
    }
  }

  let slack: Config['slack'] = null;
  const slackOAuthVars = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const slackOAuth = slackOAuthVars.some(Boolean);
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN || slackOAuth) {
    need(Boolean(e.SLACK_BOT_TOKEN) || slackOAuth, 'Slack: set SLACK_BOT_TOKEN (single workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth install).');
    need(!slackOAuth || slackOAuthVars.every(Boolean), 'Slack OAuth install needs all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET.');
    if (e.SLACK_SOCKET_MODE) need(Boolean(e.SLACK_APP_TOKEN), 'SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (xapp-…, connections:write).');
    else need(Boolean(e.SLACK_SIGNING_SECRET), 'Slack over HTTP needs SLACK_SIGNING_SECRET (or set SLACK_SOCKET_MODE=true with SLACK_APP_TOKEN).');
    slack = {
      botToken: e.SLACK_BOT_TOKEN ?? null,
      signingSecret: e.SLACK_SIGNING_SECRET ?? null,
      appToken: e.SLACK_APP_TOKEN ?? null,
      socketMode: e.SLACK_SOCKET_MODE,
      oauth: slackOAuth ? { clientId: e.SLACK_CLIENT_ID ?? '', clientSecret: e.SLACK_CLIENT_SECRET ?? '', stateSecret: e.SLACK_STATE_SECRET ?? '', allowedTeamIds: e.SLACK_ALLOWED_TEAM_IDS } : null,
      apiUrl: e.SLACK_API_URL ?? null,
    };
  } else if (e.SLACK_SOCKET_MODE) {
    errors.push('SLACK_SOCKET_MODE=true needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN.');
  }

  let teams: Config['teams'] = null;
  const hasCert = Boolean(e.TEAMS_CERT_PEM_FILE || e.TEAMS_CERT_KEY_FILE);
  if (e.TEAMS_APP_ID || e.TEAMS_APP_PASSWORD || e.TEAMS_TENANT_ID || hasCert || e.TEAMS_ALLOWED_TENANT_IDS.length) {
    need(Boolean(e.TEAMS_APP_ID), 'Teams needs TEAMS_APP_ID (the Microsoft App ID of the Azure Bot registration).');
    if (e.TEAMS_APP_PASSWORD && hasCert) {
      errors.push('Teams: set either TEAMS_APP_PASSWORD (client secret) or TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE (certificate), not both.');
    } else if (!e.TEAMS_APP_PASSWORD && !hasCert) {
      errors.push('Teams needs a credential: TEAMS_APP_PASSWORD (client secret) or TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE (certificate).');
    } else if (hasCert && !(e.TEAMS_CERT_PEM_FILE && e.TEAMS_CERT_KEY_FILE)) {
      errors.push('Teams certificate authentication needs both TEAMS_CERT_PEM_FILE (the certificate) and TEAMS_CERT_KEY_FILE (its private key).');
    }
    let certificate: TeamsCertificate | null = null;
    if (!e.TEAMS_APP_PASSWORD && e.TEAMS_CERT_PEM_FILE && e.TEAMS_CERT_KEY_FILE) {
      // resolved now, so a later change of working directory cannot point them elsewhere
      certificate = { pemFile: resolve(e.TEAMS_CERT_PEM_FILE), keyFile: resolve(e.TEAMS_CERT_KEY_FILE) };
      // the SDK reads the files only when it first needs a token: check them at start instead
      for (const [variable, path] of [['TEAMS_CERT_PEM_FILE', certificate.pemFile], ['TEAMS_CERT_KEY_FILE', certificate.keyFile]] as const) {
        const problem = unreadableFile(variable, path);
        if (problem) errors.push(problem);
      }
    }
    // Azure no longer creates multi-tenant bot registrations (since 2025-07-31): single-tenant needs the tenant id.
    need(Boolean(e.TEAMS_TENANT_ID), 'Teams needs TEAMS_TENANT_ID: new Azure Bot registrations are single-tenant (docs/teams.md).');
    // an Entra token's issuer and `tid` carry the tenant GUID, so an alias (contoso.onmicrosoft.com) would never match
    const notGuid = e.TEAMS_ALLOWED_TENANT_IDS.filter((t) => !TENANT_GUID.test(t));
    if (notGuid.length) errors.push(`TEAMS_ALLOWED_TENANT_IDS takes Entra tenant ids (GUIDs), comma-separated; not one: ${notGuid.map((t) => `"${t.slice(0, 60)}"`).join(', ')}.`);
    teams = { appId: e.TEAMS_APP_ID ?? '', appPassword: e.TEAMS_APP_PASSWORD ?? null, certificate, tenantId: e.TEAMS_TENANT_ID ?? null };
    if (e.TEAMS_ALLOWED_TENANT_IDS.length) teams.extraTenantIds = e.TEAMS_ALLOWED_TENANT_IDS;
  }

  // slack:<id>, teams:<Entra object id> or a bare (legacy) Slack id: src/apply/allow-list.ts
  const badEntries = e.DLT_DOCTOR_APPLY_ALLOWED_USERS.map(allowEntryProblem).filter((p): p is string => p !== null);
  if (badEntries.length) errors.push(`DLT_DOCTOR_APPLY_ALLOWED_USERS: ${badEntries.join('; ')}.`);

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    config: {
      mode: databricks ? 'workspace' : 'demo',
      databricks,
      port: e.PORT,
      dbPath: e.DLT_DOCTOR_DB,
      databaseUrl: e.DATABASE_URL ?? null,
      scratchSchema: e.DLT_DOCTOR_SCRATCH_SCHEMA ?? null,
      slack,
      teams,
      webhookSecret: e.DLT_DOCTOR_WEBHOOK_SECRET ?? null,
      applyAllowedUsers: e.DLT_DOCTOR_APPLY_ALLOWED_USERS,
      logLevel: e.LOG_LEVEL,
      alertPollMs: e.DLT_DOCTOR_ALERT_POLL_SECONDS * 1000,
      schedulerLeaseMs: e.DLT_DOCTOR_SCHEDULER_LEASE_SECONDS * 1000,
    },
  };
}
