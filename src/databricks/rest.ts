/**
 * REST client for the Databricks Pipelines (2.0) and Clusters (2.1) APIs.
 *
 * - Auth: personal access token, or OAuth M2M (service principal client credentials, token cached
 *   until 60 s before it expires, refreshed once on a 401). `accessToken()` hands the same token to
 *   the SQL warehouse's driver (one cache for REST and SQL, on AWS, Azure and GCP alike).
 *   https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
 * - Retries: 429 and 503 honour the integer `Retry-After` header (default 1 s), as the official SDK
 *   does (databricks-sdk-py errors/customizer.py); other 5xx, timeouts and connection resets back off
 *   exponentially with full jitter. Everything is bounded by a per-call deadline. Only 429/503 are
 *   retried for POST/PUT: the server says it did not process those, while a timed-out edit may have
 *   been applied.
 * - Every response is validated with the zod schemas in ./schemas.ts; a response that does not fit
 *   becomes a SOURCE_UNAVAILABLE error that names the call, never the body.
 * - GETs are single-flight and cached for `cacheTtlMs`, so many people asking at once cost one set of
 *   calls. Writes invalidate the pipeline's cached entries.
 * Secrets (token, client secret, access token) never appear in errors or logs.
 */
import { echo } from '../util/echo.js';
import { z } from 'zod';
import { DoctorError, sourceUnavailable } from '../errors.js';
import type { EditPipelineBody } from './pipeline-edit.js';
import {
  ClusterSchema,
  EventRowSchema,
  GetPipelineSchema,
  ListEventsSchema,
  ListNodeTypesSchema,
  ListPipelinesSchema,
  NodeTypeSchema,
  ListUpdatesSchema,
  UpdateInfoSchema,
  type EventRow,
  type RawCluster,
  type RawNodeType,
  type RawPipeline,
  type RawPipelineStatus,
  type RawUpdate,
} from './schemas.js';
import { redactText } from '../redact.js';
import { createTokenBucket, DEFAULT_REST_RATE_LIMIT, type TokenBucketOptions } from './token-bucket.js';

export type RestAuth = { kind: 'pat'; token: string } | { kind: 'oauth-m2m'; clientId: string; clientSecret: string };

export interface RestClientOptions {
  /** workspace URL, e.g. https://adb-123.4.azuredatabricks.net (http:// only for the local demo) */
  host: string;
  auth: RestAuth;
  fetch?: typeof fetch;
  /** per HTTP request, default 15 000 */
  timeoutMs?: number;
  /** per client call including retries, default 60 000 */
  deadlineMs?: number;
  /** retries after the first attempt, default 3 */
  maxRetries?: number;
  /** how long a GET result is reused, default 10 000; 0 disables the cache (single-flight stays) */
  cacheTtlMs?: number;
  /** client-side token bucket (default DEFAULT_REST_RATE_LIMIT); `false` turns it off */
  rateLimit?: TokenBucketOptions | false;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1, for the backoff jitter; default Math.random */
  random?: () => number;
}

/** GET /api/2.0/pipelines/{id}, plus the spec exactly as received (for a PUT round trip). */
export type PipelineDetails = RawPipeline & { rawSpec: Record<string, unknown> | null };

export interface StartUpdateBody {
  full_refresh?: boolean;
  full_refresh_selection?: string[];
  refresh_selection?: string[];
  validate_only?: boolean;
  cause?: string;
  [k: string]: unknown;
}

/** PUT body: the full flat PipelineSpec (omitted fields are cleared), run_as / parameters, plus optimistic concurrency (./pipeline-edit.ts). */
export type { EditPipelineBody } from './pipeline-edit.js';

export interface ListEventsOptions {
  /** page size, ≤ 1000 (default 250) */
  maxResults?: number;
  /** e.g. `level in ('ERROR','WARN') AND timestamp > '2026-11-20T06:00:00Z'`; no event_type filter exists */
  filter?: string;
  /** e.g. ['timestamp asc']; default is newest first */
  orderBy?: string[];
  /** stop after this many events in total (default 1000) */
  maxEvents?: number;
}

export interface RestStats {
  total: number;
  /** "METHOD /path" (no query string) → HTTP requests sent, retries included */
  byPath: Record<string, number>;
  cacheHits: number;
  /** events dropped because they did not fit the event schema */
  skippedEvents: number;
}

export interface RestClient {
  readonly host: string;
  listPipelines(opts?: { filter?: string; maxPages?: number }): Promise<RawPipelineStatus[]>;
  getPipeline(id: string): Promise<PipelineDetails>;
  listUpdates(id: string, opts?: { maxResults?: number; pages?: number }): Promise<RawUpdate[]>;
  /** fresh: past the GET cache (polling an update until it ends) */
  getUpdate(id: string, updateId: string, opts?: { fresh?: boolean }): Promise<RawUpdate>;
  startUpdate(id: string, body?: StartUpdateBody): Promise<{ update_id: string }>;
  editPipeline(id: string, body: EditPipelineBody): Promise<void>;
  /**
   * POST /api/2.0/pipelines (CAN create pipelines in the workspace): a new pipeline from a
   * PipelineSpec; → its id. https://docs.databricks.com/api/workspace/pipelines/create
   * (databricks-sdk-py service/pipelines.py PipelinesAPI.create → CreatePipelineResponse {pipeline_id, effective_settings})
   */
  createPipeline(spec: Record<string, unknown>): Promise<{ pipeline_id: string }>;
  /**
   * DELETE /api/2.0/pipelines/{id}?cascade=…: a Unity Catalog pipeline's deletion cascades to its
   * tables (materialized views, streaming tables) unless cascade=false.
   * https://docs.databricks.com/api/workspace/pipelines/delete. A pipeline already gone is not an error.
   */
  deletePipeline(id: string, opts?: { cascade?: boolean }): Promise<{ deleted: boolean }>;
  /**
   * DELETE /api/2.1/unity-catalog/schemas/{full_name} without force: Unity Catalog refuses a
   * schema that still has tables, so only an emptied scratch schema goes.
   * https://docs.databricks.com/api/workspace/schemas/delete. → false when it was not there.
   */
  deleteSchema(fullName: string): Promise<{ deleted: boolean }>;
  /** POST /api/2.0/pipelines/{id}/stop: cancels the active update (the SDK then polls GET until IDLE) */
  stopPipeline(id: string): Promise<void>;
  listEvents(id: string, opts?: ListEventsOptions): Promise<EventRow[]>;
  getCluster(clusterId: string): Promise<RawCluster>;
  /** the node types the workspace offers (GET /api/2.1/clusters/list-node-types); malformed entries are skipped */
  listNodeTypes(): Promise<RawNodeType[]>;
  /**
   * The bearer token REST calls use, with its expiry (ms; null for a PAT): the SQL warehouse's
   * token provider reads it too, so REST and SQL share one OAuth token cache (src/databricks/sql.ts).
   */
  accessToken(): Promise<{ value: string; expiresAt: number | null }>;
  stats(): RestStats;
  /** forget cached GET results (e.g. after an edit made elsewhere) */
  clearCache(): void;
}

/** a 404 of DELETE …/schemas: nothing to delete */
class SchemaGone extends DoctorError {}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 10_000;
const TOKEN_EARLY_REFRESH_MS = 60_000;

type Query = Record<string, string | number | string[] | undefined>;

interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** the permission to name when Databricks says 403 */
  grant: string;
  /** what a 404 means for this call */
  notFound: () => DoctorError;
}

const ErrorBodySchema = z.object({ error_code: z.string().nullish(), message: z.string().nullish() });

const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
});

export function createRestClient(opts: RestClientOptions): RestClient {
  const host = normaliseHost(opts.host);
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 3;
  const cacheTtlMs = opts.cacheTtlMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const label = `Databricks (${host})`;
  // wall clock and real timers, never opts.now/opts.sleep: a clock pinned to the data's "now" (tests,
  // the demo) would never refill the bucket
  const bucket = opts.rateLimit === false
    ? null
    : createTokenBucket(opts.rateLimit ?? DEFAULT_REST_RATE_LIMIT, { now: Date.now, sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)) });

  const stats: RestStats = { total: 0, byPath: {}, cacheHits: 0, skippedEvents: 0 };
  const count = (method: string, path: string) => {
    stats.total += 1;
    const key = `${method} ${path}`;
    stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
  };

  // ---- auth --------------------------------------------------------------------------------
  let token: { value: string; refreshAt: number; expiresAt: number } | null = null;
  let tokenInFlight: Promise<string> | null = null;

  async function bearer(): Promise<string> {
    if (opts.auth.kind === 'pat') return opts.auth.token;
    if (token && now() < token.refreshAt) return token.value;
    tokenInFlight ??= fetchToken().finally(() => {
      tokenInFlight = null;
    });
    return tokenInFlight;
  }

  async function fetchToken(): Promise<string> {
    if (opts.auth.kind !== 'oauth-m2m') throw new Error('unreachable');
    const { clientId, clientSecret } = opts.auth;
    const json = await send(
      {
        method: 'POST',
        path: '/oidc/v1/token',
        body: 'grant_type=client_credentials&scope=all-apis',
        grant: 'a service principal OAuth secret that is valid for this workspace',
        notFound: () => sourceUnavailable(`${label} has no OAuth token endpoint (/oidc/v1/token); is the host right?`),
      },
      {
        auth: false,
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        retryAll: true, // fetching a token has no side effect
      },
    );
    const parsed = TokenSchema.safeParse(json);
    if (!parsed.success) throw sourceUnavailable(`${label} returned an unexpected response for POST /oidc/v1/token`);
    const expiresInMs = (parsed.data.expires_in ?? 3600) * 1000;
    token = { value: parsed.data.access_token, refreshAt: now() + Math.max(0, expiresInMs - TOKEN_EARLY_REFRESH_MS), expiresAt: now() + expiresInMs };
    return token.value;
  }

  // ---- one call, with retries ----------------------------------------------------------------
  async function send(
    call: CallSpec,
    extra: { auth?: boolean; headers?: Record<string, string>; retryAll?: boolean } = {},
  ): Promise<unknown> {
    const useAuth = extra.auth ?? true;
    const retryAll = extra.retryAll ?? (call.method === 'GET' || call.method === 'DELETE'); // a DELETE is idempotent
    const what = `${call.method} ${call.path}`;
    const url = buildUrl(host, call.path, call.query);
    const deadline = now() + deadlineMs;
    const failures: string[] = [];
    let retries = 0;
    let refreshedOn401 = false;

    const giveUp = (cause: unknown, tail = 'try again in a minute') => {
      const last = failures[failures.length - 1] ?? 'no answer';
      const same = failures.every((f) => f === last);
      const msg = same
        ? `${label} ${describeFailure(last)} ${times(failures.length)} for ${what}; ${tail}`
        : `${label} failed ${times(failures.length)} for ${what} (last: ${describeFailure(last)}); ${tail}`;
      return sourceUnavailable(msg, cause);
    };

    /** waits before the next attempt, or returns false when the retry budget or deadline is spent */
    const backoff = async (delayMs: number): Promise<boolean> => {
      if (retries >= maxRetries) return false;
      if (now() + delayMs >= deadline) return false;
      retries += 1;
      await sleep(delayMs);
      return true;
    };
    const jitter = () => Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries));

    for (;;) {
      const remaining = deadline - now();
      if (remaining <= 0) throw giveUp(undefined);
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'dlt-doctor', ...extra.headers };
      if (useAuth) headers.Authorization = `Bearer ${await bearer()}`;
      let body: string | undefined;
      if (call.body !== undefined) {
        body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const perRequest = Math.min(timeoutMs, remaining);
      let status: number;
      let text: string;
      let retryAfter: string | null;
      if (bucket) await bucket.take();
      try {
        count(call.method, call.path);
        const res = await fetchImpl(url, { method: call.method, headers, body, signal: AbortSignal.timeout(perRequest) });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch (err) {
        failures.push(isTimeout(err) ? `timeout:${perRequest}` : 'network');
        if (retryAll && (await backoff(jitter()))) continue;
        throw giveUp(scrub(err));
      }

      if (status >= 200 && status < 300) {
        if (text.trim() === '') return {};
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw sourceUnavailable(`${label} returned an unexpected response for ${what} (not valid JSON)`);
        }
      }

      const errBody = parseErrorBody(text);
      if (status === 401 && useAuth && opts.auth.kind === 'oauth-m2m' && !refreshedOn401) {
        refreshedOn401 = true;
        token = null;
        continue;
      }
      if (status === 429 || status === 503) {
        failures.push(String(status));
        const seconds = parseRetryAfter(retryAfter);
        if (await backoff(seconds * 1000)) continue;
        throw giveUp(undefined);
      }
      if (status >= 500) {
        failures.push(String(status));
        if (retryAll && (await backoff(jitter()))) continue;
        throw giveUp(undefined);
      }
      throw mapClientError(status, errBody, call, what);
    }
  }

  function mapClientError(status: number, err: { code: string | null; message: string | null }, call: CallSpec, what: string) {
    // redacted before it is cut, so a credential the server echoed cannot leave half-cut (and unrecognised)
    const detail = err.message ? `: ${truncate(redactText(err.message), 200)}` : '';
    if (status === 404 || err.code === 'RESOURCE_DOES_NOT_EXIST' || err.code === 'NOT_FOUND') return call.notFound();
    if (status === 401)
      return new DoctorError('PERMISSION_DENIED', `${label} rejected the credentials for ${what} (401)`, {
        hint: opts.auth.kind === 'pat'
          ? 'The token is invalid or expired; create a new personal access token (or use a service principal).'
          : 'The service principal\u2019s OAuth secret is invalid, expired or not for this workspace.',
      });
    if (status === 403 || err.code === 'PERMISSION_DENIED')
      return new DoctorError('PERMISSION_DENIED', `${label} denied ${what} (403)${detail}`, {
        hint: `Grant the bot's identity ${call.grant}.`,
      });
    if (status === 409 || err.code === 'RESOURCE_CONFLICT')
      return new DoctorError('CONFLICT', `${label} refused ${what}: conflict${detail}`, {
        hint: call.method === 'PUT'
          ? 'The pipeline settings changed since they were read; read them again and re-apply.'
          : 'An update is already running; wait for it to finish or stop it.',
      });
    return sourceUnavailable(`${label} rejected ${what} (${status}${err.code ? ` ${err.code}` : ''})${detail}`);
  }

  // ---- GET cache + single flight -------------------------------------------------------------
  const cache = new Map<string, { at: number; value: unknown }>();
  const inFlight = new Map<string, Promise<unknown>>();

  function get(call: Omit<CallSpec, 'method'> & { fresh?: boolean }): Promise<unknown> {
    const key = buildUrl(host, call.path, call.query);
    const hit = call.fresh ? undefined : cache.get(key);
    if (hit && now() - hit.at < cacheTtlMs) {
      stats.cacheHits += 1;
      return Promise.resolve(hit.value);
    }
    const pending = inFlight.get(key);
    if (pending) {
      stats.cacheHits += 1;
      return pending;
    }
    const p = send({ ...call, method: 'GET' })
      .then((value) => {
        if (cacheTtlMs > 0) cache.set(key, { at: now(), value });
        return value;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  function invalidate(pipelineId: string) {
    const prefix = `${host}/api/2.0/pipelines`;
    const own = `${prefix}/${encodeURIComponent(pipelineId)}`;
    for (const key of cache.keys()) {
      if (key.startsWith(own) || key === prefix || key.startsWith(`${prefix}?`)) cache.delete(key);
    }
  }

  function parse<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
    const r = schema.safeParse(json);
    if (!r.success) throw sourceUnavailable(`${label} returned an unexpected response for ${what}`, summariseIssues(r.error));
    return r.data;
  }

  const pipelinePath = (id: string) => `/api/2.0/pipelines/${encodeURIComponent(id)}`;
  const pipelineMissing = (id: string) => () =>
    new DoctorError('PIPELINE_NOT_FOUND', `${label} has no pipeline with id "${id}" (or the bot may not see it).`, {
      hint: 'Run `pipelines` to list them, and check the bot has CAN_VIEW on the pipeline.',
    });

  return {
    host,

    async listPipelines(o = {}) {
      const out: RawPipelineStatus[] = [];
      const path = '/api/2.0/pipelines';
      let pageToken: string | undefined;
      const maxPages = o.maxPages ?? 100;
      for (let page = 0; page < maxPages; page++) {
        const json = await get({
          path,
          query: { max_results: 100, filter: o.filter, page_token: pageToken },
          grant: 'workspace access (pipelines it should see need CAN_VIEW)',
          notFound: () => sourceUnavailable(`${label} has no pipelines API at ${path}; is the host right?`),
        });
        const body = parse(ListPipelinesSchema, json, `GET ${path}`);
        out.push(...(body.statuses ?? []));
        if (!body.next_page_token) break;
        pageToken = body.next_page_token;
      }
      return out;
    },

    async getPipeline(id) {
      const path = pipelinePath(id);
      const json = await get({ path, grant: 'CAN_VIEW on the pipeline', notFound: pipelineMissing(id) });
      const body = parse(GetPipelineSchema, json, `GET ${path}`);
      const spec = (json as { spec?: unknown }).spec;
      // a deep copy: the cached JSON must not change when a caller edits the spec for a PUT
      return { ...body, rawSpec: spec && typeof spec === 'object' ? (structuredClone(spec) as Record<string, unknown>) : null };
    },

    async listUpdates(id, o = {}) {
      const path = `${pipelinePath(id)}/updates`;
      const out: RawUpdate[] = [];
      let pageToken: string | undefined;
      const pages = o.pages ?? 1;
      for (let page = 0; page < pages; page++) {
        const json = await get({
          path,
          query: { max_results: o.maxResults ?? 25, page_token: pageToken },
          grant: 'CAN_VIEW on the pipeline',
          notFound: pipelineMissing(id),
        });
        const body = parse(ListUpdatesSchema, json, `GET ${path}`);
        out.push(...(body.updates ?? []));
        if (!body.next_page_token) break;
        pageToken = body.next_page_token;
      }
      return out;
    },

    async getUpdate(id, updateId, o = {}) {
      const path = `${pipelinePath(id)}/updates/${encodeURIComponent(updateId)}`;
      const json = await get({
        fresh: o.fresh === true,
        path,
        grant: 'CAN_VIEW on the pipeline',
        notFound: () =>
          new DoctorError('UPDATE_NOT_FOUND', `${label} has no update "${echo(updateId, 80)}" for pipeline "${echo(id, 80)}".`, {
            hint: 'Leave out --update to diagnose the latest one.',
          }),
      });
      return parse(z.object({ update: UpdateInfoSchema }), json, `GET ${path}`).update;
    },

    async startUpdate(id, body = {}) {
      const path = `${pipelinePath(id)}/updates`;
      const json = await send({ method: 'POST', path, body, grant: 'CAN_RUN on the pipeline', notFound: pipelineMissing(id) });
      invalidate(id);
      return parse(z.object({ update_id: z.string() }), json, `POST ${path}`);
    },

    async editPipeline(id, body) {
      const path = pipelinePath(id);
      // the id is in the path; the SDK's PipelinesAPI.update does not repeat it in the body
      const { pipeline_id: _inPath, ...fields } = body;
      await send({
        method: 'PUT',
        path,
        body: fields,
        grant: 'CAN_MANAGE on the pipeline',
        notFound: pipelineMissing(id),
      });
      invalidate(id);
    },

    async createPipeline(spec) {
      const path = '/api/2.0/pipelines';
      const json = await send({
        method: 'POST',
        path,
        body: spec,
        grant: 'permission to create pipelines in the workspace (and USE CATALOG / CREATE SCHEMA on the scratch target)',
        notFound: () => sourceUnavailable(`${label} has no pipelines API at ${path}; is the host right?`),
      });
      invalidate('');
      return parse(z.object({ pipeline_id: z.string().min(1) }), json, `POST ${path}`);
    },

    async deletePipeline(id, o = {}) {
      const path = pipelinePath(id);
      try {
        await send({ method: 'DELETE', path, query: { cascade: o.cascade === undefined ? undefined : String(o.cascade) }, grant: 'CAN_MANAGE on the pipeline', notFound: pipelineMissing(id) });
      } catch (err) {
        if (err instanceof DoctorError && err.code === 'PIPELINE_NOT_FOUND') return { deleted: false };
        throw err;
      } finally {
        invalidate(id);
      }
      return { deleted: true };
    },

    async deleteSchema(fullName) {
      const path = `/api/2.1/unity-catalog/schemas/${encodeURIComponent(fullName)}`;
      const gone = () => new SchemaGone('SOURCE_UNAVAILABLE', `${label} has no schema ${echo(fullName, 120)}.`);
      try {
        await send({ method: 'DELETE', path, grant: 'ownership of the scratch schema (or MANAGE on it)', notFound: gone });
      } catch (err) {
        if (err instanceof SchemaGone) return { deleted: false };
        throw err;
      }
      return { deleted: true };
    },

    async stopPipeline(id) {
      const path = `${pipelinePath(id)}/stop`;
      await send({ method: 'POST', path, body: {}, grant: 'CAN_RUN on the pipeline', notFound: pipelineMissing(id) });
      invalidate(id);
    },

    async listEvents(id, o = {}) {
      const path = `${pipelinePath(id)}/events`;
      const pageSize = Math.max(1, Math.min(1000, o.maxResults ?? 250));
      const maxEvents = o.maxEvents ?? 1000;
      const out: EventRow[] = [];
      let pageToken: string | undefined;
      while (out.length < maxEvents) {
        const maxResults = Math.min(pageSize, maxEvents - out.length);
        // page_token is mutually exclusive with every parameter except max_results
        const query: Query = pageToken
          ? { page_token: pageToken, max_results: maxResults }
          : { max_results: maxResults, filter: o.filter, order_by: o.orderBy };
        const json = await get({ path, query, grant: 'CAN_VIEW on the pipeline', notFound: pipelineMissing(id) });
        const body = parse(ListEventsSchema, json, `GET ${path}`);
        for (const raw of body.events ?? []) {
          const ev = EventRowSchema.safeParse(raw);
          if (ev.success) out.push(ev.data);
          else stats.skippedEvents += 1;
          if (out.length >= maxEvents) break;
        }
        if (!body.next_page_token || (body.events ?? []).length === 0) break;
        pageToken = body.next_page_token;
      }
      return out;
    },

    async getCluster(clusterId) {
      const path = '/api/2.1/clusters/get';
      const json = await get({
        path,
        query: { cluster_id: clusterId },
        grant: 'CAN_ATTACH_TO on the cluster (pipeline clusters follow the pipeline: CAN_VIEW on the pipeline)',
        notFound: () => sourceUnavailable(`${label} has no cluster "${clusterId}" (it may have been deleted).`),
      });
      return parse(ClusterSchema, json, `GET ${path}`);
    },

    async listNodeTypes() {
      // the SDK's ClustersAPI.list_node_types calls the 2.1 path (databricks-sdk-py service/compute.py); 2.0 answers the same
      const path = '/api/2.1/clusters/list-node-types';
      const json = await get({
        path,
        grant: 'workspace access (any workspace user can list node types)',
        notFound: () => sourceUnavailable(`${label} has no node types API at ${path}.`),
      });
      const body = parse(ListNodeTypesSchema, json, `GET ${path}`);
      return (body.node_types ?? []).flatMap((n) => {
        const r = NodeTypeSchema.safeParse(n);
        return r.success ? [r.data] : [];
      });
    },

    async accessToken() {
      if (opts.auth.kind === 'pat') return { value: opts.auth.token, expiresAt: null };
      const value = await bearer();
      return { value, expiresAt: token?.value === value ? token.expiresAt : null };
    },

    stats() {
      return { ...stats, byPath: { ...stats.byPath } };
    },

    clearCache() {
      cache.clear();
    },
  };
}

// ---- helpers ----------------------------------------------------------------------------------

/** https://host (no trailing slash, no credentials); a bare host name gets https:// */
export function normaliseHost(raw: string): string {
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new DoctorError('CONFIG', 'The Databricks host is not a URL; expected e.g. https://adb-123.4.azuredatabricks.net');
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

function buildUrl(host: string, path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return `${host}${path}${qs ? `?${qs}` : ''}`;
}

function parseRetryAfter(v: string | null): number {
  if (v === null) return 1;
  const n = Number.parseInt(v.trim(), 10);
  return Number.isFinite(n) && n >= 0 && /^\d+$/.test(v.trim()) ? n : 1;
}

function parseErrorBody(text: string): { code: string | null; message: string | null } {
  try {
    const r = ErrorBodySchema.safeParse(JSON.parse(text));
    if (r.success) return { code: r.data.error_code ?? null, message: r.data.message ?? null };
  } catch {
    // not JSON (a proxy page, say): ignore the body
  }
  return { code: null, message: null };
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** keep the error class and message of a network failure, nothing that could carry headers */
function scrub(err: unknown): Error {
  if (err instanceof Error) {
    const inner = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return new Error(`${err.name}: ${err.message}${inner}`);
  }
  return new Error(String(err));
}

function describeFailure(f: string): string {
  if (f === 'network') return 'could not be reached (connection failed)';
  if (f.startsWith('timeout:')) {
    const ms = Number(f.slice(8));
    return `did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`;
  }
  return `answered ${f}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : n === 3 ? 'three times' : n === 4 ? 'four times' : n === 5 ? 'five times' : `${n} times`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}\u2026`;
}

function summariseIssues(err: z.ZodError): Error {
  const issues = err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return new Error(`schema mismatch: ${issues.join('; ')}`);
}
