/**
 * What one alert-poll cycle costs (issue 16 item 3), counted at the HTTP edge (the REST client's
 * per-path stats against the demo REST server) and at the warehouse (its statements): with the
 * update timeline granted, ONE statement and no REST call for unchanged pipelines; with it revoked,
 * the REST list's pages and no statement; either way one listUpdates per pipeline whose newest
 * update changed, and the poll says which source it read.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { slashCommand } from '../surfaces/slack/helpers.js';
import { harness, tempDbPath, type Harness } from './alert-support.js';

const WATCHED = ['billing_failed', 'orders_silver', 'customer_360'];

for (const revoked of [false, true]) {
  describe(`one poll cycle, update timeline ${revoked ? 'revoked' : 'granted'}`, () => {
    const clock = { ms: DEMO_NOW };
    let ws: DemoWorkspace;
    let h: Harness;
    let fleetStatements = 0;
    let statements = 0;
    beforeAll(async () => {
      ws = await startDemoWorkspace({ clock: () => clock.ms, updateDurationMs: 6 * 3_600_000, cacheTtlMs: 0, revokeUpdateTimeline: revoked });
      const query = ws.warehouse.query.bind(ws.warehouse);
      vi.spyOn(ws.warehouse, 'query').mockImplementation((name, ...rest) => {
        statements++;
        if (name === 'fleet-update-states') fleetStatements++;
        return query(name, ...rest);
      });
      h = harness(ws, tempDbPath(), clock);
      for (const name of WATCHED) await h.receiver.send(slashCommand(`alerts on ${name} --cost-spike 1000%`));
    });
    afterAll(async () => {
      h?.close();
      await ws?.close();
    });

    const calls = () => {
      const by = h.rest.stats().byPath;
      const sum = (f: (path: string) => boolean) => Object.entries(by).filter(([k]) => f(k)).reduce((n, [, v]) => n + v, 0);
      return { list: sum((k) => k === 'GET /api/2.0/pipelines'), updates: sum((k) => k.startsWith('GET ') && k.endsWith('/updates')), byPath: { ...by } };
    };
    async function cycle() {
      ws.rest.state.tick();
      await ws.settled();
      const c0 = calls();
      const f0 = fleetStatements;
      const s0 = statements;
      const report = await h.alerts.poller.pollOnce();
      const c1 = calls();
      const listedPaths = Object.keys(c1.byPath).filter((k) => k.endsWith('/updates') && k.startsWith('GET ') && c1.byPath[k] !== c0.byPath[k]);
      return { report, list: c1.list - c0.list, updates: c1.updates - c0.updates, listedPaths, fleet: fleetStatements - f0, statements: statements - s0 };
    }

    it('an unchanged fleet costs one statement (granted) or one REST page (revoked), and no listUpdates', async () => {
      const warm = await cycle();
      expect(warm.report.updatesSource).toBe(revoked ? 'rest' : 'update_timeline');
      expect(warm.updates).toBe(WATCHED.length); // nothing checked yet: every watched pipeline is listed once
      const c = await cycle();
      expect(c.report.updatesSource).toBe(revoked ? 'rest' : 'update_timeline');
      expect(c.updates).toBe(0);
      expect(c.report.listed).toBe(0);
      if (revoked) {
        expect(c.list).toBe(1); // 24 pipelines: one page
        expect(c.statements).toBe(0); // the refusal of the first cycle is remembered
      } else {
        expect(c.list).toBe(0);
        expect(c.fleet).toBe(1);
        expect(c.statements).toBe(1);
      }
      expect(h.logs.some((l) => l.includes(revoked ? 'the Pipelines REST list' : 'system.lakeflow.pipeline_update_timeline'))).toBe(true);
    });

    it('a pipeline whose newest update changed gets exactly one listUpdates; the next unchanged cycle none', async () => {
      const pid = (await ws.source.resolvePipeline('orders_silver')).id;
      await h.rest.startUpdate(pid);
      const c = await cycle();
      expect(c.updates).toBe(1);
      expect(c.listedPaths).toEqual([`GET /api/2.0/pipelines/${pid}/updates`]);
      expect(c.fleet).toBe(revoked ? 0 : 1);
      expect(c.list).toBe(revoked ? 1 : 0);
      // still running, same state, backlog re-check not due yet: nothing listed
      clock.ms += 60_000;
      const quiet = await cycle();
      expect(quiet.updates).toBe(0);
      // the running update's backlog re-check (every 5 min) lists it again
      clock.ms += 5 * 60_000;
      const due = await cycle();
      expect(due.listedPaths).toEqual([`GET /api/2.0/pipelines/${pid}/updates`]);
    });
  });
}
