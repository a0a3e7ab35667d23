import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.js';
import { createLease } from '../../src/store/lease.js';

const open: Db[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
/** two connections on one file: what two bot processes on one state file see */
function twoProcesses() {
  const file = join(mkdtempSync(join(tmpdir(), 'lease-')), 'state.db');
  const a = openDb(file);
  const b = openDb(file);
  open.push(a, b);
  return { a, b };
}

describe('createLease', () => {
  it('one holder at a time; the holder renews; the other takes it only after expiry', () => {
    const { a, b } = twoProcesses();
    let now = 1_000_000;
    const la = createLease(a, { name: 'scheduler', holder: 'A', ttlMs: 60_000, now: () => now });
    const lb = createLease(b, { name: 'scheduler', holder: 'B', ttlMs: 60_000, now: () => now });
    expect(la.acquire()).toBe(true);
    expect(lb.acquire()).toBe(false);
    now += 45_000;
    expect(la.acquire()).toBe(true); // renewed to now + 60 s
    now += 45_000;
    expect(lb.acquire()).toBe(false); // 90 s after the first take, but A renewed at 45 s
    now += 16_000;
    expect(lb.acquire()).toBe(true); // A went quiet for more than the ttl
    expect(la.acquire()).toBe(false);
    expect(lb.current()).toEqual({ holder: 'B', expiresAt: now + 60_000 });
  });

  it('release hands the lease over at once; releasing a lease one does not hold changes nothing', () => {
    const { a, b } = twoProcesses();
    const la = createLease(a, { name: 'scheduler', holder: 'A', ttlMs: 60_000 });
    const lb = createLease(b, { name: 'scheduler', holder: 'B', ttlMs: 60_000 });
    expect(la.acquire()).toBe(true);
    lb.release();
    expect(lb.acquire()).toBe(false);
    la.release();
    expect(la.current()).toBeNull();
    expect(lb.acquire()).toBe(true);
  });

  it('leases of different names are independent', () => {
    const { a, b } = twoProcesses();
    expect(createLease(a, { name: 'x', holder: 'A', ttlMs: 1000 }).acquire()).toBe(true);
    expect(createLease(b, { name: 'y', holder: 'B', ttlMs: 1000 }).acquire()).toBe(true);
  });
});
