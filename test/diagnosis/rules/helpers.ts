/**
 * Small builders the rule table tests share on top of test/support/fake-evidence.ts: runs of a
 * given length, flows placed on the timeline, and deterministic noise so that "noisy" cases are
 * the same on every run.
 */
import type { FlowInfo, UpdateInfo } from '../../../src/diagnosis/evidence.js';
import { T0, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';

export const MIN = 60_000;
/** the fake update's phases before RUNNING: queued 5 + waiting 60 + initializing 30 + setting up 25 = 120 s */
export const RUN_START = T0 + 2 * MIN;

/**
 * Deterministic noise in [-1, 1] for (a, b) — e.g. (worker, minute). Same inputs, same value; no
 * Math.random in table tests.
 */
export function jitter(a: number, b = 0, seed = 1): number {
  const x = Math.sin(a * 127.1 + b * 311.7 + seed * 74.7) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** `base ± amp`, the noise mostly per minute (what the per-minute series sees) plus a little per worker. */
export function noisy(base: number, amp: number, seed = 1): (w: number, m: number) => number {
  return (w, m) => base + amp * (0.8 * jitter(m, 0, seed) + 0.2 * jitter(w, m, seed + 1));
}

/** A completed update whose RUNNING phase lasts `minutes` and starts at RUN_START (same phases before it as fakeUpdate). */
export function runOf(minutes: number, o: Partial<UpdateInfo> = {}): UpdateInfo {
  const durationS = 120 + minutes * 60;
  return fakeUpdate({
    durationS,
    endedAt: T0 + durationS * 1000,
    phasesS: { queued: 5, waiting_for_resources: 60, initializing: 30, setting_up_tables: 25, running: minutes * 60 },
    ...o,
  });
}

/** A flow that starts `startMin` and ends `endMin` minutes after RUN_START, with consistent statuses and durations. */
export function flowAt(name: string, startMin: number, endMin: number, o: Partial<FlowInfo> = {}): FlowInfo {
  const start = RUN_START + startMin * MIN;
  const end = RUN_START + endMin * MIN;
  return fakeFlow({
    name,
    outputDataset: name,
    inputDatasets: [],
    statuses: [
      { t: start, status: 'STARTING' },
      { t: start + 0.25 * MIN, status: 'RUNNING' },
      { t: end, status: 'COMPLETED' },
    ],
    startedAt: start,
    endedAt: end,
    durationS: (end - start) / 1000,
    runningS: (end - start) / 1000 - 15,
    ...o,
  });
}

/** Memory failures as Spark and Databricks word them (memory-failures, oom-errors, driver-failure, update-failed tests). */
export const MEMORY_MESSAGES = {
  killed137: 'ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 137',
  yarnLimits: 'Container killed by YARN for exceeding memory limits. 18.2 GB of 18 GB physical memory used. Consider boosting spark.executor.memoryOverhead.',
  oomKilled: 'Executor 4 was OOMKilled by the kubelet',
  taskHeap: 'Job aborted due to stage failure: Task 3 in stage 7.0 failed 4 times, most recent failure: Lost task 3.0 in stage 7.0 (TID 55) (10.0.1.12 executor 2): java.lang.OutOfMemoryError: Java heap space',
  maxResultSize: 'Job aborted due to stage failure: Total size of serialized results of 3127 tasks (4.1 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)',
  unresponsive: 'Driver is up but is not responsive, likely due to GC.',
  driver137: 'Driver container exited with code 137 (OOMKilled): the driver was killed for exceeding its memory limit',
  unavailable: 'The driver is temporarily unavailable. Retrying the Spark job.',
  stopped: 'The spark driver has stopped unexpectedly and is restarting. Your notebook will be automatically reattached.',
  spot: 'ExecutorLostFailure (executor 6 exited unrelated to the running tasks) Reason: Executor decommission: spot instance preemption',
  decommission: 'ExecutorLostFailure (executor 2 exited unrelated to the running tasks) Reason: Executor decommission: worker decommissioned because of scale down',
  rpc: 'ExecutorLostFailure (executor 5 exited caused by one of the running tasks) Reason: Remote RPC client disassociated. Likely due to containers exceeding thresholds, or network issues.',
  exit143: 'ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: Command exited with code 143',
  fetch: 'org.apache.spark.shuffle.FetchFailedException: Failed to connect to /10.0.1.14:4048',
} as const;

/**
 * An update with the given INITIALIZING / SETTING_UP_TABLES / RUNNING seconds (queued 5 s, waiting
 * `waiting` s before them), and `flows` flows that all run through its RUNNING phase, so node
 * metrics and flow starts line up with the phases. `runStart` is when RUNNING begins.
 */
export function initShaped(o: { initializing: number; settingUp: number; running: number; flows: number; waiting?: number }): {
  update: UpdateInfo;
  flows: FlowInfo[];
  initStart: number;
  runStart: number;
} {
  const waiting = o.waiting ?? 60;
  const before = 5 + waiting;
  const durationS = before + o.initializing + o.settingUp + o.running;
  const update = fakeUpdate({
    durationS,
    endedAt: T0 + durationS * 1000,
    phasesS: { queued: 5, waiting_for_resources: waiting, initializing: o.initializing, setting_up_tables: o.settingUp, running: o.running },
  });
  const initStart = T0 + before * 1000;
  const runStart = initStart + (o.initializing + o.settingUp) * 1000;
  const end = runStart + o.running * 1000;
  const flows = Array.from({ length: o.flows }, (_, i) =>
    fakeFlow({
      name: `main.sales.t${i}`,
      outputDataset: `main.sales.t${i}`,
      inputDatasets: [],
      statuses: [
        { t: runStart, status: 'RUNNING' },
        { t: end, status: 'COMPLETED' },
      ],
      startedAt: runStart,
      endedAt: end,
      durationS: o.running,
      runningS: o.running,
    }),
  );
  return { update, flows, initStart, runStart };
}
