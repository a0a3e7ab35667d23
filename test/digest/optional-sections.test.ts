/**
 * A digest whose optional section cannot be read (the pipeline events system table missing, or
 * not granted) still goes out, without that section and with a note naming the GRANT to run; the
 * cost section is the digest and stays required.
 */
import { describe, expect, it } from 'vitest';
import { DoctorError } from '../../src/errors.js';
import type { Warehouse } from '../../src/databricks/sql.js';
import { createDuckDbWarehouse } from '../../src/demo/warehouse.js';
import { costBackendFromRaw } from '../../src/digest/backend.js';
import { computeDigest, periodOfDays } from '../../src/digest/compute.js';
import { MINI_NOW, PIPELINE_A, demoMini } from '../support/demo-mini.js';

const period = () => ({ ...periodOfDays(new Date(MINI_NOW + 86_400_000), 7), filter: null });
const specsOf = async (w: Warehouse, data: ReturnType<typeof demoMini>) => costBackendFromRaw(w, data.pipelines.map((p) => p.pipeline)).listPipelines();

describe('optional digest sections', () => {
  it('without any pipeline events table: the digest keeps its cost, drops efficiency, and says which GRANT to run', async () => {
    const data = demoMini();
    const w = await createDuckDbWarehouse(data, { pipelineEventsTables: [] });
    try {
      const d = await computeDigest(w, await specsOf(w, data), period());
      expect(d.totals.dollars).toBeGreaterThan(0);
      const a = d.pipelines.find((p) => p.id === PIPELINE_A)!;
      expect(a.dbus).toBeGreaterThan(0);
      // efficiency numbers come from the events table: unknown, not zero
      expect(a.outputRows).toBeNull();
      expect(a.slotUtilization).toBeNull();
      const note = d.notes.find((n) => n.startsWith('Efficiency'));
      expect(note).toMatch(/is left out/);
      expect(note).toContain('GRANT USE SCHEMA, SELECT ON SCHEMA system.lakeflow_pipeline_events_preview TO `<principal>`;');
      expect(d.notes.join('\n')).not.toMatch(/\n\s+at |Error:/);
    } finally {
      await w.close();
    }
  });

  it('with only the GA table: found once (probes cached per warehouse), efficiency present, no note', async () => {
    const data = demoMini();
    const w = await createDuckDbWarehouse(data, { pipelineEventsTables: ['system.lakeflow.pipeline_events'] });
    try {
      const specs = await specsOf(w, data);
      const d = await computeDigest(w, specs, period());
      expect(d.pipelines.find((p) => p.id === PIPELINE_A)!.outputRows).toBeGreaterThan(0);
      expect(d.notes.some((n) => n.includes('left out'))).toBe(false);
      // the Beta path was tried, then the GA path: two probes; the next digest asks nothing
      expect(w.stats().probes).toBe(2);
      await computeDigest(w, specs, period());
      expect(w.stats().probes).toBe(2);
    } finally {
      await w.close();
    }
  });

  it('a failing optional statement of any kind is a note; a failing cost statement fails the digest', async () => {
    const data = demoMini();
    const inner = await createDuckDbWarehouse(data);
    try {
      const failing = (names: string[]): Warehouse => ({
        query: (name, params, options) =>
          names.includes(name)
            ? Promise.reject(new DoctorError('PERMISSION_DENIED', `The SQL warehouse refused to read system.compute (${name}).`, { hint: 'GRANT USE SCHEMA, SELECT ON SCHEMA system.compute TO `sp`;', cause: new Error('secret stack') }))
            : inner.query(name, params, options),
        close: () => inner.close(),
        stats: () => inner.stats(),
      });
      const specs = await specsOf(inner, data);
      const d = await computeDigest(failing(['digest-utilization', 'digest-daily']), specs, period());
      expect(d.totals.dollars).toBeGreaterThan(0);
      expect(d.notes).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Cluster utilization \(system.compute\) is left out: The SQL warehouse refused .* GRANT USE SCHEMA, SELECT ON SCHEMA system.compute TO `sp`;$/),
          expect.stringMatching(/^The daily spend chart is left out/),
        ]),
      );
      expect(d.notes.join(' ')).not.toContain('secret stack');
      await expect(computeDigest(failing(['digest-cost']), specs, period())).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });

      // a long server message is cut; the GRANT stays whole
      const long: Warehouse = {
        ...failing([]),
        query: (name, params, options) =>
          name === 'digest-efficiency'
            ? Promise.reject(new DoctorError('SOURCE_UNAVAILABLE', `The SQL warehouse failed to run digest-efficiency: ${'x'.repeat(3000)}`, { hint: 'GRANT SELECT ON TABLE t TO `sp`;' }))
            : inner.query(name, params, options),
      };
      const note = (await computeDigest(long, specs, period())).notes.find((n) => n.startsWith('Efficiency'))!;
      expect(note.length).toBeLessThan(700);
      expect(note.endsWith('… GRANT SELECT ON TABLE t TO `sp`;')).toBe(true);
    } finally {
      await inner.close();
    }
  });
});
