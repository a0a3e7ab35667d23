/**
 * Two bot processes on one SQLite file post each digest period once: only the holder of the
 * scheduler lease schedules and recovers digests; the other serves requests and takes over when
 * the holder stops. Real processes (test/schedule/fixtures/lease-child.ts), real scheduler, real
 * lease, real time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'lease-child.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  out: () => string;
  waitFor(text: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

function start(db: string, sink: string, name: string, extra: string[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, db, sink, name, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const waitFor = async (text: string, ms = 20_000) => {
    const t0 = Date.now();
    while (!out.includes(text)) {
      if (Date.now() - t0 > ms) throw new Error(`${name}: no "${text}" within ${ms} ms; output:\n${out}`);
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}) before "${text}":\n${out}`);
      await sleep(25);
    }
  };
  return {
    proc,
    out: () => out,
    waitFor,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'leader-'));
  const db = join(dir, 'state.db');
  const sink = join(dir, 'posts.txt');
  const d = openDb(db);
  const store = createSubscriptionStore(sqliteSql(d), () => new Date(Date.now() - 3_600_000));
  for (const channel of ['C1', 'C2']) await store.add({ channel, surface: 'slack', cron: '* * * * *', tz: 'UTC', filter: null, createdBy: null });
  d.close();
  return { db, sink };
}

function posts(sink: string) {
  const lines = existsSync(sink) ? readFileSync(sink, 'utf8').trim().split('\n').filter(Boolean) : [];
  const byKey = new Map<string, string[]>();
  for (const l of lines) {
    const [sub, period, who] = l.split(' ');
    const k = `${sub} ${period}`;
    byKey.set(k, [...(byKey.get(k) ?? []), who!]);
  }
  return { lines, byKey, duplicates: [...byKey].filter(([, w]) => w.length > 1), by: (who: string) => lines.filter((l) => l.endsWith(` ${who}`)).length };
}

describe('scheduler lease: two processes on one state file', () => {
  it('posts every digest period once while both run, and the second takes over when the first stops', async () => {
    const { db, sink } = await setup();
    const a = start(db, sink, 'A');
    let b2: Child | null = null;
    try {
      await a.waitFor('ready');
      expect(a.out()).toContain('taken by A');
      await sleep(1000);
      // B starts while A is posting (each post takes 1.5 s, a period 0.4 s): it must stay a follower
      b2 = start(db, sink, 'B');
      await b2.waitFor('ready');
      expect(b2.out()).toContain('is held by A');
      expect(b2.out()).not.toContain('taken by B');
      await sleep(1500);
      await a.stop();
      expect(a.out()).toContain('stopped');
      await b2.waitFor('taken by B', 5000);
      await sleep(1500);
      await b2.stop();
      const p = posts(sink);
      expect(p.duplicates, p.lines.join("\n") + "\n--A--\n" + a.out() + "\n--B--\n" + b2.out()).toEqual([]);
      expect(p.by('A')).toBeGreaterThan(2);
      expect(p.by('B')).toBeGreaterThan(2);
    } finally {
      await a.stop();
      await b2?.stop();
    }
  }, 60_000);

  it('control: without the lease, a second process starting up posts the first one\'s run in flight again', async () => {
    const { db, sink } = await setup();
    const a = start(db, sink, 'A', ['no-lease']);
    let b: Child | null = null;
    try {
      await a.waitFor('ready');
      await sleep(1000);
      b = start(db, sink, 'B', ['no-lease']);
      await b.waitFor('ready');
      await sleep(1500);
      await a.stop();
      await b.stop();
      expect(posts(sink).duplicates.length).toBeGreaterThan(0);
    } finally {
      await a.stop();
      await b?.stop();
    }
  }, 60_000);
});
