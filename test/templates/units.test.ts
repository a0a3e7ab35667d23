/** One wording for units on every surface (issue 17 item 9): templates/format.ts evidenceValue / evidenceText. */
import { describe, expect, it } from 'vitest';
import { evidenceText, evidenceValue, formatDuration, formatRatio } from '../../templates/format.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { replyToText } from '../../templates/text.js';
import { fakeDiagnosisReply } from '../support/fake-diagnosis.js';

describe('evidence values', () => {
  it('durations in h m s, never raw seconds beside minutes', () => {
    expect(evidenceValue(887, 's')).toBe('14m 47s');
    expect(evidenceValue(900, 's')).toBe('15m');
    expect(evidenceValue(390, 'min')).toBe('6h 30m');
    expect(formatDuration(3600)).toBe('1h');
  });
  it('bytes in IEC units, ratios with two decimals, counts with separators', () => {
    expect(evidenceValue(3 * 1024 ** 3, 'bytes')).toBe('3.0 GiB');
    expect(evidenceValue(512 * 1024 ** 2, 'bytes/min')).toBe('512 MiB/min');
    expect(evidenceValue(0.917, '×')).toBe('0.92×');
    expect(formatRatio(2.134)).toBe('2.13×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(evidenceValue(1234567, 'rows/s')).toBe('1,234,567 rows/s');
  });
  it('a setting is a comparison ("photon is off"), not "photon: false (threshold true)"', () => {
    expect(evidenceText({ metric: 'photon', value: 'false', unit: '', threshold: 'true' })).toEqual({ metric: 'photon', text: 'is off' });
    expect(evidenceText({ metric: 'auto optimize', value: 'true', unit: '', threshold: null })).toEqual({ metric: 'auto optimize', text: 'is on' });
    expect(evidenceText({ metric: 'workers mean CPU', value: 93, unit: '%', threshold: 85 }).text).toBe('93% (threshold 85%)');
  });
});

describe('the same on every surface', () => {
  it('a boolean setting reads "is off" in text, Block Kit and cards', () => {
    const reply = fakeDiagnosisReply({
      findings: [{ rule: 'photon-disabled', category: 'cpu', severity: 'warning', title: 'Photon is off', evidence: [{ metric: 'photon', value: 'false', unit: '', threshold: 'true', source: 'pipeline spec' }], guide_section: '4.4' } as never],
    });
    const text = replyToText(reply, { width: 100, color: false });
    expect(text).toContain('photon is off');
    expect(JSON.stringify(toBlocks(reply))).toContain('*photon* is off');
    expect(JSON.stringify(toAdaptiveCard(reply))).toContain('is off');
    for (const out of [text, JSON.stringify(toBlocks(reply)), JSON.stringify(toAdaptiveCard(reply))]) expect(out).not.toContain('threshold true');
  });
});
