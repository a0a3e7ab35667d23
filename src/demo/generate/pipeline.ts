/** One demo pipeline: its spec, update schedule, and every row of its history. */
import type { Ctx, DemoPipeline, FlowRuntime, ScenarioDef, UpdatePlan } from './model.js';
import { Rng, hashSeed } from './rng.js';
import { clusterIdFor, fq, traitsFor } from './facts.js';
import { genMaintenance } from './billing.js';
import { genUpdate } from './update.js';
import { durationSpread } from './noise.js';
import { DAY, HOUR, MIN, RECENT, SEC, USAGE_DAYS, clamp, iso } from './units.js';

export function buildSpec(def: ScenarioDef, name: string, pipelineId: string): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    id: pipelineId,
    name,
    catalog: def.catalog,
    schema: def.schema,
    channel: 'CURRENT',
    edition: def.edition ?? 'ADVANCED',
    continuous: !!def.continuous,
    development: false,
    photon: def.photon,
    serverless: !!def.serverless,
    configuration: { 'pipelines.env': 'prod', ...(def.configuration ?? {}) },
    libraries: [{ glob: { include: `/Workspace/Repos/data-eng/${def.schema}/${name.replace(/_\d+$/, '')}/transformations/**` } }, ...(def.libraries ?? [])],
    notifications: [{ email_recipients: [def.owner], alerts: ['on-update-failure', 'on-flow-failure'] }],
    tags: { team: def.schema, cost_center: def.catalog === 'finance' ? 'fin-300' : 'data-100' },
  };
  const c = def.cluster;
  if (!def.serverless && c) {
    const clusters: Record<string, unknown>[] = [
      {
        label: 'default',
        node_type_id: c.nodeType,
        driver_node_type_id: c.driverNodeType ?? c.nodeType,
        ...(c.numWorkers !== undefined ? { num_workers: c.numWorkers } : {}),
        ...(c.autoscale ? { autoscale: { min_workers: c.autoscale.min, max_workers: c.autoscale.max, mode: c.autoscale.mode } } : {}),
        ...(c.sparkConf ? { spark_conf: c.sparkConf } : {}),
        ...(c.initScripts ? { init_scripts: c.initScripts } : {}),
        aws_attributes: { availability: 'SPOT_WITH_FALLBACK', first_on_demand: 1 },
        custom_tags: { pipeline: name },
      },
    ];
    if (def.maintenanceCluster) clusters.push({ label: 'maintenance', node_type_id: 'm5d.large', num_workers: 1, aws_attributes: { availability: 'ON_DEMAND' } });
    spec.clusters = clusters;
  }
  return spec;
}

export function genPipeline(def: ScenarioDef, copy: number, seed: number, now: number, n: number, ids: { workspaceId: string; accountId: string; orgId: number }, index: number): DemoPipeline {
  const rng = new Rng(hashSeed(seed, index, copy));
  const name = copy === 1 ? def.name : `${def.name}_${copy}`;
  const pipelineId = rng.uuid();
  const ctx: Ctx = {
    rng,
    def,
    name,
    pipelineId,
    workspaceId: ids.workspaceId,
    accountId: ids.accountId,
    orgId: ids.orgId,
    events: [],
    nodeTimeline: [],
    usage: [],
    seq: 1000,
    instance: `execution-${rng.hex(20)}`,
  };

  // Flow ids are stable across updates. The hot flow carries the scenario's cause: marked, else the longest one.
  const marked = def.flows.some((f) => f.hot);
  const longest = def.flows.reduce((best, f, i) => (f.at[1] - f.at[0] > (def.flows[best]?.at[1] ?? 0) - (def.flows[best]?.at[0] ?? 0) ? i : best), 0);
  const flowRuntimes: FlowRuntime[] = def.flows.map((f, i) => ({
    def: f,
    name: fq(def, f.table),
    dataset: fq(def, f.table),
    id: rng.uuid(),
    hot: marked ? !!f.hot : i === longest,
    // by default a flow's share of the cluster follows the bytes it writes (square root: MVs over big inputs still work)
    weight: f.weight ?? clamp(Math.sqrt((f.rows * f.rowBytes) / 1e9), 0.05, 4),
  }));

  // Schedule: n updates spread over the last 8 weeks, newest first.
  const spacing = Math.floor((USAGE_DAYS * DAY) / n);
  const dayStart = Math.floor(now / DAY) * DAY;
  let latestStart = dayStart + def.hourUtc * HOUR + rng.range(0, 20) * MIN;
  const latestLen = def.continuous ? 75 * MIN : def.durationS * SEC * (def.fullRefreshes?.includes(0) ? 3.6 : 2.4);
  while (latestStart + latestLen > now - 10 * MIN) latestStart -= DAY;
  if (def.continuous) latestStart = now - 95 * MIN;
  const plans: UpdatePlan[] = [];
  for (let i = 0; i < n; i++) {
    const start = i === 0 ? latestStart : latestStart - i * spacing + (def.continuous ? 0 : rng.range(-20, 20) * MIN);
    const recent = i < RECENT;
    const latest = i === 0;
    const traits = traitsFor(def, recent, latest);
    const fullRefresh = !def.continuous && (def.fullRefreshes ?? []).includes(i);
    const cause = def.continuous ? (latest ? 'USER_ACTION' : 'SERVICE_UPGRADE') : fullRefresh || i % 6 === 3 ? 'USER_ACTION' : 'JOB_TASK';
    const state = latest && def.latest?.state ? def.latest.state : 'COMPLETED';
    let durationS: number;
    if (def.continuous) {
      // the latest run: ~62 minutes RUNNING, then stopped by its owner because it fell behind
      durationS = latest ? 64 * 60 : (spacing - 4 * MIN) / SEC;
    } else {
      // a full refresh reprocesses all history: ~2.9× an incremental update (~10× its rows), the earlier ones ±8%
      const spreadOf = fullRefresh ? rng.jitter(2.9, latest ? 0.02 : 0.08) : durationSpread(rng, i, RECENT);
      durationS = def.durationS * spreadOf * traits.durationFactor;
    }
    const rowsFactor = fullRefresh ? rng.range(9, 11) : 1;
    plans.push({ id: rng.uuid(), start, cause, clusterId: def.serverless ? null : clusterIdFor(rng, start + 2 * MIN), traits, recent, latest, state, durationS, fullRefresh, rowsFactor });
  }

  const chronological = [...plans].reverse();
  for (const u of chronological) genUpdate(ctx, u, flowRuntimes);
  genMaintenance(ctx, now);

  // stable sort: by timestamp, generation order breaks ties
  const order = new Map(ctx.events.map((e, i) => [e, i] as const));
  ctx.events.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
  ctx.usage.sort((a, b) => String(a.usage_start_time).localeCompare(String(b.usage_start_time)));

  const updates = plans.map((u) => ({
    pipeline_id: pipelineId,
    update_id: u.id,
    cause: u.cause,
    state: u.state,
    creation_time: Math.round(u.start),
    full_refresh: u.fullRefresh,
    ...(u.clusterId ? { cluster_id: u.clusterId } : {}),
    validate_only: false,
  }));

  const latest = plans[0];
  const pipeline: Record<string, unknown> = {
    pipeline_id: pipelineId,
    name,
    state: 'IDLE',
    health: latest?.state === 'FAILED' ? 'UNHEALTHY' : 'HEALTHY',
    ...(latest?.state === 'FAILED' ? { cause: 'The latest update failed.' } : {}),
    ...(latest?.clusterId ? { cluster_id: latest.clusterId } : {}),
    creator_user_name: def.owner,
    run_as_user_name: def.owner,
    run_as: { user_name: def.owner },
    last_modified: Math.round(now - 9 * DAY - rng.range(0, 5) * DAY),
    latest_updates: plans.slice(0, 5).map((u) => ({ update_id: u.id, state: u.state, creation_time: iso(u.start) })),
    effective_publishing_mode: 'DEFAULT_PUBLISHING_MODE',
    spec: buildSpec(def, name, pipelineId),
  };

  return { scenario: def.scenario, expected: def.expected, pipeline, updates, events: ctx.events, nodeTimeline: ctx.nodeTimeline, usage: ctx.usage };
}
