import { describe, expect, it } from 'vitest';
import { plural } from '../../src/util/plural.js';
import { allFixesCard } from '../../templates/cards/diagnosis.js';
import { renderAllFixes } from '../../templates/blocks/diagnosis.js';
import { fakeDiagnosis, fakeRecommendation } from '../support/fake-diagnosis.js';

describe('plural (issue 17 item 9)', () => {
  it('says one thing in the singular and any other count in the plural', () => {
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(7, 'day')).toBe('7 days');
    expect(plural(0, 'fix', 'fixes')).toBe('0 fixes');
    expect(plural(1, 'cluster library', 'cluster libraries')).toBe('1 cluster library');
    expect(plural(12500, 'row')).toBe('12,500 rows');
  });
});

describe('"Show all fixes" headings count right (issue 17 item 9)', () => {
  const one = fakeDiagnosis({ recommendations: [fakeRecommendation()] });
  const two = fakeDiagnosis({ recommendations: [fakeRecommendation(), fakeRecommendation({ id: 'enable-photon', title: 'Enable Photon' })] });
  it('Slack', () => {
    expect(JSON.stringify(renderAllFixes(one).blocks)).toContain('*The one fix for orders_silver*');
    expect(JSON.stringify(renderAllFixes(one).blocks)).not.toContain('All 1 fixes');
    expect(JSON.stringify(renderAllFixes(two).blocks)).toContain('*All 2 fixes for orders_silver*');
  });
  it('Teams', () => {
    expect(JSON.stringify(allFixesCard(one))).toContain('The one fix for orders_silver');
    expect(JSON.stringify(allFixesCard(two))).toContain('All 2 fixes for orders_silver');
  });
});
