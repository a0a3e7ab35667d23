/** Rule messages use one wording for units (issue 17 item 9): durations in h m s, real plurals. */
import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/diagnosis/format.js';

describe('fillTemplate', () => {
  it('writes a number before " s" or " min" as a duration', () => {
    expect(fillTemplate('Initialization took {{initS}} s, {{percent}}% of the update', { initS: 1016, percent: 41 })).toBe('Initialization took 16m 56s, 41% of the update');
    expect(fillTemplate('fully recomputed ({{durationS}} s): x', { durationS: 45 })).toBe('fully recomputed (45s): x');
    expect(fillTemplate('over the last {{recentMin}} min ({{recentS}} s against {{earlierS}} s)', { recentMin: 60, recentS: 12.4, earlierS: 3900 })).toBe('over the last 1h (12s against 1h 5m)');
  });

  it('gives "word(s)" its singular or plural', () => {
    expect(fillTemplate('the cluster ran {{scripts}} init script(s): bring-up', { scripts: 3 })).toBe('the cluster ran 3 init scripts: bring-up');
    expect(fillTemplate('the cluster ran {{scripts}} init script(s)', { scripts: 1 })).toBe('the cluster ran 1 init script');
    expect(fillTemplate('{{n}} flow(s)', { n: 0 })).toBe('0 flows');
  });

  it('leaves the rest alone: strings, other words, unknown placeholders, a unit-like word that is not one', () => {
    expect(fillTemplate('{{flow}} s-curve', { flow: 'orders' })).toBe('orders s-curve');
    expect(fillTemplate('{{n}} seconds', { n: 1200 })).toBe('1,200 seconds');
    expect(fillTemplate('{{n}} simple', { n: 3 })).toBe('3 simple');
    expect(fillTemplate('listed {{files}} in {{missing}} s', { files: '12,000 files' })).toBe('listed 12,000 files in {{missing}} s');
  });
});
