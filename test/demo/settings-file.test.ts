/**
 * The demo keeps applied settings across restarts (issue 17 item 4): a PUT of a demo pipeline's
 * settings (what an applied fix does) is in the settings file and back after the workspace is
 * started again; an unreadable file leaves the generated settings, with a warning.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateDemoWorkspace } from '../../src/demo/generate.js';
import { createDemoState } from '../../src/demo/rest-server.js';
import { keepDemoSettings } from '../../src/demo/settings-file.js';
import { startDemoWorkspace } from '../../src/demo/workspace.js';

const dir = mkdtempSync(join(tmpdir(), 'dlt-demo-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo settings file', () => {
  it("an edit of a pipeline's settings survives a restart of the demo workspace", async () => {
    const file = join(dir, 'demo-settings.json');
    const first = await startDemoWorkspace({ settingsFile: file });
    const id = (await first.source.resolvePipeline('orders_silver')).id;
    const before = await first.restClient.getPipeline(id);
    expect(before.rawSpec!.photon).toBe(false);
    const generated = (await first.restClient.getPipeline((await first.source.resolvePipeline('events_bronze')).id)).rawSpec;
    await first.restClient.editPipeline(id, { ...before.rawSpec!, photon: true });
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).pipelines.orders_silver.spec.photon).toBe(true);

    const second = await startDemoWorkspace({ settingsFile: file });
    try {
      const id2 = (await second.source.resolvePipeline('orders_silver')).id;
      const after = await second.restClient.getPipeline(id2);
      expect(after.rawSpec!.photon).toBe(true);
      // the other pipelines keep their generated settings
      const other = await second.restClient.getPipeline((await second.source.resolvePipeline('events_bronze')).id);
      expect(other.rawSpec).toEqual(generated);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('a created pipeline that was edited, then deleted (a benchmark clone), leaves the file', () => {
    const file = join(dir, 'clone-settings.json');
    const state = createDemoState(generateDemoWorkspace({}));
    const stop = keepDemoSettings(state, file);
    try {
      const { pipeline_id: pid } = state.createPipeline({ name: '[dlt-doctor benchmark] x B 1', libraries: [] }) as { pipeline_id: string };
      state.editPipeline(pid, { name: '[dlt-doctor benchmark] x B 1', photon: true });
      expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).pipelines)).toEqual(['[dlt-doctor benchmark] x B 1']);
      state.deletePipeline(pid);
      expect(JSON.parse(readFileSync(file, 'utf8')).pipelines).toEqual({});
    } finally {
      stop();
      state.close();
    }
  });

  it('an unreadable file: the generated settings, a warning, and the file is rewritten on the next edit', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"version": 1, "pipelines": ');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ws = await startDemoWorkspace({ settingsFile: file });
    try {
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('is not readable');
      const id = (await ws.source.resolvePipeline('orders_silver')).id;
      const spec = (await ws.restClient.getPipeline(id)).rawSpec!;
      expect(spec.photon).toBe(false);
      await ws.restClient.editPipeline(id, { ...spec, development: true });
      expect(JSON.parse(readFileSync(file, 'utf8')).pipelines.orders_silver.spec.development).toBe(true);
    } finally {
      warn.mockRestore();
      await ws.close();
    }
  }, 60_000);
});
