/**
 * Experiments in the store (migration 500): the experiment row (one running per pipeline, by a
 * unique partial index, so two people cannot start two at once even from two processes or
 * replicas), the clones it created (recorded the moment their id is known, so a process that dies
 * leaves a record for the next start to clean up), and every step for the audit. On either store
 * backend (src/store/sql/): the statements are SQL SQLite and PostgreSQL both accept.
 */
import type { SqlDb } from './sql/types.js';
import type { Db } from './db.js';
import { asSqlDb } from './sql/sqlite.js';
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
  iterations: Number(r.iterations),
  maxDollars: r.max_dollars === null ? null : Number(r.max_dollars),
  plan: parse(r.plan) as ExperimentPlan,
  startedAt: Number(r.started_at),
  heartbeatAt: Number(r.heartbeat_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  cancelRequested: r.cancel_requested,
  message: r.message,
  result: parse(r.result),
});

export function createExperimentStore(conn: SqlDb | Db) {
  const db = asSqlDb(conn);
  const toClone = (r: { experiment_id: string; variant: Variant | null; clone_id: string; target: string | null; created_at: number; deleted_at: number | null; cleanup_error: string | null }): CloneRow => ({
    experimentId: r.experiment_id,
    variant: r.variant,
    cloneId: r.clone_id,
    target: r.target,
    createdAt: Number(r.created_at),
    deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
    cleanupError: r.cleanup_error,
  });
  type RawClone = Parameters<typeof toClone>[0];
  const one = async (sql: string, params: (string | number | null)[]) => {
    const r = await db.get<RawRow>(sql, params);
    return r ? toRow(r) : null;
  };

  return {
    /** false: an experiment is already running on this pipeline (the partial unique index) */
    async start(e: StartExperiment): Promise<boolean> {
      const r = await db.run(
        `INSERT INTO experiments (id, kind, pipeline_id, pipeline_name, state, created_by, surface, channel, thread_ts, iterations, max_dollars, plan, started_at, heartbeat_at)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [e.id, e.kind, e.pipelineId, e.pipelineName, e.createdBy, e.surface, e.channel, e.threadTs, e.iterations, e.maxDollars, JSON.stringify(e.plan), e.startedAt, e.startedAt],
      );
      return r.changes === 1;
    },
    get(id: string): Promise<ExperimentRow | null> {
      return one('SELECT * FROM experiments WHERE id = ?', [id]);
    },
    runningFor(pipelineId: string): Promise<ExperimentRow | null> {
      return one(`SELECT * FROM experiments WHERE pipeline_id = ? AND state = 'running'`, [pipelineId]);
    },
    async running(): Promise<ExperimentRow[]> {
      return (await db.all<RawRow>(`SELECT * FROM experiments WHERE state = 'running' ORDER BY started_at`)).map(toRow);
    },
    async recent(limit = 20): Promise<ExperimentRow[]> {
      return (await db.all<RawRow>('SELECT * FROM experiments ORDER BY started_at DESC LIMIT ?', [limit])).map(toRow);
    },
    async heartbeat(id: string, at: number): Promise<void> {
      await db.run(`UPDATE experiments SET heartbeat_at = ? WHERE id = ? AND state = 'running'`, [at, id]);
    },
    /** ends a running experiment; false when it had already ended */
    async finish(id: string, o: { state: Exclude<ExperimentState, 'running'>; at: number; message: string | null; result: unknown }): Promise<boolean> {
      const r = await db.run(`UPDATE experiments SET state = ?, ended_at = ?, message = ?, result = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'`, [o.state, o.at, o.message, o.result === null ? null : JSON.stringify(o.result), o.at, id]);
      return r.changes === 1;
    },
    /** records who asked; false when it is not running or a cancel was already asked */
    async requestCancel(id: string, by: string): Promise<boolean> {
      return (await db.run(`UPDATE experiments SET cancel_requested = ? WHERE id = ? AND state = 'running' AND cancel_requested IS NULL`, [by, id])).changes === 1;
    },
    async cancelRequested(id: string): Promise<string | null> {
      return (await db.get<{ cancel_requested: string | null }>('SELECT cancel_requested FROM experiments WHERE id = ?', [id]))?.cancel_requested ?? null;
    },
    async addClone(experimentId: string, variant: Variant | null, cloneId: string, target: string | null, at: number): Promise<void> {
      await db.run('INSERT INTO experiment_clones (experiment_id, variant, clone_id, target, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [experimentId, variant, cloneId, target, at]);
    },
    async clones(experimentId: string): Promise<CloneRow[]> {
      return (await db.all<RawClone>('SELECT * FROM experiment_clones WHERE experiment_id = ? ORDER BY created_at, variant', [experimentId])).map(toClone);
    },
    /** clones not yet deleted, of every experiment */
    async liveClones(): Promise<CloneRow[]> {
      return (await db.all<RawClone>('SELECT * FROM experiment_clones WHERE deleted_at IS NULL ORDER BY created_at')).map(toClone);
    },
    async cloneDeleted(experimentId: string, cloneId: string, at: number): Promise<void> {
      await db.run('UPDATE experiment_clones SET deleted_at = ?, cleanup_error = NULL WHERE experiment_id = ? AND clone_id = ?', [at, experimentId, cloneId]);
    },
    async cloneCleanupFailed(experimentId: string, cloneId: string, error: string): Promise<void> {
      await db.run('UPDATE experiment_clones SET cleanup_error = ? WHERE experiment_id = ? AND clone_id = ?', [error.slice(0, 500), experimentId, cloneId]);
    },
    async step(experimentId: string, at: number, name: string, detail: unknown = null): Promise<void> {
      await db.run('INSERT INTO experiment_steps (experiment_id, at, step, detail) VALUES (?, ?, ?, ?)', [experimentId, at, name, detail === null ? null : typeof detail === 'string' ? detail : JSON.stringify(detail)]);
    },
    async steps(experimentId: string): Promise<{ at: number; step: string; detail: string | null }[]> {
      return (await db.all<{ at: number; step: string; detail: string | null }>('SELECT at, step, detail FROM experiment_steps WHERE experiment_id = ? ORDER BY id', [experimentId])).map((r) => ({ ...r, at: Number(r.at) }));
    },
  };
}

export type ExperimentStore = ReturnType<typeof createExperimentStore>;
