import { describe, expect, it } from 'vitest';
import { chartPng, chartSvg } from '../../../src/surfaces/slack/chart.js';
import { fakeDiagnosis, fakeDiagnosisReply } from '../../support/fake-diagnosis.js';

describe('diagnosis chart', () => {
  it('draws the phases and the last 20 durations against the baseline median', () => {
    const svg = chartSvg(fakeDiagnosisReply());
    expect(svg).toContain('orders_silver · update upd-42');
    expect(svg).toContain('waiting for resources 4m');
    expect(svg).toContain('Last 20 updates vs baseline median 15m');
    expect(svg).toContain('stroke-dasharray'); // the median line
    expect(svg.match(/<rect[^>]*fill="#c62828"/g)).toHaveLength(1); // this update, highlighted once
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
