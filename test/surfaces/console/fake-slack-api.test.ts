/**
 * The fake Slack Web API, driven through the real @slack/web-api client (as Bolt uses it) and
 * through response_url POSTs shaped like Bolt's respond().
 */
import { describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createFakeSlackApi, type ConsoleChange } from '../../../src/surfaces/console/fake-slack-api.js';

function setup() {
  let t = Date.parse('2026-11-23T08:00:00Z');
  const api = createFakeSlackApi({ now: () => (t += 1000) });
  const changes: ConsoleChange[] = [];
  api.onChange((c) => changes.push(c));
  const client = new webApi.WebClient('xoxb-console', { fetch: api.fetch, retryConfig: { retries: 0 } });
  const respond = async (url: string, body: unknown) =>
    api.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { api, client, changes, respond };
}

const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello* <https://example.com|there>' } }];

describe('FakeSlackApi over @slack/web-api', () => {
  it('auth.test answers as the console bot', async () => {
    const { client } = setup();
    const r = await client.auth.test();
    expect(r.ok).toBe(true);
    expect(r.user_id).toBe('U_DLT_DOCTOR');
    expect(r.team_id).toBe('T_CONSOLE');
  });

  it('chat.postMessage stores the message with its blocks, by channel id or #name, with increasing ts', async () => {
    const { api, client, changes } = setup();
    const a = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'fallback', blocks });
    const b = await client.chat.postMessage({ channel: '#pipeline-alerts', text: 'alert' });
    expect(a.ok).toBe(true);
    expect(b.channel).toBe('C_PIPELINE_ALERTS');
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    const [m] = api.history('data-eng');
    expect(m).toMatchObject({ ts: a.ts, text: 'fallback', blocks, bot_id: 'B_DLT_DOCTOR' });
    expect(changes.map((c) => c.type)).toEqual(['message', 'message']);
  });

  it('chat.postMessage to an unknown channel fails like Slack (ok:false → platform error)', async () => {
    const { client } = setup();
    await expect(client.chat.postMessage({ channel: 'C_NOPE', text: 'x' })).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
  });

  it('chat.update replaces text and blocks in place and marks it edited; unknown ts → message_not_found', async () => {
    const { api, client, changes } = setup();
    const { ts } = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'Diagnosing…' });
    await client.chat.update({ channel: 'C_DATA_ENG', ts: ts!, text: 'done', blocks });
    expect(api.history('C_DATA_ENG')).toHaveLength(1);
    expect(api.message('C_DATA_ENG', ts!)).toMatchObject({ text: 'done', blocks, edited: true });
    expect(changes.at(-1)).toMatchObject({ type: 'message_changed', message: { ts, text: 'done' } });
    await expect(client.chat.update({ channel: 'C_DATA_ENG', ts: '1.000001', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('thread replies carry thread_ts, count on the parent, and a reply to a reply joins the same thread', async () => {
    const { api, client, changes } = setup();
    const parent = await client.chat.postMessage({ channel: 'C_PIPELINE_ALERTS', text: 'orders_silver is slow' });
    const r1 = await client.chat.postMessage({ channel: 'C_PIPELINE_ALERTS', text: 'detail 1', thread_ts: parent.ts! });
    await client.chat.postMessage({ channel: 'C_PIPELINE_ALERTS', text: 'detail 2', thread_ts: r1.ts! });
    const replies = api.replies('C_PIPELINE_ALERTS', parent.ts!);
    expect(replies.map((m) => m.text)).toEqual(['detail 1', 'detail 2']);
    expect(replies.every((m) => m.thread_ts === parent.ts)).toBe(true);
    expect(api.message('C_PIPELINE_ALERTS', parent.ts!)).toMatchObject({ reply_count: 2, thread_ts: parent.ts });
    expect(changes.filter((c) => c.type === 'message_changed').at(-1)).toMatchObject({ message: { ts: parent.ts, reply_count: 2 } });
    await expect(client.chat.postMessage({ channel: 'C_PIPELINE_ALERTS', text: 'x', thread_ts: '9.9' })).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
  });

  it('chat.postEphemeral is stored as visible to the user only; chat.delete removes and announces', async () => {
    const { api, client, changes } = setup();
    const e = await client.chat.postEphemeral({ channel: 'C_DATA_ENG', user: 'U_CONSOLE', text: 'only you' });
    expect(api.message('C_DATA_ENG', e.message_ts!)).toMatchObject({ ephemeral: true, text: 'only you' });
    const { ts } = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'bye' });
    await client.chat.delete({ channel: 'C_DATA_ENG', ts: ts! });
    expect(api.message('C_DATA_ENG', ts!)).toBeUndefined();
    expect(changes.at(-1)).toEqual({ type: 'message_deleted', channel: 'C_DATA_ENG', ts });
  });

  it('files.uploadV2 keeps the bytes and posts the file into the thread', async () => {
    const { api, client } = setup();
    const parent = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'diagnosis' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await client.files.uploadV2({ channel_id: 'C_DATA_ENG', thread_ts: parent.ts!, file: png, filename: 'chart.png', title: 'The chart', alt_text: 'bars' });
    const [reply] = api.replies('C_DATA_ENG', parent.ts!);
    expect(reply?.files).toHaveLength(1);
    const f = reply!.files![0]!;
    expect(f).toMatchObject({ title: 'The chart', mimetype: 'image/png', url: `/console/files/${f.id}`, alt_text: 'bars' });
    expect(api.file(f.id)?.bytes.equals(png)).toBe(true);
  });
});

describe('response_url', () => {
  it('ephemeral by default, in_channel as the bot, thread_ts honoured', async () => {
    const { api, client, respond } = setup();
    const url = api.createResponseUrl({ channel: 'C_DATA_ENG', user: 'U_CONSOLE' });
    expect((await respond(url, { text: 'help text' })).status).toBe(200);
    expect((await respond(url, { text: 'for all', response_type: 'in_channel' })).status).toBe(200);
    const parent = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'p' });
    await respond(url, { text: 'in thread', response_type: 'ephemeral', thread_ts: parent.ts });
    const h = api.history('C_DATA_ENG');
    expect(h.map((m) => [m.text, Boolean(m.ephemeral)])).toEqual([
      ['help text', true],
      ['for all', false],
      ['p', false],
      ['in thread', true],
    ]);
    expect(h[3]!.thread_ts).toBe(parent.ts);
    // an ephemeral reply does not count as a thread reply for everyone
    expect(api.message('C_DATA_ENG', parent.ts!)!.reply_count).toBeUndefined();
  });

  it('replace_original updates the message the button sits on; delete_original removes it', async () => {
    const { api, client, respond } = setup();
    const { ts } = await client.chat.postMessage({ channel: 'C_DATA_ENG', text: 'old', blocks });
    const url = api.createResponseUrl({ channel: 'C_DATA_ENG', user: 'U_CONSOLE', messageTs: ts! });
    await respond(url, { replace_original: true, text: 'new' });
    expect(api.message('C_DATA_ENG', ts!)).toMatchObject({ text: 'new', blocks: [] });
    await respond(url, { delete_original: true });
    expect(api.message('C_DATA_ENG', ts!)).toBeUndefined();
  });

  it('takes 5 uses, refuses unknown urls and bad payloads, and 404s for Bolt to raise RespondError', async () => {
    const { api, respond } = setup();
    const url = api.createResponseUrl({ channel: 'C_DATA_ENG', user: 'U_CONSOLE' });
    for (let i = 0; i < 5; i++) expect((await respond(url, { text: `n${i}` })).status).toBe(200);
    expect((await respond(url, { text: 'sixth' })).status).toBe(404);
    expect((await respond('https://console.local/respond/nope', { text: 'x' })).status).toBe(404);
    const fresh = api.createResponseUrl({ channel: 'C_DATA_ENG', user: 'U_CONSOLE' });
    expect((await respond(fresh, { text: 1, blocks: 'no' })).status).toBe(400);
    expect(api.history('C_DATA_ENG')).toHaveLength(5);
  });

  describe('views', () => {
    const modal = {
      type: 'modal',
      callback_id: 'dlt_apply_modal',
      private_metadata: '{"p":"pid"}',
      title: { type: 'plain_text', text: 'Apply a fix' },
      submit: { type: 'plain_text', text: 'Apply' },
      close: { type: 'plain_text', text: 'Cancel' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '```spark.x: 1 → 2```' } }],
    };

    it('views.open with a fresh trigger stores the view for its user and emits it', async () => {
      const { api, client, changes } = setup();
      const trigger = api.createTrigger('U_CONSOLE');
      const r = await client.views.open({ trigger_id: trigger, view: modal as never });
      expect(r.ok).toBe(true);
      const id = r.view!.id!;
      expect(id).toMatch(/^V[0-9A-F]{10}$/);
      expect(r.view).toMatchObject({ callback_id: 'dlt_apply_modal', private_metadata: '{"p":"pid"}', state: { values: {} }, type: 'modal' });
      expect(api.view(id)).toMatchObject({ user: 'U_CONSOLE', submit: { text: 'Apply' }, close: { text: 'Cancel' }, blocks: modal.blocks });
      expect(api.openViews('U_CONSOLE').map((v) => v.id)).toEqual([id]);
      expect(api.openViews('U_OTHER')).toEqual([]);
      expect(changes).toMatchObject([{ type: 'view_opened', view: { id, user: 'U_CONSOLE', callback_id: 'dlt_apply_modal' } }]);
    });

    it('refuses unknown, reused and expired triggers and malformed views, as Slack does', async () => {
      const { api, client } = setup();
      await expect(client.views.open({ trigger_id: 'nope', view: modal as never })).rejects.toMatchObject({ data: { error: 'invalid_trigger_id' } });
      const once = api.createTrigger('U_CONSOLE');
      await client.views.open({ trigger_id: once, view: modal as never });
      await expect(client.views.open({ trigger_id: once, view: modal as never })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
      // setup()'s clock moves 1 s per reading: four readings later the 3 s have passed
      const late = api.createTrigger('U_CONSOLE');
      api.createTrigger('U_CONSOLE');
      api.createTrigger('U_CONSOLE');
      api.createTrigger('U_CONSOLE');
      await expect(client.views.open({ trigger_id: late, view: modal as never })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
      const fresh = api.createTrigger('U_CONSOLE');
      await expect(client.views.open({ trigger_id: fresh, view: { ...modal, title: { type: 'plain_text', text: 'A title far longer than Slack allows' } } as never })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
      expect(api.openViews('U_CONSOLE')).toHaveLength(1);
    });

    it('views.update replaces an open view (stale hash refused); closeView removes it and emits view_closed', async () => {
      const { api, client, changes } = setup();
      const opened = await client.views.open({ trigger_id: api.createTrigger('U_CONSOLE'), view: modal as never });
      const id = opened.view!.id!;
      await expect(client.views.update({ view_id: id, hash: 'stale', view: modal as never })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
      const updated = await client.views.update({ view_id: id, hash: opened.view!.hash!, view: { ...modal, blocks: [] } as never });
      expect(updated.view!.blocks).toEqual([]);
      expect(updated.view!.hash).not.toBe(opened.view!.hash);
      expect(api.closeView(id)).toBe(true);
      expect(api.closeView(id)).toBe(false);
      expect(api.view(id)).toBeUndefined();
      await expect(client.views.update({ view_id: id, view: modal as never })).rejects.toMatchObject({ data: { error: 'not_found' } });
      expect(changes.map((c) => c.type)).toEqual(['view_opened', 'view_updated', 'view_closed']);
    });
  });
});
