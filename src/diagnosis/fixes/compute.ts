/**
 * Fixes for the cpu, memory, io and network rules. Every value comes from docs/guide.md (section in
 * `guideSection`); `build` returns null when the setting is already in place or cannot apply
 * (serverless has no clusters or spark_conf to edit, and always runs Photon).
 */
import type { ClusterSpec, Evidence, PipelineSpec } from '../evidence.js';
import type { Change, FixDefinition, FixProposal } from '../types.js';
import { parseBytes } from '../rules/parse-bytes.js';
import { publishesToUnityCatalog } from '../rules/pipeline-facts.js';
import { sparkSetting } from '../rules/spark-setting.js';
import { chooseNodeType, FAMILY_WORDS, localSsdOf, parseNodeType, type Family, type Pick } from './instances.js';

type Params = Record<string, string | number | boolean>;

export { parseNodeType } from './instances.js';

function updateClusters(evidence: Evidence): ClusterSpec[] {
  return evidence.pipeline.spec.clusters.filter((c) => c.label !== 'maintenance');
}

/** The node type the update ran on: the spec's, else what node_timeline recorded. */
function currentNodeType(evidence: Evidence, driver: boolean): string | null {
  for (const c of updateClusters(evidence)) {
    const t = driver ? (c.driverNodeTypeId ?? c.nodeTypeId) : c.nodeTypeId;
    if (t) return t;
  }
  return evidence.nodeMetrics?.find((s) => s.driver === driver && s.nodeType)?.nodeType ?? null;
}

/** True when `name` is already of `family` and at least as large as `target`. */
function atLeast(name: string | null, family: Family, target: string): boolean {
  if (!name) return false;
  const cur = parseNodeType(name);
  const want = parseNodeType(target);
  if (!cur || !want || cur.family !== family) return false;
  return cur.vcpus === null || want.vcpus === null || cur.vcpus >= want.vcpus;
}

/**
 * A node-type change on the update cluster(s). Null on serverless, when the cloud is unknown or
 * has no row in the guide (GCP), or when every update cluster already uses that family at that size.
 * The node type is one the workspace offers when it listed them (instances.ts chooseNodeType); when
 * it offers none that fits, the proposal names no node type and says why (change null).
 */
function instanceProposal(
  evidence: Evidence,
  o: { pick: Pick; driver: boolean; why: string; effect: string; risk: string; impact: number },
): FixProposal | null {
  const spec = evidence.pipeline.spec;
  if (spec.serverless) return null;
  const current = currentNodeType(evidence, o.driver);
  const cloud = current ? parseNodeType(current)?.cloud : undefined;
  if (cloud !== 'aws' && cloud !== 'azure') return null;
  const family: Family = o.pick === 'storageLarge' ? 'storage' : o.pick;
  const choice = chooseNodeType(evidence, o.pick, cloud, o.driver);
  const target = choice.kind === 'pick' ? choice.nodeType : choice.guidePick;
  const clusters = updateClusters(evidence);
  const names = clusters.length > 0 ? clusters.map((c) => (o.driver ? (c.driverNodeTypeId ?? c.nodeTypeId) : c.nodeTypeId)) : [current];
  if (names.every((n) => atLeast(n, family, target))) return null;
  const role = o.driver ? 'driver' : 'worker';
  const currentNote = ` Current ${role} type: ${current}.`;
  if (choice.kind === 'withheld') {
    return {
      title: `Use ${FAMILY_WORDS[family]} ${o.driver ? 'driver' : 'workers'} (none offered here)`,
      why: `${o.why}${currentNote} ${choice.reason}`,
      change: null,
      expected_effect: o.effect,
      risk: o.risk,
      impact: o.impact / 2,
    };
  }
  const key = o.driver ? 'driver_node_type_id' : 'node_type_id';
  const pooled = clusters.some((c) => (o.driver ? (c.driverInstancePoolId ?? c.instancePoolId) : c.instancePoolId) !== null);
  // With an instance pool the pool decides the node type, so there is no single setting to change.
  const change: Change | null = pooled ? null : { target: 'cluster', key, value: target };
  const poolNote = pooled ? ` The cluster draws nodes from an instance pool, so create or pick a pool of ${target} and point the cluster at it.` : '';
  const offeredNote = choice.note ? ` ${choice.note}` : '';
  // already that family, only smaller: a size change, not a family switch
  const sameFamily = current !== null && parseNodeType(current)?.family === family;
  const title = sameFamily ? `Use larger ${FAMILY_WORDS[family]} ${o.driver ? 'driver' : 'workers'} (${target})` : undefined;
  const sizeNote = sameFamily ? ` ${current} is already ${FAMILY_WORDS[family]}; ${target} has more cores and memory per node.` : '';
  return { ...(title ? { title } : {}), why: `${o.why}${currentNote}${sizeNote}${offeredNote}${poolNote}`, change, expected_effect: o.effect, risk: o.risk, impact: o.impact };
}

/**
 * A spark_conf setting on the update cluster(s). Null on serverless and when `inPlace(effective)`.
 */
function sparkConfProposal(
  evidence: Evidence,
  key: string,
  value: string,
  inPlace: (effective: string | null) => boolean,
  rest: Omit<FixProposal, 'change'>,
): FixProposal | null {
  const spec = evidence.pipeline.spec;
  if (spec.serverless) return null;
  if (inPlace(sparkSetting(spec, key).effective)) return null;
  return { ...rest, change: { target: 'spark_conf', key, value } };
}

const isTrue = (v: string | null): boolean => v?.toLowerCase() === 'true';

const DOCS = {
  fileSize: 'https://docs.databricks.com/aws/en/tables/tune-file-size',
  predictive: 'https://docs.databricks.com/aws/en/optimizations/predictive-optimization',
} as const;

const unityCatalog = (evidence: Evidence): boolean => publishesToUnityCatalog(evidence.pipeline.spec);

/** A Databricks default the pipeline turned off (`key` set to false), turned back on; null when it is not off. */
function turnBackOn(spec: PipelineSpec, key: string, why: string, rest: Omit<FixProposal, 'change' | 'why'>): FixProposal | null {
  if (sparkSetting(spec, key).effective?.toLowerCase() !== 'false') return null;
  return { ...rest, why, change: { target: 'spark_conf', key, value: 'true' } };
}

function flowKey(params: Params, fallback: string): string {
  return typeof params.flow === 'string' && params.flow !== '' ? params.flow : fallback;
}

const BROADCAST_BYTES = 104_857_600; // §6.2: 100MB

export const FIXES: FixDefinition[] = [
  {
    id: 'enable-photon',
    category: 'cpu',
    title: 'Turn on Photon',
    guideSection: '4.2, 4.3, 12.1',
    build(evidence) {
      const spec = evidence.pipeline.spec;
      // Serverless pipelines always run Photon; the setting does not apply.
      if (spec.photon || spec.serverless) return null;
      return {
        why: 'Photon is the native vectorized engine; it accelerates SQL and DataFrame operations with no code change (§4.1).',
        change: { target: 'pipeline', key: 'photon', value: 'true' },
        expected_effect: 'Typically 2–3x faster scans and filters, 3–5x aggregations, 2–4x joins and 3–8x string operations (§4.2); 2–8x overall on SQL-heavy workloads (§12.1).',
        risk: 'Higher DBU rate (§12.1): it pays off only if the update gets faster by more than the rate increase. Python UDFs do not run in Photon (§4.4).',
        impact: 0.7,
      };
    },
  },
  {
    id: 'compute-optimized-instances',
    category: 'cpu',
    title: 'Use compute-optimized workers',
    guideSection: '3.1',
    build(evidence) {
      return instanceProposal(evidence, {
        pick: 'compute',
        driver: false,
        why: 'The workers are CPU-bound; §3.1 recommends c5.4xlarge / Standard_F16s_v2 (high CPU for transformations) for CPU-intensive work.',
        effect: 'More cores per node for CPU-bound transformations; the same work finishes sooner or on fewer workers.',
        risk: 'Less memory per core than general-purpose or memory-optimized nodes: watch for spill and OOM after the switch. No local SSD (no disk cache).',
        impact: 0.5,
      });
    },
  },
  {
    id: 'replace-python-udf',
    category: 'cpu',
    title: 'Replace Python UDFs with built-in functions',
    guideSection: '4.4, 6.4',
    build(evidence, params) {
      return {
        why: 'Python UDFs run row by row outside the engine, serialize every row to a Python worker and do not use Photon (§4.4, §6.4).',
        change: { target: 'code', key: flowKey(params, 'Python UDF'), value: 'replace the Python UDF with built-in pyspark.sql.functions (most string/date/math operations have one, §6.4)' },
        expected_effect: evidence.pipeline.spec.photon || evidence.pipeline.spec.serverless
          ? 'The flow runs in Photon instead of a Python worker: typically 2–8x on the affected stage (§4.2, §12.1).'
          : 'The flow stays in the JVM without Python serialization, and becomes eligible for Photon (§4.4).',
        risk: 'A code change: check results match the UDF, including nulls and edge cases.',
        impact: 0.6,
      };
    },
  },
  {
    id: 'memory-optimized-instances',
    category: 'memory',
    title: 'Use memory-optimized workers',
    guideSection: '3.1, 8.1',
    build(evidence) {
      return instanceProposal(evidence, {
        pick: 'memory',
        driver: false,
        why: 'The workers run out of memory; §3.1 recommends r5.4xlarge / Standard_E16s_v5 (high memory for large joins) for memory-intensive work.',
        effect: 'More memory per core: fewer OOM-killed executors, task retries and swap.',
        risk: 'Higher cost per node. No local SSD on r5 / Ev5 (disk cache off).',
        impact: 0.6,
      });
    },
  },
  {
    id: 'offheap-memory',
    category: 'memory',
    title: 'Enable off-heap memory',
    guideSection: '8.1',
    build(evidence) {
      const spec = evidence.pipeline.spec;
      // Photon (and serverless, which runs Photon) manages its own off-heap memory.
      if (spec.serverless || spec.photon) return null;
      const enabled = isTrue(sparkSetting(spec, 'spark.memory.offHeap.enabled').effective);
      const size = parseBytes(sparkSetting(spec, 'spark.memory.offHeap.size').effective);
      if (enabled && size !== null && size > 0) return null;
      // One missing setting is a single change; both missing need two, so there is no single change.
      const change: Change | null = enabled
        ? { target: 'spark_conf', key: 'spark.memory.offHeap.size', value: '8g' }
        : size !== null && size > 0
          ? { target: 'spark_conf', key: 'spark.memory.offHeap.enabled', value: 'true' }
          : null;
      return {
        why: 'Large aggregations and joins overflow the JVM heap; §8.1 sets spark.memory.offHeap.enabled=true and spark.memory.offHeap.size=8g.',
        change,
        expected_effect: 'Large operation buffers move off the JVM heap: fewer GC pauses and heap OOMs.',
        risk: 'Off-heap memory comes out of the same node memory: lower spark.executor.memory accordingly, or the container can be killed.',
        impact: 0.3,
      };
    },
  },
  {
    id: 'executor-memory-overhead',
    category: 'memory',
    title: 'Give executors more memory overhead',
    guideSection: '8.1',
    build(evidence, params) {
      const spec = evidence.pipeline.spec;
      if (spec.serverless) return null;
      // containers killed with exit code 137: the overhead is the fix (§8.1), ahead of bigger or more nodes
      const impact = params.exit137 === true ? 0.75 : 0.55;
      // Spark: spark.executor.memoryOverhead (absolute) wins over spark.executor.memoryOverheadFactor
      // (Spark 3.3+, default 0.10 of executor memory, at least 384 MiB): raise whichever is in force.
      const setting = sparkSetting(spec, 'spark.executor.memoryOverhead').effective;
      // Spark reads a unit-less memoryOverhead as MiB ("in MiB unless otherwise specified"), not bytes
      const absolute = setting !== null && /^\s*\d+(?:\.\d+)?\s*$/.test(setting) ? Number(setting) * 1024 ** 2 : parseBytes(setting);
      const why =
        'Exit code 137 means the executor process was killed (SIGKILL), almost always by the out-of-memory killer: heap plus off-heap and native memory (Python workers, Arrow, network buffers) outgrew the container. §8.1 keeps executor memory at 70–80% of the node so the rest is left for this overhead.';
      const risk = 'The overhead comes out of the node: the executor heap shrinks by as much, so heap-bound stages can spill more.';
      if (absolute !== null && absolute > 0) {
        const gib = Math.max(1, Math.ceil((absolute * 2) / 1024 ** 3));
        return { why, change: { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: `${gib}g` }, expected_effect: 'Twice the non-heap room per executor: no more containers killed for memory.', risk, impact };
      }
      const factor = Number(sparkSetting(spec, 'spark.executor.memoryOverheadFactor').effective ?? '0.1');
      const next = Math.min(0.4, Math.round(((Number.isFinite(factor) ? factor : 0.1) + 0.1) * 100) / 100);
      if (Number.isFinite(factor) && factor >= 0.4) return null;
      return {
        why,
        change: { target: 'spark_conf', key: 'spark.executor.memoryOverheadFactor', value: String(next) },
        expected_effect: `Non-heap room per executor goes from ${Math.round((Number.isFinite(factor) ? factor : 0.1) * 100)}% to ${Math.round(next * 100)}% of executor memory: containers stop being killed for memory.`,
        risk,
        impact,
      };
    },
  },
  {
    id: 'avoid-collect',
    category: 'memory',
    title: 'Stop collecting large results on the driver',
    guideSection: '8.2',
    build(_evidence, params) {
      return {
        why: 'collect() and toPandas() bring all data to driver memory (§8.2).',
        change: { target: 'code', key: flowKey(params, 'collect() / toPandas()'), value: 'limit before collecting (.limit(10000).toPandas()) or use a streaming aggregation instead (§8.2)' },
        expected_effect: 'The driver no longer holds whole datasets, so it stops paging and stalling the update.',
        risk: 'A code change; only the pipeline code shows whether it collects.',
        impact: 0.5,
      };
    },
  },
  {
    id: 'larger-driver',
    category: 'memory',
    title: 'Use a memory-optimized driver',
    guideSection: '3.1, 8.1',
    build(evidence, params) {
      return instanceProposal(evidence, {
        pick: 'memory',
        driver: true,
        why: 'The driver is out of memory while the workers idle; §3.1 lists r5.4xlarge / Standard_E16s_v5 for memory-intensive work and §8.1 gives the driver memory for collect operations.',
        effect: 'More driver memory for planning many flows and for results brought to the driver.',
        risk: 'Higher driver cost for the whole update; it does not help if the code collects ever larger data (§8.2).',
        // a driver killed for memory (exit 137) or restarting: the node is too small, first
        impact: params.first === true ? 0.6 : 0.4,
      });
    },
  },
  {
    id: 'storage-optimized-instances',
    category: 'io',
    title: 'Use storage-optimized workers (local NVMe SSD)',
    guideSection: '3.1',
    build(evidence, params) {
      const large = params.size === 'large';
      return instanceProposal(evidence, {
        pick: large ? 'storageLarge' : 'storage',
        driver: false,
        why: large
          ? 'Large shuffles spill to disk; §3.1 recommends i3.4xlarge / Standard_L16s_v2 (fast local disk for spill).'
          : 'The workers wait on I/O; §3.1 recommends i3.2xlarge / Standard_L8s_v2 (balanced compute and local SSD) for general ETL.',
        effect: 'Shuffle spill and the disk cache use local NVMe SSD instead of network-attached volumes.',
        risk: 'Less memory per core than memory-optimized nodes; a different price per node.',
        impact: 0.5,
      });
    },
  },
  {
    id: 'enable-io-cache',
    category: 'io',
    title: 'Enable the disk cache',
    guideSection: '3.4',
    build(evidence) {
      const current = currentNodeType(evidence, false);
      const localSsd = current ? localSsdOf(evidence, current) : false;
      const explicit = sparkSetting(evidence.pipeline.spec, 'spark.databricks.io.cache.enabled').effective;
      // On instance types with local SSD (i3, m5d/r5d/c5d, L-series, Ed/Dd-series) Databricks enables the disk cache by default.
      if (explicit === null && localSsd) return null;
      return sparkConfProposal(evidence, 'spark.databricks.io.cache.enabled', 'true', isTrue, {
        why: 'The workers wait on reads; the disk cache keeps copies of remote Parquet/Delta files on local SSD (§3.4).',
        expected_effect: 'Repeated reads of the same files are served from local disk instead of cloud storage.',
        risk: 'Uses local disk space; it helps only on nodes with a local SSD (see storage-optimized-instances).',
        impact: 0.4,
      });
    },
  },
  {
    id: 'optimize-write',
    category: 'io',
    title: 'Enable optimized writes',
    guideSection: '3.4, 7.1',
    build(evidence) {
      if (unityCatalog(evidence)) return null;
      return sparkConfProposal(evidence, 'spark.databricks.delta.optimizeWrite.enabled', 'true', isTrue, {
        why: 'Optimized writes produce fewer, larger files (§7.1 targets 128 MB, spark.databricks.delta.optimizeWrite.fileSize=134217728).',
        expected_effect: 'Fewer small files written, so later reads list and open fewer files.',
        risk: 'Adds a shuffle before each write, so writes can take a little longer.',
        impact: 0.4,
      });
    },
  },
  {
    id: 'auto-compact',
    category: 'io',
    title: 'Enable auto compaction',
    guideSection: '3.4, 7.1',
    build(evidence) {
      if (unityCatalog(evidence)) return null;
      return sparkConfProposal(evidence, 'spark.databricks.delta.autoCompact.enabled', 'true', isTrue, {
        why: 'Auto compaction merges small files after writes (§3.4, §7.1).',
        expected_effect: 'Small files left by writes are compacted, so reads open fewer files.',
        risk: 'Compaction runs after writes in the same update and adds to its duration.',
        impact: 0.3,
      });
    },
  },
  {
    id: 'predictive-optimization',
    category: 'io',
    title: 'Let predictive optimization compact the tables',
    guideSection: 'docs',
    docUrl: DOCS.predictive,
    build(evidence) {
      if (!unityCatalog(evidence)) return null;
      const where = evidence.pipeline.spec.schema ? `${evidence.pipeline.spec.catalog}.${evidence.pipeline.spec.schema}` : evidence.pipeline.spec.catalog!;
      return {
        why: `The pipeline publishes to Unity Catalog (${where}): Databricks tunes file sizes of Unity Catalog managed tables itself, and manual tuning (optimized writes, auto compaction, target file sizes) does not apply (${DOCS.fileSize}). Predictive optimization runs OPTIMIZE and VACUUM for them (${DOCS.predictive}).`,
        change: { target: 'code', key: `ALTER SCHEMA ${where}`, value: 'ENABLE PREDICTIVE OPTIMIZATION' },
        expected_effect: 'Small files in the pipeline\'s tables are compacted in the background, so reads open fewer files — without a setting on the pipeline.',
        risk: 'Needs an account admin or the schema owner; it is on by default for new accounts, so check DESCRIBE SCHEMA EXTENDED first. Background runs are billed as serverless jobs.',
        impact: 0.35,
      };
    },
  },
  {
    id: 'enable-aqe-coalesce',
    category: 'network',
    title: 'Let adaptive query execution size shuffle partitions',
    guideSection: '3.4',
    build(evidence) {
      const spec = evidence.pipeline.spec;
      if (spec.serverless) return null;
      const rest = {
        expected_effect: 'Shuffle partitions are coalesced after each stage, so fewer tiny tasks and less shuffle overhead.',
        risk: 'Low: these are Databricks defaults that were overridden.',
        impact: 0.3,
      };
      const off =
        turnBackOn(spec, 'spark.sql.adaptive.enabled', 'Adaptive query execution is turned off; §3.4 sets spark.sql.adaptive.enabled=true.', rest) ??
        turnBackOn(spec, 'spark.sql.adaptive.coalescePartitions.enabled', 'Partition coalescing is turned off; §3.4 sets spark.sql.adaptive.coalescePartitions.enabled=true.', rest);
      if (off) return off;
      const partitions = sparkSetting(spec, 'spark.sql.shuffle.partitions').effective;
      if (partitions !== null && partitions.toLowerCase() !== 'auto') {
        return { ...rest, why: `spark.sql.shuffle.partitions is pinned to ${partitions}; §3.4 sets it to auto so the shuffle is sized from the data.`, change: { target: 'spark_conf', key: 'spark.sql.shuffle.partitions', value: 'auto' } };
      }
      // Adaptive execution and coalescing are on by default in Databricks Runtime: nothing to change.
      return null;
    },
  },
  {
    id: 'broadcast-threshold',
    category: 'network',
    title: 'Broadcast small tables in joins (100 MB threshold)',
    guideSection: '6.2',
    build(evidence) {
      return sparkConfProposal(
        evidence,
        'spark.sql.autoBroadcastJoinThreshold',
        String(BROADCAST_BYTES),
        (v) => {
          const bytes = parseBytes(v);
          return bytes !== null && bytes >= BROADCAST_BYTES;
        },
        {
          why: 'Joins with small dimension tables shuffle both sides; §6.2 raises spark.sql.autoBroadcastJoinThreshold (and spark.sql.adaptive.autoBroadcastJoinThreshold) to 104857600 (100MB), or use F.broadcast() on the small side.',
          expected_effect: 'Tables up to 100 MB are broadcast instead of shuffled, removing the shuffle of the large side of those joins.',
          risk: 'Every executor and the driver hold each broadcast table in memory; watch driver memory.',
          impact: 0.4,
        },
      );
    },
  },
  {
    id: 'enable-skew-join',
    category: 'network',
    title: 'Turn adaptive skew-join handling back on',
    guideSection: '8.3',
    build(evidence) {
      const spec = evidence.pipeline.spec;
      if (spec.serverless) return null;
      const rest = {
        expected_effect: 'Skewed partitions (5x the median and over 256 MB, §8.3) are split across tasks, so one task no longer holds the stage.',
        risk: 'Low: restores Databricks defaults. It handles sort-merge joins only; skewed aggregations need salting.',
        impact: 0.4,
      };
      for (const key of ['spark.sql.adaptive.enabled', 'spark.sql.adaptive.skewJoin.enabled']) {
        const off = turnBackOn(spec, key, `${key} is false; §8.3 enables adaptive skew-join handling.`, rest);
        if (off) return off;
      }
      // On by default (skewedPartitionFactor 5, threshold 256 MB, as §8.3 sets them): nothing to change.
      return null;
    },
  },
  {
    id: 'salt-skewed-key',
    category: 'network',
    title: 'Salt the skewed join key',
    guideSection: '8.3',
    build(_evidence, params) {
      return {
        why: 'One worker does most of the work while the rest wait: a few key values hold most rows. Adaptive skew handling covers sort-merge joins only; salting spreads any hot key (§8.3).',
        change: { target: 'code', key: flowKey(params, 'skewed join'), value: 'add a salt column F.floor(F.rand() * 10) to the large side, explode the small side over the 10 salts, join on the salted key (§8.3)' },
        expected_effect: 'The hot key is split 10 ways, so its stage runs on up to 10 workers instead of one.',
        risk: 'A code change; the small side grows 10x after the explode.',
        impact: 0.4,
      };
    },
  },
];
