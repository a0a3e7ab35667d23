/**
 * Apply's PUT keeps what the GET had: the edit replaces every setting, and `run_as` / `parameters`
 * sit at the top level of GetPipelineResponse, outside `spec` (databricks-sdk-py
 * service/pipelines.py, src/databricks/pipeline-edit.ts). The demo workspace answers collect (the
 * diagnosis that finds the fix); the Databricks REST calls of apply itself (GET the pipeline, list
 * its updates, PUT) go to a nock'd workspace, so the PUT is checked exactly as it leaves the client.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApplyService } from '../../src/apply/apply-service.js';
import { editPipelineBody, EDIT_FIELDS_OUTSIDE_SPEC, GET_FIELDS_KEPT_ON_EDIT } from '../../src/databricks/pipeline-edit.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { openDb } from '../../src/store/db.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { DEMO_TOKEN, tempDbPath } from '../schedule/alert-support.js';

type Json = Record<string, unknown>;

const HOST = 'https://adb-7.8.azuredatabricks.net';
const RUN_AS = { service_principal_name: '6f1c2a9e-0000-4000-8000-000000000042' };
const PARAMETERS = { env: 'prod', start_date: '2026-01-01' };
/** GetPipelineResponse's top-level fields the edit call takes (besides spec): pipeline-edit.ts */
const EDIT_TAKES = new Set(['name', 'run_as', 'parameters']);

describe('apply keeps the GET’s top-level run_as and parameters in the PUT', () => {
  let ws: DemoWorkspace;
  let pid: string;
  let demoGet: Json;

  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
    const res = await fetch(`${ws.rest.url}/api/2.0/pipelines/${pid}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    demoGet = (await res.json()) as Json;
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterAll(async () => {
    await ws?.close();
  });

  /** The workspace as nock: GET answers `get`, updates are empty, every PUT body is recorded. */
  function workspace(get: Json) {
    const puts: Json[] = [];
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock(HOST)
      .persist()
      .get(`/api/2.0/pipelines/${pid}`)
      .reply(200, get)
      .get(`/api/2.0/pipelines/${pid}/updates`)
      .query(true)
      .reply(200, { updates: [] })
      .put(`/api/2.0/pipelines/${pid}`, (b: Json) => {
        puts.push(b);
        return true;
      })
      .reply(200, {});
    const rest = createRestClient({ host: HOST, auth: { kind: 'pat', token: 'dapi-test' }, cacheTtlMs: 0 });
    const store = createAlertStore(openDb(tempDbPath()));
    const service = createApplyService({ rest, source: ws.source, store, allowedUsers: ['UADMIN'], now: () => DEMO_NOW });
    const confirm = (recommendationId: string) =>
      service.confirm({ pipeline: pid, updateId: null, recommendationId, userId: 'UADMIN', surface: 'cli', channel: null, threadTs: null, expectedLastModified: null });
    return { puts, confirm };
  }

  it('the PUT carries every top-level GET field the edit takes, the spec with only the change, expected_last_modified, and nothing read-only', async () => {
    const { run_as: _demoRunAs, ...base } = demoGet;
    const get: Json = {
      ...base,
      run_as: RUN_AS,
      parameters: PARAMETERS,
      // read-only GetPipelineResponse fields: never part of an edit
      run_as_user_name: RUN_AS.service_principal_name,
      creator_user_name: 'ana@example.com',
      cluster_id: '1201-000000-abcdefgh',
      cause: 'API_CALL',
      effective_budget_policy_id: 'bp-1',
      effective_usage_policy_id: 'up-1',
      spec: { ...(demoGet.spec as Json), future_setting: { kept: true } },
    };
    const { puts, confirm } = workspace(get);
    const r = await confirm('enable-photon');
    expect(r.ok).toBe(true);
    expect(puts).toHaveLength(1);
    const put = puts[0]!;
    expect((get.spec as Json).photon).toBe(false);
    expect(put).toEqual({ ...(get.spec as Json), photon: true, run_as: RUN_AS, parameters: PARAMETERS, expected_last_modified: get.last_modified });
    for (const key of Object.keys(get)) {
      if (key === 'spec') continue;
      if (EDIT_TAKES.has(key)) expect(put[key], key).toEqual(get[key]);
      else expect(key in put, `${key} is not an edit field`).toBe(false);
    }
  });

  it('a pipeline without run_as / parameters gets none invented (no nulls either)', async () => {
    const { run_as: _r, ...get } = demoGet;
    const { puts, confirm } = workspace({ ...get, parameters: null });
    const r = await confirm('enable-photon');
    expect(r.ok).toBe(true);
    const put = puts[0]!;
    expect(Object.keys(put).sort()).toEqual([...Object.keys(get.spec as Json), 'expected_last_modified'].sort());
    expect('run_as' in put).toBe(false);
    expect('parameters' in put).toBe(false);
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
