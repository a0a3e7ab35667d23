/**
 * The row of queries/digest-utilization.sql (one per pipeline) → the period's WorkerLoad that
 * right-sizing is judged on (src/diagnosis/right-size.ts). Shared by the digest and by why-slow's
 * collection, so both read the same statement the same way.
 */
import { z } from 'zod';
import type { WorkerLoad } from '../diagnosis/right-size.js';

/** a number from a SQL driver row (number, numeric string, bigint) or null; shared by every digest row schema */
export const num = z.union([z.number(), z.string(), z.bigint(), z.null(), z.undefined()]).transform((v) => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
});

export const UtilizationRow = z.object({
  pipeline_id: z.string().min(1),
  cpu_avg: num,
  wait_avg: num.optional(),
  mem_avg: num.optional(),
  net_avg: num.optional(),
  worker_minutes: num.transform((v) => v ?? 0),
  skewed_minutes: num.optional(),
  counted_minutes: num.optional(),
  driver_cpu_avg: num.optional(),
  driver_mem_avg: num.optional(),
});
export type UtilizationRow = z.infer<typeof UtilizationRow>;

const round = (v: number | null | undefined, d: number): number | null => (v === null || v === undefined ? null : Math.round(v * 10 ** d) / 10 ** d);

/** Rounded as the digest shows them (percentages to 0.1, bytes whole), so every surface computes on the same figures. */
export function workerLoadOf(r: UtilizationRow): WorkerLoad {
  const counted = r.counted_minutes ?? 0;
  return {
    cpuAvg: round(r.cpu_avg, 1),
    waitAvg: round(r.wait_avg, 1),
    memAvg: round(r.mem_avg, 1),
    netBytesPerWorkerMinute: round(r.net_avg, 0),
    skewShare: counted > 0 ? round((r.skewed_minutes ?? 0) / counted, 2) : null,
    driverCpuAvg: round(r.driver_cpu_avg, 1),
    driverMemAvg: round(r.driver_mem_avg, 1),
  };
}

/** An outside row (the warehouse's, or a bundle's utilization.json) → the load, or null when it is not a utilization row. */
export function parseWorkerLoad(row: unknown): WorkerLoad | null {
  const p = UtilizationRow.safeParse(row);
  return p.success ? workerLoadOf(p.data) : null;
}
