import { describe, expect, it } from 'vitest';
import { EventRowSchema, MAX_DATE_MS } from '../../src/databricks/schemas.js';
import { parseEventRow } from '../../src/bundle/read.js';

describe('event timestamps', () => {
  const row = (timestamp: unknown) => ({ event_type: 'update_progress', timestamp, origin: { update_id: 'u1' } });

  it('accept ISO strings, epoch ms and Dates', () => {
    expect(EventRowSchema.parse(row('2026-11-20T06:00:00Z')).timestamp).toBe(Date.parse('2026-11-20T06:00:00Z'));
    expect(EventRowSchema.parse(row(1_700_000_000_000)).timestamp).toBe(1_700_000_000_000);
    expect(EventRowSchema.parse(row(new Date(5))).timestamp).toBe(5);
  });

  it('refuse numbers no Date can hold, in the schema and in the reader fast path', () => {
    for (const t of [1e308, -1e308, MAX_DATE_MS + 1, Number.NaN]) {
      expect(EventRowSchema.safeParse(row(t)).success, String(t)).toBe(false);
      expect(parseEventRow(row(t)), String(t)).toBeNull();
    }
  });
});
