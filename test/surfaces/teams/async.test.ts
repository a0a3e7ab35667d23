/**
 * /api/messages is answered before a slow command finishes: the "Diagnosing…" message goes out in
 * the turn, the HTTP 200 follows, and the card replaces that message later (PUT …/activities/<id>)
 * in a new turn of the same conversation. A redelivered activity (the Bot Connector retries slow
 * requests) runs nothing; the alert card's "Mute 1 day" ends in `alerts mute <pipeline> 1d`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommandText } from '../../../commands/index.js';
import type { CommandContext, Reply } from '../../../commands/types.js';
import type { AlertsApi } from '../../../src/schedule/alerts-api.js';
import { RecentActivities } from '../../../src/surfaces/teams/bot.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource } from '../slack/helpers.js';
import { cardErrors, cardText, connector, messageActivity, post, quietLogger, startHandler } from './helpers.js';

let api: ReturnType<typeof connector> | undefined;
afterEach(() => {
  api?.done();
  api = undefined;
});

/** A run that finishes only when the test says so. */
function gatedRun(result: () => Reply) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const run = vi.fn(async (_text: string, _ctx: CommandContext): Promise<Reply> => {
    await gate;
    return result();
  });
  return { run, open };
}

async function withSurface(run: (text: string, ctx: CommandContext) => Promise<Reply>, body: (url: string, teams: ReturnType<typeof createTeamsSurface>) => Promise<void>, o: { context?: Parameters<typeof createTeamsSurface>[0]['context']; progressAfterMs?: number } = {}) {
  api = connector();
  const teams = createTeamsSurface({ config: null, db: null, source: fakeSource, logger: quietLogger(), run, progressAfterMs: o.progressAfterMs ?? 10, ...(o.context ? { context: o.context } : {}) });
  const server = await startHandler(teams.handler);
  try {
    await body(server.url, teams);
  } finally {
    await teams.bot.idle();
    await server.close();
  }
}

describe('slow work commands finish after the HTTP answer', () => {
  it('answers 200 while the diagnosis still runs, then replaces the "Diagnosing…" message with the card', async () => {
    const { run, open } = gatedRun(() => fakeDiagnosisReply());
    await withSurface(run, async (url, teams) => {
      const res = await post(url, messageActivity('dlt why-slow orders_silver', { mention: true }));
      expect(res.status).toBe(200);
      // the HTTP answer is out and the command has not finished: only the placeholder was sent
      expect(run).toHaveBeenCalledOnce();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(api!.calls[0]?.body.text).toContain('Diagnosing orders_silver');
      open();
      await teams.bot.idle();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
      const update = api!.calls[1]!;
      // same conversation (the thread the question was asked in), the placeholder's id
      expect(update.path).toBe('/teams/v3/conversations/19:abc123@thread.tacv2;messageid=1700000000000/activities/posted-1');
      const [card] = api!.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('orders_silver:');
    });
  });

  it('the "Diagnosing…" message is plain text (no Markdown link from what was typed), cut to 200 characters of it', async () => {
    const { run, open } = gatedRun(() => fakeDiagnosisReply());
    const typed = `[click](https://evil.example/${'a'.repeat(10_000)})`;
    await withSurface(run, async (url, teams) => {
      expect((await post(url, messageActivity(`dlt why-slow ${typed}`, { mention: true }))).status).toBe(200);
      const placeholder = api!.calls[0]!.body as { text: string; textFormat?: string };
      expect(placeholder.textFormat).toBe('plain');
      expect(placeholder.text.startsWith('Diagnosing [click](https://evil.example/aaa')).toBe(true);
      expect(placeholder.text).toMatch(/a……$/);
      expect([...placeholder.text].length).toBeLessThanOrEqual('Diagnosing '.length + 200 + 1);
      open();
      await teams.bot.idle();
    });
  });

  it('a command that fails after the answer updates the message with a clear error, never the stack', async () => {
    const { run, open } = gatedRun(() => {
      throw new Error('secret internals at /srv/app.js:12');
    });
    await withSurface(run, async (url, teams) => {
      expect((await post(url, messageActivity('dlt compare orders_silver', { mention: true }))).status).toBe(200);
      expect(api!.calls[0]?.body.text).toContain('compare orders_silver');
      open();
      await teams.bot.idle();
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['POST', expect.any(String)], ['PUT', 'posted-1']]);
      const text = cardText(api!.cards()[0]);
      expect(text).toContain('Something went wrong');
      expect(text).not.toContain('secret internals');
      expect(text).not.toContain('/srv/app.js');
    });
  });

  it('re-diagnose from a card: the turn ends at once and the card the button sits in is replaced later', async () => {
    const { run, open } = gatedRun(() => fakeDiagnosisReply());
    await withSurface(run, async (url, teams) => {
      await post(url, messageActivity('', { value: { action: 'dlt_rediagnose', pipeline_id: 'pl-orders-silver', update_id: 'u1' }, replyToId: 'card-7' }));
      expect(api!.calls).toEqual([]);
      open();
      await teams.bot.idle();
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['PUT', 'card-7']]);
    });
  });

  it('quick commands stay inside the request: help is posted before the HTTP answer', async () => {
    const run = vi.fn(async (): Promise<Reply> => ({ kind: 'text', text: 'usage: dlt why-slow <pipeline>' }));
    await withSurface(run, async (url) => {
      await post(url, messageActivity('dlt help', { mention: true }));
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(cardText(api!.cards()[0])).toContain('usage: dlt why-slow');
    }, { progressAfterMs: 0 });
  });
});

describe('redelivered activities', () => {
  it('the same activity id delivered twice (a Bot Connector retry) runs the command once', async () => {
    const { run, open } = gatedRun(() => fakeDiagnosisReply());
    await withSurface(run, async (url, teams) => {
      const activity = messageActivity('dlt why-slow orders_silver', { mention: true });
      expect((await post(url, activity)).status).toBe(200);
      // the retry arrives while the first delivery is still diagnosing, and once more after
      expect((await post(url, activity)).status).toBe(200);
      open();
      await teams.bot.idle();
      expect((await post(url, activity)).status).toBe(200);
      await teams.bot.idle();
      expect(run).toHaveBeenCalledOnce();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
      // a new activity with the same text is a new question
      await post(url, messageActivity('dlt why-slow orders_silver', { mention: true }));
      await teams.bot.idle();
      expect(run).toHaveBeenCalledTimes(2);
    });
  });

  it('the set of remembered ids is bounded and forgets after its ttl', () => {
    const recent = new RecentActivities(1000, 3);
    expect(recent.check('a', 0)).toBe(false);
    expect(recent.check('a', 500)).toBe(true);
    expect(recent.check('a', 1500)).toBe(false); // expired, remembered again from 1500
    for (const k of ['b', 'c', 'd']) recent.check(k, 1600);
    expect(recent.size).toBeLessThanOrEqual(3);
    // 'a' was the oldest and made room
    expect(recent.check('a', 1700)).toBe(false);
    expect(recent.size).toBeLessThanOrEqual(3);
  });
});

describe('the alert card\'s "Mute 1 day" (dlt_mute)', () => {
  it('runs `alerts mute <pipeline> 1d` through the command layer with the alerts context and confirms', async () => {
    const mute = vi.fn();
    const onMuted = vi.fn(async () => undefined);
    const alerts = { store: { mute }, onMuted } as unknown as AlertsApi;
    const run = vi.fn(runCommandText);
    await withSurface(run, async (url) => {
      await post(url, messageActivity('', { value: { action: 'dlt_mute', pipeline_id: 'pl-orders-silver', duration: '1d' }, replyToId: 'alert-1' }));
      expect(run.mock.calls.map((c) => c[0])).toEqual(['alerts mute pl-orders-silver 1d']);
      expect(run.mock.calls[0]?.[1].alerts).toBe(alerts);
      // muted in the channel (not the thread), by the Entra user, for one day
      expect(mute).toHaveBeenCalledOnce();
      const [channel, pipeline, until, user] = mute.mock.calls[0] as [string, string, number, string];
      expect([channel, pipeline, user]).toEqual(['19:abc123@thread.tacv2', 'pl-orders-silver', 'aad-user-1']);
      expect(until - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
      expect(until - Date.now()).toBeLessThanOrEqual(86_400_000);
      expect(onMuted).toHaveBeenCalledOnce();
      const [card] = api!.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('muted in this channel for 1d');
    }, { context: { alerts } });
  });

  it('a mute button with a bad duration runs nothing', async () => {
    const run = vi.fn(async (): Promise<Reply> => ({ kind: 'text', text: 'x' }));
    await withSurface(run, async (url) => {
      await post(url, messageActivity('', { value: { action: 'dlt_mute', pipeline_id: 'pl-orders-silver', duration: '1d; alerts off all' } }));
      expect(run).not.toHaveBeenCalled();
      expect(cardText(api!.cards()[0])).toContain('no longer carries a pipeline');
    });
  });
});
