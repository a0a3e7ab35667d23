import { z } from 'zod';
import type { ClusterResourceSample } from '../evidence.js';
import { defineRule } from '../types.js';
import { updatesCluster } from './pipeline-facts.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** a sample is starved when slot utilization is at least this with tasks queued, below max_workers */
  minSlotUtilization: z.number().min(0).max(1),
  /** share of the samples starved that shows autoscaling lagging the work */
  minStarvedShare: z.number().min(0).max(1),
  /** minutes from the first sample to the first one at the peak executor count that count as a slow ramp */
  minRampMinutes: z.number().nonnegative(),
});
type Options = z.infer<typeof options>;

interface Ramp {
  starvedShare: number;
  rampMinutes: number;
  from: number;
  to: number;
  queued: number;
}

/** How the executor count grew while tasks waited (cluster_resources only: LEGACY reports no autoscale_info). */
function ramp(samples: ClusterResourceSample[], maxWorkers: number, minUtil: number): Ramp | null {
  const s = samples.filter((x) => x.numExecutors !== null).sort((a, b) => a.t - b.t);
  if (s.length < 3) return null;
  const peak = Math.max(...s.map((x) => x.numExecutors!));
  const firstAtPeak = s.find((x) => x.numExecutors! >= peak)!;
  // older flat payloads may omit utilization: queued tasks below max then speak alone
  const starved = s.filter((x) => x.numExecutors! < maxWorkers && (x.queuedTasks ?? 0) > 0 && (x.slotUtilization ?? 1) >= minUtil);
  const queued = starved.length ? starved.reduce((a, x) => a + (x.queuedTasks ?? 0), 0) / starved.length : 0;
  return { starvedShare: starved.length / s.length, rampMinutes: (firstAtPeak.t - s[0]!.t) / 60_000, from: s[0]!.numExecutors!, to: peak, queued };
}

export const rule = defineRule<Options, 'legacyMode' | 'legacyRamp' | 'modeUnset'>({
  meta: {
    id: 'legacy-autoscaling',
    category: 'scaling',
    severity: 'info',
    description:
      'The cluster that runs updates uses legacy autoscaling. On its own a setting to review (info); when executors ramp up slowly while every task slot is busy and tasks queue below max_workers, the update is scaling-bound (warning) — seen from cluster_resources alone, since LEGACY reports no autoscale_info or optimal executor count.',
    guideSection: '3.3',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/auto-scaling',
    requires: ['spec'],
    options,
    defaults: { minSlotUtilization: 0.85, minStarvedShare: 0.3, minRampMinutes: 10 },
    messages: {
      modeUnset: 'The {{cluster}} cluster autoscales ({{minWorkers}}–{{maxWorkers}} workers) without autoscale.mode; the API documents no default, so set ENHANCED explicitly',
      legacyMode: 'The {{cluster}} cluster autoscales in LEGACY mode ({{minWorkers}}–{{maxWorkers}} workers); ENHANCED scales faster for production workloads',
      legacyRamp:
        '{{mode}} ramped from {{from}} to {{to}} executors over {{minutes}} min while every task slot was busy and ~{{queued}} tasks queued ({{share}}% of the run below max_workers {{maxWorkers}})',
    },
  },
  check(evidence, o) {
    // Only the update cluster: maintenance clusters always use legacy autoscaling (Databricks docs).
    const cluster = updatesCluster(evidence.pipeline.spec);
    if (cluster === null || cluster.autoscale === null || cluster.autoscale.mode === 'ENHANCED') return [];
    const { minWorkers, maxWorkers, mode } = cluster.autoscale;
    const spec = { metric: `${cluster.label}.autoscale.mode`, value: mode === 'UNSET' ? 'not set' : 'LEGACY', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' };
    const fixes = [{ id: 'enhanced-autoscaling', params: { cluster: cluster.label } }];
    const r = ramp(evidence.clusterResources, maxWorkers, o.minSlotUtilization);
    if (r !== null && r.starvedShare >= o.minStarvedShare && r.rampMinutes >= o.minRampMinutes && r.to > r.from) {
      return [
        {
          messageId: 'legacyRamp',
          data: { mode: mode === 'UNSET' ? 'Autoscaling (mode not set, so possibly LEGACY)' : 'LEGACY autoscaling', from: r.from, to: r.to, minutes: Math.round(r.rampMinutes), queued: Math.round(r.queued), share: Math.round(r.starvedShare * 100), maxWorkers },
          severity: 'warning',
          strength: Math.round(Math.max(strengthPast(r.starvedShare, o.minStarvedShare, 0.8), strengthPast(r.rampMinutes, o.minRampMinutes, 4 * o.minRampMinutes)) * 100) / 100,
          evidence: [
            spec,
            { metric: 'samples starved below max_workers (slots busy, tasks queued)', value: Math.round(r.starvedShare * 1000) / 10, unit: '%', threshold: o.minStarvedShare * 100, source: 'event_log:cluster_resources' },
            { metric: 'minutes to reach the peak executor count', value: Math.round(r.rampMinutes), unit: 'min', threshold: o.minRampMinutes, source: 'event_log:cluster_resources' },
            { metric: 'queued tasks while starved (mean)', value: Math.round(r.queued), unit: 'tasks', threshold: 0, source: 'event_log:cluster_resources' },
          ],
          fixes,
        },
      ];
    }
    // not set: say so and ask for ENHANCED explicitly (§3.3), never assume either mode
    if (mode === 'UNSET') return [{ messageId: 'modeUnset', data: { cluster: cluster.label, minWorkers, maxWorkers }, strength: 0.4, evidence: [spec], fixes }];
    return [{ messageId: 'legacyMode', data: { cluster: cluster.label, minWorkers, maxWorkers }, strength: 0.5, evidence: [spec], fixes }];
  },
});
