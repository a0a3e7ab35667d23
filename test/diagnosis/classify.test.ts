import { describe, expect, it } from 'vitest';
import { classify, scoreCategories } from '../../src/diagnosis/classify.js';
import { fakeEvidence, fakeHistory, fakeUpdate } from '../support/fake-evidence.js';
import { finding } from './stand-in-rules.js';

describe('classify', () => {
  it('picks the category with the highest severity × strength', () => {
    const v = classify(
      [
        finding({ category: 'io', severity: 'warning', strength: 0.9 }), // 0.54
        finding({ category: 'cpu', severity: 'critical', strength: 0.7, title: 'Workers averaged 93% CPU for the whole run' }), // 0.7
      ],
      fakeEvidence(),
    );
    expect(v.bottleneck).toBe('cpu');
    expect(v.summary).toMatch(/^CPU-bound: workers averaged 93% CPU/);
  });

  it('ignores category none (context findings) when choosing', () => {
    const v = classify(
      [finding({ category: 'none', rule: 'duration-regression', severity: 'critical', strength: 1 }), finding({ category: 'startup', strength: 0.5 })],
      fakeEvidence({ history: [] }),
    );
    expect(v.bottleneck).toBe('startup');
  });

  it('is none near the baseline when the signal is weak and nothing is critical, naming what it noted', () => {
    const warn = [finding({ category: 'cpu', severity: 'warning', strength: 0.6, title: 'Workers ran at a median 87% CPU' })];
    // a strong, sustained signal at the usual duration is a chronic bottleneck: still named
    expect(classify([finding({ category: 'cpu', severity: 'warning', strength: 0.9 })], fakeEvidence()).bottleneck).toBe('cpu');
    const usual = classify(warn, fakeEvidence()); // 900 s against a ~880 s median
    expect(usual.bottleneck).toBe('none');
    expect(usual.summary).toMatch(/^Healthy: .*no bottleneck limits it \(noted: workers ran at a median 87% CPU\)/);
    // slower than usual, a critical finding, or a failure: the warning names the verdict again
    expect(classify(warn, fakeEvidence({ update: fakeUpdate({ durationS: 1500 }) })).bottleneck).toBe('cpu');
    expect(classify([{ ...warn[0]!, severity: 'critical' }], fakeEvidence()).bottleneck).toBe('cpu');
    expect(classify(warn, fakeEvidence({ update: fakeUpdate({ state: 'FAILED' }) })).bottleneck).toBe('cpu');
    // too few earlier updates to know what usual is
    expect(classify(warn, fakeEvidence({ history: fakeHistory(3) })).bottleneck).toBe('cpu');
  });

  it('compares a full refresh only with earlier full refreshes', () => {
    const warn = [finding({ category: 'cpu', severity: 'warning', strength: 0.6 })];
    const fullRefreshes = fakeHistory(6, 2600).map((h) => ({ ...h, fullRefresh: true }));
    const e = fakeEvidence({ update: fakeUpdate({ fullRefresh: true, durationS: 2700 }), history: [...fakeHistory(10), ...fullRefreshes] });
    const v = classify(warn, e);
    expect(v.bottleneck).toBe('none');
    expect(v.summary).toContain('full refresh');
  });

  it('a failure that is not performance is none, whatever else was seen', () => {
    const v = classify(
      [
        finding({ category: 'none', rule: 'update-failed', severity: 'critical', strength: 1, title: 'The update failed on a permission error in flow orders: PERMISSION_DENIED', rulesOut: ['compute'] }),
        finding({ category: 'cpu', severity: 'critical', strength: 1 }),
      ],
      fakeEvidence({ update: fakeUpdate({ state: 'FAILED' }) }),
    );
    expect(v.bottleneck).toBe('none');
    expect(v.summary).toMatch(/^Failed after .*: the update failed on a permission error in flow orders: PERMISSION_DENIED — fix the error and rerun; no compute or Spark change helps\.$/);
  });

  it('says "probably" and names the runner-up when it is close', () => {
    const v = classify(
      [finding({ category: 'memory', severity: 'critical', strength: 0.9, title: 'Executors ran out of memory' }), finding({ category: 'cpu', severity: 'critical', strength: 0.8 })],
      fakeEvidence({ history: [] }),
    );
    expect(v.bottleneck).toBe('memory');
    expect(v.summary).toMatch(/^Probably memory-bound; CPU-bound is close behind: executors ran out of memory/);
    const clear = classify([finding({ category: 'memory', severity: 'critical', strength: 0.9 }), finding({ category: 'cpu', severity: 'warning', strength: 0.6 })], fakeEvidence({ history: [] }));
    expect(clear.summary).toMatch(/^Memory-bound: /);
  });

  it('gives none when only info findings exist', () => {
    const v = classify([finding({ category: 'scaling', severity: 'info', strength: 1 })], fakeEvidence());
    expect(v.bottleneck).toBe('none');
  });

  it('corroborating findings add a small bonus, enough to break a near tie', () => {
    const scores = scoreCategories([
      finding({ category: 'io', strength: 0.8, rule: 'a' }),
      finding({ category: 'io', strength: 0.3, rule: 'b' }),
      finding({ category: 'network', strength: 0.82, rule: 'c' }),
    ]);
    expect(scores[0]!.category).toBe('io');
    expect(scores[0]!.score).toBeCloseTo(0.6 * 0.8 + 0.05, 5);
    expect(scores[1]!.score).toBeCloseTo(0.6 * 0.82, 5);
  });

  it('the bonus is capped', () => {
    const many = Array.from({ length: 10 }, (_, i) => finding({ category: 'io', strength: 0.5, rule: `r${i}` }));
    expect(scoreCategories(many)[0]!.score).toBeCloseTo(0.3 + 0.15, 5);
  });

  it('caps confidence at 0.6 without node metrics and says so on serverless', () => {
    const f = [finding({ category: 'cpu', severity: 'critical', strength: 1 })];
    const full = classify(f, fakeEvidence());
    const serverless = classify(f, fakeEvidence({ nodeMetrics: null, gaps: ['node_metrics'], spec: { serverless: true, clusters: [] } }));
    expect(full.confidence).toBe(1);
    expect(serverless.confidence).toBe(0.6);
    expect(serverless.summary).toContain('no node metrics on serverless');
  });

  it('node metrics do not cap a category that does not need them', () => {
    const v = classify([finding({ category: 'startup', severity: 'critical', strength: 1 })], fakeEvidence({ nodeMetrics: null, gaps: ['node_metrics'] }));
    expect(v.confidence).toBe(1);
  });

  it('caps scaling without cluster_resources and everything at 0.4 without event details', () => {
    const scaling = [finding({ category: 'scaling', severity: 'critical', strength: 1 })];
    expect(classify(scaling, fakeEvidence({ clusterResources: [], gaps: ['cluster_resources'] })).confidence).toBe(0.6);
    expect(classify(scaling, fakeEvidence({ gaps: ['event_details'] })).confidence).toBe(0.4);
  });

  it('lowers confidence when a second category is close', () => {
    const alone = classify([finding({ category: 'cpu', severity: 'critical', strength: 0.9 })], fakeEvidence());
    const contested = classify(
      [finding({ category: 'cpu', severity: 'critical', strength: 0.9 }), finding({ category: 'memory', severity: 'critical', strength: 0.85 })],
      fakeEvidence(),
    );
    expect(contested.bottleneck).toBe('cpu');
    expect(contested.confidence).toBeLessThan(alone.confidence);
  });

  it('mentions Photon off, the regression and the actions', () => {
    const e = fakeEvidence({
      spec: { photon: false },
      update: fakeUpdate({ durationS: 2280, outputRows: 11_800_000 }),
      history: fakeHistory(10, 1080, 11_800_000),
    });
    const v = classify(
      [finding({ category: 'cpu', severity: 'critical', strength: 0.9, title: 'Workers averaged 93% CPU for the whole 38-minute run', fixes: [{ id: 'enable-photon' }, { id: 'raise-max-workers' }] })],
      e,
    );
    expect(v.summary).toMatch(/^CPU-bound: workers averaged 93% CPU for the whole 38-minute run with Photon off; 2\.\d+× slower than its 10-update median, with the same row count — enable Photon and add workers\.$/);
  });

  it('says healthy with the baseline when nothing is found', () => {
    const v = classify([], fakeEvidence());
    expect(v).toEqual({ bottleneck: 'none', confidence: 0.9, summary: 'Healthy: 15m, in line with its 10-update median; no bottleneck found.' });
  });

  it('healthy without history says there is nothing to compare with', () => {
    expect(classify([], fakeEvidence({ history: [] })).summary).toContain('no earlier updates');
  });

  it('a slower update with no bottleneck is not called healthy', () => {
    const v = classify([], fakeEvidence({ update: fakeUpdate({ durationS: 1800 }), history: fakeHistory(10, 900, 6_000_000) }));
    expect(v.bottleneck).toBe('none');
    expect(v.summary).not.toMatch(/^Healthy/);
    expect(v.summary).toMatch(/2\.\d+× slower than its 10-update median, with 2\.00× the rows/);
    expect(v.confidence).toBeLessThanOrEqual(0.5);
  });

  it('a failed update says so', () => {
    const v = classify(
      [finding({ category: 'none', rule: 'update-failed', severity: 'critical', title: 'The update failed: OutOfMemoryError in flow orders' })],
      fakeEvidence({ update: fakeUpdate({ state: 'FAILED', durationS: 300 }) }),
    );
    expect(v.summary).toMatch(/^Failed after 5m: the update failed: OutOfMemoryError/);
  });
});

describe('continuous pipelines', () => {
  it('have no duration baseline: an update that ran for days is not 0.02× or 50× anything', async () => {
    const { computeBaseline } = await import('../../src/diagnosis/baseline.js');
    const e = fakeEvidence({ spec: { continuous: true }, update: fakeUpdate({ durationS: 200_000 }) });
    expect(computeBaseline(e)).toBeNull();
    expect(computeBaseline(fakeEvidence({ update: fakeUpdate({ durationS: 200_000 }) }))).not.toBeNull();
    expect(classify([], e).summary).not.toMatch(/median/);
  });

  it('a continuous update with too little stream progress says so instead of comparing its length', () => {
    const e = fakeEvidence({ spec: { continuous: true }, update: fakeUpdate({ durationS: 201_300 }), history: fakeHistory(10, 880) });
    const v = classify([], e);
    expect(v.summary).toBe('Healthy: continuous update, ran 55h 55m (too little stream progress to judge a recent window); no bottleneck found.');
    expect(v.summary).not.toMatch(/×|median/);
  });

  it('a stream-slowdown finding on a continuous pipeline is the verdict’s context, with its window', () => {
    const slow = finding({
      category: 'none',
      rule: 'stream-slowdown',
      severity: 'warning',
      title: 'bronze slowed down: 931 rows/s over the last 60 min against 1,997 rows/s in the 360 min before (0.47×) while its backlog grew.',
    });
    const e = fakeEvidence({ spec: { continuous: true }, update: fakeUpdate({ state: 'RUNNING', endedAt: null, durationS: null }) });
    const v = classify([slow], e);
    expect(v.bottleneck).toBe('none');
    expect(v.summary).toBe(
      'No single bottleneck found, but bronze slowed down: 931 rows/s over the last 60 min against 1,997 rows/s in the 360 min before (0.47×) while its backlog grew — compare the recent window with the hours before it.',
    );
    // on a triggered pipeline the same finding is not the context (it cannot fire there)
    expect(classify([slow], fakeEvidence({ update: fakeUpdate({ state: 'RUNNING', endedAt: null, durationS: null }) })).summary).not.toMatch(/slowed down/);
  });
});

describe('headlines', () => {
  it('idle capacity is headlined over-provisioned, not a scaling limit', () => {
    const v = classify([finding({ category: 'scaling', rule: 'over-provisioned', severity: 'warning', strength: 0.9, title: 'Workers averaged 20% CPU', fixes: [{ id: 'reduce-max-workers' }] })], fakeEvidence({ history: [] }));
    expect(v.bottleneck).toBe('scaling');
    expect(v.summary).toMatch(/^Over-provisioned: workers averaged 20% CPU — right-size the cluster\.$/);
  });
});
