/**
 * The bot side of bench/load.ts, run as a CHILD process so the load generator's own work (signing,
 * 50 sockets, timing) does not share this event loop: the Slack surface (createSlackApp, Bolt's HTTP
 * receiver) + the demo workspace + the console's fake Slack Web API (bench/load-harness.ts).
 *
 *   node --import tsx bench/load-server.ts [--channels 10] [--interval 1000] [--retry-after 1]
 *
 * When ready it prints ONE JSON line on stdout: {"ready":true,"url":…,"bare":…,"control":…,"solo":{…}}.
 * `bare` is a plain node:http server in this process that reads the body and answers 200: the
 * transport floor on this machine (client, kernel, one Node event loop), for comparison.
 * Control endpoint (loopback only, JSON):
 *   POST /round {"requests":50,"slack429":10,"floor":false} → {"bodies":[…]} (fresh channels/counters)
 *   GET  /stats → RoundStats (answered, unanswered, Slack calls, REST/SQL calls of the round)
 *   POST /stop  → closes everything and exits
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { startDemoWorkspace } from '../src/demo/workspace.js';
import { startLoadServer } from './load-harness.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number ≥ 0`);
  return v;
}

const roundSchema = z.object({
  requests: z.number().int().min(1).max(1000),
  slack429: z.number().int().min(0),
  floor: z.boolean().optional(),
});

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

const demo = await startDemoWorkspace();
const bot = await startLoadServer(
  { channels: arg('--channels', 10), postIntervalMs: arg('--interval', 1000), retryAfterS: arg('--retry-after', 1), pipeline: 'orders_silver' },
  demo,
);

const bare = createServer((req, res) => {
  req.resume();
  req.once('end', () => res.writeHead(200).end());
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));

async function stop(): Promise<void> {
  control.close();
  bare.close();
  await bot.close();
  await demo.close();
  process.exit(0);
}

const control = createServer((req, res) => {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  void (async () => {
    try {
      if (req.method === 'POST' && req.url === '/round') {
        const spec = roundSchema.parse(await readBody(req));
        send(200, { bodies: bot.startRound(spec) });
      } else if (req.method === 'GET' && req.url === '/stats') {
        send(200, bot.stats());
      } else if (req.method === 'POST' && req.url === '/stop') {
        send(200, { ok: true });
        await stop();
      } else {
        send(404, { error: 'not found' });
      }
    } catch (err) {
      send(400, { error: err instanceof Error ? err.message : 'bad request' });
    }
  })();
});
control.listen(0, '127.0.0.1', () => {
  const port = (control.address() as AddressInfo).port;
  process.stdout.write(`${JSON.stringify({ ready: true, url: bot.url, bare: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, control: `http://127.0.0.1:${port}`, solo: bot.solo })}\n`);
});
process.on('SIGTERM', () => void stop());
