/**
 * What the update was doing in INITIALIZING / SETTING_UP_TABLES, shared by long-initialization
 * (planning) and cluster-bring-up (startup):
 * - **bring-up**: the cluster is still being made ready — init scripts run on every node at every
 *   start before Spark does (Databricks "Init scripts"), jar/whl/maven libraries install, notebook
 *   `%pip install`s run; node metrics show the nodes busy while no flow has started; few datasets.
 * - **planning**: graph resolution and table setup, which grow with the number of datasets
 *   (Databricks: high initialization times with many tables; guide §2.1 "Plan Execution").
 */
import type { Evidence, NodeSample, Phase } from '../evidence.js';
import { PHASES } from '../evidence.js';
import { updateDurationS, updatesCluster } from './pipeline-facts.js';
import { mean } from './stats.js';

/** datasets at or above which initialization time is planning, whatever else is going on */
export const PLANNING_DATASETS = 15;

export interface InitializationFacts {
  initS: number;
  initializingS: number;
  settingUpS: number;
  share: number;
  datasets: number;
  initScripts: string[];
  libraries: string[];
  /** workers' mean CPU while INITIALIZING, before any flow started; null without node metrics there */
  busyCpu: number | null;
  kind: 'startup' | 'planning';
}

function phaseWindow(evidence: Evidence, phase: Phase): { start: number; end: number } | null {
  const u = evidence.update;
  const len = u.phasesS[phase];
  if (!len) return null;
  const before = PHASES.slice(0, PHASES.indexOf(phase)).reduce((s, p) => s + (u.phasesS[p] ?? 0), 0);
  const start = u.startedAt + before * 1000;
  return { start, end: start + len * 1000 };
}

export function initializationFacts(evidence: Evidence): InitializationFacts | null {
  const { phasesS } = evidence.update;
  if (phasesS.initializing === undefined && phasesS.setting_up_tables === undefined) return null;
  const initializingS = phasesS.initializing ?? 0;
  const settingUpS = phasesS.setting_up_tables ?? 0;
  const initS = initializingS + settingUpS;
  const durationS = updateDurationS(evidence.update);
  if (durationS === null || durationS <= 0) return null;
  const cluster = updatesCluster(evidence.pipeline.spec);
  const initScripts = cluster?.initScripts ?? [];
  const libraries = evidence.pipeline.spec.installedLibraries;
  let busyCpu: number | null = null;
  const w = phaseWindow(evidence, 'initializing');
  if (w && evidence.nodeMetrics) {
    const firstFlow = Math.min(...evidence.flows.map((f) => f.startedAt ?? Infinity));
    const end = Math.min(w.end, firstFlow);
    const rows = evidence.nodeMetrics.filter((r: NodeSample) => !r.driver && r.t >= w.start && r.t < end);
    busyCpu = mean(rows.map((r) => r.cpuUser + r.cpuSystem));
  }
  const datasets = evidence.flows.length;
  const bringUp = initScripts.length > 0 || libraries.length > 0 || (busyCpu !== null && busyCpu >= 25);
  let kind: 'startup' | 'planning';
  if (datasets >= PLANNING_DATASETS) kind = 'planning';
  else if (bringUp) kind = 'startup';
  // table setup dominating on a mid-sized graph is planning; a handful of datasets cannot take minutes to plan
  else kind = settingUpS >= 0.6 * initS && datasets >= 5 ? 'planning' : 'startup';
  return { initS, initializingS, settingUpS, share: initS / durationS, datasets, initScripts, libraries, busyCpu, kind };
}
