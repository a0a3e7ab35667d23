/**
 * Teams: after an apply, the card the fix was applied from is edited in place, its Apply button
 * giving way to "✓ Applied by <name> at <time>" (issue 17 item 3), as Slack's message is. Teams has
 * no API to read a message back, so the bot keeps the cards it posted with an Apply button (SQLite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../../commands/types.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { openDb } from '../../../src/store/db.js';
import { hasApplyButton, markAppliedCard } from '../../../templates/cards/applied-mark.js';
import { toAdaptiveCard } from '../../../templates/cards/index.js';
import { fakeDiagnosisReply, fakeRecommendation } from '../../support/fake-diagnosis.js';
import { fakeSource } from '../slack/helpers.js';
import { cardErrors, cardText, connector, messageActivity, post, quietLogger, startHandler } from './helpers.js';

let api: ReturnType<typeof connector> | undefined;
afterEach(() => {
  api?.done();
  api = undefined;
});

const diagnosis = fakeDiagnosisReply({ recommendations: [fakeRecommendation(), fakeRecommendation({ id: 'enable-photon', title: 'Enable Photon', change: { target: 'pipeline', key: 'photon', value: 'true' } })] });
const preview: Reply = { kind: 'apply-preview', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, updateId: 'upd-42', recommendation: { id: 'raise-max-workers', title: 'Raise max workers to 16', guideSection: '3.3' }, diff: [{ key: 'max_workers', before: '8', after: '16' }], lastModified: 5 };

describe('markAppliedCard', () => {
  it('replaces the Apply of that fix only; a card without it is not edited', () => {
    const card = toAdaptiveCard(diagnosis);
    const marked = markAppliedCard(card, 'raise-max-workers', 'Ana Lopez', Date.parse('2026-12-03T14:02:00Z'))!;
    expect(cardErrors(marked)).toEqual([]);
    expect(cardText(marked)).toContain('✓ Applied by Ana Lopez at 2026-12-03 14:02 UTC');
    expect(JSON.stringify(marked.body)).not.toContain('"recommendation_id":"raise-max-workers"');
    expect(markAppliedCard(card, 'no-such-fix', 'Ana', 0)).toBeNull();
    // only cards with an Apply are kept for marking: the diagnosis, not a plain answer or the marked card
    expect(hasApplyButton(card)).toBe(true);
    expect(hasApplyButton(toAdaptiveCard({ kind: 'text', text: 'Alerts on for orders_silver.' }))).toBe(false);
    expect(hasApplyButton(toAdaptiveCard(fakeDiagnosisReply({ recommendations: [fakeRecommendation({ change: null })] })))).toBe(false);
  });
});

describe('Teams Apply → Confirm marks the card it came from', () => {
  it('the diagnosis card is kept, the Confirm carries its id, and a successful apply edits it in place', async () => {
    api = connector();
    const dir = mkdtempSync(join(tmpdir(), 'dlt-teams-mark-'));
    const db = openDb(join(dir, 'doctor.db'));
    const run = vi.fn(async (text: string) => (text.startsWith('apply') ? preview : diagnosis));
    const confirm = vi.fn(async () => ({ ok: true as const, auditId: 9, preview: { pipelineId: 'pl-orders-silver', pipelineName: 'orders_silver', updateId: 'upd-42', recommendation: { title: 'Raise max workers to 16' } as never, diff: [{ key: 'max_workers', before: '8', after: '16' }], lastModified: 5 } }));
    const teams = createTeamsSurface({ config: null, db, source: fakeSource, logger: quietLogger(), run, progressAfterMs: 60_000, apply: { confirm }, now: () => new Date('2026-12-03T14:02:00Z') } as never);
    const server = await startHandler(teams.handler);
    try {
      await post(server.url, messageActivity('<at>dlt-doctor</at> dlt why-slow orders_silver'));
      const posted = api.calls.at(-1)!;
      expect(posted.method).toBe('POST');
      // Apply under the first fix of the card posted as posted-1
      await post(server.url, messageActivity('', { value: { action: 'dlt_apply', pipeline_id: 'pl-orders-silver', update_id: 'upd-42', recommendation_id: 'raise-max-workers' }, replyToId: 'posted-1' }));
      const previewCard = api.cards().at(-1) as { actions: { data?: Record<string, unknown> }[] };
      const confirmData = previewCard.actions.find((a) => a.data?.action === 'dlt_apply_confirm')!.data!;
      expect(confirmData.source_id).toBe('posted-1');
      await post(server.url, messageActivity('', { value: confirmData, replyToId: 'posted-2' }));
      expect(confirm).toHaveBeenCalledTimes(1);
      const puts = api.calls.filter((c) => c.method === 'PUT').map((c) => c.path.split('/').pop());
      // the diagnosis card marked, then the preview replaced (its Confirm not pressed twice)
      expect(puts).toEqual(['posted-1', 'posted-2']);
      const markedCard = api.calls.find((c) => c.method === 'PUT' && c.path.endsWith('posted-1'))!.body.attachments![0]!.content;
      expect(cardText(markedCard)).toMatch(/✓ Applied by .+ at 2026-12-03 14:02 UTC/);
      // the rest of the card is as it was posted; that fix has no Apply left
      expect(cardText(markedCard)).toContain('orders_silver: CPU-bound');
      expect(JSON.stringify(markedCard)).not.toContain('"recommendation_id":"raise-max-workers"');
    } finally {
      await server.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
