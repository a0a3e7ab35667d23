/**
 * The cost chart keeps every pipeline readable when one dominates (issue 17 item 10): past a peak
 * ratio of DOMINANCE the axis is logarithmic and says so; a fleet of similar pipelines stays linear.
 */
import { describe, expect, it } from 'vitest';
import { costScale, digestChartSvg, DOMINANCE } from '../../src/charts/cost.js';
import { decades, niceMax, shortDollars } from '../../src/charts/axis.js';
import type { Digest } from '../../src/digest/types.js';
import { fakeDigest } from '../surfaces/teams/fake-digest.js';

const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];

function digestOf(series: Record<string, number[]>): Digest {
  const topDaily = Object.entries(series).map(([name, dollars], k) => ({ id: `pl-${k}`, name, dollars }));
  return { ...fakeDigest(), daily: DAYS.map((day, i) => ({ day, dbus: 1, dollars: topDaily.reduce((s, t) => s + t.dollars[i]!, 0) })), topDaily };
}

/** the y coordinate of each polyline's points, by pipeline */
function lines(svg: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of svg.matchAll(/<polyline points="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)) out[m[2]!] = m[1]!.split(' ').map((p) => Number(p.split(',')[1]));
  return out;
}

describe('cost chart scale', () => {
  it('one pipeline at ~40× the others: log scale, said in the title and the footer; the small lines keep their shape', () => {
    const d = digestOf({
      warehouse_etl: [4200, 3900, 4400, 4100, 5200, 3800, 4000],
      orders_silver: [95, 110, 88, 130, 101, 97, 92],
      clickstream: [40, 0, 45, 38, 61, 44, 39],
    });
    const scale = costScale([{ name: 'warehouse_etl', dollars: d.topDaily![0]!.dollars, total: 1 }, { name: 'orders_silver', dollars: d.topDaily![1]!.dollars, total: 1 }, { name: 'clickstream', dollars: d.topDaily![2]!.dollars, total: 1 }]);
    expect(scale.log).toBe(true);
    const svg = digestChartSvg(d);
    expect(svg).toContain('(log scale)');
    expect(svg).toMatch(/log scale, a gridline per 10×: warehouse_etl peaks at 40× the next pipeline/);
    for (const v of ['$10', '$100', '$1k', '$10k']) expect(svg).toContain(`>${v}<`);
    const y = lines(svg);
    // orders_silver's 130 peak stands clear of its 88 low: on the linear $0–$10k axis the 260 px plot
    // would put them (130 − 88) / 10,000 × 260 ≈ 1 px apart
    const spread = Math.max(...y.orders_silver!) - Math.min(...y.orders_silver!);
    expect(spread).toBeGreaterThan(8 * ((130 - 88) / niceMax(5200)) * 260);
    // the day clickstream spent nothing sits on the bottom line, below all its other days
    expect(y.clickstream![1]).toBe(Math.max(...y.clickstream!));
  });

  it('similar pipelines, and a near miss just under the ratio: linear from $0', () => {
    const similar = digestChartSvg(digestOf({ a: [100, 120, 90, 110, 100, 95, 105], b: [60, 70, 65, 50, 80, 75, 70] }));
    expect(similar).not.toContain('log scale');
    expect(similar).toContain('>$0<');
    const peak = 100;
    const near = digestOf({ big: [peak * (DOMINANCE - 0.5), 10, 10, 10, 10, 10, 10], small: [peak, 50, 50, 50, 50, 50, 50] });
    expect(digestChartSvg(near)).not.toContain('log scale');
    // one pipeline alone has nothing to be flattened against
    expect(costScale([{ name: 'only', dollars: [5000, 10], total: 5010 }]).log).toBe(false);
  });
});

describe('axis helpers', () => {
  it('round maxima, decades and dollar labels', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7.3)).toBe(10);
    expect(niceMax(230)).toBe(250);
    expect(decades(0.4, 5200)).toEqual([0.1, 1, 10, 100, 1000, 10000]);
    expect(decades(3, 3)).toEqual([1, 10]);
    expect(shortDollars(0.25)).toBe('$0.25');
    expect(shortDollars(1)).toBe('$1');
    expect(shortDollars(1234)).toBe('$1.2k');
    expect(shortDollars(15_400)).toBe('$15k');
    expect(shortDollars(1000)).toBe('$1k');
  });
});
