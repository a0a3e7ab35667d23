import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { startBot } from '../src/main.js';
it('dbg', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbg-'));
  const bot = await startBot({ env: { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'warn' }, port: 0, log: () => undefined });
  const api = bot.console!.api;
  const c = api.findChannel('C_DATA_ENG')!;
  await bot.console!.receiver.slashCommand('C_DATA_ENG', 'ab-test orders_silver enable-photon --iterations 2').done;
  const plan = api.history(c.id).at(-1)!;
  console.log('PLAN', plan.ts, plan.ephemeral, plan.text?.slice(0, 80));
  await bot.console!.receiver.action('C_DATA_ENG', plan.ts, 'dlt_experiment_start').done;
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const m = api.message(c.id, plan.ts);
    console.log(i, m?.text?.slice(0, 100), api.history(c.id).length, JSON.stringify(api.history(c.id).at(-1)?.text).slice(0,150));
  }
  await bot.close();
}, 60000);
