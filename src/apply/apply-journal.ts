/**
 * Apply as a journal (issue 15 item 1). The confirm path writes the intent — a 'pending' audit row
 * with who, what, the whole spec before and after, expected_last_modified, the surface, the
 * channel/thread and the Slack installation — BEFORE the PUT, and its outcome after. A process
 * killed between the two (or SQLite busy when writing the outcome) leaves the intent 'pending';
 * `reconcileIntents` (run at start by startAlerts, src/schedule/alerts.ts, and every minute after)
 * GETs each such pipeline and decides:
 *   applied      the change is in the current spec and last_modified moved past the expected one
 *                (or none was expected) → 'applied', and the caller posts "Applied by …" as the
 *                normal path does;
 *   not_applied  last_modified is still the expected one (the PUT never landed) or the spec lacks
 *                the change (it was refused, or overwritten) → 'not_applied'.
 * The outcome write is a claim (UPDATE … WHERE result = 'pending'): of two processes reconciling at
 * once only one posts. Intents younger than `minAgeMs` may still be in flight in another process and
 * are left for a later pass; the process that made the PUT writes its own outcome over a
 * reconciliation (force), since it knows. An edit by someone else that happens to set exactly the
 * same values after a lost PUT is indistinguishable from ours and is recorded 'applied'.
 */
import type { Change } from '../diagnosis/types.js';
import type { RestClient } from '../databricks/rest.js';
import type { AlertStore, JournalRow } from '../store/alerts.js';
import { applyChange, type SettingChange, type Spec } from './apply-change.js';

/** Longer than one PUT can take (the REST client's 60 s deadline), so another process's in-flight intent is left alone. */
export const RECONCILE_MIN_AGE_MS = 120_000;

export interface Reconciled {
  row: JournalRow;
  result: 'applied' | 'not_applied';
}

const asChange = (v: unknown): Change | null => {
  const c = v as Partial<Change> | null;
  return c && typeof c.target === 'string' && typeof c.key === 'string' && typeof c.value === 'string' ? (c as Change) : null;
};

/**
 * Whether `change` is already in `spec`: applying it again changes no value. applyChange answers
 * that with "… is already …" (apply-change.ts); any other refusal (e.g. the pipeline went
 * serverless) means the change is not what the pipeline has.
 */
export function inEffect(spec: Spec, change: Change): boolean {
  const r = applyChange(spec, change);
  return r.ok ? r.diff.every((d) => d.before === d.after) : /\bis already\b/.test(r.reason);
}

export async function reconcileIntents(o: {
  store: AlertStore;
  rest: Pick<RestClient, 'getPipeline' | 'clearCache'>;
  now: () => number;
  /** intents of this process still between intent and outcome: never touched */
  inFlight: ReadonlySet<number>;
  minAgeMs?: number;
  logger: { warn(...m: unknown[]): void };
}): Promise<Reconciled[]> {
  const open = (await o.store.openIntents()).filter((r) => !o.inFlight.has(r.id) && o.now() - r.at >= (o.minAgeMs ?? RECONCILE_MIN_AGE_MS));
  if (!open.length) return [];
  o.rest.clearCache();
  const out: Reconciled[] = [];
  for (const row of open) {
    let result: Reconciled['result'];
    let message: string;
    try {
      const d = await o.rest.getPipeline(row.pipelineId);
      const change = asChange(row.change);
      const lm = typeof d.last_modified === 'number' ? d.last_modified : null;
      const moved = row.expectedLastModified === null || row.expectedLastModified === undefined || lm !== row.expectedLastModified;
      const present = Boolean(change && d.rawSpec && inEffect(d.rawSpec, change));
      result = moved && present ? 'applied' : 'not_applied';
      message =
        result === 'applied'
          ? 'reconciled at start: the pipeline has the change (the outcome was not recorded after the PUT)'
          : `reconciled at start: ${moved ? 'the pipeline does not have the change' : 'the pipeline was not modified since the preview'}; nothing of this apply is in effect`;
    } catch (err) {
      // the pipeline cannot be read now (deleted, no access, Databricks down): a later pass tries again
      o.logger.warn(`apply #${row.id}: could not read pipeline ${row.pipelineId} to reconcile it: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (await o.store.resolveIntent(row.id, { result, message, at: o.now(), reconciled: true })) out.push({ row: { ...row, result, message }, result });
  }
  return out;
}

/** The diff the intent recorded (what "Applied by" shows). */
export function diffOf(row: JournalRow): SettingChange[] {
  return Array.isArray(row.diff) ? (row.diff as SettingChange[]) : [];
}
