/**
 * Where the time went: the update's flow DAG (flow_definition output/input datasets) and each
 * flow's share of the RUNNING phase, with the critical path marked — the chain of flows that
 * decided when the update ended (Sparklens' critical-path idea, applied to DLT flows).
 *
 * - Every flow with a start gets `wallS`: each second of the running phase is split equally among
 *   the flows running in it (a flow alone for 10 min gets 10 min; two side by side get half each).
 * - The critical path is walked back from the flow that ended last: at each step, among the flow's
 *   upstream flows (from the DAG) that started before it and ended no later than it (60 s slack) —
 *   run before it, or pipelined with it as a streaming producer — the one that ended last gated it.
 *   Without flow definitions there is no DAG and the path is only the last flow; `fromDefinitions`
 *   says which.
 * - `criticalS` is a path flow's time from when it started or its predecessor on the path ended,
 *   whichever is later, to its end; 0 off the path. The path's times add up to its span.
 * - `share` = max(criticalS, wallS) / running phase: what speeding the flow up could save at most.
 * Continuous updates run every flow side by side for the whole update: the path is meaningless
 * there and is left empty; shares are the wall-clock split.
 */
import type { FlowInfo, FlowTime, FlowTimeline, UpdateInfo } from '../evidence.js';

const SLACK_MS = 60_000;

/** `cat.sch.tbl`, "`cat`.`sch`.`tbl`", "LIVE.tbl" → "tbl" (dataset names differ in qualification). */
function shortName(name: string): string {
  const clean = name.replace(/[`"]/g, '').trim().toLowerCase();
  const parts = clean.split('.');
  return parts[parts.length - 1] ?? clean;
}

interface Span {
  flow: FlowInfo;
  start: number;
  end: number;
}

function runningPhaseMs(update: UpdateInfo, spans: Span[]): number {
  const running = update.phasesS.running;
  if (running !== undefined && running > 0) return running * 1000;
  if (spans.length === 0) return 0;
  return Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
}

/** Equal split of wall-clock time among concurrently running flows (a sweep over start/end points). */
function wallSplit(spans: Span[]): Map<string, number> {
  const points = [...new Set(spans.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const out = new Map<string, number>(spans.map((s) => [s.flow.name, 0]));
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const live = spans.filter((s) => s.start <= a && s.end >= b);
    if (live.length === 0) continue;
    const each = (b - a) / live.length;
    for (const s of live) out.set(s.flow.name, out.get(s.flow.name)! + each);
  }
  return out;
}

export function flowTimeline(flows: FlowInfo[], update: UpdateInfo, continuous: boolean, nowMs: number): FlowTimeline | null {
  const updateEnd = update.endedAt ?? nowMs;
  const spans: Span[] = flows
    .filter((f) => f.startedAt !== null)
    .map((f) => ({ flow: f, start: f.startedAt!, end: Math.max(f.startedAt!, f.endedAt ?? updateEnd) }))
    .filter((s) => s.end > s.start);
  if (spans.length === 0) return null;
  const runningMs = runningPhaseMs(update, spans);
  if (runningMs <= 0) return null;

  const wall = wallSplit(spans);
  const critical = new Map<string, number>();
  const hasDefs = flows.some((f) => f.outputDataset !== null || f.inputDatasets.length > 0);
  if (!continuous) {
    // producers by dataset name
    const producers = new Map<string, Span[]>();
    for (const s of spans) {
      const out = s.flow.outputDataset ?? s.flow.name;
      const key = shortName(out);
      producers.set(key, [...(producers.get(key) ?? []), s]);
    }
    const byEnd = (a: Span, b: Span) => b.end - a.end || b.flow.executorTimeMs - a.flow.executorTimeMs || a.flow.name.localeCompare(b.flow.name);
    // walk back from the flow that ended last: the upstream flow that ended last gated it
    // (sequential, or pipelined: a streaming consumer cannot finish before its producer does)
    const path: Span[] = [];
    let cur: Span | undefined = [...spans].sort(byEnd)[0];
    const seen = new Set<string>();
    while (cur && !seen.has(cur.flow.name)) {
      seen.add(cur.flow.name);
      path.unshift(cur);
      const c: Span = cur;
      const upstream = c.flow.inputDatasets
        .flatMap((d) => producers.get(shortName(d)) ?? [])
        .filter((p) => p !== c && !seen.has(p.flow.name) && p.start <= c.start + SLACK_MS && p.end <= c.end + SLACK_MS);
      cur = upstream.sort(byEnd)[0];
    }
    // each path flow owns the time from when it started or its predecessor ended, whichever is later
    let prevEnd = -Infinity;
    for (const sp of path) {
      const from = Math.max(sp.start, prevEnd);
      critical.set(sp.flow.name, Math.max(0, sp.end - from));
      prevEnd = Math.max(prevEnd, sp.end);
    }
  }

  const list: FlowTime[] = spans.map((s) => {
    const wallS = (wall.get(s.flow.name) ?? 0) / 1000;
    const criticalS = (critical.get(s.flow.name) ?? 0) / 1000;
    return {
      name: s.flow.name,
      durationS: (s.end - s.start) / 1000,
      wallS,
      criticalS,
      share: Math.min(1, Math.max(wallS, criticalS) / (runningMs / 1000)),
      critical: critical.has(s.flow.name),
    };
  });
  list.sort((a, b) => b.share - a.share || b.durationS - a.durationS || a.name.localeCompare(b.name));
  return {
    runningS: runningMs / 1000,
    criticalPathS: [...critical.values()].reduce((a, b) => a + b, 0) / 1000,
    flows: list,
    fromDefinitions: hasDefs && !continuous,
  };
}
