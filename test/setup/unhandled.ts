/**
 * Process-level guard for every test file (vitest.config.ts `setupFiles`): an unhandled promise
 * rejection or uncaught exception anywhere in the worker is recorded and fails the file in
 * afterAll, even when vitest would only print it. test/reliability/faults.test.ts also asserts
 * the record is empty after its fault scenarios.
 */
import { afterAll } from 'vitest';

interface Recorded {
  kind: 'unhandledRejection' | 'uncaughtException';
  error: string;
}

const KEY = Symbol.for('dlt-doctor.test.unhandled');
type Holder = { [KEY]?: Recorded[] };

function store(): Recorded[] {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    const list: Recorded[] = [];
    g[KEY] = list;
    const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    process.on('unhandledRejection', (reason) => void list.push({ kind: 'unhandledRejection', error: describe(reason) }));
    process.on('uncaughtException', (err) => void list.push({ kind: 'uncaughtException', error: describe(err) }));
  }
  return g[KEY];
}

/** What has been recorded in this worker so far. */
export function unhandledErrors(): readonly Recorded[] {
  return store();
}

store();

afterAll(async () => {
  // let rejections from the last test's stray promises surface before checking
  await new Promise((r) => setTimeout(r, 20));
  const list = store();
  if (list.length) {
    throw new Error(`unhandled errors during this test file:\n${list.map((r) => `  ${r.kind}: ${r.error}`).join('\n')}`);
  }
});
