/**
 * Apply's PUT keeps what the GET had: the edit replaces every setting, and `run_as` / `parameters`
 * sit at the top level of GetPipelineResponse, outside `spec` (databricks-sdk-py
 * service/pipelines.py). The demo workspace answers the calls; a fetch wrapper adds those two fields
 * (and a spec field no schema here names) to the GET and records the PUT exactly as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplyService } from '../../src/apply/apply-service.js';
import { editPipelineBody, EDIT_FIELDS_OUTSIDE_SPEC, GET_FIELDS_KEPT_ON_EDIT } from '../../src/databricks/pipeline-edit.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { openDb } from '../../src/store/db.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { DEMO_TOKEN, tempDbPath } from '../schedule/alert-support.js';

type Json = Record<string, unknown>;

const RUN_AS = { service_principal_name: '6f1c2a9e-0000-4000-8000-000000000042' };
const PARAMETERS = { env: 'prod', start_date: '2026-01-01' };

describe('apply keeps the GET’s top-level run_as and parameters in the PUT', () => {
  let ws: DemoWorkspace;
  let pid: string;
  const puts: Json[] = [];
  const gets: Json[] = [];
  let withTopLevel = true;

  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
  });
  afterAll(async () => {
    await ws?.close();
  });

  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const method = init?.method ?? 'GET';
    if (method === 'PUT') puts.push(JSON.parse(String(init?.body)) as Json);
    const res = await fetch(input, init);
    if (method !== 'GET' || url.pathname !== `/api/2.0/pipelines/${pid}`) return res;
    const body = (await res.json()) as Json;
    const spec = { ...(body.spec as Json), future_setting: { kept: true } };
    const out = withTopLevel ? { ...body, run_as: RUN_AS, parameters: PARAMETERS, spec } : { ...body, spec };
    gets.push(structuredClone(out));
    return new Response(JSON.stringify(out), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  function service() {
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0, fetch: wrapped });
    const store = createAlertStore(openDb(tempDbPath()));
    return createApplyService({ rest, source: ws.source, store, allowedUsers: ['UADMIN'], now: () => DEMO_NOW });
  }

  const confirm = (s: ReturnType<typeof service>, recommendationId: string) =>
    s.confirm({ pipeline: pid, updateId: null, recommendationId, userId: 'UADMIN', surface: 'cli', channel: null, threadTs: null, expectedLastModified: null });

  it('the PUT body is the GET (spec + run_as + parameters) with only the applied change, and no pipeline_id', async () => {
    puts.length = 0;
    gets.length = 0;
    withTopLevel = true;
    const r = await confirm(service(), 'enable-photon');
    expect(r.ok).toBe(true);
    expect(puts).toHaveLength(1);
    const get = gets.at(-1)!;
    const put = puts[0]!;
    expect(put.run_as).toEqual(RUN_AS);
    expect(put.parameters).toEqual(PARAMETERS);
    expect('pipeline_id' in put).toBe(false);
    expect(put.expected_last_modified).toBe(get.last_modified);
    // every spec field as read (the unknown one too), photon flipped and nothing else
    const { run_as: _r, parameters: _p, expected_last_modified: _e, ...putSpec } = put;
    expect(putSpec).toEqual({ ...(get.spec as Json), photon: true });
    expect((get.spec as Json).photon).toBe(false);
  });

  it('a pipeline without run_as / parameters gets none invented (no nulls either)', async () => {
    puts.length = 0;
    withTopLevel = false;
    // the demo server applied photon above; the other appliable fix is still open
    const r = await confirm(service(), 'compute-optimized-instances');
    expect(r.ok).toBe(true);
    const put = puts[0]!;
    expect('run_as' in put).toBe(false);
    expect('parameters' in put).toBe(false);
    expect('pipeline_id' in put).toBe(false);
    expect((put.future_setting as Json).kept).toBe(true);
  });
});

describe('editPipelineBody', () => {
  it('copies exactly the GET fields the edit accepts outside spec, deep, and drops pipeline_id', () => {
    const get = { pipeline_id: 'p1', name: 'top', state: 'IDLE', health: 'HEALTHY', run_as_user_name: 'a@b.c', last_modified: 5, run_as: { user_name: 'a@b.c' }, parameters: { k: 'v' }, cluster_id: 'c1' };
    const spec = { id: 'p1', name: 'orders', pipeline_id: 'p1', photon: true };
    const body = editPipelineBody(get, spec, 5);
    expect(body).toEqual({ id: 'p1', name: 'orders', photon: true, run_as: { user_name: 'a@b.c' }, parameters: { k: 'v' }, expected_last_modified: 5 });
    (body.run_as as Json).user_name = 'changed';
    expect(get.run_as.user_name).toBe('a@b.c');
    // the read-only GET fields (state, health, cluster_id, run_as_user_name, …) are not edit fields
    for (const k of ['state', 'health', 'cluster_id', 'run_as_user_name', 'last_modified']) expect(k in body).toBe(false);
  });

  it('takes the name from the GET only when the spec has none; no expected_last_modified when unknown', () => {
    expect(editPipelineBody({ name: 'top' }, { photon: true }, null)).toEqual({ name: 'top', photon: true });
    expect(editPipelineBody({ run_as: null, parameters: null }, { name: 'n' }, null)).toEqual({ name: 'n' });
  });

  it('the kept fields are edit fields outside PipelineSpec', () => {
    for (const k of GET_FIELDS_KEPT_ON_EDIT) expect(EDIT_FIELDS_OUTSIDE_SPEC).toContain(k);
  });
});
