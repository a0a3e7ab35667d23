/** DLT_DOCTOR_BUNDLE_* are parsed once, with zod, at the configuration edge (src/config.ts). */
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_ENV } from '../../src/bundle/limits.js';
import { ENV_VARS, bundleLimitsFromEnv, loadConfig } from '../../src/config.js';

describe('bundleLimitsFromEnv', () => {
  it('unset or blank → no override; whole numbers → the override of that limit', () => {
    expect(bundleLimitsFromEnv({})).toEqual({ ok: true, limits: {} });
    expect(bundleLimitsFromEnv({ DLT_DOCTOR_BUNDLE_MAX_BYTES: ' ' })).toEqual({ ok: true, limits: {} });
    expect(bundleLimitsFromEnv({ DLT_DOCTOR_BUNDLE_MAX_BYTES: '2147483648', DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES: '1024', DLT_DOCTOR_BUNDLE_MAX_UPDATES: '5', DLT_DOCTOR_BUNDLE_MAX_ROWS: '7', DLT_DOCTOR_BUNDLE_MAX_ENTRIES: '9', DLT_DOCTOR_BUNDLE_MAX_JSON_BYTES: '11' })).toEqual({
      ok: true,
      limits: { maxBytes: 2147483648, maxLineBytes: 1024, maxUpdates: 5, maxRows: 7, maxEntries: 9, maxJsonBytes: 11 },
    });
  });

  it('refuses anything but a whole number above 0, by variable name', () => {
    for (const bad of ['lots', '-1', '0', '1.5']) {
      const r = bundleLimitsFromEnv({ DLT_DOCTOR_BUNDLE_MAX_ROWS: bad });
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatch(/^DLT_DOCTOR_BUNDLE_MAX_ROWS: must be a whole number/);
    }
  });

  it('every limit variable is part of the configuration schema (and so of .env.example), and checked at start', () => {
    for (const v of Object.values(BUNDLE_LIMIT_ENV)) expect(ENV_VARS).toContain(v);
    const r = loadConfig({ DLT_DOCTOR_BUNDLE_MAX_UPDATES: 'many' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/DLT_DOCTOR_BUNDLE_MAX_UPDATES/);
  });
});
