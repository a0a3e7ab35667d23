import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { DiagnosisJsonSchema, toDiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';
import { fakeEvidence, fakeHistory, fakeUpdate, T0 } from '../support/fake-evidence.js';
import { standInFix, standInRule } from './stand-in-rules.js';

const catalog = new Map([['add-workers', standInFix('add-workers', 'cpu', { change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' } })]]);

describe('diagnose', () => {
  it('runs rules, fills message templates, sorts findings by severity then strength', () => {
    const rules = [
      standInRule({ id: 'weak-warning', category: 'io', strength: 0.3 }),
      standInRule({ id: 'critical-one', category: 'cpu', severity: 'critical', strength: 0.8, fixes: [{ id: 'add-workers' }] }),
      standInRule({ id: 'strong-warning', category: 'io', strength: 0.85 }),
      standInRule({ id: 'silent', category: 'memory', fire: false }),
    ];
    const d = diagnose(fakeEvidence(), { rules, catalog });
    expect(d.findings.map((f) => f.rule)).toEqual(['critical-one', 'strong-warning', 'weak-warning']);
    // io: 0.6 × 0.85 + 0.05 corroboration = 0.56 < cpu: 1 × 0.8
    expect(d.findings[0]!.title).toBe('Workers averaged 93.3% CPU (limit 85)');
    expect(d.verdict.bottleneck).toBe('cpu');
    expect(d.recommendations.map((r) => r.id)).toEqual(['add-workers']);
  });

  it('applies per-rule options and the result severity override', () => {
    const d = diagnose(fakeEvidence(), {
      rules: [standInRule({ id: 'r', category: 'cpu', resultSeverity: 'critical' })],
      ruleOptions: { r: { limit: 70 } },
      catalog,
    });
    expect(d.findings[0]).toMatchObject({ severity: 'critical', title: 'Workers averaged 93.3% CPU (limit 70)' });
  });

  it('skips rules whose inputs are missing and records the gap', () => {
    const rules = [standInRule({ id: 'needs-nodes', category: 'cpu', requires: ['nodeMetrics'] }), standInRule({ id: 'needs-cr', category: 'scaling', requires: ['clusterResources'] })];
    const d = diagnose(fakeEvidence({ nodeMetrics: null, clusterResources: [] }), { rules, catalog });
    expect(d.findings).toEqual([]);
    expect(d.gaps).toEqual(['node_metrics', 'cluster_resources']);
    expect(d.notes.join('\n')).toMatch(/needs-nodes/);
    expect(d.notes.join('\n')).toMatch(/needs-cr/);
    expect(d.verdict.confidence).toBeLessThanOrEqual(0.6);
  });

  it('a rule that throws becomes a note, not a crash', () => {
    const d = diagnose(fakeEvidence(), { rules: [standInRule({ id: 'bad', category: 'cpu', throws: true })], catalog });
    expect(d.findings).toEqual([]);
    expect(d.notes).toContain('Rule bad could not run: boom');
  });

  it('disable skips a rule', () => {
    const d = diagnose(fakeEvidence(), { rules: [standInRule({ id: 'r', category: 'cpu' })], disable: ['r'], catalog });
    expect(d.findings).toEqual([]);
  });

  it('baseline: median of prior COMPLETED updates only', () => {
    const history = [
      { updateId: 'a', state: 'COMPLETED', startedAt: T0 - 3e6, durationS: 100, outputRows: 1, fullRefresh: false },
      { updateId: 'b', state: 'FAILED', startedAt: T0 - 2e6, durationS: 5000, outputRows: 1, fullRefresh: false },
      { updateId: 'c', state: 'COMPLETED', startedAt: T0 - 1e6, durationS: 300, outputRows: 1, fullRefresh: false },
    ];
    const d = diagnose(fakeEvidence({ history, update: fakeUpdate({ durationS: 400 }) }), { rules: [], catalog });
    expect(d.baseline).toEqual({ updates: 2, median_duration_s: 200, duration_ratio: 2 });
  });

  it('baseline is null without history; duration_ratio null while running', () => {
    expect(diagnose(fakeEvidence({ history: [] }), { rules: [], catalog }).baseline).toBeNull();
    const running = diagnose(fakeEvidence({ history: fakeHistory(3), update: fakeUpdate({ state: 'RUNNING', endedAt: null, durationS: null }) }), { rules: [], catalog });
    expect(running.baseline?.duration_ratio).toBeNull();
    expect(running.update.ended_at).toBeNull();
  });

  it('a continuous pipeline says so and has no duration baseline, however much history it has', () => {
    const d = diagnose(fakeEvidence({ spec: { continuous: true }, history: fakeHistory(10), update: fakeUpdate({ durationS: 201_300 }) }), { rules: [], catalog });
    expect(d.pipeline).toEqual({ id: expect.any(String), name: expect.any(String), continuous: true });
    expect(d.baseline).toBeNull();
    // the --json output carries it and its schema accepts it
    expect(DiagnosisJsonSchema.parse(toDiagnosisJson(d)).pipeline).toEqual(d.pipeline);
    expect(diagnose(fakeEvidence({ history: fakeHistory(10) }), { rules: [], catalog }).pipeline).not.toHaveProperty('continuous');
  });

  it('update: ISO timestamps and known phases only', () => {
    const d = diagnose(fakeEvidence(), { rules: [], catalog });
    expect(d.update.started_at).toBe('2026-11-20T06:00:00.000Z');
    expect(d.update.ended_at).toBe('2026-11-20T06:15:00.000Z');
    expect(d.update.phases_s).toEqual({ queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: 780 });
    expect(d.verdict.bottleneck).toBe('none');
  });

  it('keeps evidence notes first', () => {
    const d = diagnose(fakeEvidence({ notes: ['skipped 3 malformed lines of events.jsonl (first: 4, 9, 12)'] }), { rules: [], catalog });
    expect(d.notes[0]).toMatch(/skipped 3 malformed/);
  });

  it('runs the real catalog on healthy evidence without a critical finding', () => {
    const d = diagnose(fakeEvidence());
    expect(d.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(d.verdict.bottleneck).toBe('none');
  });
});
