import { describe, expect, it } from 'vitest';
import { createReplayGuard } from '../../../src/surfaces/slack/replay-guard.js';

describe('createReplayGuard', () => {
  it('admits a signature once, refuses it again inside the window, forgets it once the window has passed', () => {
    let nowMs = 1_800_000_000_000;
    const g = createReplayGuard({ now: () => nowMs });
    const ts = nowMs / 1000;
    expect(g.admit(ts, 'v0=a')).toBe('ok');
    expect(g.admit(ts, 'v0=a')).toBe('replayed');
    expect(g.admit(ts, 'v0=b')).toBe('ok');
    nowMs += 299_000;
    expect(g.admit(ts, 'v0=a')).toBe('replayed');
    nowMs += 2_000; // ts is now older than 5 minutes: Bolt refuses it anyway, the guard may forget it
    expect(g.admit(nowMs / 1000, 'v0=c')).toBe('ok');
    expect(g.size).toBe(1);
  });

  it('refuses timestamps more than five minutes ahead, admits up to five', () => {
    const nowMs = 1_800_000_000_000;
    const g = createReplayGuard({ now: () => nowMs });
    expect(g.admit(nowMs / 1000 + 301, 'v0=f')).toBe('future');
    expect(g.admit(nowMs / 1000 + 300, 'v0=g')).toBe('ok');
  });

  it('keeps at most maxEntries signatures (oldest evicted)', () => {
    const nowMs = 1_800_000_000_000;
    const g = createReplayGuard({ now: () => nowMs, maxEntries: 3 });
    for (const s of ['1', '2', '3', '4']) expect(g.admit(nowMs / 1000, s)).toBe('ok');
    expect(g.size).toBe(3);
    expect(g.admit(nowMs / 1000, '4')).toBe('replayed');
    expect(g.admit(nowMs / 1000, '1')).toBe('ok');
  });
});
