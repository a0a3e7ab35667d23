/** system.compute.node_timeline rows of an update's cluster: per minute, driver and workers. */
import type { Ctx, UpdatePlan } from './model.js';
import { maxWorkers } from './facts.js';
import { MB, MIN, NODE_WINDOW_MAX, clamp, iso, round } from './units.js';

export function genNodes(ctx: Ctx, u: UpdatePlan, tInit: number, tRun: number, tEnd: number, executorsAt: (t: number) => number): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const clusterId = u.clusterId ?? '';
  const nodeType = def.cluster?.nodeType ?? 'i3.2xlarge';
  const driverType = def.cluster?.driverNodeType ?? nodeType;
  const from = Math.max(Math.ceil(tInit / MIN) * MIN, tEnd - NODE_WINDOW_MAX);
  const maxW = Math.max(maxWorkers(def), executorsAt(tEnd));
  const instances = Array.from({ length: maxW + 1 }, () => `i-0${rng.hex(16)}`);
  // stable per-worker offsets keep workers close (no skew)
  const offsets = Array.from({ length: maxW }, () => rng.range(-2, 2));
  for (let t = from; t + MIN <= tEnd; t += MIN) {
    const running = t >= tRun;
    const workers = running ? executorsAt(t) : 0;
    for (let w = -1; w < workers; w++) {
      const driver = w === -1;
      const cpu = driver ? rng.jitter(tr.driverCpu, 0.15) : clamp(tr.cpu + (offsets[w] ?? 0) + rng.range(-3, 3), 1, 99.5);
      const mem = driver ? rng.jitter(tr.driverMem, 0.05) : clamp(tr.mem + rng.range(-2, 2), 5, 99.5);
      const swap = driver || tr.swap === 0 ? 0 : clamp(tr.swap + rng.range(-1, 1), 0, 100);
      const wait = driver ? rng.range(0.3, 1.5) : clamp(tr.wait + rng.range(-1.5, 1.5), 0, 100);
      const net = driver ? rng.range(10, 30) * MB : rng.jitter(tr.netMB, 0.1) * MB;
      ctx.nodeTimeline.push({
        account_id: ctx.accountId,
        workspace_id: ctx.workspaceId,
        cluster_id: clusterId,
        instance_id: driver ? (instances[0] ?? '') : (instances[w + 1] ?? ''),
        start_time: iso(t),
        end_time: iso(t + MIN),
        driver,
        cpu_user_percent: round(cpu * 0.88),
        cpu_system_percent: round(cpu * 0.12),
        cpu_wait_percent: round(wait),
        mem_used_percent: round(mem),
        mem_swap_percent: round(swap),
        network_sent_bytes: Math.round(net * 0.5),
        network_received_bytes: Math.round(net * 0.5),
        disk_free_bytes_per_mount_point: { '/': 21_000_000_000, '/local_disk0': Math.round(rng.range(1.2e12, 1.6e12)) },
        node_type: driver ? driverType : nodeType,
      });
    }
  }
}
