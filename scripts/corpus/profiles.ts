/**
 * Building blocks for the corpus cases: node-metric profiles with warm-up and fluctuation, executor
 * curves (fixed, ENHANCED quick ramp, LEGACY slow ramp), flow sets and error payloads worded as Spark and
 * Databricks word them.
 */
import { GIB, MIB, clamp, type ClusterModel, type FlowSpec, type NodeVals, type Obj, type Rng } from './sim.js';

type Num = number | ((m: number, M: number, i: number, r: Rng) => number);
const val = (v: Num | undefined, m: number, M: number, i: number, r: Rng, dflt = 0) => (v === undefined ? dflt : typeof v === 'number' ? v : v(m, M, i, r));

export interface Prof {
  /** steady CPU (user+system) of a worker while running */
  cpu: Num;
  /** ± fluctuation per minute */
  amp?: number;
  mem: Num;
  memAmp?: number;
  swap?: Num;
  wait?: Num;
  /** GiB sent + received per worker-minute */
  netGiB?: Num;
  /** minutes of warm-up at the start of RUNNING (CPU and memory climb) */
  warm?: number;
  /** while INITIALIZING / SETTING_UP_TABLES */
  init?: { cpu: number; mem?: number; netGiB?: number; wait?: number };
}

/** a worker's metrics: warm-up ramp, then the profile with per-minute noise */
export function worker(p: Prof): ClusterModel['worker'] {
  return (m, i, M, phase, r) => {
    if (phase !== 'run') {
      const init = p.init ?? { cpu: 6, mem: 22, netGiB: 0.01 };
      return {
        cpu: init.cpu + r.noise(init.cpu * 0.35),
        mem: (init.mem ?? 22) + r.noise(3),
        wait: (init.wait ?? 1) + r.range(0, 1.5),
        net: (init.netGiB ?? 0.01) * GIB * r.range(0.6, 1.4),
      };
    }
    const warm = p.warm ?? 4;
    const k = warm > 0 ? clamp(m / warm, 0, 1) : 1;
    const cpu = val(p.cpu, m, M, i, r);
    const mem = val(p.mem, m, M, i, r);
    const amp = p.amp ?? 6;
    return {
      cpu: clamp((14 + (cpu - 14) * k) + r.noise(amp), 1, 99.4),
      mem: clamp(26 + (mem - 26) * Math.min(1, k * 1.3) + r.noise(p.memAmp ?? 3), 5, 99.6),
      swap: Math.max(0, val(p.swap, m, M, i, r) * (k >= 1 ? 1 : k * k) + (p.swap ? r.noise(1.2) : 0)),
      wait: Math.max(0.1, val(p.wait, m, M, i, r, 1.2) * (0.5 + 0.5 * k) + r.noise(1.5)),
      net: Math.max(0, val(p.netGiB, m, M, i, r, 0.12) * GIB * (0.3 + 0.7 * k) * r.range(0.8, 1.2)),
    };
  };
}

export interface DriverProf {
  cpu: Num;
  mem: Num;
  swap?: Num;
  amp?: number;
  init?: { cpu: number; mem: number };
}

export function driver(p: DriverProf): ClusterModel['driver'] {
  return (m, M, phase, r) => {
    if (phase !== 'run') {
      const init = p.init ?? { cpu: 28, mem: 34 };
      return { cpu: init.cpu + r.noise(8), mem: init.mem + r.noise(3), wait: r.range(0.3, 2), net: 0.05 * GIB * r.range(0.5, 1.5) };
    }
    return {
      cpu: clamp(val(p.cpu, m, M, 0, r) + r.noise(p.amp ?? 5), 1, 99),
      mem: clamp(val(p.mem, m, M, 0, r) + r.noise(2.5), 5, 99.7),
      swap: Math.max(0, val(p.swap, m, M, 0, r)),
      wait: r.range(0.2, 2),
      net: 0.08 * GIB * r.range(0.5, 1.5),
    };
  };
}

/** a healthy driver: coordinating, not computing */
export const calmDriver = driver({ cpu: 18, mem: 44 });

// ---------------------------------------------------------------------------------------------
// executor curves (m: minute of RUNNING; m < 0: before RUNNING)

export const fixed = (n: number) => () => n;

/** ENHANCED autoscaling: min until RUNNING, then a quick ramp to `target(m)` within ~3 minutes */
export function enhancedRamp(min: number, target: (m: number, M: number) => number, rampMin = 3) {
  return (m: number, M: number) => {
    if (m < 0) return min;
    const t = Math.round(target(m, M));
    if (m >= rampMin) return t;
    return Math.round(min + (t - min) * (m / rampMin));
  };
}

/** LEGACY autoscaling: adds one executor every `everyMin` minutes from `min` to `max` */
export function legacyRamp(min: number, max: number, everyMin: number) {
  return (m: number) => (m < 0 ? min : Math.min(max, min + Math.floor(m / everyMin)));
}

/** a value that drifts slowly around `mean` (a random walk bounded to ±amp), per minute */
export function wobble(mean: number, amp: number) {
  const cache = new Map<number, number>();
  return (m: number, _M: number, _i: number, r: Rng) => {
    const k = Math.floor(m);
    let v = cache.get(k);
    if (v === undefined) {
      const prev = cache.get(k - 1) ?? mean;
      v = clamp(prev + r.noise(amp * 0.5), mean - amp, mean + amp);
      cache.set(k, v);
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------------
// flows

export function explainCloudFiles(fmt: string, path: string, cols: string): string {
  return `== Physical Plan ==\n*(1) Project [${cols}]\n+- StreamingDataSourceV2ScanRelation[${cols}] CloudFilesSource[${path}], format: ${fmt}`;
}

export function explainKafka(topic: string): string {
  return `== Physical Plan ==\n*(1) Project [cast(key#12 as string) AS key#40, cast(value#13 as string) AS value#41, topic#14, partition#15, offset#16L, timestamp#17]\n+- StreamingDataSourceV2ScanRelation[key#12, value#13, topic#14, partition#15, offset#16L, timestamp#17] KafkaTable(subscribe=${topic})`;
}

export function explainDeltaStream(table: string): string {
  return `== Physical Plan ==\n*(1) Filter isnotnull(device_id#3)\n+- StreamingRelation delta, [device_id#3, ts#4, reading#5, site#6], DeltaSource[${table}]`;
}

export function explainSmj(left: string, right: string, key: string, photon = false): string {
  const join = photon ? 'PhotonShuffledHashJoin' : 'SortMergeJoin';
  return `== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=false\n+- ${join} [${key}#21], [${key}#88], LeftOuter\n   :- Sort [${key}#21 ASC NULLS FIRST], false, 0\n   :  +- Exchange hashpartitioning(${key}#21, 200), ENSURE_REQUIREMENTS, [plan_id=412]\n   :     +- FileScan parquet ${left}[order_id#20,${key}#21,amount#22,ts#23] Batched: true, Format: Parquet\n   +- Sort [${key}#88 ASC NULLS FIRST], false, 0\n      +- Exchange hashpartitioning(${key}#88, 200), ENSURE_REQUIREMENTS, [plan_id=415]\n         +- FileScan parquet ${right}[${key}#88,name#89,region#90] Batched: true, Format: Parquet`;
}

export function explainHashAgg(src: string): string {
  return `== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=false\n+- HashAggregate(keys=[order_date#31, region#32], functions=[sum(amount#33), count(1)])\n   +- Exchange hashpartitioning(order_date#31, region#32, 200), ENSURE_REQUIREMENTS\n      +- HashAggregate(keys=[order_date#31, region#32], functions=[partial_sum(amount#33), partial_count(1)])\n         +- FileScan parquet ${src}[order_date#31,region#32,amount#33] Batched: true, Format: Parquet`;
}

export function explainPythonUdf(src: string): string {
  return `== Physical Plan ==\n*(2) Project [event_id#1, user_agent#2, pythonUDF0#55 AS device#30, pythonUDF1#56 AS geo#31]\n+- BatchEvalPython [parse_user_agent(user_agent#2)#50, geoip_lookup(ip#3)#51], [pythonUDF0#55, pythonUDF1#56]\n   +- *(1) Project [event_id#1, user_agent#2, ip#3]\n      +- StreamingRelation delta, [event_id#1, user_agent#2, ip#3], DeltaSource[${src}]`;
}

/** a backlog that drains from `b0` bytes towards zero (normal catch-up of a triggered stream) */
export function draining(b0: number, fileBytes?: number, records?: number) {
  return (f: number, r: Rng) => {
    const left = Math.max(0, Math.pow(1 - f, 1.6) * r.range(0.9, 1.08));
    const bytes = b0 * left;
    return {
      bytes,
      ...(fileBytes ? { files: Math.round(bytes / fileBytes) } : {}),
      ...(records ? { records: Math.round(records * left) } : {}),
    };
  };
}

/** a backlog that grows from `from` to `to` with noise (more arrives than is processed) */
export function growing(from: number, to: number, key: 'bytes' | 'records', extra?: { fileBytes?: number; seconds?: [number, number] }) {
  let last = from;
  return (f: number, r: Rng) => {
    const target = from + (to - from) * Math.pow(f, 1.1);
    const v = Math.max(last * r.range(0.985, 1.0), target * r.range(0.95, 1.05));
    last = v;
    const out: { bytes?: number; records?: number; files?: number; seconds?: number } = { [key]: v };
    if (key === 'records') out.bytes = v * 1100;
    if (extra?.fileBytes) out.files = Math.round((out.bytes ?? v) / extra.fileBytes);
    if (extra?.seconds) out.seconds = extra.seconds[0] + (extra.seconds[1] - extra.seconds[0]) * f;
    return out;
  };
}

/** a sawtooth backlog: bursts that drain, ending lower than it started */
export function sawtooth(peak: number, key: 'bytes' | 'records', periods = 4) {
  return (f: number, r: Rng) => {
    const phase = (f * periods) % 1;
    const v = peak * (phase < 0.25 ? 0.3 + 2.8 * phase : Math.max(0.05, 1 - (phase - 0.25) * 1.25)) * r.range(0.9, 1.1) * (1 - 0.35 * f);
    return key === 'records' ? { records: v, bytes: v * 900 } : { bytes: v };
  };
}

/** an ordinary medallion pipeline: very different flow sizes, cpu/executor ratios 0.75–0.85 */
export function medallion(o: { scale?: number; mvPlanning?: FlowSpec['planning']; photon?: boolean } = {}): FlowSpec[] {
  const s = o.scale ?? 1;
  return [
    {
      table: 'orders_bronze',
      kind: 'st',
      source: 'autoloader',
      inputs: [],
      explain: explainCloudFiles('json', '/Volumes/main/landing/orders/', 'order_id, customer_id, amount, ts, _rescued_data'),
      at: [0, 0.42],
      slotShare: 0.3,
      cpuRatio: 0.79,
      rows: 4.6e6 * s,
      backlog: draining(2.4 * GIB * s, 48 * MIB),
    },
    { table: 'customers_bronze', kind: 'st', source: 'autoloader', inputs: [], explain: explainCloudFiles('csv', '/Volumes/main/landing/customers/', 'customer_id, name, region'), at: [0, 0.08], slotShare: 0.04, cpuRatio: 0.74, rows: 31_000 * s, backlog: draining(40 * MIB, 8 * MIB) },
    { table: 'orders_silver', kind: 'st', inputs: ['orders_bronze'], at: [0.03, 0.66], slotShare: 0.38, cpuRatio: 0.83, rows: 4.5e6 * s, dropped: Math.round(1200 * s) },
    { table: 'customers_silver', kind: 'st', flowType: 'CHANGE', inputs: ['customers_bronze'], at: [0.02, 0.12], slotShare: 0.05, cpuRatio: 0.77, rows: 30_500 * s },
    {
      table: 'daily_revenue',
      kind: 'mv',
      inputs: ['orders_silver', 'customers_silver'],
      explain: explainHashAgg('main.sales.orders_silver'),
      at: [0.67, 0.97],
      slotShare: 0.55,
      cpuRatio: 0.81,
      rows: 38_000,
      planning: o.mvPlanning ?? 'incremental',
      terminalTotals: true,
      planningStatus: true,
    },
    { table: 'customer_ltv', kind: 'mv', inputs: ['orders_silver', 'customers_silver'], at: [0.68, 0.8], slotShare: 0.15, cpuRatio: 0.76, rows: 1.2e6 * s, planning: 'incremental', terminalTotals: true },
  ];
}

// ---------------------------------------------------------------------------------------------
// errors, worded as Spark / Databricks word them

export function exit137(executor: number, stage = 214, task = 88): Obj {
  return {
    fatal: false,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message: `Job aborted due to stage failure: Task ${task} in stage ${stage}.0 failed 4 times, most recent failure: Lost task ${task}.3 in stage ${stage}.0 (TID ${19000 + executor * 37}) (10.68.3.${100 + executor} executor ${executor}): ExecutorLostFailure (executor ${executor} exited caused by one of the running tasks) Reason: Command exited with code 137`,
        error_class: null,
        stack: [{ declaring_class: 'org.apache.spark.scheduler.DAGScheduler', method_name: 'failJobAndIndependentStages', file_name: 'DAGScheduler.scala', line_number: 3645 }],
      },
    ],
  };
}

export function fetchFailed(executor: number): Obj {
  return {
    fatal: false,
    exceptions: [
      {
        class_name: 'org.apache.spark.shuffle.FetchFailedException',
        message: `Failed to connect to /10.68.3.${100 + executor}:4048 (executor ${executor} was lost: Container killed on request. Exit code is 137)`,
      },
    ],
  };
}

export function heapOom(fatal: boolean): Obj {
  return {
    fatal,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message:
          'Job aborted due to stage failure: Task 17 in stage 96.0 failed 4 times, most recent failure: Lost task 17.3 in stage 96.0 (TID 12077) (10.68.2.37 executor 3): java.lang.OutOfMemoryError: Java heap space\n\tat org.apache.spark.sql.catalyst.expressions.UnsafeRow.copy(UnsafeRow.java:500)',
      },
      { class_name: 'java.lang.OutOfMemoryError', message: 'Java heap space' },
    ],
  };
}

export function gcOverhead(fatal: boolean, where: 'driver' | 'executor'): Obj {
  return {
    fatal,
    exceptions: [
      where === 'driver'
        ? { class_name: 'java.lang.OutOfMemoryError', message: 'GC overhead limit exceeded', stack: [{ declaring_class: 'org.apache.spark.sql.execution.SparkPlan', method_name: 'executeCollect', file_name: 'SparkPlan.scala', line_number: 481 }] }
        : {
            class_name: 'org.apache.spark.SparkException',
            message: 'Job aborted due to stage failure: Task 203 in stage 58.0 failed 4 times, most recent failure: Lost task 203.3 in stage 58.0 (TID 7781) (10.68.1.22 executor 9): java.lang.OutOfMemoryError: GC overhead limit exceeded',
          },
    ],
  };
}

export function maxResultSize(fatal: boolean): Obj {
  return {
    fatal,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message: 'Job aborted due to stage failure: Total size of serialized results of 2113 tasks (4.0 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)',
        error_class: null,
      },
    ],
  };
}

export function driverRestart(): Obj {
  return { fatal: true, exceptions: [{ class_name: 'org.apache.spark.SparkException', message: 'The spark driver has stopped unexpectedly and is restarting. Your notebook will be automatically reattached.' }] };
}

export function driverUnresponsive(): Obj {
  return { fatal: false, exceptions: [{ class_name: 'org.apache.spark.SparkException', message: 'Driver is up but is not responsive, likely due to GC.' }] };
}

export function permissionDenied(schema: string): Obj {
  return {
    fatal: true,
    exceptions: [
      {
        class_name: 'com.databricks.sql.managedcatalog.acl.UnauthorizedAccessException',
        message: `PERMISSION_DENIED: User does not have USE SCHEMA on Schema '${schema}'.`,
        error_class: 'PERMISSION_DENIED',
        sql_state: '42501',
      },
    ],
  };
}

export function tableNotFound(table: string, flow: string): Obj {
  const [c, s, t] = table.split('.');
  return {
    fatal: true,
    exceptions: [
      { class_name: 'org.apache.spark.sql.AnalysisException', message: `Failed to resolve flow: '${flow}'.` },
      {
        class_name: 'org.apache.spark.sql.catalyst.ExtendedAnalysisException',
        message: `[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${c}\`.\`${s}\`.\`${t}\` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01; line 1 pos 14`,
        error_class: 'TABLE_OR_VIEW_NOT_FOUND',
        sql_state: '42P01',
      },
    ],
  };
}

export function schemaMismatch(table: string): Obj {
  return {
    fatal: true,
    exceptions: [
      {
        class_name: 'org.apache.spark.sql.AnalysisException',
        message: `[DELTA_FAILED_TO_MERGE_FIELDS] Failed to merge fields 'amount' and 'amount'. SQLSTATE: 22005`,
        error_class: 'DELTA_FAILED_TO_MERGE_FIELDS',
        sql_state: '22005',
      },
      {
        class_name: 'org.apache.spark.sql.AnalysisException',
        message: `[DELTA_MERGE_INCOMPATIBLE_DATATYPE] Failed to merge incompatible data types DecimalType(18,2) and StringType while writing to ${table}. SQLSTATE: 42K09`,
        error_class: 'DELTA_MERGE_INCOMPATIBLE_DATATYPE',
        sql_state: '42K09',
      },
    ],
  };
}

export function unresolvedColumn(flow: string): Obj {
  return {
    fatal: true,
    exceptions: [
      { class_name: 'org.apache.spark.sql.AnalysisException', message: `Failed to resolve flow: '${flow}'.` },
      {
        class_name: 'org.apache.spark.sql.catalyst.ExtendedAnalysisException',
        message:
          "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `cust_id` cannot be resolved. Did you mean one of the following? [`customer_id`, `cust_name`, `region`]. SQLSTATE: 42703; line 3 pos 9;\n'Project ['cust_id, 'amount]\n+- SubqueryAlias main.crm.orders_silver",
        error_class: 'UNRESOLVED_COLUMN.WITH_SUGGESTION',
        sql_state: '42703',
      },
    ],
  };
}

export const NodeIdle: NodeVals = { cpu: 5, mem: 22 };
