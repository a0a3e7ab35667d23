/** Benchmarks and A/B tests (ids 5xx): src/store/experiments.ts. */
import type { Migration } from './index.js';

export const EXPERIMENT_MIGRATIONS: Migration[] = [
  {
    id: '500-experiments',
    sql: `
      CREATE TABLE IF NOT EXISTS experiments (
        id               TEXT PRIMARY KEY,           -- short hex id, also in the clones' names
        kind             TEXT NOT NULL CHECK (kind IN ('benchmark', 'ab-test')),
        pipeline_id      TEXT NOT NULL,
        pipeline_name    TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'canceled', 'capped')),
        created_by       TEXT,
        surface          TEXT NOT NULL,
        channel          TEXT,
        thread_ts        TEXT,
        iterations       INTEGER NOT NULL,
        max_dollars      REAL,
        plan             TEXT NOT NULL,              -- the ExperimentPlan as JSON
        started_at       INTEGER NOT NULL,           -- epoch ms
        heartbeat_at     INTEGER NOT NULL,           -- renewed while it runs; a stale one is an orphan
        ended_at         INTEGER,
        cancel_requested TEXT,                       -- who asked to cancel
        message          TEXT,
        result           TEXT                        -- the outcome as JSON
      );
      -- one experiment per pipeline at a time
      CREATE UNIQUE INDEX IF NOT EXISTS experiments_one_running ON experiments (pipeline_id) WHERE state = 'running';
      CREATE TABLE IF NOT EXISTS experiment_clones (
        experiment_id TEXT NOT NULL REFERENCES experiments (id),
        variant       TEXT,                          -- A | B | NULL (benchmark)
        clone_id      TEXT NOT NULL,
        target        TEXT,                          -- catalog.schema it published to
        created_at    INTEGER NOT NULL,
        deleted_at    INTEGER,
        cleanup_error TEXT,
        PRIMARY KEY (experiment_id, clone_id)
      );
      -- every step, for the audit
      CREATE TABLE IF NOT EXISTS experiment_steps (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        experiment_id TEXT NOT NULL REFERENCES experiments (id),
        at            INTEGER NOT NULL,
        step          TEXT NOT NULL,
        detail        TEXT
      );
      CREATE INDEX IF NOT EXISTS experiment_steps_by_experiment ON experiment_steps (experiment_id, id);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS experiments (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (kind IN ('benchmark', 'ab-test')),
        pipeline_id      TEXT NOT NULL,
        pipeline_name    TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'canceled', 'capped')),
        created_by       TEXT,
        surface          TEXT NOT NULL,
        channel          TEXT,
        thread_ts        TEXT,
        iterations       INTEGER NOT NULL,
        max_dollars      DOUBLE PRECISION,
        plan             TEXT NOT NULL,
        started_at       BIGINT NOT NULL,
        heartbeat_at     BIGINT NOT NULL,
        ended_at         BIGINT,
        cancel_requested TEXT,
        message          TEXT,
        result           TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS experiments_one_running ON experiments (pipeline_id) WHERE state = 'running';
      CREATE TABLE IF NOT EXISTS experiment_clones (
        experiment_id TEXT NOT NULL REFERENCES experiments (id),
        variant       TEXT,
        clone_id      TEXT NOT NULL,
        target        TEXT,
        created_at    BIGINT NOT NULL,
        deleted_at    BIGINT,
        cleanup_error TEXT,
        PRIMARY KEY (experiment_id, clone_id)
      );
      CREATE TABLE IF NOT EXISTS experiment_steps (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments (id),
        at            BIGINT NOT NULL,
        step          TEXT NOT NULL,
        detail        TEXT
      );
      CREATE INDEX IF NOT EXISTS experiment_steps_by_experiment ON experiment_steps (experiment_id, id);
    `,
  },
];
