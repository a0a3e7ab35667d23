import { describe, expect, it } from 'vitest';
import { incompleteBeta, lnGamma, mean, stdev, welchTTest } from '../../src/experiment/stats.js';

describe('experiment statistics', () => {
  it('mean and sample standard deviation (n − 1)', () => {
    expect(mean([2, 4, 6])).toBe(4);
    expect(stdev([2, 4, 6])).toBeCloseTo(2, 10);
    expect(stdev([5])).toBeNull();
    expect(mean([])).toBeNull();
  });

  it('lnGamma and the incomplete beta match known values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    // I_x(1, 1) = x; I_0.5(a, a) = 0.5
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 10);
    expect(incompleteBeta(0.5, 3.5, 3.5)).toBeCloseTo(0.5, 10);
  });

  it("Welch's t-test agrees with scipy.stats.ttest_ind(b, a, equal_var=False): t 2.4554, df 24.9885, p 0.021378", () => {
    // the reference values were computed with SciPy on this machine, not by this implementation
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTTest(a, b)!;
    expect(r.t).toBeCloseTo(2.455356, 5);
    expect(r.df).toBeCloseTo(24.988529, 4);
    expect(r.p).toBeCloseTo(0.021378, 5);
  });

  it('noise-only samples are not significant; a clear 2× shift with 4% noise is', () => {
    const base = [1000, 1040, 970, 1010];
    expect(welchTTest(base, [1020, 980, 1035, 995])!.p).toBeGreaterThan(0.05);
    expect(welchTTest(base, [2010, 2080, 1950, 2040])!.p).toBeLessThan(0.001);
    // two iterations each: the test still runs, with few degrees of freedom
    expect(welchTTest([1000, 1040], [2400, 2300])!.p).toBeLessThan(0.05);
    expect(welchTTest([1000, 1040], [1010, 1060])!.p).toBeGreaterThan(0.05);
  });

  it('needs two values per side; identical constant samples give p = 1', () => {
    expect(welchTTest([1], [2, 3])).toBeNull();
    expect(welchTTest([5, 5], [5, 5])!.p).toBe(1);
    expect(welchTTest([5, 5], [6, 6])!.p).toBe(0);
  });
});
