/** The one right-size computation (guide §12.2): where it applies, what it saves, what explains idle CPUs. */
import { describe, expect, it } from 'vitest';
import { idleExplainedBy, reducedWorkers, rightSizeSavings, savingsQuote, type WorkerLoad } from '../../src/diagnosis/right-size.js';
import type { CostInfo } from '../../src/diagnosis/evidence.js';

const idle: WorkerLoad = { cpuAvg: 18, waitAvg: 3, memAvg: 40, netBytesPerWorkerMinute: 50 * 1024 ** 2, skewShare: 0.02, driverCpuAvg: 20, driverMemAvg: 45 };

describe('rightSizeSavings', () => {
  it('§12.2: int((1 − cpu/70) × 100) % of the update spend, below 50% CPU only', () => {
    expect(rightSizeSavings(idle, 42.32)).toEqual({ percent: 74, dollars: 31.32, cpuAvg: 18 });
    expect(rightSizeSavings({ ...idle, cpuAvg: 49.9 }, 100)?.percent).toBe(28);
    expect(rightSizeSavings({ ...idle, cpuAvg: 50 }, 100)).toBeNull();
    expect(rightSizeSavings({ ...idle, cpuAvg: null }, 100)).toBeNull();
  });

  it.each([
    ['io-wait', { waitAvg: 15 }, { waitAvg: 14.9 }],
    ['shuffle', { netBytesPerWorkerMinute: 1024 ** 3 }, { netBytesPerWorkerMinute: 0.95 * 1024 ** 3 }],
    ['memory', { memAvg: 88 }, { memAvg: 87.5 }],
    ['skew', { skewShare: 0.3 }, { skewShare: 0.29 }],
    ['driver', { driverCpuAvg: 80 }, { driverCpuAvg: 79 }],
    ['driver', { driverMemAvg: 91 }, { driverMemAvg: 85 }],
  ] as const)('%s explains idle CPUs at its threshold, not just under it', (reason, over, under) => {
    expect(idleExplainedBy({ ...idle, ...over })).toBe(reason);
    expect(rightSizeSavings({ ...idle, ...over }, 100)).toBeNull();
    expect(idleExplainedBy({ ...idle, ...under })).toBeNull();
    expect(rightSizeSavings({ ...idle, ...under }, 100)).not.toBeNull();
  });

  it('reducedWorkers lands the mean CPU near 70%, never below the floor', () => {
    expect(reducedWorkers(16, 18, 1)).toBe(5);
    expect(reducedWorkers(4, 5, 2)).toBe(2);
  });
});

describe('savingsQuote', () => {
  const cost = (load: WorkerLoad | null): CostInfo => ({ updateDbus: 3, updateDollars: 2, periodDbus: 90, periodDollars: 48.52, maintenanceDbus: 11, maintenanceDollars: 6.2, periodDays: 7, ...(load ? { periodLoad: load } : {}) });

  it("prices on the week's load and update spend when the collection read them (the digest's figure)", () => {
    expect(savingsQuote(cost(idle), 19.7)).toMatchObject({ basis: 'period', percent: 74, cpuAvg: 18, dollars: 31.32, periodDays: 7 });
  });

  it("falls back to this update's CPU against the week's update spend without the week's load", () => {
    // int((1 − 19.7/70) × 100) = 71 % of $42.32
    expect(savingsQuote(cost(null), 19.7)).toMatchObject({ basis: 'update', percent: 71, dollars: 30.05 });
    expect(savingsQuote(null, 19.7)).toMatchObject({ basis: 'update', percent: 71, dollars: null, periodDays: null });
  });

  it('quotes no dollars when the week says the idle CPUs are not spare (cost and the digest count none)', () => {
    expect(savingsQuote(cost({ ...idle, skewShare: 0.5 }), 19.7)).toMatchObject({ basis: 'update', dollars: null, periodExplainedBy: 'skew' });
    expect(savingsQuote(cost({ ...idle, cpuAvg: 62 }), 19.7)).toMatchObject({ basis: 'update', dollars: null, periodExplainedBy: null });
  });
});
