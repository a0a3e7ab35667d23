/**
 * The diagnosis JSON (CONTRACT.md §2, docs/contract.md), schema "dlt-doctor/diagnosis@1", and the
 * function that produces it. Internal fields (strength, fixes, impact) are dropped. Other tools
 * parse this: a breaking change bumps the version.
 */
import { z } from 'zod';
import { BOTTLENECKS } from './evidence.js';
import type { Diagnosis } from './types.js';

export const DIAGNOSIS_SCHEMA_ID = 'dlt-doctor/diagnosis@1' as const;

const bottleneck = z.enum(BOTTLENECKS);
const category = z.enum(BOTTLENECKS.filter((b) => b !== 'none') as [Exclude<(typeof BOTTLENECKS)[number], 'none'>, ...Exclude<(typeof BOTTLENECKS)[number], 'none'>[]]);
const isoDate = z.iso.datetime({ offset: true });

export const DiagnosisJsonSchema = z.strictObject({
  schema: z.literal(DIAGNOSIS_SCHEMA_ID),
  pipeline: z.strictObject({ id: z.string(), name: z.string(), continuous: z.literal(true).optional(), serverless: z.literal(true).optional() }),
  update: z.strictObject({
    id: z.string(),
    state: z.string(),
    cause: z.string().nullable(),
    full_refresh: z.boolean(),
    started_at: isoDate,
    ended_at: isoDate.nullable(),
    duration_s: z.number().nonnegative().nullable(),
    phases_s: z.record(z.string(), z.number().nonnegative()),
  }),
  verdict: z.strictObject({
    bottleneck,
    confidence: z.number().min(0).max(1),
    summary: z.string().min(1),
  }),
  findings: z.array(
    z.strictObject({
      rule: z.string(),
      category: bottleneck,
      severity: z.enum(['critical', 'warning', 'info']),
      title: z.string(),
      evidence: z.array(
        z.strictObject({
          metric: z.string(),
          value: z.union([z.number(), z.string()]),
          unit: z.string(),
          threshold: z.union([z.number(), z.string()]).nullable(),
          source: z.string(),
        }),
      ),
    }),
  ),
  recommendations: z.array(
    z.strictObject({
      id: z.string(),
      category,
      title: z.string(),
      why: z.string(),
      guide_section: z.string(),
      change: z
        .strictObject({
          target: z.enum(['pipeline', 'cluster', 'spark_conf', 'table_property', 'code']),
          key: z.string(),
          value: z.string(),
        })
        .nullable(),
      expected_effect: z.string(),
      risk: z.string(),
    }),
  ),
  baseline: z
    .strictObject({
      updates: z.number().int().min(1),
      median_duration_s: z.number().nonnegative(),
      duration_ratio: z.number().nonnegative().nullable(),
    })
    .nullable(),
  /** additive in @1: the flows that took the running phase, critical path marked (null without flow timings) */
  where_time_went: z
    .strictObject({
      running_s: z.number().nonnegative(),
      critical_path_s: z.number().nonnegative(),
      from_definitions: z.boolean(),
      flows: z.array(
        z.strictObject({
          flow: z.string(),
          duration_s: z.number().nonnegative(),
          critical_s: z.number().nonnegative(),
          share: z.number().min(0).max(1),
          critical: z.boolean(),
        }),
      ),
    })
    .nullable()
    .optional(),
  /** inputs the sources could not provide (node_metrics, event_details, …) */
  gaps: z.array(z.string()),
  /** human-readable notes about the input and the checks that could not run */
  notes: z.array(z.string()),
  /** issue 16: the part of the update flow metrics, cluster resources and node metrics were read for; absent = all of it */
  window: z.strictObject({ from: isoDate, to: isoDate, minutes: z.number().positive(), requested: z.boolean() }).optional(),
});

export type DiagnosisJson = z.infer<typeof DiagnosisJsonSchema>;

export function toDiagnosisJson(d: Diagnosis): DiagnosisJson {
  return {
    schema: DIAGNOSIS_SCHEMA_ID,
    pipeline: { id: d.pipeline.id, name: d.pipeline.name, ...(d.pipeline.continuous ? { continuous: true as const } : {}), ...(d.pipeline.serverless ? { serverless: true as const } : {}) },
    update: {
      id: d.update.id,
      state: d.update.state,
      cause: d.update.cause,
      full_refresh: d.update.full_refresh,
      started_at: d.update.started_at,
      ended_at: d.update.ended_at,
      duration_s: d.update.duration_s,
      phases_s: { ...d.update.phases_s },
    },
    verdict: { bottleneck: d.verdict.bottleneck, confidence: d.verdict.confidence, summary: d.verdict.summary },
    findings: d.findings.map((f) => ({
      rule: f.rule,
      category: f.category,
      severity: f.severity,
      title: f.title,
      evidence: f.evidence.map((e) => ({ metric: e.metric, value: e.value, unit: e.unit, threshold: e.threshold, source: e.source })),
    })),
    recommendations: d.recommendations.map((r) => ({
      id: r.id,
      category: r.category,
      title: r.title,
      why: r.why,
      guide_section: r.guide_section,
      change: r.change ? { target: r.change.target, key: r.change.key, value: r.change.value } : null,
      expected_effect: r.expected_effect,
      risk: r.risk,
    })),
    baseline: d.baseline ? { updates: d.baseline.updates, median_duration_s: d.baseline.median_duration_s, duration_ratio: d.baseline.duration_ratio } : null,
    where_time_went: d.where_time_went
      ? { ...d.where_time_went, flows: d.where_time_went.flows.map((f) => ({ ...f })) }
      : null,
    gaps: [...d.gaps],
    notes: [...d.notes],
    ...(d.window ? { window: { ...d.window } } : {}),
  };
}
