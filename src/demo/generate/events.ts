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
