/**
 * A whole bot process, as `npm start` runs it (node bin/dlt-doctor.js start), for tests and
 * benchmarks of several replicas: its environment is given, PORT=0 picks a free port (read back
 * from its "Health: …/healthz" line), /healthz is read as JSON, and it can be killed (SIGKILL: a
 * crash; SIGTERM: a graceful stop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const BIN = fileURLToPath(new URL('../../bin/dlt-doctor.js', import.meta.url));

const Health = z.object({ ok: z.boolean(), source: z.string(), scheduler: z.enum(['starting', 'leader', 'follower']), database: z.enum(['reachable', 'unreachable']) });
export type Health = z.infer<typeof Health>;

export interface BotProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** stdout and stderr lines so far */
  lines: string[];
  health(): Promise<Health | null>;
  /** resolves when /healthz says `scheduler` is `role`; rejects after timeoutMs */
  waitForRole(role: 'leader' | 'follower', timeoutMs: number): Promise<void>;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startBotProcess(name: string, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<BotProcess> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${readyTimeoutMs} ms:\n${lines.slice(-30).join('\n')}`)), readyTimeoutMs);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const m = /Health: (http:\/\/[^\s]+)\/healthz/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    }
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${lines.slice(-30).join('\n')}`));
    });
  });
  const health = async (): Promise<Health | null> => {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      return Health.parse(await res.json());
    } catch {
      return null;
    }
  };
  return {
    name,
    url,
    child,
    lines,
    health,
    async waitForRole(role, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if ((await health())?.scheduler === role) return;
        if (Date.now() > until) throw new Error(`${name} did not become ${role} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
    exited,
  };
}
