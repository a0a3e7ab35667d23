/**
 * The console keeps its channels and threads across restarts (issue 17 item 4): the fake Slack's
 * messages and files are written through to SQLite and read back by the next process, and the bot
 * started twice on the same database shows the first run's messages (an alert thread, a diagnosis).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsolePersistence } from '../../src/store/console-messages.js';
import { openDb } from '../../src/store/db.js';
import { createFakeSlackApi } from '../../src/surfaces/console/fake-slack-api.js';
import { startBot } from '../../src/main.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dlt-console-keep-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const call = async (api: ReturnType<typeof createFakeSlackApi>, method: string, params: Record<string, unknown>) =>
  (await (await api.fetch(`https://slack.com/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })).json()) as Record<string, unknown>;

describe('console persistence', () => {
  it('a second console on the same database shows the first one\'s messages, threads and edits; not its ephemeral ones', async () => {
    const path = join(tempDir(), 'bot.sqlite');
    const db1 = openDb(path);
    const a = createFakeSlackApi({ persistence: createConsolePersistence(db1) });
    const parent = await call(a, 'chat.postMessage', { channel: 'pipeline-alerts', text: 'orders_silver: update failed', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*failed*' } }] });
    const reply = await call(a, 'chat.postMessage', { channel: 'pipeline-alerts', text: 'diagnosis', thread_ts: parent.ts });
    await call(a, 'chat.update', { channel: 'pipeline-alerts', ts: parent.ts, text: 'orders_silver: update failed · acknowledged' });
    const gone = await call(a, 'chat.postMessage', { channel: 'data-eng', text: 'to be deleted' });
    await call(a, 'chat.delete', { channel: 'data-eng', ts: gone.ts });
    await call(a, 'chat.postEphemeral', { channel: 'data-eng', user: 'U1', text: 'only for you' });
    db1.close();

    const db2 = openDb(path);
    const b = createFakeSlackApi({ persistence: createConsolePersistence(db2) });
    const alerts = b.history('pipeline-alerts');
    expect(alerts.map((m) => m.text)).toEqual(['orders_silver: update failed · acknowledged', 'diagnosis']);
    expect(alerts[0]).toMatchObject({ ts: parent.ts, thread_ts: parent.ts, reply_count: 1, edited: true });
    expect(alerts[1]).toMatchObject({ ts: reply.ts, thread_ts: parent.ts });
    expect(b.replies('pipeline-alerts', String(parent.ts)).map((m) => m.text)).toEqual(['diagnosis']);
    expect(b.history('data-eng')).toEqual([]);
    // new messages come after the old ones
    const next = await call(b, 'chat.postMessage', { channel: 'pipeline-alerts', text: 'later' });
    expect(Number(next.ts)).toBeGreaterThan(Number(reply.ts));
    db2.close();
  });

  it('a row it cannot read is skipped, not fatal', async () => {
    const path = join(tempDir(), 'bot.sqlite');
    const db = openDb(path);
    createConsolePersistence(db);
    db.prepare('INSERT INTO console_messages (channel, ts, body) VALUES (?, ?, ?)').run('C_DATA_ENG', '1.000001', '{not json');
    db.prepare('INSERT INTO console_messages (channel, ts, body) VALUES (?, ?, ?)').run('C_DATA_ENG', '1.000002', JSON.stringify({ channel: 'C_DATA_ENG', ts: '1.000002' }));
    const api = createFakeSlackApi({ persistence: createConsolePersistence(db) });
    expect(api.history('data-eng')).toEqual([]);
    db.close();
  });
});

describe('the bot restarted on the same database', () => {
  it('shows the first run\'s messages in the console again', async () => {
    const dir = tempDir();
    const env = { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'error' };
    const first = await startBot({ env, port: 0, log: () => undefined });
    let posted: string;
    try {
      const api = first.console!.api;
      posted = (await call(api, 'chat.postMessage', { channel: 'data-eng', text: 'kept across restarts' })).ts as string;
    } finally {
      await first.close();
    }
    const second = await startBot({ env, port: 0, log: () => undefined });
    try {
      expect(second.console!.api.history('data-eng').find((m) => m.ts === posted)?.text).toBe('kept across restarts');
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('digest subscriptions are announced in the channel', () => {
  it('the subscriber gets the details; the channel sees who subscribed and who stopped it', async () => {
    const dir = tempDir();
    const bot = await startBot({ env: { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'error' }, port: 0, log: () => undefined });
    try {
      const c = bot.console!;
      await c.receiver.slashCommand('data-eng', 'digest subscribe weekly --at 08:00 --tz Europe/Berlin').done;
      const after = c.api.history('data-eng');
      const mine = after.filter((m) => m.ephemeral).map((m) => m.text).join('\n');
      const everyone = after.filter((m) => !m.ephemeral).map((m) => m.text).join('\n');
      expect(mine).toMatch(/Subscribed this channel to a cost digest weekly on Monday at 08:00 \(Europe\/Berlin\) · next Mon/);
      expect(everyone).toMatch(/<@U_CONSOLE> subscribed this channel to a cost digest weekly on Monday at 08:00/);
      // the same again: refused, to the asker only, nothing new in the channel
      await c.receiver.slashCommand('data-eng', 'digest subscribe weekly --at 08:00 --tz Europe/Berlin').done;
      expect(c.api.history('data-eng').filter((m) => !m.ephemeral)).toHaveLength(after.filter((m) => !m.ephemeral).length);
      expect(c.api.history('data-eng').filter((m) => m.ephemeral).at(-1)?.text).toMatch(/already has that digest/);
      await c.receiver.slashCommand('data-eng', 'digest unsubscribe').done;
      expect(c.api.history('data-eng').filter((m) => !m.ephemeral).at(-1)?.text).toMatch(/<@U_CONSOLE> unsubscribed this channel from the cost digest weekly on Monday at 08:00 \(Europe\/Berlin\)/);
    } finally {
      await bot.close();
    }
  }, 60_000);
});
