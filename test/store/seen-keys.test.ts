import { describe, expect, it } from 'vitest';
import { admitWhenUnavailable, type SeenKeys } from '../../src/store/seen-keys.js';

describe('admitWhenUnavailable', () => {
  it('passes answers through; a store that fails admits the key and is reported once', async () => {
    let down = false;
    const seen = new Set<string>();
    const store: SeenKeys = {
      async check(key) {
        if (down) throw new Error('connection terminated');
        const had = seen.has(key);
        seen.add(key);
        return had;
      },
    };
    const reports: string[] = [];
    const keys = admitWhenUnavailable(store, (m) => reports.push(m));
    expect(await keys.check('a', 1)).toBe(false);
    expect(await keys.check('a', 2)).toBe(true);
    down = true;
    expect(await keys.check('a', 3)).toBe(false);
    expect(await keys.check('b', 4)).toBe(false);
    expect(reports).toEqual(['connection terminated']);
    down = false;
    expect(await keys.check('a', 5)).toBe(true);
  });
});
