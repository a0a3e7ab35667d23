/**
 * system.compute.node_timeline rows of an update's cluster: per minute, driver and workers, from INITIALIZING
 * (the cluster is up; workers idle, or busy running init scripts) to the end. While running, every worker
 * warms up from the time it joined, then fluctuates around the traits' level (an AR(1) walk per worker and
 * metric) with a small stable offset; spikes, skew and the driver's own load come from the traits.
 */
import type { ClusterProfile, Ctx, Timeline, UpdatePlan } from './model.js';
import { Walk, spread } from './noise.js';
import { MB, MIN, NODE_WINDOW_MAX, clamp, iso, round } from './units.js';

const IDLE_CPU = 4;
const IDLE_MEM = 22;

export function genNodes(ctx: Ctx, u: UpdatePlan, tl: Timeline, prof: ClusterProfile): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const clusterId = u.clusterId ?? '';
  const nodeType = def.cluster?.nodeType ?? 'i3.2xlarge';
  const driverType = def.cluster?.driverNodeType ?? nodeType;
  const from = Math.max(Math.ceil(tl.tInit / MIN) * MIN, tl.tEnd - NODE_WINDOW_MAX);
  const maxW = prof.maxW;
  const instances = Array.from({ length: maxW + 1 }, () => `i-0${rng.hex(16)}`);
  // stable per-worker offsets keep workers close to each other (no skew unless the traits say so)
  const cpuOffset = Array.from({ length: maxW }, () => rng.range(-3, 3));
  const memOffset = Array.from({ length: maxW }, () => rng.range(-2, 2));
  const cpuWalk = Array.from({ length: maxW }, () => new Walk(rng, tr.fluct));
  const memWalk = Array.from({ length: maxW }, () => new Walk(rng, tr.fluct * 0.6));
  const waitWalk = Array.from({ length: maxW }, () => new Walk(rng, Math.max(1, tr.wait * 0.22)));
  const driverCpuWalk = new Walk(rng, 6);
  const driverMemWalk = new Walk(rng, 2.5);
  const runMs = tl.tRunEnd - tl.tRun;
  const spikes = tr.spikes.map((s) => ({ from: tl.tRun + s.at * runMs, to: tl.tRun + s.at * runMs + s.minutes * MIN, cpu: s.cpu }));
  const skewFrom = tr.skew ? tl.tRun + tr.skew.from * runMs : Number.POSITIVE_INFINITY;
  const tailFrom = tr.skew ? tl.tRun + tr.skew.tail * runMs : Number.POSITIVE_INFINITY;
  const initEnd = tl.tReset ?? tl.tSetup;

  for (let t = from; t + MIN <= tl.tEnd; t += MIN) {
    const running = t >= tl.tRun;
    const workers = running ? prof.executorsAt(t) : prof.minW;
    const initBusy = !running && tr.initBusy && t < initEnd ? tr.initBusy : null;
    for (let w = -1; w < workers; w++) {
      const driver = w === -1;
      let cpu: number;
      let mem: number;
      let swap = 0;
      let wait: number;
      let net: number;
      if (driver) {
        // the driver resolves the graph while initializing, then coordinates
        cpu = clamp((running ? tr.driverCpu : 30) + driverCpuWalk.next(), 1, 99.5);
        mem = clamp((running ? tr.driverMem : Math.min(tr.driverMem, 40)) + driverMemWalk.next(), 5, 99.5);
        swap = running && tr.driverSwap > 0 ? clamp(tr.driverSwap + rng.range(-1.5, 1.5), 0, 100) : 0;
        wait = rng.range(0.3, 1.5);
        net = rng.range(10, 30) * MB;
      } else if (!running) {
        if (initBusy) {
          // init scripts and library installs: compiling, unpacking, downloading
          cpu = clamp(initBusy.cpu + (cpuOffset[w] ?? 0) + (cpuWalk[w]?.next() ?? 0), 1, 99.5);
          mem = clamp(30 + (memWalk[w]?.next() ?? 0), 5, 99.5);
          wait = clamp(initBusy.wait + (waitWalk[w]?.next() ?? 0), 0, 100);
          net = spread(rng, initBusy.netMB, 0.3) * MB;
        } else {
          cpu = rng.range(2, 6);
          mem = rng.range(18, 25);
          wait = rng.range(0.2, 1);
          net = rng.range(4, 12) * MB;
        }
      } else {
        const wf = prof.warmAt(t, w);
        let base = tr.cpu;
        for (const s of spikes) if (t >= s.from && t < s.to) base = s.cpu;
        let netScale = 1;
        if (tr.skew) {
          if (w === 0 && t >= skewFrom) {
            base = tr.skew.cpu;
            netScale = 1.6;
          } else if (t >= tailFrom) {
            base = IDLE_CPU + 2; // the rest wait for the straggler
            netScale = 0.2;
          }
        }
        const amp = Math.min(1, base / 30);
        cpu = clamp(IDLE_CPU + (base - IDLE_CPU) * wf + (cpuOffset[w] ?? 0) * amp + (cpuWalk[w]?.next() ?? 0) * amp, 0.5, 99.5);
        mem = clamp(IDLE_MEM + (tr.mem - IDLE_MEM) * Math.sqrt(wf) + (memOffset[w] ?? 0) + (memWalk[w]?.next() ?? 0), 5, 99.5);
        swap = tr.swap > 0 ? clamp(tr.swap * wf + rng.range(-1.5, 1.5), 0, 100) : 0;
        wait = clamp(tr.wait * wf + (waitWalk[w]?.next() ?? 0), 0, 100);
        net = spread(rng, tr.netMB * (0.15 + 0.85 * wf) * netScale, 0.25) * MB;
      }
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
