/**
 * One right-size saving (src/diagnosis/right-size.ts) on the demo workspace: why-slow's fix, `size`,
 * `cost` and the digest quote the same dollars for the same week, and none of them offers fewer
 * workers where idle CPUs are explained by skew or a busy driver (issue 13 item 9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { replyToText } from '../../templates/text.js';

let demo: DemoWorkspace;
beforeAll(async () => {
  demo = await startDemoWorkspace();
}, 60_000);
afterAll(async () => {
  await demo.close();
});

async function run(text: string): Promise<Reply> {
  const ctx: CommandContext = { source: demo.source, surface: 'cli', now: () => new Date(demo.data.now) };
  return runCommandText(text, ctx);
}
const nameOf = (scenario: string) => String(demo.data.pipelines.find((p) => p.scenario === scenario)!.pipeline.name);

describe('one right-size saving across why-slow, size, cost and the digest', () => {
  it('warehouse_sync: the same dollars everywhere, on the same week', async () => {
    const name = nameOf('over-provisioned');
    const cost = await run(`cost ${name}`);
    if (cost.kind !== 'cost') throw new Error(JSON.stringify(cost));
    const fromCost = cost.digest.opportunities.find((o) => o.kind === 'right-size' && o.pipeline.name === name);
    expect(fromCost).toBeDefined();
    const dollars = fromCost!.savingsUsd.high;
    expect(dollars).toBeGreaterThan(0);
    expect(fromCost!.savingsUsd.low).toBe(dollars);

    const digest = await run('digest now');
    if (digest.kind !== 'digest') throw new Error(JSON.stringify(digest));
    const fromDigest = digest.digest.opportunities.find((o) => o.kind === 'right-size' && o.pipeline.name === name);
    expect(fromDigest?.savingsUsd.high).toBe(dollars);

    const why = await run(`why-slow ${name}`);
    if (why.kind !== 'diagnosis') throw new Error(JSON.stringify(why));
    const fix = why.diagnosis.recommendations.find((r) => r.id === 'reduce-max-workers');
    expect(fix).toBeDefined();
    expect(fix!.expected_effect).toContain(`$${dollars.toFixed(2)}`);
    expect(fix!.expected_effect).toMatch(/last 7 days/);
    expect(replyToText(why, { width: 200, color: false })).toContain(`$${dollars.toFixed(2)}`);

    const size = await run(`size ${name}`);
    if (size.kind !== 'size') throw new Error(JSON.stringify(size));
    expect(size.advice!.savings!.dollars).toBe(dollars);
    expect(size.advice!.savings!.periodDays).toBe(7);
  });

  it.each(['skew', 'driver-oom'])('%s: idle workers that fewer workers would not help get no right-sizing anywhere', async (scenario) => {
    const name = nameOf(scenario);
    const digest = await run('digest now');
    if (digest.kind !== 'digest') throw new Error(JSON.stringify(digest));
    const row = digest.digest.pipelines.find((p) => p.name === name)!;
    // the workers are idle on average: only the skew / driver figures keep them from being cut
    expect(row.cpuAvg!).toBeLessThan(50);
    expect(digest.digest.opportunities.filter((o) => o.kind === 'right-size').map((o) => o.pipeline.name)).not.toContain(name);
    const why = await run(`why-slow ${name}`);
    if (why.kind !== 'diagnosis') throw new Error(JSON.stringify(why));
    expect(why.diagnosis.recommendations.map((r) => r.id)).not.toContain('reduce-max-workers');
  });
});
