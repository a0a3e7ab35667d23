/**
 * Right-sizing (guide §12.2 strategy 2): ONE computation of whether idle workers are spare
 * capacity and what cutting them saves, used by the over-provisioned fix in why-slow, by `size`,
 * and by the `cost` / digest opportunity, so the three never quote different figures for the
 * same pipeline and period.
 *
 * - Threshold: §12.2 right-sizes only when cpu_avg < 50; savings int((1 − cpu_avg/70) × 100) %
 *   (sizing.ts rightSizingSavingsPercent).
 * - Idle CPUs are not spare capacity when they wait on storage (cpu_wait), on the network (shuffle),
 *   when memory is full (GC, spill), when one worker does the work (skew: the data-skew rule's
 *   per-minute test) or when the driver is the bottleneck (driver CPU or memory): fewer workers would
 *   be slower, not cheaper. These are the over-provisioned rule's exclusions, applied to the
 *   period's node_timeline aggregates.
 * - The dollars are the period's update spend (maintenance excluded: its cluster is sized by
 *   Databricks) over SAVINGS_PERIOD_DAYS, the digest's week and `cost`'s default.
 */
import type { CostInfo } from './evidence.js';
import { rightSizingSavingsPercent, UTILIZATION_TARGET } from './sizing.js';

/** the period every right-sizing figure is quoted over: a week, the digest's and `cost`'s default */
export const SAVINGS_PERIOD_DAYS = 7;
/** §12.2 strategy 2 applies below this mean CPU. */
export const RIGHT_SIZE_CPU_BELOW = 50;
/** the over-provisioned rule's defaults: cpu_wait % and network bytes per worker-minute that explain idle CPUs */
export const IO_WAIT_PERCENT = 15;
export const SHUFFLE_BYTES_PER_WORKER_MINUTE = 1024 ** 3;
/** workers' mean memory % at which idle CPUs are a memory problem (GC, spill), not spare capacity */
export const MEMORY_FULL_PERCENT = 88;
/** the data-skew rule's defaults: a skewed minute has the busiest worker ≥ 60% CPU and ≥ 3× the median (≥ 3 workers) */
export const SKEW = { minRatio: 3, minBusiestCpu: 60, minWorkers: 3, minShare: 0.3 } as const;
/** driver mean CPU % from which the driver, not the workers, sets the pace (single-threaded planning, collect(), Python on the driver) */
export const DRIVER_BUSY_CPU_PERCENT = 80;

/** Workers' (and the driver's) mean load over a period, as node_timeline aggregates. */
export interface WorkerLoad {
  /** workers' mean CPU (user + system), % */
  cpuAvg: number | null;
  waitAvg?: number | null;
  memAvg?: number | null;
  netBytesPerWorkerMinute?: number | null;
  /** share (0..1) of the minutes with ≥ 3 workers in which one worker was skewed (SKEW) */
  skewShare?: number | null;
  driverCpuAvg?: number | null;
  driverMemAvg?: number | null;
}

export type NotSpareReason = 'io-wait' | 'shuffle' | 'memory' | 'skew' | 'driver';

/** Why idle workers are not spare capacity, or null when nothing explains the idle CPUs. */
export function idleExplainedBy(load: WorkerLoad): NotSpareReason | null {
  if ((load.waitAvg ?? 0) >= IO_WAIT_PERCENT) return 'io-wait';
  if ((load.netBytesPerWorkerMinute ?? 0) >= SHUFFLE_BYTES_PER_WORKER_MINUTE) return 'shuffle';
  if ((load.memAvg ?? 0) >= MEMORY_FULL_PERCENT) return 'memory';
  if ((load.skewShare ?? 0) >= SKEW.minShare) return 'skew';
  if ((load.driverCpuAvg ?? 0) >= DRIVER_BUSY_CPU_PERCENT || (load.driverMemAvg ?? 0) >= MEMORY_FULL_PERCENT) return 'driver';
  return null;
}

export interface RightSizeSavings {
  /** int((1 − cpu_avg/70) × 100), at least 0 */
  percent: number;
  /** of `updateDollars`, rounded to cents */
  dollars: number;
  cpuAvg: number;
}

/** §12.2's estimate for a load and the update spend of the same period; null when it does not apply. */
export function rightSizeSavings(load: WorkerLoad, updateDollars: number): RightSizeSavings | null {
  const cpu = load.cpuAvg;
  if (cpu === null || cpu < 0 || cpu >= RIGHT_SIZE_CPU_BELOW) return null;
  if (idleExplainedBy(load) !== null) return null;
  const percent = Math.max(0, rightSizingSavingsPercent(cpu));
  return { percent, dollars: Math.round(Math.max(0, updateDollars) * percent) / 100, cpuAvg: cpu };
}

/** The guide's reduced worker count: the workers used, scaled so the mean CPU lands at 70% (§1.2), never below `floor`. */
export function reducedWorkers(used: number, cpuAvg: number, floor: number): number {
  return Math.max(floor, Math.ceil((used * cpuAvg) / UTILIZATION_TARGET.low));
}

/** What right-sizing one pipeline saves, quoted the way why-slow and `size` show it. */
export interface SavingsQuote {
  /** the estimate's percent (§12.2) */
  percent: number;
  /** the mean worker CPU it rests on, % */
  cpuAvg: number;
  /** 'period': the week's load and spend, the same figures `cost` and the digest show; 'update': this update's CPU alone */
  basis: 'period' | 'update';
  /** dollars over `periodDays`; null without billing, or when the week's load does not count as spare capacity */
  dollars: number | null;
  periodDays: number | null;
  /** the week's load explains the idle CPUs (cost and the digest do not count a saving) */
  periodExplainedBy: NotSpareReason | null;
}

/**
 * The right-size saving for a diagnosis: the period's load and update spend when the collection
 * read them (identical to the digest's opportunity for the same week), otherwise this update's CPU
 * against the period's update spend.
 */
export function savingsQuote(cost: CostInfo | null, updateCpuAvg: number): SavingsQuote {
  const updateDollars = cost ? Math.round(Math.max(0, cost.periodDollars - (cost.maintenanceDollars ?? 0)) * 100) / 100 : 0;
  const load = cost?.periodLoad ?? null;
  if (cost && load && load.cpuAvg !== null) {
    const s = rightSizeSavings(load, updateDollars);
    if (s !== null) return { percent: s.percent, cpuAvg: s.cpuAvg, basis: 'period', dollars: updateDollars > 0 ? s.dollars : null, periodDays: cost.periodDays, periodExplainedBy: null };
    const explained = idleExplainedBy(load);
    return { percent: Math.max(0, rightSizingSavingsPercent(updateCpuAvg)), cpuAvg: updateCpuAvg, basis: 'update', dollars: null, periodDays: cost.periodDays, periodExplainedBy: explained };
  }
  const percent = Math.max(0, rightSizingSavingsPercent(updateCpuAvg));
  const dollars = cost && updateDollars > 0 ? Math.round(updateDollars * percent) / 100 : null;
  return { percent, cpuAvg: updateCpuAvg, basis: 'update', dollars, periodDays: dollars !== null ? cost!.periodDays : null, periodExplainedBy: null };
}
