/**
 * `rules` shows each rule's thresholds in words (issue 17 item 8), read from the rules' own
 * defaults by their naming convention, on the terminal, in Block Kit and in the Teams card.
 */
import { describe, expect, it } from 'vitest';
import { ruleSummaries } from '../../commands/rules.js';
import { thresholdLines, thresholdText } from '../../templates/rule-thresholds.js';
import { toText } from '../../templates/rules.js';
import { renderRules } from '../../templates/blocks/rules.js';
import { cardBytes, TEAMS_CARD_BUDGET, toAdaptiveCard } from '../../templates/cards/index.js';
import { SLACK_LIMITS } from '../../templates/blocks/limits.js';

describe('a threshold in words', () => {
  it('reads the prefix as the comparison and the suffix as the unit', () => {
    expect(thresholdText('minPinnedShare', 0.5)).toBe('pinned share ≥ 50%');
    expect(thresholdText('maxCpuPercent', 50)).toBe('CPU ≤ 50%');
    expect(thresholdText('criticalMeanCpu', 90)).toBe('critical at mean CPU 90%');
    expect(thresholdText('minInitS', 300)).toBe('init ≥ 5m');
    expect(thresholdText('minListingMs', 60_000)).toBe('listing ≥ 1m');
    expect(thresholdText('minSpanMinutes', 15)).toBe('span ≥ 15m');
    expect(thresholdText('minExecutorMinutes', 10)).toBe('executor time ≥ 10 executor-minutes');
    expect(thresholdText('maxAvgFileBytes', 1_048_576)).toBe('avg file ≤ 1.0 MiB');
    expect(thresholdText('minNetBytesPerWorkerMinute', 1_073_741_824)).toBe('network ≥ 1.0 GiB per worker-minute');
    expect(thresholdText('minRatio', 1.5)).toBe('ratio ≥ 1.50×');
    expect(thresholdText('minFiles', 10_000)).toBe('files ≥ 10,000');
    expect(thresholdText('joinOperators', ['SortMergeJoin', 'ShuffledHashJoin'])).toBe('join operators: SortMergeJoin, ShuffledHashJoin');
    // a word that merely starts like a prefix is not one
    expect(thresholdText('minimalThing', 2)).toBe('minimal thing 2');
    expect(thresholdText('maxFlows', 30)).toBe('flows ≤ 30');
  });

  it('every default of every rule is worded, none left as a raw key or a 0–1 share', () => {
    for (const r of ruleSummaries()) {
      const lines = thresholdLines(r.defaults);
      expect(lines).toHaveLength(Object.keys(r.defaults).length);
      for (const l of lines) {
        // no camelCase key left (list values such as SortMergeJoin are Spark's own names)
        expect(l.split(':')[0], `${r.id}: ${l}`).not.toMatch(/[a-z][A-Z][a-z]/);
        // a share is a percentage, never "0.2"
        if (/share|utilization/.test(l)) expect(l, `${r.id}: ${l}`).toMatch(/%/);
      }
    }
  });
});

describe('`rules` renders the thresholds on every surface', () => {
  const reply = { kind: 'rules' as const, rules: ruleSummaries() };
  it('terminal, Block Kit and the Teams card name the CPU rule’s thresholds; all fit their platform limits', () => {
    const text = toText({ kind: 'rules', rules: ruleSummaries('cpu-saturation') }, { width: 200, color: false });
    expect(text).toContain('thresholds: mean CPU ≥ 85% · hot CPU 85% · hot share ≥ 60%');
    const blocks = renderRules(reply);
    expect(JSON.stringify(blocks)).toContain('mean CPU ≥ 85%');
    expect(blocks.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    for (const b of blocks.blocks) if (b.type === 'section') expect(((b as { text?: { text: string } }).text?.text ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const card = toAdaptiveCard(reply);
    expect(JSON.stringify(card)).toContain('Thresholds: mean CPU ≥ 85%');
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET);
    // a rule without thresholds gets no empty line
    expect(toText({ kind: 'rules', rules: ruleSummaries('driver-failure') })).not.toContain('thresholds:');
  });
});
