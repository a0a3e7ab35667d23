/** The pipeline list's assessment (src/diagnosis/pipeline-assessment.ts): what fires, what must not. */
import { describe, expect, it } from 'vitest';
import { assessPipeline, worstFirst } from '../../src/diagnosis/pipeline-assessment.js';
import type { PipelineSummary } from '../../src/source.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const base = (o: Partial<PipelineSummary> = {}): PipelineSummary => ({
  id: 'p1', name: 'orders', state: 'IDLE', health: 'HEALTHY',
  lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: NOW - 3_600_000, durationS: 1800 },
  baselineMedianS: 1800, ...o,
});
const flag = { updateId: 'u2', flow: 'raw', metric: 'bytes' as const, from: 1e9, to: 4e9, minutes: 60 };

describe('assessPipeline', () => {
  it('an update as long as usual is ok; 1.49× is still ok (the alert counts from 1.5×), 1.5× is slower', () => {
    expect(assessPipeline(base(), { now: NOW }).status).toBe('ok');
    expect(assessPipeline(base({ lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: 0, durationS: 1800 * 1.49 } }), { now: NOW }).status).toBe('ok');
    const slow = assessPipeline(base({ lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: 0, durationS: 1800 * 1.5 } }), { now: NOW });
    expect(slow.status).toBe('regressed');
    expect(slow.regression).toMatchObject({ running: false, threshold: 1.5 });
  });

  it('a running update is slower once its elapsed time passes the threshold, not before', () => {
    const running = (minutes: number) => base({ lastUpdate: { id: 'u3', state: 'RUNNING', startedAt: NOW - minutes * 60_000, durationS: null } });
    expect(assessPipeline(running(40), { now: NOW }).status).toBe('ok');
    const late = assessPipeline(running(60), { now: NOW });
    expect(late.status).toBe('regressed');
    expect(late.regression?.running).toBe(true);
  });

  it('no baseline, no regression', () => {
    expect(assessPipeline(base({ baselineMedianS: null, lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: 0, durationS: 99_999 } }), { now: NOW }).status).toBe('ok');
  });

  it('a backlog flag counts for the latest update only', () => {
    expect(assessPipeline(base({ backlog: flag }), { now: NOW }).status).toBe('falling_behind');
    expect(assessPipeline(base({ backlog: { ...flag, updateId: 'u1' } }), { now: NOW }).status).toBe('ok');
  });

  it('failed beats everything; Databricks UNHEALTHY alone is "unhealthy"; no update is "no updates"', () => {
    expect(assessPipeline(base({ backlog: flag, lastUpdate: { id: 'u2', state: 'FAILED', startedAt: 0, durationS: 10 } }), { now: NOW }).status).toBe('failed');
    expect(assessPipeline(base({ health: 'UNHEALTHY' }), { now: NOW }).status).toBe('unhealthy');
    expect(assessPipeline(base({ lastUpdate: null, baselineMedianS: null }), { now: NOW }).status).toBe('no_updates');
  });

  it('an open alert marks a pipeline that is otherwise fine', () => {
    const incidents = new Map([['p1', [{ kind: 'cost' as const, updateId: 'u2', openedAt: NOW }]]]);
    expect(assessPipeline(base(), { now: NOW, incidents }).status).toBe('alert_open');
    expect(assessPipeline(base({ id: 'p2' }), { now: NOW, incidents }).status).toBe('ok');
  });
});

describe('worstFirst', () => {
  it('failed, falling behind, slower (largest first), alert, unhealthy, ok, then by name', () => {
    const mk = (name: string, o: Partial<PipelineSummary>) => {
      const p = base({ name, id: name, ...o });
      return { ...p, assessment: assessPipeline(p, { now: NOW }) };
    };
    const list = [
      mk('b_ok', {}),
      mk('a_ok', {}),
      mk('slow2', { lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: 0, durationS: 3600 } }),
      mk('slow3', { lastUpdate: { id: 'u2', state: 'COMPLETED', startedAt: 0, durationS: 5400 } }),
      mk('behind', { backlog: flag }),
      mk('unhealthy', { health: 'UNHEALTHY' }),
      mk('failed', { lastUpdate: { id: 'u2', state: 'FAILED', startedAt: 0, durationS: 60 } }),
    ];
    expect(list.sort(worstFirst).map((p) => p.name)).toEqual(['failed', 'behind', 'slow3', 'slow2', 'unhealthy', 'a_ok', 'b_ok']);
  });
});
