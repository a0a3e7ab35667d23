/**
 * The Teams surface at the HTTP edge: activities POSTed to /api/messages on a real node:http server,
 * replies captured on the Bot Connector's service URL with nock, over the real command layer and
 * the demo workspace.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/workspace.js';
import { openDb } from '../../../src/store/db.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSource } from '../slack/helpers.js';
import { cardErrors, cardText, connector, conversationUpdate, messageActivity, post, quietLogger, startHandler } from './helpers.js';

type Connector = ReturnType<typeof connector>;

describe('POST /api/messages with authentication configured', () => {
  it('rejects a request without a Bot Framework token (401) and never runs a command', async () => {
    let ran = 0;
    const teams = createTeamsSurface({
      config: { appId: '00000000-0000-0000-0000-000000000001', appPassword: 'fake-secret', tenantId: '00000000-0000-0000-0000-0000000000aa' },
      db: null,
      source: fakeSource,
      logger: quietLogger(),
      run: async () => {
        ran++;
        return { kind: 'text', text: 'should not run' };
      },
    });
    expect(teams.testMode).toBe(false);
    const server = await startHandler(teams.handler);
    try {
      const noToken = await post(server.url, messageActivity('dlt help', { mention: true }));
      expect(noToken.status).toBe(401);
      const badScheme = await post(server.url, messageActivity('dlt help'), { authorization: 'Basic Zm9vOmJhcg==' });
      expect(badScheme.status).toBe(401);
      expect(ran).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('POST /api/messages without an app id in production', () => {
  it('is not an open door: the SDK refuses anonymous requests when NODE_ENV=production', async () => {
    const teams = createTeamsSurface({ config: null, db: null, source: fakeSource, logger: quietLogger(), run: async () => ({ kind: 'text', text: 'x' }) });
    const server = await startHandler(teams.handler);
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect((await post(server.url, messageActivity('dlt help'))).status).toBe(401);
    } finally {
      process.env.NODE_ENV = before;
      await server.close();
    }
  });
});

describe('POST /api/messages in test mode (no app id)', () => {
  let demo: DemoWorkspace;
  let api: Connector | undefined;
  beforeAll(async () => {
    demo = await startDemoWorkspace();
  });
  afterAll(async () => {
    await demo?.close();
  });
  afterEach(() => {
    api?.done();
    api = undefined;
  });

  it('answers bad requests without running the bot: GET → 405, bad JSON → 400', async () => {
    const teams = createTeamsSurface({ config: null, db: null, source: fakeSource, logger: quietLogger() });
    const server = await startHandler(teams.handler);
    try {
      const get = await fetch(server.url);
      expect(get.status).toBe(405);
      expect((await post(server.url, '{"type": "message",')).status).toBe(400);
      expect((await post(server.url, '[1,2]')).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('"@dlt-doctor dlt why-slow orders_silver" in a channel: a "Diagnosing…" message, later updated in place with a valid 1.5 card carrying the verdict', async () => {
    api = connector();
    const db = openDb(':memory:');
    const teams = createTeamsSurface({ config: null, db, source: demo.source, logger: quietLogger(), progressAfterMs: 0 });
    expect(teams.testMode).toBe(true);
    const server = await startHandler(teams.handler);
    try {
      const res = await post(server.url, messageActivity('dlt why-slow orders_silver', { mention: true }));
      expect(res.status).toBe(200);
      // the card comes after the HTTP answer, in a new turn of the same conversation
      await teams.bot.idle();
      const [first, update] = api.calls;
      // the placeholder is a reply in the thread of the message that asked
      expect(first?.method).toBe('POST');
      expect(first?.path).toMatch(/^\/teams\/v3\/conversations\/19:abc123@thread\.tacv2;messageid=1700000000000\/activities\/act-\d+$/);
      expect(first?.body.text).toContain('Diagnosing orders_silver');
      expect(update?.method).toBe('PUT');
      expect(update?.path).toMatch(/\/activities\/posted-1$/);
      const card = update?.body.attachments?.[0];
      expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(cardErrors(card?.content)).toEqual([]);
      const content = card!.content as { version: string; body: { text?: string }[]; actions: { type: string; data?: { action: string; pipeline_id: string } }[] };
      expect(content.version).toBe('1.5');
      // the verdict the diagnosis engine reached, in the card's heading
      const direct = await (await import('../../../commands/index.js')).runCommandText('why-slow orders_silver', { source: demo.source, surface: 'teams', now: () => new Date() });
      expect(direct.kind).toBe('diagnosis');
      if (direct.kind !== 'diagnosis') return;
      const { verdictLabel } = await import('../../../templates/blocks/diagnosis.js');
      // the heading is a RichTextBlock: its runs are shown as typed (no Markdown, so no escapes)
      expect(cardText(content.body[0])).toContain(`orders_silver: ${verdictLabel(direct.diagnosis.verdict.bottleneck)}`);
      expect(cardText(content)).toContain(direct.diagnosis.verdict.summary);
      expect(content.actions.filter((a) => a.type === 'Action.Submit').map((a) => a.data?.action)).toEqual(expect.arrayContaining(['dlt_compare', 'dlt_rediagnose']));
      expect(content.actions.find((a) => a.type === 'Action.Submit')?.data?.pipeline_id).toBe(direct.diagnosis.pipeline.id);
      // the first message stored the conversation (the channel, not the thread)
      expect((await teams.store?.get('19:abc123@thread.tacv2'))?.reference.serviceUrl).toBe('https://smba.trafficmanager.net/teams/');
    } finally {
      await server.close();
      db.close();
    }
  });

  it('"why-slow orders_silver" in a personal chat without "dlt": the card is posted directly when the command is fast', async () => {
    api = connector();
    const teams = createTeamsSurface({ config: null, db: null, source: demo.source, logger: quietLogger(), progressAfterMs: 60_000 });
    const server = await startHandler(teams.handler);
    try {
      const res = await post(server.url, messageActivity('why-slow orders_silver', { conversationId: 'a:1personal-chat', conversationType: 'personal' }));
      expect(res.status).toBe(200);
      expect(api.calls).toHaveLength(1);
      expect(api.calls[0]?.method).toBe('POST');
      expect(api.calls[0]?.path).toMatch(/^\/teams\/v3\/conversations\/a:1personal-chat\/activities\//);
      const [card] = api.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('orders_silver:');
    } finally {
      await server.close();
    }
  });

  it('a typo gets "Did you mean" with the usage, as a valid card', async () => {
    api = connector();
    const teams = createTeamsSurface({ config: null, db: null, source: demo.source, logger: quietLogger(), progressAfterMs: 60_000 });
    const server = await startHandler(teams.handler);
    try {
      await post(server.url, messageActivity('dlt why-slow orders_silvr', { mention: true }));
      const [card] = api.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('Did you mean');
      expect(cardText(card)).toContain('orders_silver');
    } finally {
      await server.close();
    }
  });

  it('stores the conversation reference when the bot is added to a team (conversationUpdate) and forgets it on uninstall', async () => {
    api = connector();
    const db = openDb(':memory:');
    const teams = createTeamsSurface({ config: null, db, source: fakeSource, logger: quietLogger() });
    const server = await startHandler(teams.handler);
    try {
      expect((await post(server.url, conversationUpdate())).status).toBe(200);
      const stored = await teams.store?.get('19:abc123@thread.tacv2');
      expect(stored?.teamId).toBe('19:team@thread.tacv2');
      expect(stored?.conversationType).toBe('channel');
      expect(stored?.reference.agent?.id).toBe('28:bot-app-id');
      const remove = { ...conversationUpdate(), type: 'installationUpdate', action: 'remove' };
      expect((await post(server.url, remove)).status).toBe(200);
      expect(await teams.store?.get('19:abc123@thread.tacv2')).toBeNull();
    } finally {
      await server.close();
      db.close();
    }
  });
});
