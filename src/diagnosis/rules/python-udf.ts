import { z } from 'zod';
import type { FlowInfo } from '../evidence.js';
import { defineRule } from '../types.js';
import { atUsualPace } from '../baseline.js';
import { nodeStats, sustainedShare } from './node-stats.js';
import { flowShare } from './pipeline-facts.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** physical-plan operators that mean a Python UDF runs (flow_definition explain_text) */
  markers: z.array(z.string().min(1)).min(1),
  /** the flow must take at least this share (0..1) of the running phase */
  minShareOfRunning: z.number().min(0).max(1),
  /** workers' CPU (%) a busy minute reaches; at the usual pace with fewer than half the minutes busy the finding is info */
  busyCpu: z.number().min(0).max(100),
  usualPaceRatio: z.number().min(1),
});
type Options = z.infer<typeof options>;

/** The first marker found in the flow's plan, or null. */
function udfMarker(flow: FlowInfo, markers: readonly string[]): string | null {
  if (!flow.explainText) return null;
  return markers.find((m) => flow.explainText!.includes(m)) ?? null;
}

export const rule = defineRule<Options, 'pythonUdf' | 'pythonUdfMany'>({
  meta: {
    id: 'python-udf',
    category: 'cpu',
    severity: 'warning',
    description: "A long-running flow's physical plan evaluates a Python UDF (BatchEvalPython / ArrowEvalPython): rows leave the engine for a Python worker and Photon cannot run that part.",
    guideSection: '4.4, 6.4',
    requires: ['flows'],
    options,
    defaults: { markers: ['BatchEvalPython', 'ArrowEvalPython', 'PythonUDF'], minShareOfRunning: 0.2, busyCpu: 70, usualPaceRatio: 1.25 },
    messages: {
      pythonUdf: 'Flow {{flow}} runs a Python UDF ({{marker}} in its plan) and took {{share}}% of the running phase',
      pythonUdfMany: '{{count}} long flows run Python UDFs; {{flow}} ({{marker}} in its plan) took {{share}}% of the running phase',
    },
  },
  check(evidence, o) {
    const runningS = evidence.update.phasesS.running ?? evidence.update.durationS;
    if (runningS === null || runningS === undefined || runningS <= 0) return [];
    const hits = evidence.flows
      .map((flow) => ({ flow, marker: udfMarker(flow, o.markers) }))
      .map((x) => ({ ...x, share: evidence.timeline ? flowShare(evidence, x.flow.name) : (x.flow.durationS ?? 0) / runningS }))
      .filter((x): x is { flow: FlowInfo; marker: string; share: number } => x.marker !== null && x.flow.durationS !== null && x.share >= o.minShareOfRunning)
      .sort((a, b) => b.share - a.share);
    const top = hits[0];
    if (top === undefined) return [];
    const share = Math.min(1, top.share);
    // A UDF flow at the update's usual pace on workers with CPU to spare is how this pipeline always
    // runs: worth replacing (§4.4), but not what limits this update.
    const stats = nodeStats(evidence);
    const busy = stats ? sustainedShare(stats, (m) => m.cpu, o.busyCpu) : null;
    const usualPace = atUsualPace(evidence, o.usualPaceRatio);
    const quiet = busy !== null && busy < 0.5 && usualPace;
    return [
      {
        messageId: hits.length > 1 ? 'pythonUdfMany' : 'pythonUdf',
        ...(quiet ? { severity: 'info' as const } : {}),
        data: { flow: top.flow.name, marker: top.marker, share: Math.round(share * 100), count: hits.length },
        strength: strengthPast(Math.min(share, 1), o.minShareOfRunning, 1),
        evidence: [
          { metric: `${top.flow.name} plan operator`, value: top.marker, unit: '', threshold: null, source: 'event_log:flow_definition' },
          { metric: `${top.flow.name} duration`, value: Math.round(top.flow.durationS!), unit: 's', threshold: Math.round(o.minShareOfRunning * runningS), source: 'event_log:flow_progress' },
          { metric: `${top.flow.name} share of running phase`, value: Math.round(share * 100), unit: '%', threshold: o.minShareOfRunning * 100, source: 'event_log:update_progress' },
        ],
        fixes: [{ id: 'replace-python-udf', params: { flow: top.flow.name } }],
      },
    ];
  },
});
