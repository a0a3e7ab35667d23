/**
 * One update's event stream: user_action / create_update, the update_progress phases (with RESETTING on a
 * full refresh), the flows' definitions and progress (flows.ts), the cluster's events (cluster.ts), then
 * node_timeline rows (nodes.ts) and billing rows (billing.ts).
 */
import { genUsage } from './billing.js';
import { clusterProfile, genClusterEvents } from './cluster.js';
import { pushEvent } from './events.js';
import { genDefinitions, genFlows, updateFailure } from './flows.js';
import type { Ctx, FlowRuntime, Timeline, UpdatePlan } from './model.js';
import { genNodes } from './nodes.js';
import { MIN, SEC } from './units.js';

function timeline(ctx: Ctx, u: UpdatePlan): Timeline {
  const { rng } = ctx;
  const tr = u.traits;
  const t0 = u.start;
  // older runs wait for their cluster more or less long; the recent ones are what the scenario says
  const waitS = rng.jitter(tr.waitS, u.recent ? 0.08 : 0.25);
  const initS = rng.jitter(tr.initS, 0.08);
  const resetS = u.fullRefresh ? rng.jitter(tr.resetS > 0 ? tr.resetS : 95, 0.15) : 0;
  const setupS = rng.jitter(tr.setupS, 0.08);
  const runningS = Math.max(300, u.durationS - waitS - initS - resetS - setupS - 8);
  const tWait = t0 + 2 * SEC + rng.range(0, 800);
  const tInit = tWait + waitS * SEC;
  const tReset = u.fullRefresh ? tInit + initS * SEC : null;
  const tSetup = (tReset ?? tInit + initS * SEC) + resetS * SEC;
  const tRun = tSetup + setupS * SEC;
  const failAt = u.state === 'FAILED' ? tr.failAt : 1;
  const tRunEnd = tRun + runningS * SEC * failAt;
  const tEnd = tRunEnd + (u.state === 'CANCELED' ? 20 * SEC : 1.5 * SEC);
  // per-minute METRICS rows for recent updates, coarser for older ones; capped per series (continuous runs last days)
  const metricEvery = u.recent ? Math.max(MIN, (runningS * SEC) / 240) : Math.max(5 * MIN, (runningS * SEC) / 120);
  return { t0, tWait, tInit, tReset, tSetup, tRun, tRunEnd, tEnd, runningS, initS, metricEvery };
}

export function genUpdate(ctx: Ctx, u: UpdatePlan, flows: FlowRuntime[]): void {
  const { def } = ctx;
  const classic = !def.serverless;
  const short = u.id.slice(0, 6);
  const tl = timeline(ctx, u);
  const userId = 4_100_000_000_000 + (ctx.orgId % 1000);

  // ---- create_update, user_action, early update_progress
  if (u.cause === 'USER_ACTION') {
    pushEvent(ctx, {
      t: tl.t0 - 400,
      type: 'user_action',
      message: u.fullRefresh ? `User ${def.owner} started a full refresh of all tables.` : `User ${def.owner} started an update.`,
      details: { user_action: { action: 'START', user_name: def.owner, user_id: userId } },
    });
  }
  pushEvent(ctx, {
    t: tl.t0,
    type: 'create_update',
    update: u,
    message: `Update ${short} started by ${u.cause}.`,
    details: { create_update: { cause: u.cause, full_refresh: u.fullRefresh, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: def.owner } },
  });
  const progress = (t: number, state: string, extra: { error?: Record<string, unknown>; level?: string; cancellation?: string } = {}) =>
    pushEvent(ctx, {
      t,
      type: 'update_progress',
      update: u,
      level: extra.level ?? 'INFO',
      message: `Update ${short} is ${state}.`,
      details: { update_progress: { state, ...(extra.cancellation ? { cancellation_cause: extra.cancellation } : {}) } },
      ...(extra.error ? { error: extra.error } : {}),
    });
  progress(tl.t0 + 300, 'QUEUED');
  progress(tl.t0 + 1200, 'CREATED');
  progress(tl.tWait, 'WAITING_FOR_RESOURCES');
  progress(tl.tInit, 'INITIALIZING');
  pushEvent(ctx, {
    t: tl.tInit + 4 * SEC,
    type: 'runtime_details',
    update: u,
    dataPlane: true,
    message: 'Pipeline runtime details.',
    details: { runtime_details: { runtime_version: { dbr_version: classic ? '16.4' : 'serverless' }, image_key: classic ? `dlt:16.4.8-delta-pipelines-dlt-release-dp-2026.44-rc0-commit-${ctx.instance.slice(-7)}-image-${u.id.slice(0, 6)}` : null } },
  });
  genDefinitions(ctx, u, tl, flows);
  if (tl.tReset !== null) progress(tl.tReset, 'RESETTING');
  progress(tl.tSetup, 'SETTING_UP_TABLES');
  progress(tl.tRun, 'RUNNING');

  // ---- cluster, flows
  const prof = classic ? clusterProfile(ctx, u, tl) : null;
  if (prof) genClusterEvents(ctx, u, tl, prof);
  genFlows(ctx, u, tl, prof, flows);

  // ---- end of update
  if (u.state === 'FAILED') {
    progress(tl.tEnd, 'FAILED', { level: 'ERROR', error: updateFailure(ctx, u, flows) });
  } else if (u.state === 'CANCELED') {
    pushEvent(ctx, { t: tl.tRunEnd - 400, type: 'user_action', message: `User ${def.owner} stopped the pipeline.`, details: { user_action: { action: 'STOP', user_name: def.owner, user_id: userId } } });
    progress(tl.tRunEnd, 'STOPPING');
    progress(tl.tEnd, 'CANCELED', { cancellation: 'USER_ACTION' });
  } else {
    progress(tl.tEnd, 'COMPLETED');
  }

  // ---- node_timeline (recent updates of classic pipelines)
  if (prof && u.recent && u.clusterId) genNodes(ctx, u, tl, prof);

  // ---- billing: one row per update-hour on the update's cluster
  genUsage(ctx, u, classic ? tl.tInit : tl.tWait, tl.tEnd, (t) => (prof ? prof.executorsAt(t) + 1 : 0));
}
