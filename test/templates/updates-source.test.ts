/** Every surface's pipeline list says where its update states came from (issue 16 item 3). */
import { describe, expect, it } from 'vitest';
import type { PipelineSummary } from '../../src/source.js';
import { toText } from '../../templates/pipelines.js';
import { renderPipelines } from '../../templates/blocks/pipelines.js';
import { toAdaptiveCard } from '../../templates/cards/pipelines.js';

const p = (updatesSource?: PipelineSummary['updatesSource']): PipelineSummary => ({
  id: 'p-1', name: 'orders_silver', state: 'IDLE', health: 'HEALTHY',
  lastUpdate: { id: 'u-1', state: 'COMPLETED', startedAt: 0, durationS: 600 }, baselineMedianS: 500,
  ...(updatesSource ? { updatesSource } : {}),
});
const reply = (ps: PipelineSummary[]) => ({ kind: 'pipelines' as const, pipelines: ps, filter: null });

describe('pipeline list: source of the update states', () => {
  it('names the update timeline, REST without the timeline or REST alone in text, Slack and Teams', () => {
    for (const [src, word] of [['update_timeline', 'pipeline_update_timeline'], ['rest_no_timeline', 'latest updates'], ['rest', 'REST']] as const) {
      const r = reply([p(src)]);
      expect(toText(r as never)).toContain(word);
      expect(JSON.stringify(renderPipelines(r as never).blocks)).toContain(word);
      expect(JSON.stringify(toAdaptiveCard(r as never).body)).toContain(word);
    }
  });
  it('says nothing when the source did not tell (a bundle)', () => {
    const r = reply([p()]);
    expect(toText(r as never)).not.toContain('Update states');
    expect(JSON.stringify(renderPipelines(r as never).blocks)).not.toContain('Update states');
  });
});
