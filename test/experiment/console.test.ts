/**
 * The console runs a benchmark / A/B test from chat like Slack does (issue 18), end to end with
 * `npm start`'s wiring (startBot over the demo workspace): `/dlt ab-test orders_silver
 * enable-photon --iterations 2` answers the plan (estimated cost, scratch target, B's diff) with
 * Start; Start turns that message into the progress message, then into the result — the runs, the
 * decision and Apply — with the throughput chart in its thread; no clone is left.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/main.js';
import { CLONE_NAME_PREFIX } from '../../src/experiment/clone-spec.js';
import { EXPERIMENT_ACTION_IDS } from '../../templates/blocks/experiment.js';
import { APPLY_ACTION_ID } from '../../templates/blocks/diagnosis.js';

const CHANNEL = 'C_DATA_ENG';
const textOf = (m: { text?: string; blocks?: unknown[] }) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

async function until<T>(get: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ab-test from the console', () => {
  let bot: RunningBot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-exp-console-'));
    bot = await startBot({ env: { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'error' }, port: 0, log: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await bot?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plan → Start → progress → result with Apply and the chart; no clone left', async () => {
    const api = bot.console!.api;
    const c = api.findChannel(CHANNEL)!;
    await bot.console!.receiver.slashCommand(CHANNEL, 'ab-test orders_silver enable-photon --iterations 2').done;
    const plan = await until(() => api.history(c.id).find((m) => textOf(m).includes(EXPERIMENT_ACTION_IDS.start)));
    expect(plan.text).toMatch(/A\/B test on orders_silver/);
    expect(textOf(plan)).toMatch(/Estimated cost: about \$/);
    expect(textOf(plan)).toMatch(/dlt_doctor_scratch_(<|&lt;)id(>|&gt;)_\{a,b\}/);
    expect(textOf(plan)).toMatch(/photon: false → true/);

    // every text the channel's messages show while it runs: the progress message is edited per step
    const seen = new Set<string>();
    const watch = setInterval(() => api.history(c.id).forEach((m) => !m.ephemeral && seen.add(m.text ?? '')), 20);
    await bot.console!.receiver.action(CHANNEL, plan.ts, EXPERIMENT_ACTION_IDS.start).done;
    // the plan was the asker's alone (ephemeral): the progress and the result get a channel message
    const result = await until(() => api.history(c.id).find((m) => !m.ephemeral && /A\/B test on orders_silver: (apply it|don't apply|inconclusive)/.test(m.text ?? '')), 60_000);
    clearInterval(watch);
    // the asker's plan gives way to a note, so Start cannot be pressed twice
    const after = api.message(c.id, plan.ts);
    expect(after?.text, JSON.stringify(after)).toMatch(/^Started: progress and the result are in the channel/);
    expect([...seen].some((t) => /orders_silver: [AB] [12]\/2 (running|measured)/.test(t))).toBe(true);
    // guide §4.2: Photon on a CPU-bound pipeline is 2–3× faster; the demo's run model says so too
    expect(result.text).toMatch(/apply it/);
    expect(textOf(result)).toContain(APPLY_ACTION_ID);
    expect(textOf(result)).toMatch(/A1.*B1.*A2.*B2/s);
    const chart = await until(() => api.replies(c.id, result.ts).flatMap((m) => m.files ?? [])[0]);
    expect(chart.mimetype).toBe('image/png');
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/experiment-chart.png', api.file(chart.id)!.bytes!);
    const left = (await bot.opened.rest.listPipelines()).filter((p) => String(p.name ?? '').startsWith(CLONE_NAME_PREFIX));
    expect(left).toEqual([]);
  }, 90_000);
});
