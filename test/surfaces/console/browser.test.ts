/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) over the demo
 * workspace and the real command layer: type `/dlt why-slow orders_silver`, watch "Diagnosing…"
 * turn into the verdict with its evidence, click "Show all fixes", read the thread.
 * Leaves a screenshot in test-output/console.png.
 *
 * Then the whole bot as `npm start` runs it (startBot: demo workspace, alerts and apply wired, the
 * console user allowed to apply): Apply on a fix opens the confirmation dialog with the settings
 * diff, its submit button applies the change to the demo workspace and the thread says so.
 * Leaves test-output/console-apply.png (the dialog open), console-applied.png (the mark) and
 * console-alert-acknowledged.png (an alert thread's parent after Acknowledge).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/workspace.js';
import { startConsole, type RunningConsole } from '../../../src/surfaces/console/server.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { quietLogger } from '../slack/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
if (!hasChromium) console.warn(`[console browser test] skipped: ${CHROMIUM} is missing (apt-get install chromium; the CI script installs it)`);

describe.skipIf(!hasChromium)('console in Chromium', () => {
  let demo: DemoWorkspace;
  let consoleServer: RunningConsole;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    demo = await startDemoWorkspace();
    consoleServer = await startConsole({ port: 0, source: demo.source, logger: quietLogger() });
    profile = mkdtempSync(join(tmpdir(), 'dlt-console-chromium-'));
    // a fresh --user-data-dir: playwright takes it as the persistent context's directory
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    // the page must not need the network: refuse everything but the console itself
    await page.route('**/*', (route) => (route.request().url().startsWith(consoleServer.url) ? route.continue() : route.abort()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await consoleServer?.close();
    await demo?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('why-slow shows the verdict and evidence; "Show all fixes" opens the thread', async () => {
    await page.goto(consoleServer.url);
    await page.locator('#channels button', { hasText: 'data-eng' }).waitFor();
    await page.locator('#connection', { hasText: 'live' }).waitFor();

    // help one keystroke away: "?" in the empty composer
    await page.locator('#composer-input').focus();
    await page.keyboard.press('?');
    const help = page.locator('#messages .message.ephemeral');
    await help.first().waitFor();
    await expect.poll(() => help.first().innerText()).toContain('why-slow');
    expect(await help.first().innerText()).toContain('Only visible to you');

    await page.locator('#composer-input').fill('/dlt why-slow orders_silver');
    await page.keyboard.press('Enter');
    // the placeholder, then the same message updated in place
    const header = page.locator('.block-header h3', { hasText: 'orders_silver: CPU-bound' });
    await page.locator('#messages').locator(header).waitFor({ timeout: 30_000 });
    const diagnosis = page.locator('#messages .message', { has: header });
    const text = await diagnosis.innerText();
    expect(text).toContain('(edited)'); // it was the "Diagnosing…" message
    expect(text).toMatch(/CPU/);
    expect(await diagnosis.locator('.field').count()).toBeGreaterThan(1); // evidence fields
    // compact: the fix to do first with its Apply; the rest behind "Details and all fixes"
    expect(text).toContain('The fix to do first');
    expect(await diagnosis.locator('button[data-action-id="dlt_apply"]').count()).toBe(1);
    expect(await page.locator('#messages .message', { hasText: 'Diagnosing' }).count()).toBe(0);

    await diagnosis.locator('button[data-action-id="dlt_show_fixes"]').click();
    const thread = page.locator('#thread');
    await thread.waitFor({ state: 'visible' });
    await thread.locator('.message', { hasText: /All \d+ fix/ }).waitFor({ timeout: 30_000 });
    // posted once: the button leaves the message, which says where the details went
    await diagnosis.locator('.block-context', { hasText: 'Details and all fixes are in the thread' }).waitFor({ timeout: 15_000 });
    expect(await diagnosis.locator('button[data-action-id="dlt_show_fixes"]').count()).toBe(0);
    expect(await thread.locator('.message').first().innerText()).toContain('orders_silver: CPU-bound'); // the parent on top
    await diagnosis.locator('.thread-link').waitFor();
    // the chart uploaded under the diagnosis is shown from /console/files
    await thread.locator('img.file-image').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => thread.locator('img.file-image').first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);

    await diagnosis.locator('.block-header').scrollIntoViewIfNeeded();
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/console.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('pipelines lists the bot\'s assessment worst first (failed, falling behind, slower), with Databricks\' health beside it', async () => {
    await page.keyboard.press('Escape');
    await page.locator('#composer-input').fill('/dlt pipelines');
    await page.keyboard.press('Enter');
    const list = page.locator('#messages .message', { has: page.locator('.block-header h3', { hasText: /^Pipelines \(\d+\)/ }) });
    await list.last().waitFor({ timeout: 30_000 });
    const text = await list.last().innerText();
    const order = ['billing_failed', 'telemetry_stream', 'ledger_nightly', 'orders_silver'].map((n) => text.indexOf(n));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toMatch(/telemetry_stream[^\n]*falling behind: main\.telemetry\.telemetry_raw backlog/);
    expect(text).toMatch(/ledger_nightly[^\n]*slower/);
    await list.last().locator('.block-header').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-output/console-pipelines.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

describe.skipIf(!hasChromium)('console in Chromium: Apply through the confirmation dialog', () => {
  let bot: RunningBot;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-console-apply-'));
    bot = await startBot({ env: { PORT: '0', DLT_DOCTOR_DB: join(dir, 'doctor.db'), LOG_LEVEL: 'error' }, port: 0, log: () => undefined });
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 1000 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.route('**/*', (route) => (route.request().url().startsWith(bot.url) ? route.continue() : route.abort()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Apply under the second fix opens the second fix, not the first (buttons share dlt_apply)', async () => {
    await page.goto(`${bot.url}/#data-eng`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#composer-input').fill('/dlt why-slow orders_silver');
    await page.keyboard.press('Enter');
    const header = page.locator('.block-header h3', { hasText: 'orders_silver: CPU-bound' });
    await page.locator('#messages').locator(header).last().waitFor({ timeout: 30_000 });
    const diagnosis = page.locator('#messages .message', { has: header }).last();
    // every fix, each with its Apply, is in the thread behind "Details and all fixes"
    await diagnosis.locator('button[data-action-id="dlt_show_fixes"]').click();
    const threadPane = page.locator('#thread');
    await threadPane.locator('.message', { hasText: /All \d+ fix/ }).last().waitFor({ timeout: 30_000 });
    const buttons = threadPane.locator('.message', { hasText: /All \d+ fix/ }).last().locator('button[data-action-id="dlt_apply"]');
    expect(await buttons.count()).toBeGreaterThan(1);
    const dialog = page.locator('dialog#modal');
    const diffOf = async (n: number) => {
      await buttons.nth(n).click();
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      const text = await dialog.locator('pre.code-block').innerText();
      await dialog.locator('[data-view-close]').last().click();
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      return text;
    };
    const second = await diffOf(1);
    const first = await diffOf(0);
    expect(second).not.toBe(first);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('ab-test from the composer: the plan with Start → progress → the result with the runs, the decision and Apply (issue 18)', async () => {
    await page.goto(`${bot.url}/#data-eng`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#composer-input').fill('/dlt ab-test orders_silver enable-photon --iterations 2');
    await page.keyboard.press('Enter');
    const start = page.locator('#messages button[data-action-id="dlt_experiment_start"]');
    await start.waitFor({ timeout: 30_000 });
    const plan = page.locator('#messages .message', { has: page.locator('button[data-action-id="dlt_experiment_start"]') });
    expect(await plan.innerText()).toMatch(/Estimated cost: about \$/);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/console-ab-test-plan.png', fullPage: false });
    await start.click();
    // the progress message, edited per step, with Cancel
    await page.locator('#messages button[data-action-id="dlt_experiment_cancel"]').first().waitFor({ timeout: 30_000 });
    const result = page.locator('#messages .message', { hasText: 'A/B test on orders_silver: apply it' });
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toMatch(/A1[\s\S]*B1[\s\S]*A2[\s\S]*B2/);
    expect(text).toMatch(/Apply it: B's throughput is \d+% higher/);
    expect(await result.locator('button[data-action-id="dlt_apply"]').count()).toBe(1);
    await expect.poll(async () => result.first().evaluate((e) => (e.scrollIntoView({ block: 'center' }), true)).catch(() => false)).toBe(true);
    await page.screenshot({ path: 'test-output/console-ab-test.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('why-slow → Apply → the dialog shows the diff → Apply → the settings change and the thread says so', async () => {
    const demo = bot.opened.demo!;
    expect(demo).toBeTruthy();
    const pid = (await demo.source.resolvePipeline('orders_silver')).id;
    const before = JSON.stringify(demo.rest.state.pipeline(pid)!.spec);

    await page.goto(`${bot.url}/#data-eng`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#composer-input').fill('/dlt why-slow orders_silver');
    await page.keyboard.press('Enter');
    const header = page.locator('.block-header h3', { hasText: 'orders_silver: CPU-bound' });
    await page.locator('#messages').locator(header).waitFor({ timeout: 30_000 });
    const diagnosis = page.locator('#messages .message', { has: header });
    const apply = diagnosis.locator('button[data-action-id="dlt_apply"]').first();
    await apply.click();

    const dialog = page.locator('dialog#modal');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await dialog.locator('#modal-title').innerText()).toBe('Apply a fix');
    const diffText = await dialog.locator('pre.code-block').innerText();
    expect(diffText).toMatch(/^[\w.\[\]-]+: .+ → .+$/m);
    const [, key, after] = /^([\w.\[\]-]+): .+ → (.+)$/m.exec(diffText)!;
    expect(await dialog.locator('[data-view-close]').last().innerText()).toBe('Cancel');
    // the dialog repeats the fix's effect and risk before anything is changed
    const dialogText = await dialog.innerText();
    expect(dialogText).toContain('Expected:');
    expect(dialogText).toContain('Risk:');
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/console-apply.png', fullPage: false });
    // the modal opened: no ephemeral fallback with a Confirm button
    expect(await page.locator('button[data-action-id="dlt_apply_confirm"]').count()).toBe(0);

    await dialog.locator('button[data-view-submit]').click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    const thread = page.locator('#thread');
    await thread.waitFor({ state: 'visible', timeout: 15_000 });
    // the last: the parent on top of the thread carries the applied mark too
    const applied = thread.locator('.message', { hasText: 'Applied by' }).last();
    await applied.waitFor({ timeout: 15_000 });
    expect(await applied.innerText()).toContain(key!);
    // the diagnosis itself is edited in place: that fix's Apply gives way to "✓ Applied by …"
    const mark = page.locator('#messages .block-context', { hasText: 'Applied by' });
    await mark.waitFor({ timeout: 15_000 });
    expect(await mark.count()).toBe(1);
    // the compact message held one fix, the one applied: it has no Apply left
    const markIn = page.locator('.block-context', { hasText: 'Applied by' });
    const marked = page.locator('#messages .message', { has: markIn });
    expect(await marked.count()).toBe(1);
    expect(await marked.locator('button[data-action-id="dlt_apply"]').count()).toBe(0);
    // the message list re-renders as replies arrive: scroll to the mark on a settled page
    await expect.poll(async () => mark.first().evaluate((e) => (e.scrollIntoView({ block: 'center' }), true)).catch(() => false)).toBe(true);
    await page.screenshot({ path: 'test-output/console-applied.png', fullPage: false });

    const spec = demo.rest.state.pipeline(pid)!.spec as Record<string, unknown>;
    expect(JSON.stringify(spec)).not.toBe(before);
    // a top-level setting (e.g. `photon: false → true`) now holds the diff's new value
    if (/^\w+$/.test(key!)) expect(String(spec[key!])).toBe(after!.trim());
    else expect(JSON.stringify(spec)).toContain(after!.trim());
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an alert thread arrives in #pipeline-alerts by itself; Acknowledge edits its status line to who did it, and the button gives way to Resolve', async () => {
    await page.goto(`${bot.url}/#pipeline-alerts`);
    // from #data-eng only the hash changes: reload so the page opens on #pipeline-alerts
    await page.reload();
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    // the first poll runs 1.5 s after the start; each incident gets one parent with Acknowledge
    const ack = page.locator('#messages button[data-action-id="dlt_alert_ack"]');
    await ack.first().waitFor({ timeout: 60_000 });
    const parent = page.locator('#messages .message', { has: page.locator('button[data-action-id="dlt_alert_ack"]') }).first();
    const title = (await parent.locator('.block-header h3').innerText()).trim();
    expect(await parent.innerText()).toContain('Status: open');
    await parent.locator('button[data-action-id="dlt_alert_ack"]').click();
    // the same message, found by its title, now says who acknowledged it
    const acked = page.locator('#messages .message', { has: page.locator('.block-header h3', { hasText: title.replace(/^\S+\s/, '') }) }).filter({ hasText: 'Status: acknowledged' }).first();
    await acked.waitFor({ timeout: 15_000 });
    const text = await acked.innerText();
    // the status says who, once ("acknowledged — by @you", not "acknowledged — acknowledged by"), and the header's icon is drawn
    expect(text).toMatch(/Status: acknowledged — by @\S+/);
    expect(text).not.toContain('acknowledged by');
    expect(text).not.toMatch(/:[a-z_]+:/);
    expect(await acked.locator('button[data-action-id="dlt_alert_ack"]').count()).toBe(0);
    expect(await acked.locator('button[data-action-id="dlt_alert_resolve"]').count()).toBe(1);
    await expect.poll(async () => acked.evaluate((e) => (e.scrollIntoView({ block: 'center' }), true)).catch(() => false)).toBe(true);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/console-alert-acknowledged.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
