/**
 * Charts in channels the bot is not in (issue 14 item 7c). Slack's Web API and file host are nock:
 * a public channel answers files.completeUploadExternal with not_in_channel until the bot joins
 * (conversations.join, scope channels:join), then the upload is retried once; a private channel
 * refuses the join (method_not_supported_for_channel_type) and the thread gets the invite hint,
 * never an error or a stack; a /dlt in a private channel the bot is not in is answered through
 * the response_url with the hint.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource, quietLogger, slashCommand, TestReceiver } from './helpers.js';

type Body = Record<string, string>;

function app() {
  const receiver = new TestReceiver();
  const logger = quietLogger();
  createSlackApp({
    config: { botToken: 'xoxb-test', signingSecret: 's', charts: true, postIntervalMs: 0 },
    run: async () => fakeDiagnosisReply(),
    source: fakeSource,
    logger,
    receiver,
    identity: { botId: 'B1', botUserId: 'UBOT' },
    clientOptions: { retryConfig: { retries: 0 } },
  });
  return { receiver, logger };
}

/** The placeholder and the diagnosis in C1 (the bot may post in public channels: chat:write.public). */
function postsOk(scope: nock.Scope, threadPosts: Body[] = []) {
  return scope
    .post('/api/chat.postMessage', (b: Body) => {
      if (b.thread_ts) threadPosts.push(b);
      return true;
    })
    .times(2)
    .reply(200, (_uri, b) => ({ ok: true, channel: 'C1', ts: (b as Body).thread_ts ? '2000.000200' : '2000.000100' }))
    .post('/api/chat.update').reply(200, { ok: true, channel: 'C1', ts: '2000.000100' });
}

function uploadUrl(scope: nock.Scope, times: number) {
  scope.post('/api/files.getUploadURLExternal').times(times).reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F1' });
  nock('https://files.slack.com').post('/upload/v1/abc').times(times).reply(200, 'OK');
}

async function until(cond: () => boolean, lines: string[]) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond(), lines.join('\n')).toBe(true);
}

describe('charts where the bot is not a member', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('public channel: not_in_channel → conversations.join → the upload is retried once and shared in the thread', async () => {
    const { receiver, logger } = app();
    const completes: Body[] = [];
    const joins: Body[] = [];
    const threadPosts: Body[] = [];
    const scope = nock('https://slack.com');
    postsOk(scope, threadPosts);
    uploadUrl(scope, 2);
    scope
      .post('/api/files.completeUploadExternal', (b: Body) => Boolean(completes.push(b)))
      .reply(200, { ok: false, error: 'not_in_channel' })
      .post('/api/conversations.join', (b: Body) => Boolean(joins.push(b)))
      .reply(200, { ok: true, channel: { id: 'C1', is_member: true } })
      .post('/api/files.completeUploadExternal', (b: Body) => Boolean(completes.push(b)))
      .reply(200, { ok: true, files: [{ id: 'F1' }] });

    await receiver.send(slashCommand('why-slow orders_silver'));
    await until(() => completes.length === 2, logger.lines);
    expect(joins).toEqual([expect.objectContaining({ channel: 'C1' })]);
    expect(completes[1]).toMatchObject({ channel_id: 'C1', thread_ts: '2000.000100' });
    await new Promise((r) => setTimeout(r, 100));
    // no hint in the thread, nothing logged as failed
    expect(threadPosts).toEqual([]);
    expect(logger.lines.join('\n')).not.toContain('chart upload failed');
  });

  it.each([
    ['a private channel (join refused)', 'method_not_supported_for_channel_type', 'private channel'],
    ['an install without channels:join', 'missing_scope', 'channels:join'],
  ])('%s: the thread gets the invite hint, no stack trace, no second upload', async (_name, joinError, mentions) => {
    const { receiver, logger } = app();
    const threadPosts: Body[] = [];
    const scope = nock('https://slack.com');
    postsOk(scope, threadPosts);
    uploadUrl(scope, 1);
    scope
      .post('/api/files.completeUploadExternal').reply(200, { ok: false, error: 'not_in_channel' })
      .post('/api/conversations.join').reply(200, { ok: false, error: joinError });

    await receiver.send(slashCommand('why-slow orders_silver'));
    await until(() => threadPosts.length === 1, logger.lines);
    const hint = `${threadPosts[0]!.text}\n${threadPosts[0]!.blocks}`;
    expect(threadPosts[0]!.thread_ts).toBe('2000.000100');
    expect(hint).toContain('/invite @dlt-doctor');
    expect(hint).toContain(mentions);
    expect(hint).not.toMatch(/Error|\bat .*:\d+/);
    expect(scope.pendingMocks()).toEqual([]);
  });

  it('/dlt in a private channel the bot is not in: the answer and the invite hint come through the response_url', async () => {
    const { receiver, logger } = app();
    const responses: { response_type: string; text: string }[] = [];
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    nock('https://hooks.slack.com')
      .post('/commands/T1/1/abc', (b: { response_type: string; text: string }) => Boolean(responses.push(b)))
      .times(5)
      .reply(200, 'ok');

    await receiver.send(slashCommand('why-slow orders_silver', { channel_id: 'G1' }));
    await until(() => responses.some((r) => r.response_type === 'ephemeral'), logger.lines);
    expect(responses[0]).toMatchObject({ response_type: 'in_channel' });
    expect(responses[0]!.text).toContain('orders_silver');
    const hint = responses.find((r) => r.response_type === 'ephemeral')!;
    expect(hint.text).toContain('/invite @dlt-doctor');
    expect(hint.text).toContain('private channel');
  });
});
