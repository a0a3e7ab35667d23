/**
 * Experiments in the store (migration 500): the experiment row (one running per pipeline, by a
 * unique partial index, so two people cannot start two at once even from two processes), the
 * clones it created (recorded the moment their id is known, so a process that dies leaves a record
 * for the next start to clean up), and every step for the audit.
 */
import type { Db } from './db.js';
import type { ExperimentKind, ExperimentPlan, ExperimentState, Variant } from '../experiment/types.js';

export interface ExperimentRow {
  id: string;
  kind: ExperimentKind;
  pipelineId: string;
  pipelineName: string;
  state: ExperimentState;
  createdBy: string | null;
  surface: string;
  channel: string | null;
  threadTs: string | null;
  iterations: number;
  maxDollars: number | null;
  plan: ExperimentPlan;
  startedAt: number;
  heartbeatAt: number;
  endedAt: number | null;
  cancelRequested: string | null;
  message: string | null;
  result: unknown;
}

export interface CloneRow {
  experimentId: string;
  variant: Variant | null;
  cloneId: string;
  target: string | null;
  createdAt: number;
  deletedAt: number | null;
  cleanupError: string | null;
}

export type StartExperiment = Pick<ExperimentRow, 'id' | 'kind' | 'pipelineId' | 'pipelineName' | 'createdBy' | 'surface' | 'channel' | 'threadTs' | 'iterations' | 'maxDollars' | 'plan' | 'startedAt'>;

interface RawRow {
  id: string;
  kind: ExperimentKind;
  pipeline_id: string;
  pipeline_name: string;
  state: ExperimentState;
  created_by: string | null;
  surface: string;
  channel: string | null;
  thread_ts: string | null;
  iterations: number;
  max_dollars: number | null;
  plan: string;
  started_at: number;
  heartbeat_at: number;
  ended_at: number | null;
  cancel_requested: string | null;
  message: string | null;
  result: string | null;
}

const parse = (s: string | null): unknown => {
  if (s === null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
};

const toRow = (r: RawRow): ExperimentRow => ({
  id: r.id,
  kind: r.kind,
  pipelineId: r.pipeline_id,
  pipelineName: r.pipeline_name,
  state: r.state,
  createdBy: r.created_by,
  surface: r.surface,
  channel: r.channel,
  threadTs: r.thread_ts,
  iterations: r.iterations,
  maxDollars: r.max_dollars,
  plan: parse(r.plan) as ExperimentPlan,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  endedAt: r.ended_at,
  cancelRequested: r.cancel_requested,
  message: r.message,
  result: parse(r.result),
});

export function createExperimentStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO experiments (id, kind, pipeline_id, pipeline_name, state, created_by, surface, channel, thread_ts, iterations, max_dollars, plan, started_at, heartbeat_at)
     VALUES (@id, @kind, @pipelineId, @pipelineName, 'running', @createdBy, @surface, @channel, @threadTs, @iterations, @maxDollars, @plan, @startedAt, @startedAt)`,
  );
  const byId = db.prepare(`SELECT * FROM experiments WHERE id = ?`);
  const runningFor = db.prepare(`SELECT * FROM experiments WHERE pipeline_id = ? AND state = 'running'`);
  const running = db.prepare(`SELECT * FROM experiments WHERE state = 'running' ORDER BY started_at`);
  const recent = db.prepare(`SELECT * FROM experiments ORDER BY started_at DESC LIMIT ?`);
  const beat = db.prepare(`UPDATE experiments SET heartbeat_at = ? WHERE id = ? AND state = 'running'`);
  const finish = db.prepare(`UPDATE experiments SET state = @state, ended_at = @at, message = @message, result = @result, heartbeat_at = @at WHERE id = @id AND state = 'running'`);
  const cancel = db.prepare(`UPDATE experiments SET cancel_requested = ? WHERE id = ? AND state = 'running' AND cancel_requested IS NULL`);
  const addClone = db.prepare(`INSERT OR IGNORE INTO experiment_clones (experiment_id, variant, clone_id, target, created_at) VALUES (?, ?, ?, ?, ?)`);
  const clones = db.prepare(`SELECT * FROM experiment_clones WHERE experiment_id = ? ORDER BY created_at, variant`);
  const liveClones = db.prepare(`SELECT * FROM experiment_clones WHERE deleted_at IS NULL ORDER BY created_at`);
  const deleted = db.prepare(`UPDATE experiment_clones SET deleted_at = ?, cleanup_error = NULL WHERE experiment_id = ? AND clone_id = ?`);
  const cleanupFailed = db.prepare(`UPDATE experiment_clones SET cleanup_error = ? WHERE experiment_id = ? AND clone_id = ?`);
  const step = db.prepare(`INSERT INTO experiment_steps (experiment_id, at, step, detail) VALUES (?, ?, ?, ?)`);
  const steps = db.prepare(`SELECT at, step, detail FROM experiment_steps WHERE experiment_id = ? ORDER BY id`);
  const toClone = (r: { experiment_id: string; variant: Variant | null; clone_id: string; target: string | null; created_at: number; deleted_at: number | null; cleanup_error: string | null }): CloneRow => ({
    experimentId: r.experiment_id,
    variant: r.variant,
    cloneId: r.clone_id,
    target: r.target,
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
    cleanupError: r.cleanup_error,
  });

  return {
    /** false: an experiment is already running on this pipeline */
    start(e: StartExperiment): boolean {
      try {
        insert.run({ ...e, plan: JSON.stringify(e.plan) });
        return true;
      } catch (err) {
        if (err instanceof Error && /UNIQUE constraint failed/.test(err.message) && runningFor.get(e.pipelineId)) return false;
        throw err;
      }
    },
    get(id: string): ExperimentRow | null {
      const r = byId.get(id) as RawRow | undefined;
      return r ? toRow(r) : null;
    },
    runningFor(pipelineId: string): ExperimentRow | null {
      const r = runningFor.get(pipelineId) as RawRow | undefined;
      return r ? toRow(r) : null;
    },
    running(): ExperimentRow[] {
      return (running.all() as RawRow[]).map(toRow);
    },
    recent(limit = 20): ExperimentRow[] {
      return (recent.all(limit) as RawRow[]).map(toRow);
    },
    heartbeat(id: string, at: number): void {
      beat.run(at, id);
    },
    /** ends a running experiment; false when it had already ended */
    finish(id: string, o: { state: Exclude<ExperimentState, 'running'>; at: number; message: string | null; result: unknown }): boolean {
      return finish.run({ id, state: o.state, at: o.at, message: o.message, result: o.result === null ? null : JSON.stringify(o.result) }).changes === 1;
    },
    /** records who asked; false when it is not running or a cancel was already asked */
    requestCancel(id: string, by: string): boolean {
      return cancel.run(by, id).changes === 1;
    },
    cancelRequested(id: string): string | null {
      return (byId.get(id) as RawRow | undefined)?.cancel_requested ?? null;
    },
    addClone(experimentId: string, variant: Variant | null, cloneId: string, target: string | null, at: number): void {
      addClone.run(experimentId, variant, cloneId, target, at);
    },
    clones(experimentId: string): CloneRow[] {
      return (clones.all(experimentId) as Parameters<typeof toClone>[0][]).map(toClone);
    },
    /** clones not yet deleted, of every experiment */
    liveClones(): CloneRow[] {
      return (liveClones.all() as Parameters<typeof toClone>[0][]).map(toClone);
    },
    cloneDeleted(experimentId: string, cloneId: string, at: number): void {
      deleted.run(at, experimentId, cloneId);
    },
    cloneCleanupFailed(experimentId: string, cloneId: string, error: string): void {
      cleanupFailed.run(error.slice(0, 500), experimentId, cloneId);
    },
    step(experimentId: string, at: number, name: string, detail: unknown = null): void {
      step.run(experimentId, at, name, detail === null ? null : typeof detail === 'string' ? detail : JSON.stringify(detail));
    },
    steps(experimentId: string): { at: number; step: string; detail: string | null }[] {
      return steps.all(experimentId) as { at: number; step: string; detail: string | null }[];
    },
  };
}

export type ExperimentStore = ReturnType<typeof createExperimentStore>;
