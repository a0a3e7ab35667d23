/**
 * The cluster of one update: how many executors it has over time (ENHANCED ramp to its target, a slow
 * LEGACY step ramp, or a fixed size), when each worker joined and warmed up, its slot utilization and
 * queued tasks per minute; and the `autoscale` / `cluster_resources` events that report them.
 */
import { NODE_TYPES } from './billing.js';
import { pushEvent } from './events.js';
import { maxWorkers, targetExecutors } from './facts.js';
import type { ClusterProfile, Ctx, Timeline, UpdatePlan } from './model.js';
import { Walk, spread, warmup } from './noise.js';
import { MIN, SEC, clamp, round } from './units.js';

export function clusterProfile(ctx: Ctx, u: UpdatePlan, tl: Timeline): ClusterProfile {
  const { rng, def } = ctx;
  const tr = u.traits;
  const autoscale = def.cluster?.autoscale;
  const ramp = tr.ramp;
  const minW = ramp?.from ?? autoscale?.min ?? def.cluster?.numWorkers ?? 0;
  const target = ramp ? ramp.to : targetExecutors(def, tr);
  const maxW = Math.max(maxWorkers(def), target);
  const cores = NODE_TYPES[def.cluster?.nodeType ?? 'i3.2xlarge']?.cores ?? 8;
  const optimal = tr.optimal ?? target;
  const warmMs = tr.warmupMin * MIN * rng.range(0.75, 1.25);
  // ENHANCED autoscaling reaches its target within a few minutes; LEGACY steps up slowly
  const rampMs = ramp ? ramp.minutes * MIN * rng.range(0.95, 1.05) : rng.range(2.5, 4.5) * MIN;
  const executorsAt = (t: number): number => {
    if (!autoscale && !ramp) return target;
    if (t < tl.tRun) return minW;
    const x = clamp((t - tl.tRun) / rampMs, 0, 1);
    if (ramp) return Math.min(target, minW + Math.floor((target - minW + 1) * x));
    return Math.round(minW + (target - minW) * x);
  };
  // when each worker joined: the first minW with the cluster (INITIALIZING), the others as the ramp adds them
  const joined: number[] = [];
  for (let w = 0; w < maxW; w++) {
    if (w < minW) {
      joined.push(tl.tInit);
      continue;
    }
    let t = tl.tRun;
    while (t < tl.tRun + rampMs + MIN && executorsAt(t) <= w) t += 10 * SEC;
    joined.push(executorsAt(t) > w ? t : Number.POSITIVE_INFINITY);
  }
  const warmAt = (t: number, w?: number): number => {
    const from = w === undefined ? tl.tRun : Math.max(tl.tRun, joined[w] ?? tl.tRun);
    return warmup(t, from, warmMs);
  };

  // per-minute slot utilization and queued tasks over the running phase (precomputed: a walk is sequential)
  const minutes = Math.max(1, Math.ceil((tl.tRunEnd - tl.tRun) / MIN) + 1);
  const utilWalk = new Walk(rng, 0.035);
  const util: number[] = [];
  const queued: number[] = [];
  for (let m = 0; m < minutes; m++) {
    const t = tl.tRun + m * MIN;
    const warm = warmAt(t);
    if (ramp) {
      util.push(clamp(tr.util + utilWalk.next() * 0.5, 0.01, 0.995));
      const progress = clamp((t - tl.tRun) / rampMs, 0, 1);
      queued.push(Math.max(0, Math.round(spread(rng, tr.queued * (1 - 0.65 * progress), 0.2))));
    } else {
      util.push(clamp(tr.util * (0.6 + 0.4 * warm) + utilWalk.next(), 0.01, 0.995));
      queued.push(Math.max(0, Math.round(spread(rng, tr.queued * (1 + 0.8 * (1 - warm)), 0.3))));
    }
  }
  const idx = (t: number) => clamp(Math.floor((t - tl.tRun) / MIN), 0, minutes - 1);
  return {
    minW,
    maxW,
    target,
    optimal,
    cores,
    executorsAt,
    joinedAt: (w) => joined[w] ?? Number.POSITIVE_INFINITY,
    warmAt,
    utilAt: (t) => util[idx(t)] ?? tr.util,
    queuedAt: (t) => queued[idx(t)] ?? 0,
  };
}

/** `autoscale` events (scale-up, and every 10 minutes while capped) and `cluster_resources` every metric period. */
export function genClusterEvents(ctx: Ctx, u: UpdatePlan, tl: Timeline, prof: ClusterProfile): void {
  const { rng, def } = ctx;
  const autoscale = def.cluster?.autoscale;
  const fields = def.autoscaleFields !== false;
  const { minW, maxW, target, optimal, cores } = prof;
  const rampEnd = (() => {
    let t = tl.tRun;
    while (t < tl.tRunEnd && prof.executorsAt(t) < target) t += 10 * SEC;
    return t;
  })();
  if (autoscale && fields && target > minW) {
    const autoscaleEvent = (t: number, status: 'RESIZING' | 'SUCCEEDED', message: string) =>
      pushEvent(ctx, {
        t,
        type: 'autoscale',
        update: u,
        dataPlane: true,
        maturity: 'EVOLVING',
        message,
        details: { autoscale: { status, optimal_num_executors: optimal, requested_num_executors: target } },
      });
    autoscaleEvent(tl.tRun + 20 * SEC, 'RESIZING', `Scaling up cluster from ${minW} to ${target} executors.`);
    autoscaleEvent(rampEnd, 'SUCCEEDED', `Cluster resized to ${target} executors.`);
    if (optimal > target) {
      for (let t = rampEnd + 10 * MIN; t < tl.tRunEnd; t += 10 * MIN) autoscaleEvent(t, 'SUCCEEDED', `Optimal cluster size is ${optimal} executors, capped at max_workers ${maxW}.`);
    }
  }
  for (let t = tl.tSetup + 30 * SEC; t < tl.tRunEnd; t += tl.metricEvery) {
    const running = t >= tl.tRun;
    const ex = prof.executorsAt(t);
    const slots = ex * cores;
    const util = running ? prof.utilAt(t) : rng.range(0.02, 0.08);
    const queued = running ? prof.queuedAt(t) : 0;
    const reqEx = running ? target : minW;
    const opt = running ? optimal : minW;
    const scalingUp = running && ex < target;
    // the same slot metrics sit at the top of the older flat shape and inside task_slot_metrics in the nested one
    const slotMetrics = {
      num_task_slots: slots,
      avg_num_task_slots: slots,
      avg_task_slot_utilization: round(util, 3),
      num_executors: ex,
      avg_num_queued_tasks: queued,
    };
    const withAutoscale = !!autoscale && fields;
    const details =
      def.shape === 'flat'
        ? {
            cluster_resources: {
              ...slotMetrics,
              ...(withAutoscale
                ? { state: scalingUp ? 'SCALE_UP_IN_PROGRESS_WAITING_FOR_EXECUTORS' : 'CLUSTER_AT_DESIRED_SIZE', optimal_num_executors: opt, latest_requested_num_executors: reqEx }
                : {}),
            },
          }
        : {
            cluster_resources: {
              task_slot_metrics: { summary_duration_ms: Math.round(tl.metricEvery), ...slotMetrics },
              ...(withAutoscale
                ? { autoscale_info: { state: scalingUp ? 'RESIZING' : 'SUCCEEDED', optimal_num_executors: opt, latest_requested_num_executors: reqEx, request_pending_seconds: scalingUp ? round((t - tl.tRun) / SEC, 1) : 0 } }
                : {}),
            },
          };
    pushEvent(ctx, { t, type: 'cluster_resources', update: u, dataPlane: true, level: 'METRICS', maturity: 'EVOLVING', message: `Cluster has ${ex} executors and ${slots} task slots.`, details });
  }
}
