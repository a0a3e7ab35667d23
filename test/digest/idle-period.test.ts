/**
 * An hourly digest over an hour in which nothing ran (issue 17 item 5): the demo's generated billing
 * decides which hour is idle (no usage row starts in it, some did in the hour before). The digest
 * says "no runs in this period" on every surface, never "-100%", and calls no pipeline serverless
 * (billing's is_serverless is on no row of the period).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { costBackendFromRaw } from '../../src/digest/backend.js';
import { computeDigest } from '../../src/digest/compute.js';
import type { Reply } from '../../commands/types.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { replyToText } from '../../templates/text.js';

const HOUR = 3_600_000;
let data: DemoWorkspaceData;
let wh: DuckDbWarehouse;
beforeAll(async () => {
  // one nightly classic pipeline: its hours between runs are idle (the whole demo bills every hour)
  const all = generateDemoWorkspace({ seed: 7 });
  data = { ...all, pipelines: all.pipelines.filter((p) => p.pipeline.name === 'ledger_nightly') };
  wh = await createDuckDbWarehouse(data);
}, 60_000);
afterAll(async () => {
  await wh.close();
});

/** the last whole hour with no usage starting in it after an hour with some */
function idleHour(): number {
  const starts = data.pipelines.flatMap((p) => p.usage.map((u) => Date.parse(String(u.usage_start_time))));
  const busy = new Set(starts.map((t) => Math.floor(t / HOUR)));
  for (let h = Math.floor(data.now / HOUR) - 1; h > Math.floor(data.now / HOUR) - 24 * 30; h--) {
    if (!busy.has(h) && busy.has(h - 1)) return h * HOUR;
  }
  throw new Error('the demo has no idle hour after a busy one');
}

describe('a digest over an idle hour', () => {
  it('says no runs in this period, not -100%, and calls nothing serverless', async () => {
    const start = idleHour();
    const specs = await costBackendFromRaw(wh, data.pipelines.map((p) => p.pipeline)).listPipelines();
    const d = await computeDigest(wh, specs, { periodStart: new Date(start), periodEnd: new Date(start + HOUR), previousStart: new Date(start - HOUR), filter: null });
    expect(d.totals.dbus).toBe(0);
    expect(d.totals.previousDbus).toBeGreaterThan(0);
    expect(d.pipelines.every((p) => !p.serverless)).toBe(true);
    const reply: Extract<Reply, { kind: 'digest' }> = { kind: 'digest', digest: d, note: null, subscription: null };
    const text = replyToText(reply, { width: 100, color: false });
    const blocks = JSON.stringify(toBlocks(reply));
    const card = JSON.stringify(toAdaptiveCard(reply));
    for (const out of [text, blocks, card]) {
      expect(out).toContain('No runs in this period');
      expect(out).not.toContain('-100');
      expect(out).not.toMatch(/serverless(?! pipelines have none)/);
    }
  });
});
