/**
 * The per-update aggregates buildEvidence reads (agg.ts), whatever filled them: the update summary
 * statements (summaries.ts) or, for REST-only events, the fold of those few rows. Which update is
 * diagnosed is chosen here (CONTRACT §1).
 */
import { echo } from '../../util/echo.js';
import { DoctorError } from '../../errors.js';
import type { RawUpdate } from '../../databricks/schemas.js';
import type { ErrorInfo } from '../evidence.js';
import { newUpdate, type FlowDef, type UpdateAgg } from './agg.js';
import { endOf, startOf, TERMINAL_UPDATE_STATES } from './phases.js';

export class UpdateSet {
  protected rows = 0;
  protected withDetails = 0;
  protected readonly updates = new Map<string, UpdateAgg>();
  /** errors without an update id (pipeline-level); matched to the update by time window */
  protected readonly looseErrors: ErrorInfo[] = [];
  /** the latest definition of each flow in updates not held here (update-milestones.sql's other_definition rows) */
  private readonly elsewhere = new Map<string, { t: number; def: FlowDef }>();

  /** event rows the aggregates stand for */
  get count(): number {
    return this.rows;
  }

  /** distinct update ids */
  get updateCount(): number {
    return this.updates.size;
  }

  /** rows that carried a non-empty `details` */
  get detailedCount(): number {
    return this.withDetails;
  }

  /** the aggregate of `id`, created (first seen at `t`) when missing */
  update(id: string, t: number): UpdateAgg {
    let u = this.updates.get(id);
    if (u === undefined) {
      u = newUpdate(id, t);
      this.updates.set(id, u);
    }
    return u;
  }

  /** rows counted for an aggregate filled from summaries (`detailed` of them with details) */
  countRows(rows: number, detailed: number): void {
    this.rows += rows;
    this.withDetails += detailed;
  }

  addPipelineError(e: ErrorInfo, cap: number): void {
    if (this.looseErrors.length < cap) this.looseErrors.push(e);
  }

  /** updates, oldest first */
  updateIds(): string[] {
    return [...this.updates.values()].sort((a, b) => startOf(a) - startOf(b)).map((u) => u.id);
  }

  /**
   * CONTRACT §1: `updateId` when given (UPDATE_NOT_FOUND if the events do not have it), else the
   * newest update with an end state, else the newest (running) one. For a continuous pipeline
   * (`continuous`) a running newest update comes first: it is the pipeline's current run.
   */
  selectUpdateId(updateId?: string, updates?: RawUpdate[] | null, continuous = false): string {
    if (this.rows === 0) throw new DoctorError('NO_EVENTS', 'no events');
    if (this.updates.size === 0) throw new DoctorError('NO_EVENTS', 'no events with an update id');
    const ids = this.updateIds();
    if (updateId !== undefined) {
      if (this.updates.has(updateId)) return updateId;
      // a unique prefix (the bot shows and the help uses the first characters of an id) stands for it
      const prefixed = ids.filter((x) => x.toLowerCase().startsWith(updateId.toLowerCase()));
      if (prefixed.length === 1) return prefixed[0]!;
      throw updateNotFound(updateId, ids);
    }
    const listed = new Map((updates ?? []).map((r) => [r.update_id, r]));
    if (continuous) {
      const newest = this.updates.get(ids[ids.length - 1]!)!;
      const state = listed.get(newest.id)?.state;
      if (endOf(newest) === null && !(state && TERMINAL_UPDATE_STATES.has(state))) return newest.id;
    }
    for (let i = ids.length - 1; i >= 0; i--) {
      const u = this.updates.get(ids[i]!)!;
      if (endOf(u) !== null) return u.id;
      const state = listed.get(u.id)?.state;
      if (u.progress.length === 0 && state && TERMINAL_UPDATE_STATES.has(state)) return u.id;
    }
    return ids[ids.length - 1]!;
  }

  get(updateId: string): UpdateAgg | undefined {
    return this.updates.get(updateId);
  }

  all(): IterableIterator<UpdateAgg> {
    return this.updates.values();
  }

  /** a flow's definition from an update whose other events are not read (the newest one wins) */
  addDefinitionElsewhere(name: string, def: FlowDef, t: number): void {
    const cur = this.elsewhere.get(name);
    if (cur === undefined || t >= cur.t) this.elsewhere.set(name, { t, def });
  }

  /**
   * Flow definitions outside update `id`, for flows it did not define: from the updates held
   * (oldest first, so newer ones win), over those read from other updates alone.
   */
  definitionsOutside(id: string): Map<string, FlowDef> {
    const out = new Map<string, FlowDef>();
    for (const [n, d] of this.elsewhere) out.set(n, d.def);
    for (const uid of this.updateIds()) if (uid !== id) for (const [n, d] of this.updates.get(uid)!.definitions) out.set(n, d);
    return out;
  }

  pipelineErrors(): ErrorInfo[] {
    return this.looseErrors;
  }
}

/** UPDATE_NOT_FOUND with the ids that look like it (prefix either way), else the newest ones (`ids` oldest first). */
export function updateNotFound(updateId: string, ids: readonly string[]): DoctorError {
  const near = ids.filter((id) => id.startsWith(updateId) || updateId.startsWith(id)).slice(0, 3);
  return new DoctorError('UPDATE_NOT_FOUND', `Update "${echo(updateId, 80)}" is not in the event log.`, {
    suggestions: near.length ? near : ids.slice(-3).reverse(),
    hint: `Updates in the event log: ${ids.slice(-5).reverse().join(', ')}`,
  });
}
