/** What Re-diagnose tells the clicker (src/surfaces/slack/listeners/actions.ts whatChanged). */
import { describe, expect, it } from 'vitest';
import { whatChanged } from '../../../src/surfaces/slack/listeners/actions.js';

const d = (update: string, bottleneck: string) => ({ update: { id: update }, verdict: { bottleneck } });
const at = Math.floor(Date.parse('2026-12-03T14:02:00Z') / 1000);

describe('whatChanged', () => {
  it('same update, same verdict: no change since the time the message was diagnosed', () => {
    expect(whatChanged({ pipeline_id: 'p', update_id: 'u1', verdict: 'cpu', at }, d('u1', 'cpu'))).toBe(`No change since <!date^${at}^{date_short_pretty} at {time}|2026-12-03 14:02 UTC>: update \`u1\` is still CPU-bound.`);
  });
  it('same update, another verdict (more evidence arrived): now X, was Y', () => {
    expect(whatChanged({ pipeline_id: 'p', update_id: 'u1', verdict: 'cpu', at }, d('u1', 'memory'))).toMatch(/^Re-diagnosed: update `u1` is now memory pressure \(was CPU-bound since <!date/);
  });
  it('a newer update: names both', () => {
    expect(whatChanged({ pipeline_id: 'p', update_id: 'u1', verdict: 'cpu' }, d('u2', 'none'))).toBe('Re-diagnosed: a newer update `u2` is healthy (update `u1` was CPU-bound).');
  });
  it('a message from before verdicts were carried: says the verdict, claims no "no change"', () => {
    const s = whatChanged({ pipeline_id: 'p', update_id: 'u1' }, d('u1', 'io'));
    expect(s).toBe('Re-diagnosed: update `u1` is I/O-bound.');
  });
});
