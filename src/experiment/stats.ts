/**
 * The statistics of an A/B test: averages, sample spread and Welch's unequal-variance t-test, so a
 * difference smaller than the run-to-run spread is not called an improvement. Pure functions.
 *
 * Welch: t = (m_b − m_a) / sqrt(s_a²/n_a + s_b²/n_b), with the Welch–Satterthwaite degrees of
 * freedom; the two-sided p-value is I_{ν/(ν+t²)}(ν/2, 1/2), the regularized incomplete beta
 * function, evaluated by its continued fraction (Numerical Recipes §6.4, Lentz's method).
 */

export const SIGNIFICANCE_ALPHA = 0.05;

export function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** sample standard deviation (n − 1); null with fewer than two values */
export function stdev(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs)!;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface WelchResult {
  t: number;
  df: number;
  /** two-sided */
  p: number;
}

/**
 * Welch's t-test of b against a; null when either sample has fewer than two values. Two samples
 * with no spread at all: p 0 when their means differ, 1 when they are equal.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const ma = mean(a)!;
  const mb = mean(b)!;
  const va = stdev(a)! ** 2 / a.length;
  const vb = stdev(b)! ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0 || !Number.isFinite(se)) return ma === mb ? { t: 0, df: a.length + b.length - 2, p: 1 } : { t: Infinity * Math.sign(mb - ma), df: a.length + b.length - 2, p: 0 };
  const t = (mb - ma) / se;
  const df = (va + vb) ** 2 / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const p = incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return { t, df, p: Math.min(1, Math.max(0, p)) };
}

/** the regularized incomplete beta function I_x(a, b), 0 ≤ x ≤ 1 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  // the continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const EPS = 1e-14;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), x > 0 */
export function lnGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const xx = x - 1;
  let a = c[0]!;
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}
