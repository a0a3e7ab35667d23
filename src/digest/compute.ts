/**
 * computeDigest: the cost digest over every pipeline in scope. Each section is ONE SQL statement
 * aggregated in the warehouse (queries/digest-*.sql), whatever the number of pipelines; this module
 * only joins the few rows returned with the pipelines' specs and applies the guide's §12.2/§12.3
 * cost strategies. The statement count is constant: 4 per digest, and a 5th (digest-updates) only
 * when some opportunity would undo a change dlt-doctor applied (src/digest/applied.ts).
 */
import { z } from 'zod';
import type { PipelineInfo } from '../diagnosis/evidence.js';
import { reducedWorkers, rightSizeSavings, type WorkerLoad } from '../diagnosis/right-size.js';
import { num, UtilizationRow, workerLoadOf } from './utilization.js';
import type { QueryName, SqlParams, Warehouse } from '../databricks/sql.js';
import type { AppliedChange } from '../diagnosis/applied-changes.js';
import { checkReversals } from './applied.js';
import { DoctorError } from '../errors.js';
import { filterPipelines, matchesFilter, type PipelineFilter } from './filter.js';
import { DIGEST_SCHEMA, SLA_TIERS, type Digest, type DigestTotals, type Opportunity, type PipelineCost, type SlaTier } from './types.js';
import { plural } from '../util/plural.js';

export interface DigestOptions {
  periodStart: Date;
  periodEnd: Date;
  previousStart: Date;
  filter: PipelineFilter | null;
  /** how many pipelines `top` lists (default 5) */
  top?: number;
  /** restrict to these pipeline ids (the `cost <pipeline>` command) */
  pipelineIds?: readonly string[];
  /**
   * changes dlt-doctor applied (the apply audit, any pipeline): an opportunity that would undo one
   * still in place is withheld, with a note, unless the updates since clearly cost more per million
   * rows (src/digest/applied.ts); absent or empty → nothing withheld (the CLI has no store)
   */
  applied?: readonly AppliedChange[];
}

/** Digest sections, one statement each. */
export const DIGEST_QUERIES = ['digest-cost', 'digest-daily', 'digest-utilization', 'digest-efficiency'] as const satisfies readonly QueryName[];

/** §12.2 strategy 1: "Enable spot instances for workers", estimated savings 50–70%. */
export const SPOT_SAVINGS = { low: 0.5, high: 0.7 } as const;
/** §12.2 strategy 3: "Switch to triggered execution", estimated savings 30–50%. */
export const TRIGGERED_SAVINGS = { low: 0.3, high: 0.5 } as const;
/**
 * §12.1: Photon has a "higher DBU rate" for a "2-8x" speedup. Databricks bills Photon pipeline
 * compute at about twice the DBUs per node-hour (the demo workspace uses the same ×2), so Photon
 * pays off only where it at least doubles throughput.
 */
export const PHOTON_DBU_MULTIPLIER = 2;
/** share of flows evaluating Python UDFs (plan operators) from which Photon's payback is doubtful (UDFs do not run in Photon, §4.4, §6.4) */
export const PHOTON_PYTHON_SHARE = 0.5;

const n0 = num.transform((v) => v ?? 0);
const id = z.string().min(1);

const CostRow = z.object({
  pipeline_id: id,
  dbus: n0,
  dollars: n0,
  maintenance_dbus: n0,
  maintenance_dollars: n0,
  previous_dbus: n0,
  previous_dollars: n0,
  updates: n0,
  serverless: n0,
  photon: n0,
  photon_dollars: n0,
  unpriced_rows: n0,
});
const DailyRow = z.object({ pipeline_id: id, day: z.union([z.string(), z.date()]).transform((d) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10))), dbus: n0, dollars: n0 });
const EffRow = z.object({ pipeline_id: id, output_rows: n0, slot_utilization: num, flows: n0, udf_flows: n0, updates: n0 });

/** Rows from outside are parsed at the edge; a malformed row is dropped and counted, never fatal. */
function parseRows<T>(schema: z.ZodType<T>, rows: readonly unknown[], dropped: { n: number }): T[] {
  const out: T[] = [];
  for (const r of rows) {
    const p = schema.safeParse(r);
    if (p.success) out.push(p.data);
    else dropped.n++;
  }
  return out;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const pct = (cur: number, prev: number): number | null => (prev > 0 ? round(((cur - prev) / prev) * 100, 1) : null);

/** §12.3 tier of a pipeline: tag `sla`, else configuration `dlt_doctor.sla`; anything else → null. */
export function slaTier(p: PipelineInfo | undefined): SlaTier | null {
  const raw = p?.spec.tags.sla ?? p?.spec.configuration['dlt_doctor.sla'];
  if (raw === undefined) return null;
  const v = raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return (SLA_TIERS as readonly string[]).includes(v) ? (v as SlaTier) : null;
}

/** Clusters that run updates (not the maintenance cluster). */
function updateClusters(p: PipelineInfo) {
  return p.spec.clusters.filter((c) => c.label !== 'maintenance');
}

function workerShare(p: PipelineInfo): number {
  const c = updateClusters(p)[0];
  const w = c?.numWorkers ?? (c?.autoscale ? (c.autoscale.minWorkers + c.autoscale.maxWorkers) / 2 : null) ?? 1;
  return w <= 0 ? 0 : w / (w + 1);
}

function opportunity(kind: Opportunity['kind'], pc: PipelineCost, base: number, share: { low: number; high: number }, o: Omit<Opportunity, 'kind' | 'pipeline' | 'savingsUsd' | 'savingsPercent'>): Opportunity {
  return {
    kind,
    pipeline: { id: pc.id, name: pc.name },
    ...o,
    savingsUsd: { low: round(base * share.low), high: round(base * share.high) },
    savingsPercent: { low: round(share.low * 100, 1), high: round(share.high * 100, 1) },
  };
}

/** The period's worker load as the digest row carries it. */
function loadOf(pc: PipelineCost): WorkerLoad {
  return {
    cpuAvg: pc.cpuAvg,
    waitAvg: pc.cpuWaitAvg ?? null,
    memAvg: pc.memAvg ?? null,
    netBytesPerWorkerMinute: pc.netBytesPerWorkerMinute ?? null,
    skewShare: pc.skewShare ?? null,
    driverCpuAvg: pc.driverCpuAvg ?? null,
    driverMemAvg: pc.driverMemAvg ?? null,
  };
}

/** The guide's §12.2 strategies (and two plain wastes) for one pipeline. Pure. */
export function opportunitiesFor(pc: PipelineCost, spec: PipelineInfo | undefined, plans: { flows: number; udfFlows: number } | undefined): Opportunity[] {
  const out: Opportunity[] = [];
  const base = pc.updateDollars;
  if (!spec || base <= 0) return out;
  const classic = !pc.serverless && !spec.spec.serverless;
  const idle = spec.spec.continuous && pc.outputRows === 0;

  if (idle) {
    out.push(
      opportunity('idle-continuous', pc, base, { low: 1, high: 1 }, {
        change: 'Stop it, or run it triggered on a schedule',
        why: `Continuous pipeline processed no rows in the period but spent ${pc.updateDbus.toFixed(1)} update DBUs.`,
        risk: 'Data arriving later waits for the next triggered run.',
        guideSection: '12.2',
      }),
    );
  }
  if (spec.spec.development && (spec.spec.continuous || spec.state === 'RUNNING')) {
    out.push(
      opportunity('development-mode', pc, base, { low: 1, high: 1 }, {
        change: 'Stop it, or switch it to production mode (development: false)',
        why: 'Development-mode pipeline left running: its cluster stays up between updates for reuse.',
        risk: 'Interrupts whoever is developing on it; production mode retries failures instead of stopping.',
        guideSection: '12.2',
      }),
    );
  }
  if (classic) {
    const onDemand = updateClusters(spec).filter((c) => !(c.availability ?? '').toUpperCase().startsWith('SPOT'));
    if (updateClusters(spec).length > 0 && onDemand.length > 0) {
      const share = workerShare(spec);
      out.push(
        opportunity('spot', pc, base, { low: SPOT_SAVINGS.low * share, high: SPOT_SAVINGS.high * share }, {
          change: 'Enable spot instances for workers (availability SPOT_WITH_FALLBACK, first_on_demand 1)',
          why: `Workers run on-demand (${onDemand[0]!.availability ?? 'no availability set'}); the guide's 50–70% applies to the workers' share of the spend (spot lowers the cloud VM bill, which scales with the same node-hours).`,
          risk: 'Job interruption possible when spot capacity is reclaimed.',
          guideSection: '12.2',
        }),
      );
    }
    // One computation with why-slow's right-size fix and `size` (diagnosis/right-size.ts): idle CPUs
    // that wait on storage or the network, a full memory, one skewed worker or a busy driver are
    // not spare capacity (the over-provisioned rule's exclusions): fewer workers would be slower.
    const saving = rightSizeSavings(loadOf(pc), base);
    if (saving !== null) {
      const p = saving.percent / 100;
      const c = updateClusters(spec)[0];
      const change =
        c?.autoscale
          ? `Right-size the cluster: lower autoscale.max_workers (now ${c.autoscale.maxWorkers})`
          : c?.numWorkers
            ? `Right-size the cluster: num_workers ${c.numWorkers} → ${reducedWorkers(c.numWorkers, saving.cpuAvg, 1)}`
            : 'Right-size the cluster (fewer workers or a smaller node type)';
      out.push(
        opportunity('right-size', pc, base, { low: p, high: p }, {
          change,
          why: `Workers averaged ${saving.cpuAvg.toFixed(1)}% CPU over the period, under §12.2's 50%, with no I/O wait, shuffle, full memory, skew or busy driver to explain it; the guide's estimate is int((1 − cpu/70) × 100) = ${saving.percent}%.`,
          risk: 'May increase runtime, especially on days with more data.',
          guideSection: '12.2',
        }),
      );
    }
    // What Photon cost is what was billed with it (product_features.is_photon), not the current setting.
    const photonBase = pc.photonDollars;
    if (photonBase > 0 && plans && plans.flows > 0 && plans.udfFlows / plans.flows >= PHOTON_PYTHON_SHARE) {
      const full = 1 - 1 / PHOTON_DBU_MULTIPLIER;
      const share = plans.udfFlows / plans.flows;
      out.push(
        opportunity('photon', pc, photonBase, { low: full * share, high: full }, {
          change: 'Measure one update without Photon (photon: false) and keep the cheaper',
          why: `Photon bills about ${PHOTON_DBU_MULTIPLIER}× the DBUs, so it needs a ${PHOTON_DBU_MULTIPLIER}× speedup to pay; ${plans.udfFlows} of ${plans.flows} flows evaluate Python UDFs (BatchEvalPython / ArrowEvalPython in their plans), which do not run in Photon.`,
          risk: 'SQL and DataFrame stages lose Photon’s 2–8× speedup (§4.2): longer updates.',
          guideSection: '12.1',
        }),
      );
    }
  }
  if (spec.spec.continuous && !idle && pc.sla !== null && pc.sla !== 'real-time') {
    out.push(
      opportunity('triggered', pc, base, TRIGGERED_SAVINGS, {
        change: `Switch to triggered execution (${pc.sla === 'near-real-time' ? 'every 10 minutes' : pc.sla === 'standard' ? 'hourly' : 'daily'})`,
        why: `SLA tier ${pc.sla} (§12.3) does not need a continuous pipeline.`,
        risk: 'Increased latency, up to the trigger interval.',
        guideSection: '12.3',
      }),
    );
  }
  return out;
}

/**
 * The rows of an optional section, or none with a note that says what is missing: the error's own
 * message and hint (a GRANT statement), never a stack trace.
 */
function optionalSection(result: PromiseSettledResult<Record<string, unknown>[]>, section: string, notes: string[]): Record<string, unknown>[] {
  if (result.status === 'fulfilled') return result.value;
  const err = result.reason as unknown;
  // the server's text can be long: cut it (a Slack context element holds 3000 characters), never the GRANT
  const said = err instanceof DoctorError ? (err.message.length > 500 ? `${err.message.slice(0, 499)}…` : err.message) : null;
  const message = err instanceof DoctorError ? `${said}${err.hint ? ` ${err.hint}` : ''}` : 'the warehouse could not run it';
  notes.push(`${section} is left out: ${message}`);
  return [];
}

/** Runs the digest's four statements (in parallel) and aggregates the rows; only the cost section is required. */
export async function computeDigest(warehouse: Warehouse, pipelines: readonly PipelineInfo[], options: DigestOptions): Promise<Digest> {
  const specsById = new Map(pipelines.map((p) => [p.id, p]));
  // explicit ids (cost <pipeline>) need not be in the listing; the filter applies where a spec is known
  const inScope = options.pipelineIds
    ? options.pipelineIds.filter((pid) => {
        const p = specsById.get(pid);
        return !p || matchesFilter(options.filter, p);
      })
    : filterPipelines(options.filter, pipelines).map((p) => p.id);
  const restricted = options.filter !== null || options.pipelineIds !== undefined;
  const period = { start: options.periodStart.toISOString(), end: options.periodEnd.toISOString(), previousStart: options.previousStart.toISOString() };
  const notes: string[] = [];
  if (restricted && inScope.length === 0) {
    return emptyDigest(period, options.filter, [`No pipeline matches ${options.filter ? `"${options.filter.text}"` : 'the selection'}.`]);
  }
  const ids = restricted ? inScope.join(',') : null;
  const base: SqlParams = { period_start: options.periodStart, period_end: options.periodEnd, pipeline_ids: ids };
  const before = warehouse.stats().statements;
  // cost is the digest; the other sections are optional: one that fails (a missing system table or
  // grant) is left out with a note, and the digest still goes out
  const [costRes, dailyRes, utilRes, effRes] = await Promise.allSettled([
    warehouse.query('digest-cost', { ...base, previous_start: options.previousStart }),
    warehouse.query('digest-daily', base),
    warehouse.query('digest-utilization', base),
    warehouse.query('digest-efficiency', base),
  ]);
  if (costRes.status === 'rejected') throw costRes.reason;
  const costRaw = costRes.value;
  const dailyRaw = optionalSection(dailyRes, 'The daily spend chart', notes);
  const utilRaw = optionalSection(utilRes, 'Cluster utilization (system.compute)', notes);
  const effRaw = optionalSection(effRes, 'Efficiency (rows, task slots, Python UDFs: the pipeline events table)', notes);
  const dropped = { n: 0 };
  const cost = parseRows(CostRow, costRaw, dropped);
  const daily = parseRows(DailyRow, dailyRaw, dropped);
  const util = new Map(parseRows(UtilizationRow, utilRaw, dropped).map((r) => [r.pipeline_id, r]));
  const eff = new Map(parseRows(EffRow, effRaw, dropped).map((r) => [r.pipeline_id, r]));
  if (dropped.n > 0) notes.push(`${plural(dropped.n, 'result row')} from the warehouse had an unexpected shape and ${dropped.n === 1 ? 'was' : 'were'} skipped.`);

  const specs = specsById;
  const rows: PipelineCost[] = [];
  let opportunities: Opportunity[] = [];
  for (const c of cost) {
    const spec = specs.get(c.pipeline_id);
    const e = eff.get(c.pipeline_id);
    const u = util.get(c.pipeline_id);
    // billing's own word (product_features.is_serverless on this period's rows), not the current
    // setting: a classic pipeline that did not run is not "serverless" (issue 17 item 5)
    const serverless = c.serverless > 0;
    const updateDbus = Math.max(0, c.dbus - c.maintenance_dbus);
    const outputRows = e ? e.output_rows : spec?.spec.continuous ? 0 : null;
    const load = serverless || !u ? null : workerLoadOf(u);
    const pc: PipelineCost = {
      id: c.pipeline_id,
      name: spec?.name ?? c.pipeline_id,
      dbus: round(c.dbus, 3),
      dollars: round(c.dollars),
      updateDbus: round(updateDbus, 3),
      updateDollars: round(Math.max(0, c.dollars - c.maintenance_dollars)),
      maintenanceDbus: round(c.maintenance_dbus, 3),
      maintenanceDollars: round(c.maintenance_dollars),
      previousDbus: round(c.previous_dbus, 3),
      previousDollars: round(c.previous_dollars),
      changePercent: pct(c.dollars, c.previous_dollars),
      serverless,
      photon: c.photon > 0 || (spec?.spec.photon ?? false),
      photonDollars: round(c.photon_dollars),
      continuous: spec?.spec.continuous ?? false,
      development: spec?.spec.development ?? false,
      sla: slaTier(spec),
      outputRows,
      dbuPerMillionRows: outputRows ? round((updateDbus / outputRows) * 1e6, 3) : null,
      cpuAvg: load?.cpuAvg ?? null,
      cpuWaitAvg: load?.waitAvg ?? null,
      memAvg: load?.memAvg ?? null,
      netBytesPerWorkerMinute: load?.netBytesPerWorkerMinute ?? null,
      skewShare: load?.skewShare ?? null,
      driverCpuAvg: load?.driverCpuAvg ?? null,
      driverMemAvg: load?.driverMemAvg ?? null,
      slotUtilization: serverless || !e || e.slot_utilization === null ? null : round(e.slot_utilization, 3),
      unpricedRows: c.unpriced_rows,
    };
    rows.push(pc);
    opportunities.push(...opportunitiesFor(pc, spec, e ? { flows: e.flows, udfFlows: e.udf_flows } : undefined));
  }
  // never the reverse of what dlt-doctor applied, unless it clearly did not pay off (one more statement, only then)
  const reversals = options.applied?.length ? await checkReversals(warehouse, opportunities, specs, options.applied, options.periodEnd) : null;
  if (reversals) {
    opportunities = reversals.kept;
    notes.push(...reversals.withheld.map((w) => w.line));
  }
  const statements = warehouse.stats().statements - before;
  const byPipeline = new Map<string, Opportunity[]>();
  for (const o of opportunities) byPipeline.set(o.pipeline.id, [...(byPipeline.get(o.pipeline.id) ?? []), o]);
  let savingsLow = 0;
  let savingsHigh = 0;
  for (const pc of rows) {
    const found = byPipeline.get(pc.id) ?? [];
    if (found.length > 0 && pc.updateDollars > 0) {
      const combine = (k: 'low' | 'high') => pc.updateDollars * (1 - found.reduce((keep, o) => keep * (1 - Math.min(1, o.savingsUsd[k] / pc.updateDollars)), 1));
      savingsLow += combine('low');
      savingsHigh += combine('high');
    }
  }
  rows.sort((a, b) => b.dollars - a.dollars || a.name.localeCompare(b.name));
  opportunities.sort((a, b) => b.savingsUsd.high - a.savingsUsd.high || a.pipeline.name.localeCompare(b.pipeline.name) || a.kind.localeCompare(b.kind));

  const unpriced = rows.reduce((s, r) => s + r.unpricedRows, 0);
  if (unpriced > 0) notes.push(`${plural(unpriced, 'usage row')} had no list price: dollars understate.`);
  const unknown = rows.filter((r) => !specs.has(r.id)).length;
  if (unknown > 0) notes.push(`${plural(unknown, 'pipeline')} with spend ${unknown === 1 ? 'is' : 'are'} not in the workspace listing (deleted, or not visible to the bot): costed from billing alone.`);
  const serverless = rows.filter((r) => r.serverless).length;
  if (serverless > 0) notes.push(`${plural(serverless, 'serverless pipeline')}: costed from billing alone (no cluster, no node metrics).`);

  const byDay = new Map<string, { dbus: number; dollars: number }>();
  /** "pipeline day" → dollars, for the top pipelines' series */
  const byPipelineDay = new Map<string, number>();
  for (const d of daily) {
    const t = byDay.get(d.day) ?? { dbus: 0, dollars: 0 };
    t.dbus += d.dbus;
    t.dollars += d.dollars;
    byDay.set(d.day, t);
    const k = `${d.pipeline_id} ${d.day}`;
    byPipelineDay.set(k, (byPipelineDay.get(k) ?? 0) + d.dollars);
  }
  const days = [...byDay.keys()].sort();
  const top = rows.slice(0, options.top ?? 5);

  return {
    schema: DIGEST_SCHEMA,
    period,
    filter: options.filter?.text ?? null,
    totals: totalsOf(rows),
    top,
    pipelines: rows,
    daily: days.map((day) => ({ day, dbus: round(byDay.get(day)!.dbus, 3), dollars: round(byDay.get(day)!.dollars) })),
    topDaily: top.map((p) => ({ id: p.id, name: p.name, dollars: days.map((day) => round(byPipelineDay.get(`${p.id} ${day}`) ?? 0)) })),
    opportunities,
    ...(reversals?.withheld.length ? { withheld: reversals.withheld.map((w) => w.advice) } : {}),
    savingsUsd: { low: round(savingsLow), high: round(savingsHigh) },
    notes,
    statements,
  };
}

function totalsOf(rows: readonly PipelineCost[]): DigestTotals {
  const sum = (f: (r: PipelineCost) => number) => rows.reduce((s, r) => s + f(r), 0);
  const dollars = sum((r) => r.dollars);
  const previousDollars = sum((r) => r.previousDollars);
  const withRows = rows.filter((r) => r.outputRows !== null && r.outputRows > 0);
  const rowsTotal = withRows.length ? withRows.reduce((s, r) => s + (r.outputRows ?? 0), 0) : null;
  const cpuRows = rows.filter((r) => r.cpuAvg !== null && r.updateDbus > 0);
  const cpuWeight = cpuRows.reduce((s, r) => s + r.updateDbus, 0);
  const slotRows = rows.filter((r) => r.slotUtilization !== null);
  return {
    pipelines: rows.length,
    serverlessPipelines: rows.filter((r) => r.serverless).length,
    dbus: round(sum((r) => r.dbus), 3),
    dollars: round(dollars),
    updateDbus: round(sum((r) => r.updateDbus), 3),
    maintenanceDbus: round(sum((r) => r.maintenanceDbus), 3),
    maintenanceDollars: round(sum((r) => r.maintenanceDollars)),
    previousDbus: round(sum((r) => r.previousDbus), 3),
    previousDollars: round(previousDollars),
    changePercent: pct(dollars, previousDollars),
    outputRows: rowsTotal,
    // DBU per million rows over the pipelines that report rows (guide 1.2)
    dbuPerMillionRows: rowsTotal ? round((withRows.reduce((s, r) => s + r.updateDbus, 0) / rowsTotal) * 1e6, 3) : null,
    cpuAvg: cpuWeight > 0 ? round(cpuRows.reduce((s, r) => s + (r.cpuAvg ?? 0) * r.updateDbus, 0) / cpuWeight, 1) : null,
    slotUtilization: slotRows.length ? round(slotRows.reduce((s, r) => s + (r.slotUtilization ?? 0), 0) / slotRows.length, 3) : null,
  };
}

function emptyDigest(period: Digest['period'], filter: PipelineFilter | null, notes: string[]): Digest {
  return {
    schema: DIGEST_SCHEMA,
    period,
    filter: filter?.text ?? null,
    totals: totalsOf([]),
    top: [],
    pipelines: [],
    daily: [],
    opportunities: [],
    savingsUsd: { low: 0, high: 0 },
    notes,
    statements: 0,
  };
}

/** Period ending at `end` of length `days`, and the one before it. */
export function periodOfDays(end: Date, days: number): Pick<DigestOptions, 'periodStart' | 'periodEnd' | 'previousStart'> {
  const ms = days * 86_400_000;
  return { periodEnd: end, periodStart: new Date(end.getTime() - ms), previousStart: new Date(end.getTime() - 2 * ms) };
}
