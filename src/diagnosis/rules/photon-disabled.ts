import { z } from 'zod';
import { defineRule } from '../types.js';
import { rule as pythonUdf } from './python-udf.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** the running phase must last at least this long (s) for Photon to matter */
  minRunningS: z.number().nonnegative(),
  /** below this running time (s) the finding is info, from it a warning */
  warningRunningS: z.number().nonnegative(),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'photonOff'>({
  meta: {
    id: 'photon-disabled',
    category: 'cpu',
    severity: 'info',
    description: 'Photon is off on a classic-compute pipeline whose run is long enough to benefit, and no flow is held back by a Python UDF (those do not use Photon). An opportunity, never a bottleneck by itself: it stays info, and cpu findings carry enable-photon as their fix.',
    guideSection: '4.1, 4.2, 4.3, 12.1',
    requires: ['spec', 'flows'],
    options,
    defaults: { minRunningS: 600, warningRunningS: 1800 },
    messages: {
      photonOff: 'Photon is off and the update ran for {{minutes}} min; Photon typically makes scans 2–3x and aggregations 3–5x faster',
    },
  },
  check(evidence, o) {
    const spec = evidence.pipeline.spec;
    if (spec.photon || spec.serverless) return [];
    const runningS = evidence.update.phasesS.running ?? evidence.update.durationS;
    if (runningS === null || runningS === undefined || runningS < o.minRunningS) return [];
    // A plan with a Python UDF would not run in Photon; python-udf covers that case.
    const markers = pythonUdf.meta.defaults.markers;
    if (evidence.flows.some((f) => f.explainText !== null && markers.some((m) => f.explainText!.includes(m)))) return [];
    return [
      {
        messageId: 'photonOff',
        data: { minutes: Math.round(runningS / 60) },
        strength: strengthPast(runningS, o.minRunningS, 2 * o.warningRunningS),
        evidence: [
          { metric: 'photon', value: 'false', unit: '', threshold: 'true', source: 'pipeline.spec' },
          { metric: 'running phase', value: Math.round(runningS), unit: 's', threshold: o.minRunningS, source: 'event_log:update_progress' },
        ],
        fixes: [{ id: 'enable-photon' }],
      },
    ];
  },
});
