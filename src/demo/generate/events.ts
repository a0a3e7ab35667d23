/** Event-log rows: the common envelope (origin, sequence, timestamp) and error payloads. */
import type { Ctx, UpdatePlan } from './model.js';
import { CLOUD, REGION, iso } from './units.js';

export function pushEvent(
  ctx: Ctx,
  e: {
    t: number;
    type: string;
    level?: string;
    message: string;
    details: Record<string, unknown>;
    update?: UpdatePlan;
    flow?: { name: string; id: string; dataset: string };
    error?: Record<string, unknown> | null;
    maturity?: string;
    dataPlane?: boolean;
  },
): void {
  ctx.seq += 1;
  const origin: Record<string, unknown> = {
    cloud: CLOUD,
    region: REGION,
    org_id: ctx.orgId,
    pipeline_id: ctx.pipelineId,
    pipeline_type: 'WORKSPACE',
    pipeline_name: ctx.name,
  };
  if (e.update) {
    origin.update_id = e.update.id;
    if (e.update.clusterId && e.dataPlane) origin.cluster_id = e.update.clusterId;
  }
  if (e.flow) {
    origin.flow_id = e.flow.id;
    origin.flow_name = e.flow.name;
    origin.dataset_name = e.flow.dataset;
  }
  ctx.events.push({
    id: ctx.rng.uuid(),
    sequence: e.dataPlane
      ? { data_plane_id: { instance: ctx.instance, seq_no: ctx.seq }, control_plane_seq_no: null }
      : { control_plane_seq_no: ctx.seq },
    origin,
    timestamp: iso(Math.round(e.t)),
    message: e.message,
    level: e.level ?? 'INFO',
    maturity_level: e.maturity ?? 'STABLE',
    error: e.error ?? null,
    details: e.details,
    event_type: e.type,
  });
}

export function oomError(fatal: boolean, executor: number): Record<string, unknown> {
  return {
    fatal,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message: `Job aborted due to stage failure: Task 37 in stage 112.0 failed 4 times, most recent failure: Lost task 37.3 in stage 112.0 (TID 8841) (10.12.4.${20 + executor} executor ${executor}): ExecutorLostFailure (executor ${executor} exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 137 (OOMKilled)`,
        stack: [
          { declaring_class: 'org.apache.spark.scheduler.DAGScheduler', method_name: 'failJobAndIndependentStages', file_name: 'DAGScheduler.scala', line_number: 3628 },
        ],
      },
      {
        class_name: 'java.lang.OutOfMemoryError',
        message: 'Java heap space',
        stack: [{ declaring_class: 'org.apache.spark.sql.execution.joins.UnsafeHashedRelation$', method_name: 'apply', file_name: 'HashedRelation.scala', line_number: 479 }],
      },
    ],
  };
}

/** A task lost to GC thrash on an executor, retried by Spark (the flow goes on): WARN, not fatal. */
export function gcOverheadError(executor: number, task: number): Record<string, unknown> {
  return {
    fatal: false,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message: `Lost task ${task}.0 in stage 57.0 (TID ${9100 + task}) (10.12.4.${20 + executor} executor ${executor}): java.lang.OutOfMemoryError: GC overhead limit exceeded`,
        stack: [{ declaring_class: 'org.apache.spark.scheduler.TaskSetManager', method_name: 'handleFailedTask', file_name: 'TaskSetManager.scala', line_number: 1015 }],
      },
      {
        class_name: 'java.lang.OutOfMemoryError',
        message: 'GC overhead limit exceeded',
        stack: [{ declaring_class: 'org.apache.spark.sql.catalyst.expressions.UnsafeRow', method_name: 'copy', file_name: 'UnsafeRow.java', line_number: 491 }],
      },
    ],
  };
}

/** The driver collects more than spark.driver.maxResultSize (a collect()/toPandas() in the flow's code): fatal. */
export function driverResultSizeError(): Record<string, unknown> {
  return {
    fatal: true,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message:
          'Job aborted due to stage failure: Total size of serialized results of 3127 tasks (4.1 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)',
        stack: [
          { declaring_class: 'org.apache.spark.scheduler.DAGScheduler', method_name: 'failJobAndIndependentStages', file_name: 'DAGScheduler.scala', line_number: 3628 },
          { declaring_class: 'org.apache.spark.sql.Dataset', method_name: 'collectToPython', file_name: 'Dataset.scala', line_number: 4259 },
        ],
      },
    ],
  };
}

/** Unity Catalog refuses the run-as user a schema of the flow's input (Databricks' own exception and wording). */
export function permissionError(schema: string): Record<string, unknown> {
  return {
    fatal: true,
    exceptions: [
      {
        class_name: 'com.databricks.sql.managedcatalog.acl.UnauthorizedAccessException',
        message: `PERMISSION_DENIED: User does not have USE SCHEMA on Schema '${schema}'.`,
        stack: [{ declaring_class: 'com.databricks.sql.managedcatalog.ManagedCatalogClientImpl', method_name: 'getSchema', file_name: 'ManagedCatalogClientImpl.scala', line_number: 1822 }],
      },
    ],
  };
}
