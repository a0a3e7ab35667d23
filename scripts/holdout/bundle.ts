/**
 * Turns simulated updates into a bundle folder (docs/contract.md §1), in the many shapes real exports
 * come in: details/origin as JSON strings or objects, timestamps with `Z`, `+00:00`, without a zone
 * or with a space, cluster_resources nested or flat, REST-style rows without details, shuffled lines,
 * CRLF, node_timeline numbers as strings (Statement Execution API JSON_ARRAY rows).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterCfg, Ctx, Ev, Obj, Rng } from './sim.js';

export interface Fmt {
  details: 'string' | 'object' | 'mixed';
  origin: 'string' | 'object';
  ts: 'Z' | '+00:00' | 'noZ' | 'space' | 'mixed';
  cr: 'nested' | 'flat' | 'mixed';
  rest: 'none' | 'flows' | 'all';
  eventsFile: 'jsonl' | 'json';
  shuffle: boolean;
  crlf: boolean;
  ntStrings: boolean;
  ntTs: 'Z' | 'space' | 'noZ' | '+00:00';
  updStrings: boolean;
  /** a UTF-8 byte-order mark at the start of events.jsonl (Windows tools) */
  bom: boolean;
}

export const DEFAULT_FMT: Fmt = {
  details: 'string',
  origin: 'string',
  ts: 'Z',
  cr: 'nested',
  rest: 'none',
  eventsFile: 'jsonl',
  shuffle: false,
  crlf: false,
  ntStrings: false,
  ntTs: 'Z',
  updStrings: false,
  bom: false,
};

export interface Label {
  class: string;
  verdict: 'cpu' | 'memory' | 'io' | 'network' | 'planning' | 'startup' | 'scaling' | 'backlog' | 'none';
  reason: string;
  forbidden_fixes: string[];
  /** recommendation change targets that must not appear at all (serverless: no cluster or spark_conf changes) */
  forbidden_targets?: string[];
  /** set when the update to diagnose is not the default pick (a continuous update still running) */
  update_id?: string;
  evidence: string;
}

export function fmtTs(ms: number, style: Fmt['ts'] | Fmt['ntTs'], rng: Rng): string {
  const iso = new Date(ms).toISOString();
  const s = style === 'mixed' ? rng.pick(['Z', '+00:00', 'noZ', 'space', 'Z'] as const) : style;
  switch (s) {
    case 'Z':
      return iso;
    case '+00:00':
      return iso.replace('Z', '+00:00');
    case 'noZ':
      return iso.slice(0, -1);
    case 'space':
      return iso.slice(0, -1).replace('T', ' ');
  }
}

function flatCr(d: Obj): Obj {
  const cr = d.cluster_resources as Obj;
  const tsm = (cr.task_slot_metrics ?? {}) as Obj;
  const asi = (cr.autoscale_info ?? null) as Obj | null;
  const out: Obj = {
    num_task_slots: tsm.num_task_slots,
    avg_num_task_slots: tsm.avg_num_task_slots,
    avg_task_slot_utilization: tsm.avg_task_slot_utilization,
    num_executors: tsm.num_executors,
    avg_num_queued_tasks: tsm.avg_num_queued_tasks,
  };
  if (asi) {
    out.state = asi.state;
    out.optimal_num_executors = asi.optimal_num_executors;
    out.latest_requested_num_executors = asi.latest_requested_num_executors;
  }
  return { cluster_resources: out };
}

export function eventRows(ctx: Ctx, events: Ev[], fmt: Fmt, rng: Rng): Obj[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const instance = `execution-${rng.hex(20)}`;
  let cp = rng.int(900, 40000);
  let dp = rng.int(100, 9000);
  const rows: Obj[] = [];
  for (const e of sorted) {
    let details: Obj | null = e.details;
    if (details && e.type === 'cluster_resources') {
      const flat = fmt.cr === 'flat' || (fmt.cr === 'mixed' && rng.chance(0.5));
      if (flat) details = flatCr(details);
    }
    const seq = e.plane === 'cp' ? { control_plane_seq_no: cp++ } : { data_plane_id: { instance, seq_no: dp++ }, control_plane_seq_no: null };
    const asString = fmt.details === 'string' || (fmt.details === 'mixed' && rng.chance(0.5));
    const dropDetails = fmt.rest === 'all' || (fmt.rest === 'flows' && e.type === 'flow_progress');
    const row: Obj = {
      id: rng.uuid(),
      sequence: fmt.origin === 'string' ? JSON.stringify(seq) : seq,
      origin: fmt.origin === 'string' ? JSON.stringify(e.origin) : e.origin,
      timestamp: fmtTs(e.ts, fmt.rest === 'all' ? 'Z' : fmt.ts, rng),
      message: e.message,
      level: e.level,
      maturity_level: e.maturity,
      error: e.error === null ? null : asString ? JSON.stringify(e.error) : e.error,
      details: dropDetails ? undefined : details === null ? null : asString ? JSON.stringify(details) : details,
      event_type: e.type,
    };
    if (dropDetails) delete row.details;
    if (fmt.rest === 'all' && row.error === null) delete row.error;
    rows.push(row);
  }
  return rows;
}

export function pipelineJson(o: {
  ctx: Ctx;
  catalog: string;
  schema: string;
  edition: string;
  channel: string;
  continuous: boolean;
  configuration: Record<string, string>;
  libraries: Obj[];
  cluster: ClusterCfg | null;
  maintenance?: boolean;
  state: string;
  health: string;
  clusterId: string | null;
  creator: string;
  latest: Array<{ update_id: string; state: string; creation_time: number }>;
  lastModified: number;
  tags?: Record<string, string>;
}): Obj {
  const { ctx } = o;
  const spec: Obj = {
    id: ctx.pipelineId,
    name: ctx.pipelineName,
    catalog: o.catalog,
    schema: o.schema,
    channel: o.channel,
    edition: o.edition,
    continuous: o.continuous,
    development: false,
    photon: ctx.photon,
    serverless: ctx.serverless,
    configuration: o.configuration,
    libraries: o.libraries,
    notifications: [{ email_recipients: [o.creator], alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] }],
  };
  if (o.tags) spec.tags = o.tags;
  if (o.cluster) {
    const c = o.cluster;
    const def: Obj = { label: 'default', node_type_id: c.node, driver_node_type_id: c.driverNode ?? c.node };
    if (c.fixed !== undefined) def.num_workers = c.fixed;
    if (c.autoscale) {
      const a: Obj = { min_workers: c.autoscale.min, max_workers: c.autoscale.max };
      if (c.autoscale.mode) a.mode = c.autoscale.mode;
      def.autoscale = a;
    }
    if (c.policyId) def.policy_id = c.policyId;
    if (c.sparkConf) def.spark_conf = c.sparkConf;
    if (c.initScripts) def.init_scripts = c.initScripts;
    if (c.customTags) def.custom_tags = c.customTags;
    if (ctx.cloud === 'AWS') def.aws_attributes = c.attrs ?? { availability: 'SPOT_WITH_FALLBACK', first_on_demand: 1, zone_id: 'auto' };
    if (ctx.cloud === 'Azure') def.azure_attributes = c.attrs ?? { availability: 'ON_DEMAND_AZURE', first_on_demand: 1 };
    if (ctx.cloud === 'GCP') def.gcp_attributes = c.attrs ?? { availability: 'PREEMPTIBLE_WITH_FALLBACK_GCP', zone_id: 'HA' };
    const clusters: Obj[] = [def];
    if (o.maintenance) clusters.push({ label: 'maintenance', node_type_id: c.node, num_workers: 1, custom_tags: { purpose: 'maintenance' } });
    spec.clusters = clusters;
  }
  const body: Obj = {
    pipeline_id: ctx.pipelineId,
    name: ctx.pipelineName,
    state: o.state,
    health: o.health,
    creator_user_name: o.creator,
    run_as_user_name: ctx.runAs,
    run_as: { user_name: ctx.runAs },
    last_modified: o.lastModified,
    latest_updates: o.latest.slice(0, 5).map((u) => ({ update_id: u.update_id, state: u.state, creation_time: new Date(u.creation_time).toISOString() })),
    effective_publishing_mode: 'DEFAULT_PUBLISHING_MODE',
    spec,
  };
  if (o.clusterId) body.cluster_id = o.clusterId;
  return body;
}

export function writeBundle(
  dir: string,
  b: {
    pipeline: Obj;
    updates: Obj[];
    events: Obj[];
    nodes: Obj[] | null;
    label: Label;
    fmt: Fmt;
    rng: Rng;
  },
) {
  mkdirSync(dir, { recursive: true });
  const nl = b.fmt.crlf ? '\r\n' : '\n';
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(b.pipeline, null, 2) + '\n');
  const upd = b.updates.map((u) => (b.fmt.updStrings ? { ...u, creation_time: String(u.creation_time) } : u));
  writeFileSync(join(dir, 'updates.json'), JSON.stringify({ updates: upd }, null, 2) + '\n');
  const ev = b.fmt.shuffle ? b.rng.shuffle([...b.events]) : b.events;
  if (b.fmt.eventsFile === 'json') {
    writeFileSync(join(dir, 'events.json'), JSON.stringify({ events: [...ev].reverse(), next_page_token: b.rng.hex(40) }, null, 1) + '\n');
  } else {
    writeFileSync(join(dir, 'events.jsonl'), (b.fmt.bom ? '\ufeff' : '') + ev.map((r) => JSON.stringify(r)).join(nl) + nl);
  }
  if (b.nodes && b.nodes.length > 0) {
    const rows = b.nodes.map((r) => {
      const o: Obj = { ...r, start_time: fmtTs(r.start_time as number, b.fmt.ntTs, b.rng), end_time: fmtTs(r.end_time as number, b.fmt.ntTs, b.rng) };
      if (b.fmt.ntStrings) {
        for (const k of ['cpu_user_percent', 'cpu_system_percent', 'cpu_wait_percent', 'mem_used_percent', 'mem_swap_percent', 'network_sent_bytes', 'network_received_bytes'])
          o[k] = String(o[k]);
        o.driver = String(o.driver);
        o.disk_free_bytes_per_mount_point = JSON.stringify(o.disk_free_bytes_per_mount_point);
      }
      return o;
    });
    const lines = (b.fmt.shuffle ? b.rng.shuffle(rows) : rows).map((r) => JSON.stringify(r));
    writeFileSync(join(dir, 'node_timeline.jsonl'), lines.join(nl) + nl);
  }
  writeFileSync(join(dir, 'label.json'), JSON.stringify(b.label, null, 2) + '\n');
}
