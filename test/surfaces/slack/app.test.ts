import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource, quietLogger, TestReceiver } from './helpers.js';

const base = { run: async () => fakeDiagnosisReply(), source: fakeSource, logger: quietLogger(), tokenVerificationEnabled: false };

describe('createSlackApp', () => {
  it('single workspace over HTTP with a bot token and signing secret', () => {
    const s = createSlackApp({ ...base, config: { botToken: 'xoxb-1', signingSecret: 's' } });
    expect(s.mode).toEqual({ receiver: 'http', auth: 'token' });
  });

  it('takes the Config["slack"] shape of src/config.ts (nulls and an oauth object)', () => {
    const s = createSlackApp({ ...base, store: openDb(':memory:'), config: { botToken: null, signingSecret: 's', appToken: null, socketMode: false, oauth: { clientId: 'c', clientSecret: 'x', stateSecret: 'y' } } });
    expect(s.mode).toEqual({ receiver: 'http', auth: 'oauth' });
  });

  it('Socket Mode with an app token', () => {
    const s = createSlackApp({ ...base, config: { botToken: 'xoxb-1', socketMode: true, appToken: 'xapp-1' } });
    expect(s.mode).toEqual({ receiver: 'socket', auth: 'token' });
  });

  it('multi-workspace OAuth with the SQLite installation store', () => {
    const s = createSlackApp({ ...base, store: openDb(':memory:'), config: { signingSecret: 's', clientId: 'cid', clientSecret: 'cs', stateSecret: 'st' } });
    expect(s.mode).toEqual({ receiver: 'http', auth: 'oauth' });
  });

  it('the Web API client rejects rate-limited calls so the post queue handles them', () => {
    const s = createSlackApp({ ...base, receiver: new TestReceiver(), config: { botToken: 'xoxb-1' } });
    expect((s.app.client as unknown as { rejectRateLimitedCalls: boolean }).rejectRateLimitedCalls).toBe(true);
  });

  it.each([
    ['no credentials', { signingSecret: 's' }, 'SLACK_BOT_TOKEN'],
    ['token and OAuth', { botToken: 'xoxb-1', signingSecret: 's', clientId: 'c', clientSecret: 'x', stateSecret: 'y' }, 'not both'],
    ['socket mode without app token', { botToken: 'xoxb-1', socketMode: true }, 'SLACK_APP_TOKEN'],
    ['HTTP without signing secret', { botToken: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    ['a user token for the bot', { botToken: 'xoxp-1', signingSecret: 's' }, 'botToken'],
    ['OAuth without a store', { signingSecret: 's', clientId: 'c', clientSecret: 'x', stateSecret: 'y' }, 'SQLite'],
  ])('refuses %s with a readable CONFIG error', (_n, config, message) => {
    expect(() => createSlackApp({ ...base, config })).toThrow(message);
  });
});
