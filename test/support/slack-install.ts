import type { Installation } from '@slack/bolt';

/** A single-team (not Enterprise Grid) Slack installation with bot token `token`. */
export function teamInstall(team: string, token: string): Installation<'v2', false> {
  return {
    team: { id: team, name: `team ${team}` },
    enterprise: undefined,
    user: { id: 'U1', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands', 'chat:write'], id: 'B1', userId: 'UBOT' },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A1',
    authVersion: 'v2',
  };
}
