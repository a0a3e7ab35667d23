import { describe, expect, it } from 'vitest';
import { toBlocks } from '../../../templates/blocks/index.js';
import { renderAllFixes } from '../../../templates/blocks/diagnosis.js';
import { SLACK_LIMITS } from '../../../templates/blocks/limits.js';
import { limitViolations, messageTextLength, splitForSlack, splitMrkdwn } from '../../../templates/blocks/split.js';
import type { SlackPayload } from '../../../templates/blocks/types.js';
import { fakeDiagnosisReply, largestDiagnosis } from '../../support/fake-diagnosis.js';

const allText = (parts: SlackPayload[]) => parts.map((p) => JSON.stringify(p.blocks)).join('\n');

describe('splitForSlack', () => {
  it('the largest diagnosis: the compact channel message stays within every limit with its buttons; the thread holds every finding, in order, split within limits', () => {
    const d = largestDiagnosis();
    const payload = toBlocks({ ...fakeDiagnosisReply(), diagnosis: d }, { chartUrl: 'https://example.com/c.png' });
    const message = splitForSlack(payload);
    for (const p of message) expect(limitViolations(p)).toEqual([]);
    expect(message[0]!.blocks.some((b) => b.type === 'actions')).toBe(true);
    expect(message.slice(1).some((p) => p.blocks.some((b) => b.type === 'actions'))).toBe(false);
    // compact: one finding in full, the others by title (a few), the first fix
    expect(JSON.stringify(payload.blocks)).toContain('and 35 more — details in the thread');

    const thread = renderAllFixes(d);
    expect(messageTextLength(thread)).toBeGreaterThan(SLACK_LIMITS.messageText * 3); // really too big for one message
    const parts = splitForSlack(thread);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(limitViolations(p)).toEqual([]);
      expect(p.blocks.length).toBeLessThanOrEqual(50);
      expect(messageTextLength(p)).toBeLessThanOrEqual(11_000);
      for (const b of p.blocks) {
        if (b.type === 'section') {
          expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
          expect(b.fields?.length ?? 0).toBeLessThanOrEqual(10);
          for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
        }
      }
    }
    // nothing lost: every finding title and the start of every evidence metric is somewhere
    const text = allText(parts);
    for (const f of d.findings) expect(text).toContain(f.title.slice(0, 40));
    for (const e of d.findings[39]!.evidence) expect(text).toContain(e.metric.slice(0, 30));
    const order = d.findings.map((f) => text.indexOf(`Finding ${f.rule.slice(5)}:`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(parts[1]!.text).toMatch(/\(continued, 2\/\d+\)$/);
  });

  it('keeps "all fixes" for the largest diagnosis within limits and never leaves a code fence open', () => {
    const parts = splitForSlack(renderAllFixes(largestDiagnosis()));
    for (const p of parts) {
      expect(limitViolations(p)).toEqual([]);
      for (const b of p.blocks) if (b.type === 'section' && b.text) expect((b.text.text.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  it('a long escaped line is cut between entities, never inside one (no "&l" + "t;")', () => {
    const line = `x${'&lt;!channel&gt;'.repeat(1000)}`;
    const chunks = splitMrkdwn(line, SLACK_LIMITS.sectionText);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(line);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(c.replace(/&(?:amp|lt|gt);/g, '')).not.toMatch(/&/);
    }
  });

  it('leaves a normal diagnosis as one message', () => {
    const payload = toBlocks(fakeDiagnosisReply());
    const parts = splitForSlack(payload);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.blocks).toEqual(payload.blocks);
  });

  it('splits by block count alone', () => {
    const blocks = Array.from({ length: 120 }, (_, i) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `line ${i}` } }));
    const parts = splitForSlack({ text: 'many', blocks });
    expect(parts.map((p) => p.blocks.length)).toEqual([50, 50, 20]);
  });

  it('splitMrkdwn cuts at line breaks and reopens a code fence across the cut', () => {
    const text = ['intro', '```', ...Array.from({ length: 200 }, (_, i) => `config line ${i} ${'x'.repeat(20)}`), '```', 'outro'].join('\n');
    const chunks = splitMrkdwn(text, 1000);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(1000);
      expect((c.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(chunks.join('\n').replace(/```\n/g, '').replace(/\n```/g, '')).toContain('config line 199');
  });

  it('limitViolations reports what Slack would reject', () => {
    const bad: SlackPayload = {
      text: '',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) }, fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f'.repeat(2001) })) },
        { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) }, value: 'v'.repeat(2001) }] },
      ],
    };
    const v = limitViolations(bad).join('\n');
    for (const s of ['missing fallback text', 'header 151', 'text 3001', '11 fields', 'field 2001', 'button text 76', 'button value 2001', 'message text']) expect(v).toContain(s);
  });
});
