import { describe, expect, it } from 'vitest';
import { diagnosisChartPng as chartPng, diagnosisChartSvg as chartSvg, durationClass } from '../../src/charts/diagnosis.js';
import { fakeDiagnosis, fakeDiagnosisReply } from '../support/fake-diagnosis.js';

describe('diagnosis chart', () => {
  it('draws the phases and the last 20 durations against the baseline median', () => {
    const svg = chartSvg(fakeDiagnosisReply());
    expect(svg).toContain('orders_silver · update upd-42');
    expect(svg).toContain('waiting for resources 4m');
    expect(svg).toContain('Last 20 updates vs baseline median 15m');
    expect(svg).toContain('stroke-dasharray'); // the median line
    // this update (30m, 2× the median) is the one outlined bar, in the darker red
    expect(svg.match(/<rect[^>]*stroke-width="2"/g)).toHaveLength(1);
    expect(svg).toMatch(/<rect[^>]*fill="#c62828" stroke="#212121" stroke-width="2"><title>slower<\/title>/);
  });

  it('colours each bar by the median: an update faster than it is green, never red, even when it is this update (issue 17 item 10)', () => {
    const base = fakeDiagnosisReply();
    const median = base.diagnosis.baseline!.median_duration_s;
    expect(durationClass(median * 0.6, median)).toBe('faster');
    expect(durationClass(median * 0.89, median)).toBe('faster');
    // run-to-run noise either side of the median is neither
    expect(durationClass(median, median)).toBe('near');
    expect(durationClass(median * 0.95, median)).toBe('near');
    expect(durationClass(median * 1.08, median)).toBe('near');
    expect(durationClass(median * 1.11, median)).toBe('slower');
    expect(durationClass(median * 3, null)).toBe('plain');
    // this update took 60% of the median: the outlined bar is dark green
    const durations = base.durations.map((r) => (r.updateId === base.diagnosis.update.id ? { ...r, durationS: median * 0.6 } : r));
    const svg = chartSvg({ ...base, durations });
    expect(svg).toMatch(/<rect[^>]*fill="#2e7d32" stroke="#212121" stroke-width="2"><title>faster<\/title>/);
    expect(svg).not.toMatch(/fill="#c62828"/);
    // each bar's class follows its own duration; the steady history (±8% of the median) is all grey
    const bars = [...svg.matchAll(/<rect[^>]*fill="(#[0-9a-f]+)"[^>]*><title>(\w+)<\/title>/g)].map((m) => m[2]);
    expect(bars).toEqual(durations.map((r) => durationClass(r.durationS, median)));
    expect(bars.slice(0, -1).every((b) => b === 'near')).toBe(true);
    expect(svg).toContain('red = over 10% slower than the median, green = over 10% faster');
  });

  it('renders a PNG with text drawn from the bundled font (no system fonts needed)', () => {
    const png = chartPng(fakeDiagnosisReply());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(800); // IHDR width
    expect(png.readUInt32BE(20)).toBe(420);
    // the same chart without any text is smaller: glyphs were rasterized
    const noText = chartPng({ ...fakeDiagnosisReply(), durations: [], diagnosis: fakeDiagnosis({ pipeline: { id: 'p', name: '' }, update: { ...fakeDiagnosis().update, id: '', phases_s: {} }, baseline: null }) });
    expect(png.length).toBeGreaterThan(noText.length);
  });

  it('copes with no history and no phases', () => {
    const svg = chartSvg({ ...fakeDiagnosisReply(), durations: [], diagnosis: fakeDiagnosis({ baseline: null, update: { ...fakeDiagnosis().update, phases_s: {} } }) });
    expect(svg).toContain('no update history');
    expect(svg).toContain('no phase timings');
  });
});
