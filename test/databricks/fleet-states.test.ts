import { describe, expect, it } from 'vitest';
import { fleetStates } from '../../src/databricks/fleet-states.js';

const row = (rn: number, state: string | null, startS: number, durS: number | null, id = 'p1') => ({
  pipeline_id: id,
  update_id: `${id}-u${rn}`,
  started_at: new Date(startS * 1000),
  ended_at: durS === null ? null : new Date((startS + durS) * 1000),
  result_state: state,
  rn,
});

describe('fleetStates', () => {
  it('takes the newest update and the median of prior COMPLETED durations only', () => {
    const m = fleetStates([
      row(1, null, 1000, null),
      row(2, 'COMPLETED', 900, 60),
      row(3, 'FAILED', 800, 5),
      row(4, 'COMPLETED', 700, 100),
      row(5, 'COMPLETED', 600, 80),
    ]);
    const s = m.get('p1')!;
    expect(s.lastUpdate).toEqual({ id: 'p1-u1', state: 'RUNNING', startedAt: 1_000_000, durationS: null });
    expect(s.baselineMedianS).toBe(80);
  });

  it('uses at most 10 prior completed updates', () => {
    const rows = [row(1, 'COMPLETED', 2000, 10)];
    for (let i = 2; i <= 11; i++) rows.push(row(i, 'COMPLETED', 2000 - i * 10, 100));
    rows.push(row(12, 'COMPLETED', 1000, 10_000));
    expect(fleetStates(rows).get('p1')!.baselineMedianS).toBe(100);
  });

  it('rejects a row that does not fit', () => {
    expect(() => fleetStates([{ pipeline_id: 'p', update_id: 1 }])).toThrow();
  });
});
