/**
 * A real PostgreSQL server for tests (issue 19): Debian's `postgresql` package (`.ci/run` installs
 * it when missing), `initdb` in a temporary directory, one ephemeral loopback port, stopped and
 * removed at the end. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user the Debian package creates. No binaries: `available` is false and the tests that
 * need it say they were skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

const BIN = binDir();
export const postgresAvailable = BIN !== null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  url: string;
  /** a fresh empty database on the server, as a connection URL */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  if (!BIN) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'dlt-pg-'));
  const data = join(dir, 'data');
  const asPg = (cmd: string, args: string[]) => (root ? { cmd: 'runuser', args: ['-u', 'postgres', '--', join(BIN, cmd), ...args] } : { cmd: join(BIN, cmd), args });
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const init = asPg('initdb', ['-D', data, '-U', 'dlt', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const r = spawnSync(init.cmd, init.args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = asPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  const s = spawnSync(start.cmd, start.args, { encoding: 'utf8' });
  if (s.status !== 0) throw new Error(`pg_ctl start failed: ${s.stderr || s.stdout}`);
  const url = `postgres://dlt@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    async database(name) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
      return `postgres://dlt@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const stop = asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(stop.cmd, stop.args, { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
