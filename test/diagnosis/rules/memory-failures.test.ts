/**
 * memoryFailures (src/diagnosis/rules/memory-failures.ts): which memory failure an error event is
 * and where it happened, from Spark's and Databricks' own wording. oom-errors reads the executor
 * side, driver-failure the driver side.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorInfo, Evidence } from '../../../src/diagnosis/evidence.js';
import { memoryFailures } from '../../../src/diagnosis/rules/memory-failures.js';
import { T0, fakeError, fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { MEMORY_MESSAGES as MESSAGES } from './helpers.js';

const MIN = 60_000;
const err = (message: string, exceptions: { className: string; message: string }[] = [], o: Partial<ErrorInfo> = {}): ErrorInfo =>
  fakeError({ message, exceptions, ...o });
const classify = (errors: ErrorInfo[], o: Partial<Evidence> = {}) => memoryFailures(fakeEvidence({ errors, ...o })).map((f) => ({ site: f.site, kind: f.kind }));
/** the driver's memory at 95% for the whole run */
const driverFull = { nodeMetrics: fakeNodeSamples({ driverMem: 95 }) };


describe('memoryFailures', () => {
  it('reads nothing from a healthy update or from INFO events', () => {
    expect(classify([])).toEqual([]);
    expect(classify([err('x', [{ className: 'java.lang.OutOfMemoryError', message: 'Java heap space' }], { level: 'INFO' })])).toEqual([]);
  });

  it.each([
    { name: 'exit code 137', text: MESSAGES.killed137 },
    { name: 'YARN memory limits / memoryOverhead', text: MESSAGES.yarnLimits },
    { name: 'OOMKilled', text: MESSAGES.oomKilled },
  ])('a container killed for memory ($name) is the executors’', ({ text }) => {
    expect(classify([err('Lost executor', [{ className: 'org.apache.spark.SparkException', message: text }])])).toEqual([{ site: 'executor', kind: 'container-killed' }]);
  });

  it.each([
    { name: 'Databricks: Command exited with code 137', text: 'ExecutorLostFailure (executor 5 exited caused by one of the running tasks) Reason: Command exited with code 137' },
    { name: 'YARN: running beyond physical memory limits', text: 'Container [pid=4211,containerID=container_1_0001_01_000003] is running beyond physical memory limits. Current usage: 18.1 GB of 18 GB physical memory used; 21.4 GB of 37.8 GB virtual memory used. Killing container.' },
    { name: 'Kubernetes: exited with exit code 137', text: 'Lost executor 1 on 192.169.80.146: The executor with id 1 exited with exit code 137.' },
    { name: 'exit status: 137', text: 'ExecutorLostFailure (executor 9 exited caused by one of the running tasks) Reason: Container from a bad node: container_e01_0001 on host: 10.0.1.7. Exit status: 137.' },
  ])('exit code 137 as $name is a container killed for memory', ({ text }) => {
    expect(classify([err(text)])).toEqual([{ site: 'executor', kind: 'container-killed' }]);
  });

  it.each([
    { name: 'YARN: Container killed on request. Exit code is 143', text: 'ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 143', kinds: [{ site: 'executor', kind: 'executor-lost' }] },
    { name: 'a bare "Container killed on request. Exit code is 143"', text: 'Container killed on request. Exit code is 143', kinds: [] },
    { name: 'Spark’s exit code 52 (a heap OutOfMemoryError)', text: 'Lost executor 2: Command exited with code 52', kinds: [] },
    { name: 'exit code 1370 (not 137)', text: 'Lost executor 2: process exit code 1370', kinds: [] },
  ])('$name is not a container killed for memory', ({ text, kinds }) => {
    expect(classify([err(text)])).toEqual(kinds);
  });

  it('an OutOfMemoryError inside a task is the executors’, even while the driver’s memory is full', () => {
    expect(classify([err(MESSAGES.taskHeap, [{ className: 'org.apache.spark.SparkException', message: MESSAGES.taskHeap }])], driverFull)).toEqual([{ site: 'executor', kind: 'heap' }]);
  });

  it('an OutOfMemoryError with no task or driver wording goes by the driver’s memory', () => {
    const oom = [err("Flow 'orders_silver' has FAILED.", [{ className: 'java.lang.OutOfMemoryError', message: 'Java heap space' }])];
    expect(classify(oom)).toEqual([{ site: 'executor', kind: 'heap' }]);
    expect(classify(oom, driverFull)).toEqual([{ site: 'driver', kind: 'heap' }]);
    const gc = [err('java.lang.OutOfMemoryError: GC overhead limit exceeded')];
    expect(classify(gc)).toEqual([{ site: 'executor', kind: 'gc-overhead' }]);
    expect(classify(gc, driverFull)).toEqual([{ site: 'driver', kind: 'gc-overhead' }]);
  });

  it('"driver" in the wording puts an OOM on the driver', () => {
    expect(classify([err('Exception in thread "driver-heartbeater" java.lang.OutOfMemoryError: GC overhead limit exceeded on the driver')])).toEqual([{ site: 'driver', kind: 'gc-overhead' }]);
  });

  it.each([
    { text: MESSAGES.maxResultSize, kind: 'max-result-size' },
    { text: MESSAGES.unresponsive, kind: 'driver-unresponsive' },
    { text: MESSAGES.stopped, kind: 'driver-restarted' },
  ])('$kind is the driver’s', ({ text, kind }) => {
    expect(classify([err(text)])).toEqual([{ site: 'driver', kind }]);
  });

  it('maxResultSize is the driver’s even though the message names tasks', () => {
    expect(classify([err('Job aborted', [{ className: 'org.apache.spark.SparkException', message: MESSAGES.maxResultSize }])])).toEqual([{ site: 'driver', kind: 'max-result-size' }]);
  });

  it('executor loss that is not memory (spot preemption, decommission, scale-down) is not counted', () => {
    expect(classify([err(MESSAGES.spot), err(MESSAGES.decommission)])).toEqual([]);
  });

  it('"spot" is a word: a JVM "HotSpot" line in an executor loss does not make it a spot preemption', () => {
    const crash = 'ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Command exited with code 52. Java HotSpot(TM) 64-Bit Server VM: java.lang.OutOfMemoryError: Java heap space';
    expect(classify([err(crash)])).toEqual([{ site: 'executor', kind: 'executor-lost' }]);
    expect(classify([err('ExecutorLostFailure (executor 6 exited unrelated to the running tasks) Reason: SPOT instance reclaimed')])).toEqual([]);
  });

  it('other executor loss counts as an executor failure (exit code 143, RPC disassociated)', () => {
    expect(classify([err(MESSAGES.rpc), err(MESSAGES.exit143, [], { t: T0 + 8 * MIN })])).toEqual([
      { site: 'executor', kind: 'executor-lost' },
      { site: 'executor', kind: 'executor-lost' },
    ]);
  });

  it('a shuffle FetchFailedException counts only after an executor was lost', () => {
    expect(classify([err(MESSAGES.fetch, [{ className: 'org.apache.spark.shuffle.FetchFailedException', message: 'Failed to connect' }])])).toEqual([]);
    const lost = err('Lost executor 3', [{ className: 'org.apache.spark.SparkException', message: MESSAGES.killed137 }], { t: T0 + 6 * MIN });
    const fetch = err(MESSAGES.fetch, [], { t: T0 + 7 * MIN });
    // in time order, whatever the order of the list
    expect(classify([fetch, lost])).toEqual([
      { site: 'executor', kind: 'container-killed' },
      { site: 'executor', kind: 'fetch-failed' },
    ]);
  });
});
