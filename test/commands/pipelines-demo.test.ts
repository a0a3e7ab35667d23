/**
 * `pipelines` on the demo workspace (issue 17 item 2): the bot's own assessment beside Databricks'
 * health, worst first, on every surface and in --json. Labels from the demo's scenario definitions
 * (docs/demo-workspace.md): ledger_nightly is written as a regression (its last update about 2× its
 * usual duration), telemetry_stream as a stream falling behind its source, billing_failed as a
 * failed update; orders_silver as a CPU-bound pipeline that runs as long as it usually does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { STATUS_ORDER } from '../../src/diagnosis/pipeline-assessment.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { replyToText } from '../../templates/text.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.js';
import { createAlertStore } from '../../src/store/alerts.js';

let demo: DemoWorkspace;
beforeAll(async () => {
  demo = await startDemoWorkspace();
}, 60_000);
afterAll(async () => {
  await demo.close();
});

type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;
async function list(text = 'pipelines', extra: Partial<CommandContext> = {}): Promise<PipelinesReply> {
  const r = await runCommandText(text, { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now), ...extra });
  if (r.kind !== 'pipelines') throw new Error(`expected pipelines, got ${JSON.stringify(r)}`);
  return r;
}

describe('pipelines on the demo workspace', () => {
  it('flags ledger_nightly as slower than its baseline and telemetry_stream as falling behind, in the JSON', async () => {
    const r = await list();
    const json = JSON.parse(JSON.stringify(r)) as PipelinesReply;
    const by = new Map(json.pipelines.map((p) => [p.name, p]));
    const ledger = by.get('ledger_nightly')!;
    expect(ledger.health).toBe('HEALTHY');
    expect(ledger.assessment?.status).toBe('regressed');
    expect(ledger.assessment?.regression?.ratio).toBeGreaterThan(1.5);
    const telemetry = by.get('telemetry_stream')!;
    expect(telemetry.assessment?.status).toBe('falling_behind');
    expect(telemetry.assessment?.backlog?.flow).toMatch(/telemetry_raw/);
    expect(by.get('billing_failed')!.assessment?.status).toBe('failed');
    expect(by.get('orders_silver')!.assessment?.status).toBe('ok');
  });

  it('sorts worst first', async () => {
    const r = await list();
    const ranks = r.pipelines.map((p) => STATUS_ORDER.indexOf(p.assessment!.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(r.pipelines[0]!.assessment!.status).toBe('failed');
    // within "slower", the larger regression first
    const slower = r.pipelines.filter((p) => p.assessment!.status === 'regressed').map((p) => p.assessment!.regression!.ratio);
    expect(slower).toEqual([...slower].sort((a, b) => b - a));
  });

  it('says it in words on every surface', async () => {
    const r = await list();
    const text = replyToText(r, { width: 100, color: false });
    expect(text).toMatch(/telemetry_stream\s+falling behind\s+HEALTHY/);
    expect(text).toMatch(/ledger_nightly\s+slower\s+HEALTHY/);
    expect(text).toMatch(/telemetry_raw backlog [\d.]+ GiB → [\d.]+ GiB/);
    const blocks = JSON.stringify(toBlocks(r));
    expect(blocks).toContain('*falling behind*: main.telemetry.telemetry_raw backlog');
    expect(blocks).toContain('*slower*');
    const card = JSON.stringify(toAdaptiveCard(r));
    expect(card).toContain('falling behind');
    expect(card).toContain('Databricks: healthy');
  });

  it('an open alert thread is part of the assessment', async () => {
    const orders = demo.data.pipelines.find((p) => p.pipeline.name === 'orders_silver')!;
    const incident = { pipelineId: String(orders.pipeline.pipeline_id), kind: 'failed' as const, updateId: 'u-x', openedAt: demo.data.now - 3_600_000 };
    const store = { openIncidents: () => [incident, { ...incident, channel: 'C2' }], lastVerdicts: () => new Map() };
    const r = await list('pipelines orders_silver', { alerts: { store } as never });
    const a = r.pipelines[0]!.assessment!;
    expect(a.status).toBe('alert_open');
    // the same alert open in two channels is one thing wrong
    expect(a.openIncidents).toHaveLength(1);
    expect(replyToText(r, { width: 100, color: false })).toContain('1 alert open (failed)');
  });

  it('shows the verdict of the bot’s last diagnosis, and says when the pipeline ran again since (issue 17 item 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlt-verdicts-'));
    const db = openDb(join(dir, 'doctor.db'));
    try {
      const store = createAlertStore(db);
      const ctx = { alerts: { store } as never };
      // before any diagnosis: nothing claimed
      const before = await list('pipelines orders_silver', ctx);
      expect(before.pipelines[0]!.assessment!.lastVerdict).toBeNull();
      const d = await runCommandText('why-slow orders_silver', { source: demo.source, surface: 'slack', now: () => new Date(demo.data.now), ...ctx });
      if (d.kind !== 'diagnosis') throw new Error(JSON.stringify(d));
      const r = await list('pipelines orders_silver', ctx);
      const v = r.pipelines[0]!.assessment!.lastVerdict!;
      expect(v).toMatchObject({ bottleneck: d.diagnosis.verdict.bottleneck, updateId: d.diagnosis.update.id, current: true });
      expect(replyToText(r, { width: 200, color: false })).toMatch(/last diagnosis: CPU-bound \(\d+%\)/);
      expect(JSON.stringify(toBlocks(r))).toMatch(/_last diagnosis: CPU-bound \(\d+%\)_/);
      expect(JSON.stringify(toAdaptiveCard(r))).toContain('last diagnosis: CPU-bound');
      // a diagnosis of an older update is said to be one; an older diagnosis never overwrites a newer
      await store.recordVerdict({ pipelineId: d.diagnosis.pipeline.id, updateId: 'u-older', bottleneck: 'memory', confidence: 0.7, at: v.at - 1 });
      expect((await list('pipelines orders_silver', ctx)).pipelines[0]!.assessment!.lastVerdict!.bottleneck).toBe(d.diagnosis.verdict.bottleneck);
      await store.recordVerdict({ pipelineId: d.diagnosis.pipeline.id, updateId: 'u-older', bottleneck: 'memory', confidence: 0.7, at: v.at + 1 });
      const older = await list('pipelines orders_silver', ctx);
      expect(older.pipelines[0]!.assessment!.lastVerdict).toMatchObject({ bottleneck: 'memory', current: false });
      expect(replyToText(older, { width: 200, color: false })).toContain('last diagnosis: memory pressure (70%), of an older update');
      // and the verdict does not change the status the list is sorted by
      expect(older.pipelines[0]!.assessment!.status).toBe(before.pipelines[0]!.assessment!.status);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compare --baseline on the demo workspace', () => {
  it('A is the completed update closest to the baseline median, and the reply says so', async () => {
    const r = await runCommandText('compare ledger_nightly --baseline', { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) });
    if (r.kind !== 'compare') throw new Error(JSON.stringify(r));
    const b = r.b.baseline!;
    expect(r.basis).toMatch(/^A is the baseline: of the last \d+ completed updates, the one closest to their median of /);
    // A ran about as long as the median (ledger_nightly's last update, B, ran about twice as long)
    expect(Math.abs(r.a.update.duration_s! - b.median_duration_s) / b.median_duration_s).toBeLessThan(0.25);
    expect(r.b.update.duration_s! / b.median_duration_s).toBeGreaterThan(1.5);
    // and it is not simply the previous update unless that one is the closest
    const plain = await runCommandText('compare ledger_nightly', { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) });
    if (plain.kind !== 'compare') throw new Error(JSON.stringify(plain));
    expect(plain.basis).toBe('A is the previous completed update.');
    expect(replyToText(r, { width: 100, color: false })).toContain('A is the baseline');
  });

  it('a continuous pipeline has no baseline: a clear message', async () => {
    const r = await runCommandText('compare telemetry_stream --baseline', { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) });
    expect(r).toMatchObject({ kind: 'error', code: 'UPDATE_NOT_FOUND' });
    expect(r.kind === 'error' && r.message).toMatch(/continuous pipeline has none/);
  });
});

describe('pipelines [filter]: the digest filter\'s glob rules', () => {
  it('*_silver is a glob; a plain word is a piece of the name', async () => {
    const glob = await list('pipelines *_silver');
    expect(glob.pipelines.map((p) => p.name).sort()).toEqual(demo.data.pipelines.map((p) => String(p.pipeline.name)).filter((n) => n.endsWith('_silver')).sort());
    expect(glob.pipelines.length).toBeGreaterThan(0);
    const piece = await list('pipelines silver');
    expect(piece.pipelines.length).toBeGreaterThanOrEqual(glob.pipelines.length);
    expect((await list('pipelines orders_?ilver')).pipelines.map((p) => p.name)).toEqual(['orders_silver']);
    expect((await list('pipelines *_nothing')).pipelines).toEqual([]);
  });
});

describe('help', () => {
  it('chat help lists the chat commands with a "start here"; the terminal keeps export', async () => {
    const chat = await runCommandText('help', { source: demo.source, surface: 'slack', now: () => new Date(demo.data.now) });
    const cli = await runCommandText('help', { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) });
    if (chat.kind !== 'help' || cli.kind !== 'help') throw new Error('expected help');
    expect(chat.commands.map((c) => c.name)).not.toContain('export');
    expect(cli.commands.map((c) => c.name)).toContain('export');
    expect(JSON.stringify(toBlocks(chat))).toContain('*Start here:* `/dlt pipelines`');
    expect(JSON.stringify(toAdaptiveCard(chat))).toContain('Start here:');
    expect(replyToText(cli, { width: 100, color: false })).toContain('Start here: `pipelines`');
  });
});
