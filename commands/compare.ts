import { z } from 'zod';
import { diagnose } from '../src/diagnosis/diagnose.js';
import type { Evidence } from '../src/diagnosis/evidence.js';
import { DoctorError } from '../src/errors.js';
import type { Command, CompareFlow, SettingDiff } from './types.js';
import { pipelineRef } from './why-slow.js';
import { comparableHistory, computeBaseline } from '../src/diagnosis/baseline.js';
import { formatDuration } from '../src/diagnosis/format.js';
import { plural } from '../src/util/plural.js';

export interface CompareArgs {
  pipeline: string | null;
  a: string | null;
  b: string | null;
  /** A: the baseline update (the one of the last comparable completed updates closest to their median) */
  baseline: boolean;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(3, 'give a pipeline and at most two update ids'),
    baseline: z.boolean({ error: '--baseline takes no value' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.baseline && v._.length > 2) ctx.addIssue({ code: 'custom', message: '--baseline chooses A itself: give a pipeline and at most the update to compare (B)' });
  })
  .transform((v): CompareArgs => (v.baseline ? { pipeline: v._[0] ?? null, a: null, b: v._[1] ?? null, baseline: true } : { pipeline: v._[0] ?? null, a: v._[1] ?? null, b: v._[2] ?? null, baseline: false }));

/**
 * The baseline as one update to compare with: of the comparable completed updates the baseline
 * median is taken over (src/diagnosis/baseline.ts), the one whose duration is closest to it.
 */
export function baselineUpdate(e: Evidence): { updateId: string; durationS: number; medianS: number; updates: number } | null {
  const b = computeBaseline(e);
  if (!b) return null;
  const prior = comparableHistory(e).slice(0, b.updates);
  const best = prior.reduce<(typeof prior)[number] | null>((m, h) => (m === null || Math.abs(h.durationS - b.median_duration_s) < Math.abs(m.durationS - b.median_duration_s) ? h : m), null);
  return best ? { updateId: best.updateId, durationS: best.durationS, medianS: b.median_duration_s, updates: b.updates } : null;
}

function flowFacts(e: Evidence): Map<string, NonNullable<CompareFlow['a']>> {
  const m = new Map<string, NonNullable<CompareFlow['a']>>();
  for (const f of e.flows) {
    const rows = f.outputRows + f.upsertedRows;
    m.set(f.name, { rows, durationS: f.durationS, rowsPerS: f.durationS && f.durationS > 0 ? Math.round((rows / f.durationS) * 10) / 10 : null });
  }
  return m;
}

export function compareFlows(a: Evidence, b: Evidence): CompareFlow[] {
  const fa = flowFacts(a);
  const fb = flowFacts(b);
  const names = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return names.map((name) => ({ name, a: fa.get(name) ?? null, b: fb.get(name) ?? null }));
}

/** Settings and observed cluster facts of an update, flattened to strings. */
function settingsOf(e: Evidence): Record<string, string> {
  const s = e.pipeline.spec;
  const out: Record<string, string> = {
    photon: String(s.photon),
    serverless: String(s.serverless),
    continuous: String(s.continuous),
    channel: s.channel ?? '—',
    edition: s.edition ?? '—',
    'update.cause': e.update.cause ?? '—',
    'update.full_refresh': String(e.update.fullRefresh),
    'update.dbr_version': e.update.dbrVersion ?? '—',
  };
  for (const c of s.clusters) {
    const p = `cluster[${c.label}]`;
    out[`${p}.node_type_id`] = c.nodeTypeId ?? '—';
    out[`${p}.workers`] = c.autoscale ? `${c.autoscale.minWorkers}–${c.autoscale.maxWorkers} (${c.autoscale.mode})` : String(c.numWorkers ?? '—');
    for (const [k, v] of Object.entries(c.sparkConf)) out[`${p}.spark_conf.${k}`] = v;
  }
  for (const [k, v] of Object.entries(s.configuration)) out[`configuration.${k}`] = v;
  const executors = e.clusterResources.map((r) => r.numExecutors).filter((n): n is number => n !== null);
  if (executors.length) out['observed.peak_executors'] = String(Math.max(...executors));
  return out;
}

export function diffSettings(a: Evidence, b: Evidence): SettingDiff[] {
  const sa = settingsOf(a);
  const sb = settingsOf(b);
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].sort();
  return keys.filter((k) => sa[k] !== sb[k]).map((k) => ({ key: k, a: sa[k] ?? '—', b: sb[k] ?? '—' }));
}

export const compare: Command<CompareArgs> = {
  meta: {
    name: 'compare',
    summary: 'Two updates side by side: phases, flows and rows/s, cluster and settings diff.',
    usage: 'compare <pipeline> [A B] · compare <pipeline> --baseline [B]',
    examples: ['compare orders_silver', 'compare orders_silver --baseline', 'compare orders_silver 7a1b 8f2c'],
  },
  args,
  async run(x, ctx) {
    const ref = await pipelineRef(ctx.source, x.pipeline, compare.meta.usage);
    // B: the given second id, else the latest update (when only one id is given, it is A)
    const evB = await ctx.source.collect(ref, x.b ? { updateId: x.b } : {});
    let aId = x.a;
    let basis: string | undefined;
    if (x.baseline) {
      const base = baselineUpdate(evB);
      if (!base) throw new DoctorError('UPDATE_NOT_FOUND', `${evB.pipeline.name} has no baseline to compare with${evB.pipeline.spec.continuous ? ' (a continuous pipeline has none: its update runs until stopped)' : ': no earlier completed update like this one'}.`, { hint: 'Name two update ids: compare <pipeline> A B' });
      aId = base.updateId;
      basis = `A is the baseline: of the last ${plural(base.updates, 'completed update')}, the one closest to their median of ${formatDuration(base.medianS)} (it took ${formatDuration(base.durationS)}).`;
    } else if (aId === null) {
      aId = evB.history.find((h) => h.state === 'COMPLETED' && h.updateId !== evB.update.id)?.updateId ?? null;
      if (aId === null) throw new DoctorError('UPDATE_NOT_FOUND', `No earlier completed update of ${evB.pipeline.name} to compare with.`, { hint: 'Name two update ids: compare <pipeline> A B' });
      basis = 'A is the previous completed update.';
    }
    if (aId === evB.update.id) throw new DoctorError('BAD_USAGE', 'Both sides are the same update.', { hint: 'Name two different update ids.' });
    const evA = await ctx.source.collect(ref, { updateId: aId });
    return {
      kind: 'compare',
      pipeline: { id: evB.pipeline.id, name: evB.pipeline.name },
      a: diagnose(evA),
      b: diagnose(evB),
      flows: compareFlows(evA, evB),
      settings: diffSettings(evA, evB),
      ...(basis ? { basis } : {}),
    };
  },
};
