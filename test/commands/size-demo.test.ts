/** `size <pipeline>` on the demo workspace (what `npx dlt-doctor size …` runs without credentials). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { toBlocks, limitViolations } from '../../templates/blocks/index.js';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { replyToText } from '../../templates/text.js';
import { cardErrors } from '../surfaces/teams/helpers.js';

let demo: DemoWorkspace;
beforeAll(async () => {
  demo = await startDemoWorkspace();
}, 60_000);
afterAll(async () => {
  await demo.close();
});

type SizeReply = Extract<Reply, { kind: 'size' }>;
async function size(text: string): Promise<SizeReply> {
  const ctx: CommandContext = { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) };
  const r = await runCommandText(text, ctx);
  if (r.kind !== 'size') throw new Error(`expected size, got ${JSON.stringify(r)}`);
  return r;
}

describe('size on the demo workspace', () => {
  it('orders_silver (CPU-bound, 4 workers at ~93%): never fewer workers than the saturated cluster has', async () => {
    const r = await size('size orders_silver');
    const a = r.advice!;
    expect(a.verdict.bottleneck).toBe('cpu');
    expect(a.measured!.cpuMedian!).toBeGreaterThanOrEqual(85);
    const ran = a.measured!.workers!;
    expect(ran).toBe(4);
    expect(a.workers!.recommended).toBeGreaterThan(ran);
    expect(a.workers!.recommended).toBeGreaterThanOrEqual(r.current!.maxWorkers!);
    expect(a.workers!.departsFromFormula).toBe(true);
    expect(a.node!.family).toBe('compute-optimized');
    const text = replyToText(r, { width: 80, color: false });
    expect(text).toMatch(/num_workers \d+ \(now 4\) · departs from the formula's 2/);
    expect(text).not.toMatch(/recommended 2\b/);
  }, 30_000);

  it('web_sessions_serverless: no worker counts at all', async () => {
    const r = await size('size web_sessions_serverless');
    expect(r.advice?.compute).toBe('serverless');
    expect(r.advice?.workers).toBeNull();
    expect(r.advice?.node).toBeNull();
    expect(r.flags).toEqual([]);
    const surfaces = [replyToText(r), JSON.stringify(toBlocks(r).blocks), JSON.stringify(toAdaptiveCard(r).body)];
    for (const s of surfaces) {
      expect(s).toMatch(/no worker sizing/);
      expect(s).not.toMatch(/\d+\s+workers|workers?\W+\d|min(imum)? \d|max(imum)? \d|recommended \d|recommended workers/i);
    }
  }, 30_000);

  it('warehouse_sync (16 workers idle at ~20%): fewer workers, with the same savings why-slow quotes', async () => {
    const r = await size('size warehouse_sync');
    const a = r.advice!;
    expect(a.workers!.basis).toBe('right-size');
    expect(a.workers!.recommended).toBeLessThan(16);
    expect(a.savings!.percent).toBeGreaterThan(0);
    const diag = await runCommandText('why-slow warehouse_sync', { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) });
    if (diag.kind !== 'diagnosis') throw new Error(diag.kind);
    const fix = diag.diagnosis.recommendations.find((x) => x.id === 'reduce-max-workers');
    expect(fix?.change?.value).toBe(String(a.workers!.recommended));
    expect(fix?.expected_effect).toContain(`About ${a.savings!.percent}%`);
  }, 30_000);

  it('every surface renders the demo answers within its limits', async () => {
    for (const p of ['orders_silver', 'web_sessions_serverless', 'warehouse_sync', 'portfolio_risk_daily', 'claims_adjudication']) {
      const r = await size(`size ${p}`);
      expect(limitViolations(toBlocks(r)), p).toEqual([]);
      expect(cardErrors(toAdaptiveCard(r)), p).toEqual([]);
      for (const line of replyToText(r, { width: 80, color: false }).split('\n')) expect(line.length, `${p}: ${line}`).toBeLessThanOrEqual(80);
    }
  }, 60_000);
});
