/**
 * A benchmark process killed mid-experiment leaves no clone behind (issue 18): a child process
 * (fixtures/experiment-child.ts) runs an A/B test against the demo workspace served by THIS
 * process and SIGKILLs itself right after creating its first clone (before the clone's id is in
 * the store) or while an update runs (both clones recorded). The next start — the cleanup every
 * bot and CLI run does first — ends the experiment as failed and deletes the clones: the recorded
 * ones, and the unrecorded one by the experiment id in its name.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { openDb } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createExperimentStore } from '../../src/store/experiments.js';
import { createExperimentService } from '../../src/experiment/service.js';
import { CLONE_NAME_PREFIX, parseScratchTarget } from '../../src/experiment/clone-spec.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'experiment-child.ts');

function runChild(db: string, url: string, kill: 'after-create' | 'in-update'): Promise<{ signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent', DLT_TEST_KILL: kill } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => void (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, err }));
  });
}

describe('clones of a killed experiment are deleted at the next start', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 5_000 });
  });
  afterAll(async () => {
    await ws?.close();
  });
  const clones = () => ws.rest.state.pipelines().filter((p) => String(p.name ?? '').startsWith(CLONE_NAME_PREFIX));

  for (const kill of ['after-create', 'in-update'] as const) {
    it(`SIGKILL ${kill}`, async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'dlt-exp-')), 'bot.sqlite');
      const child = await runChild(path, ws.rest.url, kill);
      expect(child.signal, child.err).toBe('SIGKILL');
      expect(clones().length).toBe(kill === 'after-create' ? 1 : 2);
      const db = openDb(path);
      const store = createExperimentStore(sqliteSql(db));
      expect(await store.running()).toHaveLength(1);
      const svc = createExperimentService({ rest: ws.restClient, source: ws.source, store, canRun: () => true, scratch: parseScratchTarget(null), logger: { warn: () => undefined } });
      // a heartbeat younger than staleMs is a live process elsewhere: left alone
      expect((await svc.cleanupOrphans({ staleMs: 3_600_000 })).experiments).toEqual([]);
      expect(clones().length).toBeGreaterThan(0);
      const r = await svc.cleanupOrphans({ staleMs: 0 });
      expect(r.experiments).toHaveLength(1);
      expect(r.deleted.length).toBe(kill === 'after-create' ? 1 : 2);
      expect(clones()).toEqual([]);
      const e = (await store.get(r.experiments[0]!))!;
      expect(e.state).toBe('failed');
      expect((await store.steps(e.id)).map((s) => s.step)).toContain('orphaned');
      // the next start finds nothing more to do
      expect(await svc.cleanupOrphans({ staleMs: 0 })).toEqual({ experiments: [], deleted: [], left: [] });
      db.close();
    });
  }
});
