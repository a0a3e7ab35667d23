/**
 * Reading memory failures out of error events, shared by oom-errors (executors) and driver-failure
 * (the driver): which failure it is and where it happened. The wording is Spark's and Databricks':
 * - executors: `ExecutorLostFailure (executor 5 exited caused by one of the running tasks) Reason:
 *   Command exited with code 137` / `Container killed … exceeding memory limits` / `OOMKilled`
 *   (137 = 128 + SIGKILL, almost always the out-of-memory killer), `java.lang.OutOfMemoryError:
 *   Java heap space` in a task, `SparkOutOfMemoryError`, `FetchFailedException` once executors die;
 * - the driver: `Driver … exit code 137` / a driver container OOMKilled (killed for memory, with no
 *   executor or task in the text), `Total size of serialized results of N tasks (…) is bigger than
 *   spark.driver.maxResultSize`, `Driver is up but is not responsive, likely due to GC`, `The spark
 *   driver has stopped unexpectedly and is restarting`, and an `OutOfMemoryError` / `GC overhead
 *   limit exceeded` with no task or executor in it while the driver's memory is full.
 */
import type { ErrorInfo, Evidence } from '../evidence.js';
import { nodeStats } from './node-stats.js';
import { errorText } from './error-text.js';

export type MemoryFailureKind = 'container-killed' | 'driver-killed' | 'heap' | 'gc-overhead' | 'executor-lost' | 'fetch-failed' | 'max-result-size' | 'driver-unresponsive' | 'driver-restarted';
export interface MemoryFailure {
  error: ErrorInfo;
  site: 'driver' | 'executor';
  kind: MemoryFailureKind;
  /** the phrase that matched, for the finding */
  phrase: string;
}

const DRIVER_ONLY: { re: RegExp; kind: MemoryFailureKind; phrase: string }[] = [
  { re: /spark\.driver\.maxResultSize|total size of serialized results/i, kind: 'max-result-size', phrase: 'spark.driver.maxResultSize exceeded' },
  { re: /driver is up but is not responsive|driver is not responsive/i, kind: 'driver-unresponsive', phrase: 'driver not responsive (GC)' },
  { re: /spark driver has stopped unexpectedly|driver (has )?(crashed|restarted)|driver is temporarily unavailable/i, kind: 'driver-restarted', phrase: 'driver stopped unexpectedly' },
];
const EXECUTOR_CONTEXT = /executor|\btask\b|\bTID\b|stage failure|container|lost task/i;
/** executor wording without "container" (a driver's container can be killed too) */
const EXECUTOR_WORDS = /executor|\btask\b|\bTID\b|stage failure|lost task/i;
const DRIVER_CONTEXT = /\bdriver\b/i;
/**
 * Killed for memory: exit code 137 (128 + SIGKILL) in the wordings Databricks, YARN and Kubernetes
 * use — "Command exited with code 137" (Databricks ExecutorLostFailure), "Container killed on
 * request. Exit code is 137" / "Container killed by YARN for exceeding memory limits … Consider
 * boosting spark.yarn.executor.memoryOverhead" / "running beyond physical memory limits" (YARN),
 * "The executor with id 1 exited with exit code 137" / "OOMKilled" (Kubernetes). A container killed
 * with another code is not: 143 (SIGTERM: "Container killed on request. Exit code is 143", a
 * preemption or decommission), Spark's own 52 (a heap OutOfMemoryError, not the overhead).
 */
const CONTAINER_KILLED =
  /\b(?:exit(?:ed)?\s+(?:with\s+)?(?:exit\s+)?(?:code|status)|exit\s*code)\s*(?:is\s+|[:=]\s*)?137\b|oomkilled|exceeding (?:physical |virtual )?memory limits|beyond (?:physical|virtual) memory limits|memoryoverhead/i;
const HEAP = /outofmemoryerror|sparkoutofmemoryerror|java heap space|unable to acquire \d+ bytes of memory/i;
const GC = /gc overhead limit exceeded/i;
const EXECUTOR_LOST = /executorlostfailure|remote rpc client disassociated/i;
/**
 * executor loss that is not memory: spot reclaim, decommission, scale-down ("spot" as a word: not
 * the JVM's "HotSpot"), or Spark's own "exited unrelated to the running tasks" (a lost node)
 */
const NOT_MEMORY = /(?<![a-z])spot(?![a-z])|preempt|decommission|scaled? down|instance termination|unrelated to the running tasks/i;
const FETCH_FAILED = /fetchfailedexception|metadatafetchfailedexception/i;

/** Driver memory was nearly full for a good part of the run (node_timeline driver rows). */
function driverMemoryFull(evidence: Evidence): boolean {
  const s = nodeStats(evidence);
  if (s === null || s.driverMemMean === null) return false;
  const mems = s.series.map((m) => m.driverMem).filter((v): v is number => v !== null);
  return mems.length > 0 && mems.filter((v) => v >= 85).length / mems.length >= 0.3;
}

export function memoryFailures(evidence: Evidence): MemoryFailure[] {
  const out: MemoryFailure[] = [];
  let driverFull: boolean | null = null;
  let executorLost = false;
  for (const e of [...evidence.errors].sort((a, b) => a.t - b.t)) {
    if (e.level !== 'ERROR' && e.level !== 'WARN') continue;
    const text = errorText(e);
    const driverHit = DRIVER_ONLY.find((d) => d.re.test(text));
    if (driverHit) {
      out.push({ error: e, site: 'driver', kind: driverHit.kind, phrase: driverHit.phrase });
      continue;
    }
    if (CONTAINER_KILLED.test(text)) {
      // "Driver … exit code 137" / "the driver's container was OOMKilled": the driver node, not executors
      if (DRIVER_CONTEXT.test(text) && !EXECUTOR_WORDS.test(text)) {
        out.push({ error: e, site: 'driver', kind: 'driver-killed', phrase: 'driver killed for memory (exit code 137)' });
        continue;
      }
      out.push({ error: e, site: 'executor', kind: 'container-killed', phrase: 'executor container killed for memory (exit code 137)' });
      executorLost = true;
      continue;
    }
    if (EXECUTOR_LOST.test(text)) {
      if (NOT_MEMORY.test(text)) continue;
      out.push({ error: e, site: 'executor', kind: 'executor-lost', phrase: 'ExecutorLostFailure' });
      executorLost = true;
      continue;
    }
    const gc = GC.test(text);
    if (gc || HEAP.test(text)) {
      const kind: MemoryFailureKind = gc ? 'gc-overhead' : 'heap';
      const phrase = gc ? 'GC overhead limit exceeded' : 'OutOfMemoryError';
      // Where did it happen? Task/executor wording → executors; "driver" wording, or no task context
      // while the driver's memory was full → the driver.
      let site: 'driver' | 'executor' = 'executor';
      if (!EXECUTOR_CONTEXT.test(text)) {
        if (DRIVER_CONTEXT.test(text)) site = 'driver';
        else {
          driverFull ??= driverMemoryFull(evidence);
          if (driverFull) site = 'driver';
        }
      }
      out.push({ error: e, site, kind, phrase });
      continue;
    }
    if (FETCH_FAILED.test(text) && executorLost) out.push({ error: e, site: 'executor', kind: 'fetch-failed', phrase: 'FetchFailedException after executor loss' });
  }
  return out;
}
