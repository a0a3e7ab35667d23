/** Action.Submit from our cards (activity.value) routed to the same semantics as the Slack buttons. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource } from '../slack/helpers.js';
import { cardErrors, cardText, connector, messageActivity, post, quietLogger, startHandler } from './helpers.js';

let api: ReturnType<typeof connector> | undefined;
afterEach(() => {
  api?.done();
  api = undefined;
});

async function withBot(run: (text: string, ctx: CommandContext) => Promise<Reply>, body: (url: string, runMock: ReturnType<typeof vi.fn>) => Promise<void>, apply?: Parameters<typeof createTeamsSurface>[0]['apply']) {
  api = connector();
  const runMock = vi.fn(run);
  const teams = createTeamsSurface({ config: null, db: null, source: fakeSource, logger: quietLogger(), run: runMock, progressAfterMs: 60_000, apply });
  const server = await startHandler(teams.handler);
  try {
    await body(server.url, runMock);
  } finally {
    await server.close();
  }
}

const value = (action: string) => ({ action, pipeline_id: 'pl-orders-silver', update_id: 'upd-42' });
const submit = (action: string, replyToId = 'card-1') => messageActivity('', { value: value(action), replyToId });

describe('card buttons (Action.Submit)', () => {
  it('dlt_show_fixes: diagnoses that update again and replies with every fix in the thread', async () => {
    await withBot(async () => fakeDiagnosisReply(), async (url, run) => {
      expect((await post(url, submit('dlt_show_fixes'))).status).toBe(200);
      expect(run).toHaveBeenCalledOnce();
      expect(run.mock.calls[0]?.[0]).toBe('why-slow pl-orders-silver --update upd-42');
      expect(run.mock.calls[0]?.[1].surface).toBe('teams');
      expect(api!.calls).toHaveLength(1);
      expect(api!.calls[0]?.method).toBe('POST');
      expect(api!.calls[0]?.path).toContain('19:abc123@thread.tacv2;messageid=1700000000000/activities/');
      const [card] = api!.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('All 4 fixes for orders_silver');
    });
  });

  it('dlt_compare: runs compare for the pipeline and posts the result in the thread', async () => {
    await withBot(async (text) => (text.startsWith('compare') ? { kind: 'text', text: 'compare result' } : fakeDiagnosisReply()), async (url, run) => {
      await post(url, submit('dlt_compare'));
      expect(run.mock.calls.map((c) => c[0])).toEqual(['compare pl-orders-silver --baseline upd-42']);
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(cardText(api!.cards()[0])).toContain('compare result');
    });
  });

  it('dlt_rediagnose: replaces the card the button sits in (updateActivity on replyToId)', async () => {
    await withBot(async () => fakeDiagnosisReply(), async (url, run) => {
      await post(url, submit('dlt_rediagnose', 'card-7'));
      expect(run.mock.calls.map((c) => c[0])).toEqual(['why-slow pl-orders-silver']);
      expect(api!.calls).toHaveLength(1);
      expect(api!.calls[0]?.method).toBe('PUT');
      expect(api!.calls[0]?.path).toMatch(/\/activities\/card-7$/);
      expect(cardErrors(api!.cards()[0])).toEqual([]);
    });
  });

  it('dlt_rediagnose that fails keeps the old card and answers with the error below it', async () => {
    await withBot(async () => ({ kind: 'error', code: 'SOURCE_UNAVAILABLE', message: 'Databricks could not be reached', hint: null, suggestions: [], usage: null }), async (url) => {
      await post(url, submit('dlt_rediagnose', 'card-7'));
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(cardText(api!.cards()[0])).toContain('Databricks could not be reached');
    });
  });

  it('a forged or stale button value runs nothing and says so', async () => {
    await withBot(async () => fakeDiagnosisReply(), async (url, run) => {
      await post(url, messageActivity('', { value: { action: 'dlt_rediagnose', pipeline_id: '' } }));
      await post(url, messageActivity('', { value: { action: 'dlt_drop_table', pipeline_id: 'x', update_id: null } }));
      expect(run).not.toHaveBeenCalled();
      expect(api!.cards()).toHaveLength(2);
      expect(cardText(api!.cards()[0])).toContain('no longer carries a pipeline');
    });
  });

  it('a command that throws gets a generic error card, never the stack', async () => {
    await withBot(async () => {
      throw new Error('secret internals at /srv/app.js:12');
    }, async (url) => {
      await post(url, messageActivity('dlt why-slow orders_silver', { mention: true }));
      const text = cardText(api!.cards()[0]);
      expect(text).toContain('Something went wrong');
      expect(text).not.toContain('secret internals');
    });
  });

  it('dlt_apply: runs the apply command for that fix and posts the preview', async () => {
    const preview: Reply = { kind: 'apply-preview', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, updateId: 'upd-42', recommendation: { id: 'raise-max-workers', title: 'Raise max workers to 16', guideSection: '3.3' }, diff: [{ key: 'max_workers', before: '8', after: '16' }], lastModified: 5 };
    await withBot(async () => preview, async (url, run) => {
      await post(url, messageActivity('', { value: { ...value('dlt_apply'), recommendation_id: 'raise-max-workers' } }));
      expect(run.mock.calls.map((c) => c[0])).toEqual(['apply raise-max-workers --pipeline pl-orders-silver --update upd-42']);
      const [card] = api!.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('dlt_apply_confirm');
    });
  });

  it('dlt_apply_confirm: confirms through the apply service as the Entra user and replaces the preview', async () => {
    const confirm = vi.fn(async () => ({ ok: true as const, auditId: 7, preview: { pipelineId: 'pl-orders-silver', pipelineName: 'orders_silver', updateId: 'upd-42', recommendation: { title: 'Raise max workers to 16' } as never, diff: [{ key: 'max_workers', before: '8', after: '16' }], lastModified: 5 } }));
    await withBot(async () => fakeDiagnosisReply(), async (url, run) => {
      await post(url, messageActivity('', { value: { ...value('dlt_apply_confirm'), recommendation_id: 'raise-max-workers', last_modified: 5 }, replyToId: 'preview-1' }));
      expect(run).not.toHaveBeenCalled();
      expect(confirm).toHaveBeenCalledWith(expect.objectContaining({ pipeline: 'pl-orders-silver', updateId: 'upd-42', recommendationId: 'raise-max-workers', userId: 'aad-user-1', surface: 'teams', channel: '19:abc123@thread.tacv2', expectedLastModified: 5 }));
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['PUT', 'preview-1']]);
      expect(cardText(api!.cards()[0])).toContain('audit #7');
    }, { confirm });
  });

  it('dlt_apply_confirm refused or without an apply service: nothing applied, the reason shown', async () => {
    const confirm = vi.fn(async () => ({ ok: false as const, code: 'refused' as const, message: 'Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may apply changes' }));
    await withBot(async () => fakeDiagnosisReply(), async (url) => {
      await post(url, messageActivity('', { value: { ...value('dlt_apply_confirm'), recommendation_id: 'r', last_modified: null }, replyToId: 'preview-1' }));
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(cardText(api!.cards()[0])).toContain('DLT_DOCTOR_APPLY_ALLOWED_USERS');
    }, { confirm });
    api?.done();
    await withBot(async () => fakeDiagnosisReply(), async (url) => {
      await post(url, messageActivity('', { value: { ...value('dlt_apply_confirm'), recommendation_id: 'r' } }));
      expect(cardText(api!.cards()[0])).toContain('Apply is not enabled');
    });
  });
});
