/** The cost digest: what `digest now`, scheduled digests and `cost` show. Plain data, JSON-safe. */
import type { PipelineInfo } from '../diagnosis/evidence.js';
import type { Warehouse } from '../databricks/sql.js';

export const DIGEST_SCHEMA = 'dlt-doctor/digest@1' as const;

/** §12.3 SLA tiers, from a pipeline tag `sla` or configuration key `dlt_doctor.sla`. */
export const SLA_TIERS = ['real-time', 'near-real-time', 'standard', 'batch'] as const;
export type SlaTier = (typeof SLA_TIERS)[number];

export interface PipelineCost {
  id: string;
  /** the id when the pipeline is not in the workspace listing (deleted, or not visible to the bot) */
  name: string;
  dbus: number;
  dollars: number;
  /** DBUs of updates (dbus − maintenance) */
  updateDbus: number;
  updateDollars: number;
  maintenanceDbus: number;
  maintenanceDollars: number;
  previousDbus: number;
  previousDollars: number;
  /** dollars vs the previous period, percent; null when the previous period had none */
  changePercent: number | null;
  serverless: boolean;
  photon: boolean;
  /** workers' mean cpu_wait % and network bytes per worker-minute (node_timeline); null/absent when unknown */
  cpuWaitAvg?: number | null;
  memAvg?: number | null;
  netBytesPerWorkerMinute?: number | null;
  /** share (0..1) of the period's minutes in which one worker was skewed (data-skew's per-minute test) */
  skewShare?: number | null;
  /** the driver's mean CPU and memory %, node_timeline */
  driverCpuAvg?: number | null;
  driverMemAvg?: number | null;
  /** update dollars of the period billed with Photon (usage rows with product_features.is_photon) */
  photonDollars: number;
  continuous: boolean;
  development: boolean;
  sla: SlaTier | null;
  /** num_output_rows + num_upserted_rows over the period; null without event-log rows */
  outputRows: number | null;
  /** guide 1.2: update DBUs per million output rows; null without rows */
  dbuPerMillionRows: number | null;
  /** mean worker CPU (user + system), %; null for serverless or without node_timeline */
  cpuAvg: number | null;
  /** mean task-slot utilization, 0..1 (event log cluster_resources) */
  slotUtilization: number | null;
  /** list-price rows missing for some usage: dollars understate */
  unpricedRows: number;
}

export type OpportunityKind = 'spot' | 'right-size' | 'triggered' | 'photon' | 'idle-continuous' | 'development-mode';

export interface Opportunity {
  kind: OpportunityKind;
  pipeline: { id: string; name: string };
  change: string;
  why: string;
  /** savings over one period like this one, list-price dollars */
  savingsUsd: { low: number; high: number };
  savingsPercent: { low: number; high: number };
  risk: string;
  guideSection: string;
  /**
   * set when the advice would undo a change dlt-doctor applied that clearly did not pay off on
   * cost (the updates since cost more per million rows, beyond their spread; src/digest/applied.ts)
   */
  undoes?: { auditId: number; appliedAt: string; by: string; reason: string };
}

/** Advice left out because it would undo a change dlt-doctor applied (src/digest/applied.ts). */
export interface WithheldAdvice {
  kind: OpportunityKind;
  pipeline: { id: string; name: string };
  change: string;
  /** the apply_audit row of the change it would undo, when and by whom */
  auditId: number;
  appliedAt: string;
  by: string;
  /** why it is withheld: the pay-off phrase (too early, within the spread, paid off, no baseline) */
  reason: string;
}

export interface DigestTotals {
  pipelines: number;
  serverlessPipelines: number;
  dbus: number;
  dollars: number;
  updateDbus: number;
  maintenanceDbus: number;
  maintenanceDollars: number;
  previousDbus: number;
  previousDollars: number;
  changePercent: number | null;
  outputRows: number | null;
  dbuPerMillionRows: number | null;
  /** DBU-weighted mean worker CPU over classic pipelines with node metrics */
  cpuAvg: number | null;
  slotUtilization: number | null;
}

export interface Digest {
  schema: typeof DIGEST_SCHEMA;
  period: { start: string; end: string; previousStart: string };
  filter: string | null;
  totals: DigestTotals;
  /** highest spend first, at most `top` */
  top: PipelineCost[];
  /** every pipeline with spend in either period, highest spend first */
  pipelines: PipelineCost[];
  /** total spend per UTC day of the period */
  daily: { day: string; dbus: number; dollars: number }[];
  /** list-price dollars per day of `daily` (same order) for each pipeline of `top`: the digest chart */
  topDaily?: { id: string; name: string; dollars: number[] }[];
  opportunities: Opportunity[];
  /** opportunities withheld because they would undo a change dlt-doctor applied (each also a note); absent when none */
  withheld?: WithheldAdvice[];
  /** combined estimate: per pipeline the opportunities compound (1 − Π(1 − p)), summed over pipelines */
  savingsUsd: { low: number; high: number };
  notes: string[];
  /** SQL statements this digest ran (one per section, whatever the number of pipelines) */
  statements: number;
}

/** What `cost` and `digest` need from a workspace: its warehouse and its pipelines' specs. */
export interface CostBackend {
  warehouse: Warehouse;
  /** every pipeline with its spec (REST GET /pipelines/{id}, or the demo workspace) */
  listPipelines(): Promise<PipelineInfo[]>;
}
