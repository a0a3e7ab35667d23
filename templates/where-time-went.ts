/**
 * "Where the time went" (Diagnosis.where_time_went, docs/contract.md §2), worded once for every
 * surface: the top flows by share of the running phase, those on the critical path marked, and
 * what the shares are of. Each surface passes its own escaping for the flow names (they come from
 * the pipeline's code, so they are user-controlled; control characters are replaced here for all)
 * and its own duration formatter.
 *
 *   Where the time went: orders_silver 77% (critical path) · orders_bronze 21% (critical path) · customers_dim 5% — of 25m 35s running
 */
import type { Diagnosis, WhereTimeWent } from '../src/diagnosis/types.js';

export const WHERE_TIME_WENT_LABEL = 'Where the time went';
export const CRITICAL_MARK = '(critical path)';
export const BY_TIMING_NOTE = '(by timing; no flow definitions)';
/** chat surfaces cut flow names to this many characters (the CLI shows them whole) */
export const CHAT_FLOW_NAME_MAX = 80;

/** Control characters in a flow name (a terminal escape, a newline) become "?" on every surface. */
export function printable(flow: string): string {
  // eslint-disable-next-line no-control-regex
  return flow.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export interface WhereTimeWentFormat {
  /** a flow name as the surface shows it (escaped, maybe shortened) */
  name: (flow: string) => string;
  duration: (seconds: number) => string;
}

/** 0.769 → "77%"; a non-zero share under half a percent → "<1%". */
export function sharePercent(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  const p = Math.round(Math.min(1, share) * 100);
  return p === 0 ? '<1%' : `${p}%`;
}

/** The section's data when there is something to show: null when `where_time_went` is null or has no flows. */
export function whereTimeWentOf(d: Pick<Diagnosis, 'where_time_went'>): WhereTimeWent | null {
  const w = d.where_time_went;
  return w && w.flows.length > 0 ? w : null;
}

/** One item per flow ("orders_silver 77% (critical path)"), in the diagnosis' order. */
export function whereTimeWentItems(w: WhereTimeWent, f: WhereTimeWentFormat): string[] {
  return w.flows.map((x) => `${f.name(printable(x.flow))} ${sharePercent(x.share)}${x.critical ? ` ${CRITICAL_MARK}` : ''}`);
}

/** "of 25m 35s running", plus "(by timing; no flow definitions)" when the DAG came from timing alone. */
export function whereTimeWentScope(w: WhereTimeWent, f: Pick<WhereTimeWentFormat, 'duration'>): string {
  return `of ${f.duration(w.running_s)} running${w.from_definitions ? '' : ` ${BY_TIMING_NOTE}`}`;
}

/** The whole line without its label: "a 77% (critical path) · b 21% — of 25m 35s running". */
export function whereTimeWentBody(w: WhereTimeWent, f: WhereTimeWentFormat): string {
  return `${whereTimeWentItems(w, f).join(' · ')} — ${whereTimeWentScope(w, f)}`;
}
