import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { DiagnosisJsonSchema, toDiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';
import { fakeEvidence, fakeNodeSamples } from '../support/fake-evidence.js';
import { standInFix, standInRule } from './stand-in-rules.js';

describe('diagnosis JSON', () => {
  const catalog = new Map([['fx', standInFix('fx', 'cpu', { change: { target: 'pipeline', key: 'photon', value: 'true' }, impact: 0.8 })]]);
  const d = diagnose(fakeEvidence(), { rules: [standInRule({ id: 'r', category: 'cpu', fixes: [{ id: 'fx' }] })], catalog });

  it('validates against the schema and drops internal fields', () => {
    const json = toDiagnosisJson(d);
    expect(DiagnosisJsonSchema.parse(json)).toEqual(json);
    expect(json.schema).toBe('dlt-doctor/diagnosis@1');
    expect(json.findings[0]).not.toHaveProperty('strength');
    expect(json.findings[0]).not.toHaveProperty('fixes');
    expect(json.recommendations[0]).not.toHaveProperty('impact');
    expect(json.recommendations[0]!.change).toEqual({ target: 'pipeline', key: 'photon', value: 'true' });
  });

  it('survives a JSON round trip', () => {
    const text = JSON.stringify(toDiagnosisJson(d));
    expect(DiagnosisJsonSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('rejects unknown fields and bad values', () => {
    const json = toDiagnosisJson(d);
    expect(DiagnosisJsonSchema.safeParse({ ...json, extra: 1 }).success).toBe(false);
    expect(DiagnosisJsonSchema.safeParse({ ...json, verdict: { ...json.verdict, confidence: 1.5 } }).success).toBe(false);
    expect(DiagnosisJsonSchema.safeParse({ ...json, verdict: { ...json.verdict, bottleneck: 'disk' } }).success).toBe(false);
    expect(DiagnosisJsonSchema.safeParse({ ...json, schema: 'dlt-doctor/diagnosis@2' }).success).toBe(false);
  });

  it('the real catalog on CPU-heavy evidence still produces valid JSON', () => {
    const heavy = diagnose(fakeEvidence({ spec: { photon: false }, nodeMetrics: fakeNodeSamples({ cpu: 95, minutes: 13 }) }));
    expect(DiagnosisJsonSchema.safeParse(toDiagnosisJson(heavy)).success).toBe(true);
  });
});
