/** The alert parent on Slack and Teams (issue 17 item 6): one wording, the event time, buttons by state. */
import { describe, expect, it } from 'vitest';
import { renderAlertParent, type AlertParent } from '../../templates/blocks/alerts.js';
import { teamsAlertCard } from '../../src/schedule/teams-alert-poster.js';

const base: AlertParent = {
  pipelineId: 'p1', pipelineName: 'telemetry_stream', updateId: 'u1', kind: 'backlog', summary: 'raw is falling behind.',
  state: 'open', stateNote: null, pipelineUrl: null, eventAt: Date.parse('2026-12-03T05:10:00Z'), openedAt: Date.parse('2026-12-03T20:19:00Z'),
};
const slackButtons = (a: AlertParent) => JSON.stringify(renderAlertParent(a).blocks.filter((b) => b.type === 'actions'));
const teamsActions = (a: AlertParent) => ((teamsAlertCard(a) as { actions?: { title: string }[] }).actions ?? []).map((x) => x.title);

describe('alert parent', () => {
  it('backlog is "falling behind its source" on both surfaces, with the event time, not the posting time', () => {
    const slack = JSON.stringify(renderAlertParent(base));
    expect(slack).toContain('telemetry_stream: falling behind its source');
    expect(slack).toContain(`seen <!date^${Date.parse('2026-12-03T05:10:00Z') / 1000}^`);
    const card = JSON.stringify(teamsAlertCard(base));
    expect(card).toContain('telemetry_stream: falling behind its source');
    expect(card).toContain('2026-12-03 05:10 UTC');
    expect(card).not.toContain('20:19');
  });

  it('without an event time it says when it was noticed', () => {
    const { eventAt: _e, ...noEvent } = base;
    expect(JSON.stringify(renderAlertParent(noEvent))).toContain('noticed <!date^');
    expect(JSON.stringify(teamsAlertCard(noEvent))).toContain('Noticed');
  });

  it('a cost spike names its day, not an update', () => {
    const s = JSON.stringify(renderAlertParent({ ...base, kind: 'cost', updateId: 'day:2026-12-02', eventAt: null }));
    expect(s).toContain('Day `2026-12-02`');
    expect(s).not.toContain('Update `day:');
  });

  it('buttons follow the state on both surfaces', () => {
    expect(teamsActions(base)).toEqual(['Acknowledge', 'Resolve', 'Mute 1 day']);
    expect(teamsActions({ ...base, state: 'acknowledged', stateNote: 'acknowledged by <@UANA>', stateAt: base.openedAt! })).toEqual(['Resolve', 'Mute 1 day']);
    expect(teamsActions({ ...base, state: 'muted' })).toEqual(['Unmute', 'Resolve']);
    for (const closed of ['resolved', 'recovered', 'fixed'] as const) {
      expect(teamsActions({ ...base, state: closed })).toEqual([]);
      expect(slackButtons({ ...base, state: closed })).toBe('[]');
    }
    expect(slackButtons({ ...base, state: 'muted' })).toContain('dlt_alert_unmute');
  });

  it('who did it: a mention in Slack with the time; the plain id in Teams', () => {
    const a: AlertParent = { ...base, state: 'acknowledged', stateNote: 'acknowledged by <@UANA>', stateAt: Date.parse('2026-12-03T21:00:00Z') };
    expect(JSON.stringify(renderAlertParent(a))).toContain('acknowledged by <@UANA> <!date^');
    const card = JSON.stringify(teamsAlertCard(a));
    expect(card).toContain('acknowledged — acknowledged by UANA at 2026-12-03 21:00 UTC');
    // a name in the note that is data, not our mention, stays text in Slack
    expect(JSON.stringify(renderAlertParent({ ...a, stateNote: 'acknowledged by <!channel>' }))).not.toContain('<!channel>');
  });
});
