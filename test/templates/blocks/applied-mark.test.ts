/** The applied mark that replaces a fix's Apply button on its message (templates/blocks/applied-mark.ts). */
import { describe, expect, it } from 'vitest';
import { appliedMarkText, markApplied, slackDate } from '../../../templates/blocks/applied-mark.js';

const apply = (rec: string) => ({ type: 'button', text: { type: 'plain_text', text: 'Apply' }, action_id: 'dlt_apply', value: JSON.stringify({ pipeline_id: 'p', update_id: 'u', recommendation_id: rec }) });
const fix = (n: number, rec: string) => ({ type: 'section', text: { type: 'mrkdwn', text: `*${n}. fix*` }, accessory: apply(rec) });

describe('markApplied', () => {
  const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'orders_silver' } }, fix(1, 'enable-photon'), fix(2, 'raise-max-workers'), { type: 'actions', elements: [] }];

  it('replaces the Apply button of that fix only, with the mark right under it', () => {
    const out = markApplied(blocks, 'raise-max-workers', 'MARK')!;
    expect(out).toHaveLength(5);
    expect(out[1]).toEqual(fix(1, 'enable-photon'));
    expect(out[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*2. fix*' } });
    expect(out[3]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'MARK' }] });
    expect(out[4]).toEqual(blocks[3]);
  });

  it('null when the message has no Apply for it (already marked, another message, a forged value)', () => {
    expect(markApplied(blocks, 'autoloader-notifications', 'MARK')).toBeNull();
    expect(markApplied(markApplied(blocks, 'enable-photon', 'MARK')!, 'enable-photon', 'MARK')).toBeNull();
    expect(markApplied([{ type: 'section', accessory: { type: 'button', action_id: 'dlt_apply', value: '{not json' } }, null, 'text'], 'enable-photon', 'M')).toBeNull();
    // another button with the same value shape but another action is not an Apply
    expect(markApplied([{ type: 'section', accessory: { ...apply('enable-photon'), action_id: 'dlt_compare' } }], 'enable-photon', 'M')).toBeNull();
  });
});

describe('the mark text', () => {
  it("names the user as a mention and the time as Slack's date token with a UTC fallback", () => {
    const at = Date.parse('2026-12-03T14:02:30Z');
    expect(slackDate(at)).toBe(`<!date^${Math.floor(at / 1000)}^{date_short_pretty} at {time}|2026-12-03 14:02 UTC>`);
    expect(appliedMarkText('UADMIN', at)).toBe(`:white_check_mark: Applied by <@UADMIN> ${slackDate(at)}`);
    // not a Slack user id: escaped text, never a mention or a link
    expect(appliedMarkText('<!channel>', at)).not.toContain('<!channel>');
  });
});
