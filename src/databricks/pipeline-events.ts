/**
 * Where the pipeline events system table is, resolved at run time (src/databricks/sql.ts uses it):
 * the .sql files write `{{pipeline_events}}` and a warehouse fills in the table it resolved.
 */
import { DoctorError } from '../errors.js';

/**
 * Where the pipeline events system table may be, in the order tried. Databricks' reference
 * (docs.databricks.com/aws/en/admin/system-tables/pipeline-events, "Available pipeline event
 * tables"): "The schema is lakeflow_pipeline_events_preview during Beta. At general availability,
 * the table moves to the lakeflow schema (the final table path will be system.lakeflow.pipeline_events)."
 */
export const PIPELINE_EVENTS_TABLES = ['system.lakeflow_pipeline_events_preview.pipeline_events', 'system.lakeflow.pipeline_events'] as const;
/** The text the .sql files write where the resolved table goes (never filled from user input). */
export const PIPELINE_EVENTS_PLACEHOLDER = '{{pipeline_events}}';
/** catalog.schema.table, each an unquoted identifier: it is spliced into SQL, so nothing else passes. */
const THREE_PART_NAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export function isThreePartName(name: string): boolean {
  return THREE_PART_NAME.test(name);
}

export function readsPipelineEvents(sql: string): boolean {
  return sql.includes(PIPELINE_EVENTS_PLACEHOLDER);
}

/** `sql` with the placeholder replaced by a validated three-part name. */
export function withPipelineEventsTable(sql: string, table: string): string {
  if (!isThreePartName(table)) {
    throw new DoctorError('CONFIG', `"${table}" is not a valid pipeline events table (catalog.schema.table: letters, digits and _ only).`);
  }
  return sql.split(PIPELINE_EVENTS_PLACEHOLDER).join(table);
}

/** `system.lakeflow.pipeline_events` → `system.lakeflow` */
export function schemaOf(table: string): string {
  return table.split('.').slice(0, 2).join('.');
}

export interface PipelineEventsResolver {
  /** the readable table, or null when no candidate is (cached; a missing table is asked again after a while) */
  resolve(): Promise<string | null>;
  /** the last answer, without asking (null before the first, or when none was found) */
  current(): string | null;
  /**
   * `table` turned out not to be there (a statement on it said TABLE_OR_VIEW_NOT_FOUND: the Beta
   * schema went away at GA): forget it, so the next statement probes again. A configured table stays.
   */
  forget(table: string): void;
  readonly candidates: readonly string[];
}

export interface PipelineEventsResolverOptions {
  /** DLT_DOCTOR_PIPELINE_EVENTS_TABLE: used as is, nothing is probed */
  configured?: string | null;
  /** runs `pipeline-events-probe` against one table; rejects when it cannot be read */
  probe: (table: string) => Promise<void>;
  /** "this table is not there / not granted" (try the next), as opposed to an outage (fail) */
  isMissing: (err: unknown) => boolean;
  candidates?: readonly string[];
  /** how long "none is readable" is believed before asking again (a grant may have been added), default 10 min */
  missingTtlMs?: number;
  now?: () => number;
}

/**
 * Resolves the pipeline events table once: the configured name, else the first candidate that
 * answers the probe. The answer is cached (in-flight lookups are shared); an outage is not cached.
 */
export function createPipelineEventsResolver(opts: PipelineEventsResolverOptions): PipelineEventsResolver {
  const candidates = opts.candidates ?? PIPELINE_EVENTS_TABLES;
  const now = opts.now ?? Date.now;
  const missingTtlMs = opts.missingTtlMs ?? 10 * 60_000;
  if (opts.configured && !isThreePartName(opts.configured)) {
    throw new DoctorError('CONFIG', `DLT_DOCTOR_PIPELINE_EVENTS_TABLE "${opts.configured}" is not catalog.schema.table.`);
  }
  let answer: { table: string | null; at: number } | null = opts.configured ? { table: opts.configured, at: now() } : null;
  let inFlight: Promise<string | null> | null = null;

  const lookup = async (): Promise<string | null> => {
    for (const table of candidates) {
      try {
        await opts.probe(table);
        return table;
      } catch (err) {
        if (!opts.isMissing(err)) throw err;
      }
    }
    return null;
  };

  return {
    candidates,
    current: () => answer?.table ?? null,
    forget(table) {
      if (!opts.configured && answer?.table === table) answer = null;
    },
    resolve() {
      if (answer && (answer.table !== null || now() - answer.at < missingTtlMs)) return Promise.resolve(answer.table);
      inFlight ??= lookup()
        .then((table) => {
          answer = { table, at: now() };
          return table;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
  };
}
