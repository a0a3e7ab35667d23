/** Every Adaptive Card the Teams surface sends validates against the Adaptive Card 1.5 schema (test/fixtures). */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/types.js';
import { COMMANDS } from '../../../commands/index.js';
import { alertCard, allFixesCard, cardBytes, TEAMS_CARD_BUDGET, toAdaptiveCard } from '../../../templates/cards/index.js';
import { fakeDiagnosis, fakeDiagnosisReply, fakeFinding, fakeRecommendation, largestDiagnosis } from '../../support/fake-diagnosis.js';
import { fakeDigest } from './fake-digest.js';
import { sizeReplies } from '../../support/fake-size.js';
import { cardErrors, cardText, markdownFields } from './helpers.js';

const d = fakeDiagnosis();
const replies: Record<string, Reply> = {
  diagnosis: fakeDiagnosisReply(),
  'diagnosis (healthy, no link)': fakeDiagnosisReply({ verdict: { bottleneck: 'none', confidence: 1, summary: 'Healthy.' }, findings: [], recommendations: [], baseline: null, gaps: ['node metrics'] }, null),
  'diagnosis (largest)': { kind: 'diagnosis', diagnosis: largestDiagnosis(), pipelineUrl: 'https://example.cloud.databricks.com/pipelines/x', durations: [] },
  pipelines: {
    kind: 'pipelines',
    filter: 'orders',
    pipelines: [
      { id: 'pl-1', name: 'orders_silver', state: 'IDLE', health: 'HEALTHY', lastUpdate: { id: 'u1', state: 'COMPLETED', durationS: 1830, startedAt: 0 }, baselineMedianS: 900 },
      { id: 'pl-2', name: 'orders_gold', state: 'FAILED', health: 'UNHEALTHY', lastUpdate: { id: 'u2', state: 'FAILED', durationS: null, startedAt: 0 }, baselineMedianS: null },
      { id: 'pl-3', name: 'orders_new', state: 'IDLE', health: null, lastUpdate: null, baselineMedianS: null },
    ] as never,
  },
  'pipelines (empty)': { kind: 'pipelines', filter: null, pipelines: [] },
  compare: {
    kind: 'compare',
    pipeline: { id: d.pipeline.id, name: d.pipeline.name },
    a: fakeDiagnosis({ update: { ...d.update, id: 'upd-41', duration_s: 900 }, findings: [] }),
    b: d,
    flows: [{ name: 'orders_silver', a: { rows: 9e6, durationS: 800, rowsPerS: 11250 }, b: { rows: 9.2e6, durationS: 1500, rowsPerS: 6133 } }],
    settings: [{ key: 'autoscale.max_workers', a: '16', b: '8' }],
  },
  size: { kind: 'size', input: { gb: 500, complexity: 1.5, pipeline: 'orders_silver' }, size: { min_workers: 4, max_workers: 24, recommended_workers: 12, memory_per_worker_gb: 64, instance_recommendation: 'i3.2xlarge' } as never, partitions: 2000, current: { minWorkers: 2, maxWorkers: 8, cpuAvg: 91.4 } },
  help: { kind: 'help', commands: COMMANDS.map((c) => c.meta), command: null },
  'help (one command)': { kind: 'help', commands: COMMANDS.map((c) => c.meta), command: COMMANDS[0]!.meta },
  error: { kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline "orders_silvr".', hint: null, suggestions: ['orders_silver'], usage: 'why-slow <pipeline> [--update ID]\nexample: why-slow orders_silver' },
  rules: { kind: 'rules', rules: [{ id: 'cpu-saturation', category: 'cpu', severity: 'critical', description: 'Workers above 85% CPU', guideSection: '2.2', requires: ['nodeMetrics'], defaults: {} }] },
  text: { kind: 'text', text: 'Plain *text* with [brackets] and `ticks`' },
  digest: { kind: 'digest', digest: fakeDigest(), note: 'Scheduled digest for #data-eng', subscription: { id: 3, schedule: '0 9 * * 1', tz: 'Europe/Berlin' } },
  'apply-preview': { kind: 'apply-preview', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, updateId: 'upd-42', recommendation: { id: 'raise-max-workers', title: 'Raise max workers to 16', guideSection: '3.3' }, diff: [{ key: 'clusters[0].autoscale.max_workers', before: '8', after: '16' }], lastModified: 1764000000000 },
  cost: { kind: 'cost', digest: fakeDigest(), pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, days: 7 },
  ...sizeReplies(),
};

describe('Adaptive Cards validate against the 1.5 schema', () => {
  it.each(Object.entries(replies))('%s', (_name, reply) => {
    const card = toAdaptiveCard(reply);
    expect(cardErrors(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(card.fallbackText?.length).toBeGreaterThan(0);
    // Teams rejects messages over ~28 KB
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET);
    // only the Markdown Teams renders: a backslash escape or a `code span` would show as typed
    expect(markdownFields(card).filter((t) => /\\[\\*_[\]`~]|`/.test(t))).toEqual([]);
  });

  it('the largest diagnosis posts a compact card (the first finding, the others by title, one fix); its details card says what it left out', () => {
    const big = largestDiagnosis();
    const card = toAdaptiveCard({ kind: 'diagnosis', diagnosis: big, pipelineUrl: 'https://example.cloud.databricks.com/pipelines/x', durations: [] });
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET);
    const text = cardText(card);
    expect(text).toMatch(new RegExp(`The fix to do first\\W*\\(of ${big.recommendations.length}\\)`));
    expect(text).toContain('1. Fix 0');
    expect(text).not.toContain('2. Fix 1');
    expect(text).toMatch(/Also found: .* · and \d+ more \(Details shows them\)/);
    expect(card.actions?.map((a) => a.title)).toEqual(['Details and all fixes', 'Compare with baseline', 'Re-diagnose', 'Open in Databricks']);
    const details = allFixesCard(big);
    expect(cardErrors(details)).toEqual([]);
    expect(cardBytes(details)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET);
    expect(cardText(details)).toMatch(/…and \d+ more findings/);
  });

  it('the compact card shows one fix and one finding in full; the details card every finding and every fix (issue 17 item 10)', () => {
    const reply = fakeDiagnosisReply({
      findings: [
        fakeFinding(),
        fakeFinding({ rule: 'spill', category: 'memory', severity: 'warning', title: 'Tasks spill to disk', evidence: [{ metric: 'spilled bytes', value: 5e10, unit: 'bytes', threshold: 0, source: 'event_log' }] }),
        fakeFinding({ rule: 'small-files', category: 'io', severity: 'info', title: 'Many small files', evidence: [{ metric: 'files per GiB', value: 900, unit: 'count', threshold: 100, source: 'event_log' }] }),
      ],
      recommendations: [fakeRecommendation(), fakeRecommendation({ id: 'memory-optimized', title: 'Use memory-optimized workers', change: null }), fakeRecommendation({ id: 'optimize', title: 'Run OPTIMIZE', change: null })],
    });
    const dd = reply.diagnosis;
    const text = cardText(toAdaptiveCard(reply));
    expect(text).toContain(dd.findings[0]!.title);
    expect(text).toContain('93%');
    // the other findings by title only, without their figures
    expect(text).toContain('Also found: Tasks spill to disk · Many small files');
    expect(text).not.toContain('spilled bytes');
    expect(text).not.toContain('files per GiB');
    expect(text).toContain(`1. ${dd.recommendations[0]!.title}`);
    expect(text).not.toContain(`2. ${dd.recommendations[1]!.title}`);
    const details = cardText(allFixesCard(dd));
    expect(details).toContain(`All 3 findings for ${dd.pipeline.name}`);
    expect(details).toContain('spilled bytes');
    expect(details).toContain('files per GiB');
    dd.recommendations.forEach((r, i) => expect(details).toContain(`${i + 1}. ${r.title}`));
    // one finding, one fix: nothing more to show, so no Details button
    const single = toAdaptiveCard(fakeDiagnosisReply({ findings: dd.findings.slice(0, 1), recommendations: dd.recommendations.slice(0, 1) }));
    expect(single.actions?.map((a) => a.title)).toEqual(['Compare with baseline', 'Re-diagnose', 'Open in Databricks']);
    expect(cardText(single)).toContain('The fix');
  });

  it('covers every Reply kind the command layer has', () => {
    // a new Reply kind must come with a card (and a row above)
    const kinds = new Set(Object.values(replies).map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['apply-preview', 'compare', 'cost', 'diagnosis', 'digest', 'error', 'help', 'pipelines', 'rules', 'size', 'text']);
  });

  it('"Show all fixes" and the alert card validate too', () => {
    expect(cardErrors(allFixesCard(d))).toEqual([]);
    expect(cardErrors(allFixesCard(fakeDiagnosis({ recommendations: [] })))).toEqual([]);
    const alert = alertCard({ kind: 'regression', pipeline: d.pipeline, updateId: d.update.id, summary: 'Took 2.03× its median.', diagnosis: fakeDiagnosisReply() });
    expect(cardErrors(alert)).toEqual([]);
    expect(cardText(alert)).toContain('slower than its baseline');
    expect(cardErrors(alertCard({ kind: 'failed', pipeline: d.pipeline, updateId: 'u', summary: 'Failed: OOM' }))).toEqual([]);
  });

  it('an open alert card carries "Mute 1 day" (dlt_mute, 1d) and still validates; a closed one does not', () => {
    const d = fakeDiagnosisReply().diagnosis;
    type Submit = { type: string; title?: string; data?: { action: string; pipeline_id?: string; duration?: string } };
    for (const diagnosis of [fakeDiagnosisReply(), null]) {
      const open = alertCard({ kind: 'backlog', pipeline: d.pipeline, updateId: d.update.id, summary: 'Behind by 40m.', diagnosis, pipelineUrl: 'https://adb-1.azuredatabricks.net/pipelines/p' });
      expect(cardErrors(open)).toEqual([]);
      const mute = (open.actions as Submit[]).find((a) => a.data?.action === 'dlt_mute');
      expect(mute).toEqual({ type: 'Action.Submit', title: 'Mute 1 day', data: { action: 'dlt_mute', pipeline_id: d.pipeline.id, duration: '1d' } });
    }
    const muted = alertCard({ kind: 'backlog', pipeline: d.pipeline, updateId: d.update.id, summary: 'Behind by 40m.', state: 'muted', stateNote: 'until tomorrow' });
    expect(cardErrors(muted)).toEqual([]);
    expect((muted.actions as Submit[] | undefined)?.some((a) => a.data?.action === 'dlt_mute') ?? false).toBe(false);
  });

  it('the diagnosis buttons carry the Slack action ids and the update; "Open in Databricks" is a link', () => {
    const card = toAdaptiveCard(fakeDiagnosisReply());
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Details and all fixes', style: 'positive', data: { action: 'dlt_show_fixes', pipeline_id: 'pl-orders-silver', update_id: 'upd-42' } },
      { type: 'Action.Submit', title: 'Compare with baseline', data: { action: 'dlt_compare', pipeline_id: 'pl-orders-silver', update_id: 'upd-42' } },
      { type: 'Action.Submit', title: 'Re-diagnose', data: { action: 'dlt_rediagnose', pipeline_id: 'pl-orders-silver', update_id: 'upd-42' } },
      { type: 'Action.OpenUrl', title: 'Open in Databricks', url: 'https://example.cloud.databricks.com/pipelines/pl-orders-silver/updates/upd-42' },
    ]);
    expect(cardText(card)).toContain('cluster: autoscale.max_workers = 16');
    expect(cardText(card)).toContain('93%');
    // an Apply button beside the appliable fix, carrying the recommendation
    const applies = JSON.stringify(card.body).match(/"action":"dlt_apply","pipeline_id":"pl-orders-silver","update_id":"upd-42","recommendation_id":"[a-z-]+"/g) ?? [];
    expect(applies.length).toBeGreaterThan(0);
  });

  it('the apply preview shows the exact diff and a Confirm button with the expected last_modified', () => {
    const card = toAdaptiveCard(replies['apply-preview']!);
    expect(cardText(card)).toContain('8 → 16');
    expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'Confirm', style: 'positive', data: { action: 'dlt_apply_confirm', pipeline_id: 'pl-orders-silver', update_id: 'upd-42', recommendation_id: 'raise-max-workers', last_modified: 1764000000000 } }]);
  });

  it('the schema catches what Teams would reject or ignore: a misspelt property, an unknown element, a missing version', () => {
    const good = toAdaptiveCard(fakeDiagnosisReply());
    expect(cardErrors({ ...good, body: [{ type: 'TextBlock', text: 'x', wrapp: true }] })).not.toEqual([]);
    expect(cardErrors({ ...good, body: [{ type: 'Table', rows: [] }] })).not.toEqual([]);
    expect(cardErrors({ ...good, version: undefined })).not.toEqual([]);
    expect(cardErrors({ ...good, version: '1.6' })).not.toEqual([]);
    expect(cardErrors({ ...good, actions: [{ type: 'Action.OpenUrl', title: 'no url' }] })).not.toEqual([]);
  });
});
