/**
 * The Apply modal opens at the click, not after the re-diagnosis (issue 14 item 7b): a signed
 * block_actions request reaches a real Bolt HTTP receiver; views.open with a loading view is sent
 * while the preview (collect + diagnose, slow) is still running; the diff then arrives by
 * views.update with the view id and hash views.open returned; a failed preview updates the modal
 * with a readable message. Slack's Web API is nock.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApplyPreview, ApplyService } from '../../../src/apply/apply-service.js';
import { DoctorError } from '../../../src/errors.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { registerAlertActions, type AlertActionDeps } from '../../../src/surfaces/slack/listeners/alerts.js';
import { fakeRecommendation } from '../../support/fake-diagnosis.js';
import { buttonClick, fakeSource, quietLogger } from './helpers.js';

const SECRET = 'apply-modal-signing-secret';
const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

type View = { type: string; callback_id?: string; submit?: unknown; blocks: unknown[]; private_metadata?: string };

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a rejection nobody awaited yet is not an unhandled one
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

const PREVIEW: ApplyPreview = {
  pipelineId: 'pl-1',
  pipelineName: 'orders_silver',
  updateId: 'upd-42',
  recommendation: fakeRecommendation({ id: 'enable-photon', title: 'Turn Photon on', change: { target: 'pipeline', key: 'photon', value: 'true' } }),
  diff: [{ key: 'photon', before: 'false', after: '<on>' }],
  lastModified: 1700,
};

describe('Apply modal: opened at the click, filled by views.update', () => {
  let server: Server;
  let url: string;
  let stop: () => Promise<unknown>;
  let pending = deferred<ApplyPreview>();
  const ephemeral = vi.fn(async () => undefined);
  const logger = quietLogger();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    const { app } = createSlackApp({
      config: { botToken: 'xoxb-test', signingSecret: SECRET, charts: false, postIntervalMs: 0 },
      run: async () => ({ kind: 'text', text: 'unused' }),
      source: fakeSource,
      logger,
      // the ids the start-up auth.test found (main.ts): Bolt calls no auth.test of its own
      identity: { botId: 'B1', botUserId: 'UBOT' },
      clientOptions: { retryConfig: { retries: 0 } },
    });
    const apply = { canApply: () => true, preview: () => pending.promise, confirm: vi.fn() } as unknown as ApplyService;
    const deps: AlertActionDeps = {
      apply,
      store: {} as AlertActionDeps['store'],
      poster: { post: vi.fn(), update: vi.fn(), ephemeral },
      editParent: vi.fn(),
      onMuted: vi.fn(),
      now: () => Date.now(),
      logger,
    };
    registerAlertActions(app, deps);
    server = (await app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    stop = () => app.stop();
  });
  afterEach(() => {
    nock.cleanAll();
    ephemeral.mockClear();
    pending = deferred<ApplyPreview>();
  });
  afterAll(async () => {
    await stop();
    nock.enableNetConnect();
  });

  function click() {
    const value = JSON.stringify({ pipeline_id: 'pl-1', update_id: 'upd-42', recommendation_id: 'enable-photon' });
    const body = new URLSearchParams({ payload: JSON.stringify({ ...buttonClick('dlt_apply', value), user: { id: 'UADMIN', username: 'a', name: 'a', team_id: 'T1' } }) }).toString();
    const ts = Math.floor(Date.now() / 1000);
    return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) } });
  }

  async function until(cond: () => boolean) {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(cond(), logger.lines.join('\n')).toBe(true);
  }

  it('views.open (loading, no submit) goes out before the preview is done; the diff follows by view id + hash', async () => {
    const opened: View[] = [];
    const updated: { view_id: string; hash: string; view: View }[] = [];
    nock('https://slack.com')
      .post('/api/views.open', (b: Record<string, string>) => {
        if (b.trigger_id !== 'trig') return false;
        opened.push(JSON.parse(b.view!) as View);
        return true;
      })
      .reply(200, { ok: true, view: { id: 'V123', hash: '1712.abc' } })
      .post('/api/views.update', (b: Record<string, string>) => {
        updated.push({ view_id: b.view_id!, hash: b.hash!, view: JSON.parse(b.view!) as View });
        return true;
      })
      .reply(200, { ok: true, view: { id: 'V123', hash: '1713.def' } });

    expect((await click()).status).toBe(200);
    // the preview has not finished, yet the modal is open
    await until(() => opened.length === 1);
    expect(opened[0]!.submit).toBeUndefined();
    expect(JSON.stringify(opened[0]!.blocks)).toContain('Preparing the change');
    expect(updated).toHaveLength(0);

    pending.resolve(PREVIEW);
    await until(() => updated.length === 1);
    expect(updated[0]).toMatchObject({ view_id: 'V123', hash: '1712.abc' });
    const view = updated[0]!.view;
    expect(view.callback_id).toBe('dlt_apply_modal');
    expect(view.submit).toEqual({ type: 'plain_text', text: 'Apply' });
    expect(JSON.stringify(view.blocks)).toContain('photon: false → &lt;on&gt;');
    expect(JSON.parse(view.private_metadata!)).toMatchObject({ p: 'pl-1', u: 'upd-42', r: 'enable-photon', lm: 1700 });
    expect(ephemeral).not.toHaveBeenCalled();
  });

  it('a preview that fails updates the modal with the reason (a DoctorError) and no submit button', async () => {
    const updated: View[] = [];
    nock('https://slack.com')
      .post('/api/views.open').reply(200, { ok: true, view: { id: 'V9', hash: 'h9' } })
      .post('/api/views.update', (b: Record<string, string>) => b.view_id === 'V9' && b.hash === 'h9' && Boolean(updated.push(JSON.parse(b.view!) as View)))
      .reply(200, { ok: true, view: { id: 'V9', hash: 'h10' } });
    await click();
    pending.reject(new DoctorError('BAD_USAGE', 'Update upd-42 of orders_silver has no recommendation "enable-photon".'));
    await until(() => updated.length === 1);
    expect(updated[0]!.submit).toBeUndefined();
    expect(JSON.stringify(updated[0]!.blocks)).toContain('Cannot apply this fix: Update upd-42 of orders_silver has no recommendation \\"enable-photon\\".');
  });

  it('an unexpected error: a generic line in the modal, never its message or stack', async () => {
    const updated: string[] = [];
    nock('https://slack.com')
      .post('/api/views.open').reply(200, { ok: true, view: { id: 'V7', hash: 'h7' } })
      .post('/api/views.update', (b: Record<string, string>) => Boolean(updated.push(b.view!)))
      .reply(200, { ok: true, view: { id: 'V7', hash: 'h8' } });
    await click();
    const err = new TypeError('Cannot read properties of undefined (reading spec)');
    pending.reject(err);
    await until(() => updated.length === 1);
    expect(updated[0]).toContain('it could not be prepared');
    expect(updated[0]).not.toContain('Cannot read properties');
    expect(updated[0]).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('views.open refused (expired trigger): the diff comes as an ephemeral Confirm message instead', async () => {
    const scope = nock('https://slack.com').post('/api/views.open').reply(200, { ok: false, error: 'expired_trigger_id' });
    await click();
    await until(() => scope.isDone());
    pending.resolve(PREVIEW);
    await until(() => ephemeral.mock.calls.length === 1);
    expect(JSON.stringify(ephemeral.mock.calls[0])).toContain('dlt_apply_confirm');
  });

  it('the person closed the loading modal (views.update → not_found): nothing else is shown', async () => {
    const scope = nock('https://slack.com')
      .post('/api/views.open').reply(200, { ok: true, view: { id: 'V5', hash: 'h5' } })
      .post('/api/views.update').reply(200, { ok: false, error: 'not_found' });
    await click();
    pending.resolve(PREVIEW);
    await until(() => scope.isDone());
    await new Promise((r) => setTimeout(r, 100));
    expect(ephemeral).not.toHaveBeenCalled();
  });
});
