import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { costBackendFromRaw } from '../../src/digest/backend.js';
import type { CostBackend, Digest, Opportunity } from '../../src/digest/types.js';
import { pipelineNotFound } from '../../src/errors.js';
import type { Source } from '../../src/source.js';
import { openDb, type Db } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createSubscriptionStore, type SubscriptionStore } from '../../src/store/subscriptions.js';
import { renderDigestMessages } from '../../templates/blocks/digest.js';
import { limitViolations, toBlocks } from '../../templates/blocks/index.js';
import { visibleLength } from '../../templates/format.js';
import { replyToText } from '../../templates/text.js';

let data: DemoWorkspaceData;
let wh: DuckDbWarehouse;
let cost: CostBackend;
let db: Db;
let store: SubscriptionStore;

beforeAll(async () => {
  data = generateDemoWorkspace({ seed: 11 });
  wh = await createDuckDbWarehouse(data);
  cost = costBackendFromRaw(wh, data.pipelines.map((p) => p.pipeline));
  db = openDb(':memory:');
  store = createSubscriptionStore(sqliteSql(db));
}, 60_000);
afterAll(async () => {
  db.close();
  await wh.close();
});

function demoSource(): Source {
  const list = data.pipelines.map((p) => ({ id: String(p.pipeline.pipeline_id), name: String(p.pipeline.name) }));
  return {
    kind: 'demo',
    pipelineUrl: () => null,
    listPipelines: async () => [],
    async resolvePipeline(ref) {
      const p = list.find((x) => x.id === ref || x.name === ref);
      if (!p) throw pipelineNotFound(ref, []);
      return p;
    },
    collect: async () => {
      throw new Error('not used');
    },
  };
}

const chat = (o: Partial<CommandContext> = {}): CommandContext => ({
  source: demoSource(),
  surface: 'slack',
  channelId: 'C1',
  userId: 'U1',
  now: () => new Date(data.now),
  cost,
  subscriptions: store,
  ...o,
});

describe('digest subscribe: bad input is a usage message with an example, and nothing is stored', () => {
  it.each([
    ['an invalid cron', 'digest subscribe "61 9 * * *"', /not a valid cron/],
    ['garbage as cron', 'digest subscribe every monday', /not a valid cron/],
    ['a cron more often than hourly', 'digest subscribe "*/5 * * * *"', /more than once an hour/],
    ['an unknown time zone', 'digest subscribe weekly --tz Mars/Olympus', /unknown time zone/],
    ['a time zone with odd characters', 'digest subscribe weekly --tz "Europe/Berlin; DROP"', /unknown time zone/],
    ['a bad tag filter', 'digest subscribe weekly --filter tag:team', /tag filter/],
    ['a bad name filter', 'digest subscribe weekly --filter "orders silver"', /name pattern/],
    ['a bad --at', 'digest subscribe daily --at 25:00', /--at must be HH:MM/],
    ['--at with a cron', 'digest subscribe "0 9 * * 1" --at 10:00', /--at goes with daily or weekly/],
    ['an unknown option', 'digest subscribe weekly --every 2', /unknown option --every/],
  ])('%s', async (_what, text, message) => {
    const reply = await runCommandText(text, chat());
    expect(reply.kind).toBe('error');
    if (reply.kind !== 'error') return;
    expect(reply.code).toBe('BAD_USAGE');
    expect(reply.message).toMatch(message);
    expect(reply.usage).toMatch(/example: digest subscribe/);
    expect(await store.list()).toEqual([]);
  });
});

describe('digest subscribe / list / unsubscribe', () => {
  it('stores a weekly subscription with its time zone and filter, lists it, removes it', async () => {
    const reply = await runCommandText('/dlt digest subscribe weekly --at 08:30 --tz Europe/Berlin --filter orders_*', chat());
    expect(reply).toMatchObject({ kind: 'text' });
    const [sub] = await store.list({ surface: 'slack', channel: 'C1' });
    expect(sub).toMatchObject({ cron: '30 8 * * 1', tz: 'Europe/Berlin', filter: 'orders_*', createdBy: 'U1', channel: 'C1', surface: 'slack' });

    const custom = await runCommandText('digest subscribe "0 7 * * 1-5" --tz America/New_York --filter tag:team=finance', chat());
    expect(custom.kind).toBe('text');
    expect((await store.list({ channel: 'C1' })).map((s) => s.cron)).toEqual(['30 8 * * 1', '0 7 * * 1-5']);

    const listed = await runCommandText('digest list', chat());
    // the schedule in words, in its zone, with the next run after "now" (data.now)
    const text = listed.kind === 'text' ? listed.text : '';
    expect(text).toMatch(/#\d+ weekly on Monday at 08:30 \(Europe\/Berlin\) · next Mon \d{1,2} [A-Z][a-z]{2}, 08:30 · pipelines matching orders_\*/);
    expect(text).toMatch(/#\d+ weekdays at 07:00 \(America\/New_York\) · next [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}, 07:00 · pipelines matching tag:team=finance/);
    // another channel sees none, and cannot remove them
    const other = await runCommandText(`digest unsubscribe ${sub!.id}`, chat({ channelId: 'C2' }));
    expect(other).toMatchObject({ kind: 'error', code: 'BAD_USAGE' });
    // two in this channel: the id is required
    expect(await runCommandText('digest unsubscribe', chat())).toMatchObject({ kind: 'error', code: 'BAD_USAGE' });
    expect(await runCommandText(`digest unsubscribe ${sub!.id}`, chat())).toMatchObject({ kind: 'text' });
    expect(await runCommandText('digest unsubscribe', chat())).toMatchObject({ kind: 'text' });
    expect(await store.list()).toEqual([]);
  });

  it('the same digest twice is refused, with the one that exists; another time or filter is not a duplicate', async () => {
    const first = await runCommandText('digest subscribe weekly --at 09:00 --tz Europe/Berlin', chat());
    expect(first.kind).toBe('text');
    const again = await runCommandText('digest subscribe weekly --tz Europe/Berlin', chat());
    expect(again).toMatchObject({ kind: 'error', code: 'BAD_USAGE' });
    expect(again.kind === 'error' && again.message).toMatch(/already has that digest: #\d+ weekly on Monday at 09:00 \(Europe\/Berlin\)/);
    expect(await store.list({ channel: 'C1' })).toHaveLength(1);
    expect((await runCommandText('digest subscribe weekly --tz Europe/Berlin --filter orders_*', chat())).kind).toBe('text');
    // the same in another channel is that channel's own
    expect((await runCommandText('digest subscribe weekly --tz Europe/Berlin', chat({ channelId: 'C2' }))).kind).toBe('text');
    for (const s of await store.list()) await store.remove(s.id, { surface: s.surface, channel: s.channel });
  });

  it('subscribe and unsubscribe carry a line for the whole channel, naming who did it', async () => {
    const sub = await runCommandText('digest subscribe daily --at 07:15 --filter "orders_*"', chat({ userId: 'UANA' }));
    expect(sub.kind === 'text' && sub.announce).toMatchObject({ by: 'UANA' });
    expect(sub.kind === 'text' && sub.announce?.text).toMatch(/^subscribed this channel to a cost digest daily at 07:15 \(UTC\) · next .*, 07:15 for pipelines matching orders_\* \(#\d+\)\.$/);
    const un = await runCommandText('digest unsubscribe', chat({ userId: 'UBEN' }));
    expect(un.kind === 'text' && un.announce).toMatchObject({ by: 'UBEN' });
    expect(un.kind === 'text' && un.announce?.text).toMatch(/^unsubscribed this channel from the cost digest daily at 07:15 \(UTC\) for pipelines matching orders_\* \(#\d+\)\.$/);
    // list and the errors are the asker's alone
    expect((await runCommandText('digest list', chat())) as { announce?: unknown }).not.toHaveProperty('announce');
  });

  it('daily defaults to 09:00 UTC', async () => {
    await runCommandText('digest subscribe daily', chat());
    expect(await store.list()).toMatchObject([{ cron: '0 9 * * *', tz: 'UTC', filter: null }]);
    await runCommandText('digest unsubscribe', chat());
  });

  it('in the CLI (no channel) subscribing says where it works', async () => {
    const reply = await runCommandText('digest subscribe weekly', chat({ surface: 'cli', channelId: undefined }));
    expect(reply).toMatchObject({ kind: 'error', code: 'BAD_USAGE' });
    expect(await store.list()).toEqual([]);
  });
});

describe('digest now and cost through the command layer', () => {
  it('digest now: a digest reply, JSON-safe, text within 80 columns, Block Kit within limits', async () => {
    const reply = await runCommandText('digest now --days 7', chat({ surface: 'cli', channelId: undefined, subscriptions: undefined }));
    expect(reply.kind).toBe('digest');
    if (reply.kind !== 'digest') return;
    const json = JSON.parse(JSON.stringify(reply)) as { digest: Digest };
    expect(json.digest.schema).toBe('dlt-doctor/digest@1');
    expect(json.digest.totals.dollars).toBeGreaterThan(0);
    const text = replyToText(reply);
    expect(text).toContain('Top pipelines by spend');
    for (const line of text.split('\n')) expect(visibleLength(line), line).toBeLessThanOrEqual(80);
    for (const m of renderDigestMessages(reply)) expect(limitViolations(m)).toEqual([]);
    expect(toBlocks(reply).text).toMatch(/^Pipeline cost digest: \$/);
  });

  it('cost <pipeline> --days N: that pipeline alone; an unknown one is "did you mean"', async () => {
    const reply = await runCommandText('cost orders_silver --days 30', chat());
    expect(reply.kind).toBe('cost');
    if (reply.kind !== 'cost') return;
    expect(reply.pipeline?.name).toBe('orders_silver');
    expect(reply.days).toBe(30);
    expect(reply.digest.pipelines.map((p) => p.name)).toEqual(['orders_silver']);
    expect(reply.digest.period.start).toBe(new Date(data.now - 30 * 86_400_000).toISOString());
    expect(replyToText(reply)).toMatch(/^Cost of orders_silver, last 30 days/);
    expect(await runCommandText('cost nope', chat())).toMatchObject({ kind: 'error', code: 'PIPELINE_NOT_FOUND' });
    expect(await runCommandText('cost --days 0', chat())).toMatchObject({ kind: 'error', code: 'BAD_USAGE' });
  });

  it('without a warehouse, cost says what to configure', async () => {
    const reply = await runCommandText('cost', chat({ cost: undefined }));
    expect(reply).toMatchObject({ kind: 'error', code: 'SOURCE_UNAVAILABLE' });
  });
});

describe('Block Kit digest split', () => {
  it('a digest with many opportunities becomes a message plus a thread, every message within limits', () => {
    const op = (i: number): Opportunity => ({
      kind: 'right-size', pipeline: { id: `p${i}`, name: `pipeline_${i}_${'x'.repeat(40)}` }, change: 'Reduce cluster size', why: 'Mean worker CPU 20% is below 50%; savings 1 − cpu/70. '.repeat(3),
      savingsUsd: { low: 100 - i, high: 100 - i }, savingsPercent: { low: 71, high: 71 }, risk: 'May increase runtime.', guideSection: '12.2',
    });
    const digest: Digest = {
      schema: 'dlt-doctor/digest@1', period: { start: '2026-11-16T08:00:00.000Z', end: '2026-11-23T08:00:00.000Z', previousStart: '2026-11-09T08:00:00.000Z' }, filter: null,
      totals: { pipelines: 80, serverlessPipelines: 0, dbus: 1000, dollars: 500, updateDbus: 900, maintenanceDbus: 100, maintenanceDollars: 50, previousDbus: 900, previousDollars: 450, changePercent: 11.1, outputRows: 1e9, dbuPerMillionRows: 0.9, cpuAvg: 40, slotUtilization: 0.5 },
      top: [], pipelines: [], daily: [], opportunities: Array.from({ length: 80 }, (_, i) => op(i)), savingsUsd: { low: 4000, high: 4000 }, notes: [], statements: 4,
    };
    const reply: Extract<Reply, { kind: 'digest' }> = { kind: 'digest', digest, note: 'Sent late: the bot was not running when this digest was due.', subscription: null };
    const messages = renderDigestMessages(reply);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(limitViolations(m)).toEqual([]);
    const all = messages.flatMap((m) => m.blocks).map((b) => JSON.stringify(b)).join('\n');
    for (let i = 0; i < 80; i++) expect(all).toContain(`pipeline_${i}_`);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Sent late');
  });
});
