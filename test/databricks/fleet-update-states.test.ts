import { afterAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { MINI_NOW, PIPELINE_A, demoMini } from '../support/demo-mini.js';

const DAY = 86_400_000;
const opened: DuckDbWarehouse[] = [];
afterAll(async () => {
  for (const w of opened) await w.close();
});

describe('fleet-update-states on the demo warehouse', () => {
  it('returns at most 11 updates per pipeline, newest first, with terminal states', async () => {
    const wh = await createDuckDbWarehouse(demoMini());
    opened.push(wh);
    const rows = (await wh.query('fleet-update-states', { since: new Date(MINI_NOW - 60 * DAY) })) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    const perPipeline = new Map<string, number[]>();
    for (const r of rows) perPipeline.set(String(r.pipeline_id), [...(perPipeline.get(String(r.pipeline_id)) ?? []), Number(r.rn)]);
    expect(perPipeline.has(PIPELINE_A)).toBe(true);
    for (const rns of perPipeline.values()) {
      expect(rns.length).toBeLessThanOrEqual(11);
      expect(rns).toEqual([...rns].sort((a, b) => a - b));
    }
    const states = new Set(rows.map((r) => r.result_state));
    expect([...states].some((s) => s === 'COMPLETED')).toBe(true);
  });

  it('fails when the table is revoked, as a warehouse without the grant would', async () => {
    const wh = await createDuckDbWarehouse(demoMini(), { revokeUpdateTimeline: true });
    opened.push(wh);
    await expect(wh.query('fleet-update-states', { since: new Date(MINI_NOW - 60 * DAY) })).rejects.toThrow();
  });
});
