/**
 * DLT_DOCTOR_APPLY_ALLOWED_USERS namespaced by platform (issue 15 item 6): slack:<id> matches Slack
 * users only, teams:<Entra object id> matches Teams users only and only from an allowed tenant in the
 * msteams channel, a bare entry is a Slack id (warned about once), and config refuses malformed ones.
 */
import { describe, expect, it } from 'vitest';
import { allowEntryProblem, allowListWarning, createAllowList } from '../../src/apply/allow-list.js';
import { loadConfig } from '../../src/config.js';

const TENANT = '0b3f5c2e-1111-4a4a-9c9c-123456789abc';
const OTHER_TENANT = '5d6e7f80-2222-4b4b-8d8d-abcdefabcdef';
const AAD = '7f0c2b1e-3333-4c4c-8e8e-0123456789ab';
const teams = (aadObjectId: string | null, tenantId: string | null = TENANT, channelId: string | null = 'msteams') => ({ platform: 'teams' as const, aadObjectId, tenantId, channelId });

describe('apply allow-list', () => {
  const list = createAllowList(['slack:UADMIN1', `teams:${AAD}`, 'ULEGACY1', 'not-a-slack-id'], { teamsTenants: [TENANT] });

  it('slack: entries match that Slack user and never a Teams user carrying the same id', () => {
    expect(list.allows({ platform: 'slack', userId: 'UADMIN1' })).toBe(true);
    expect(list.allows(teams('UADMIN1'))).toBe(false);
    expect(list.allows(teams('slack:UADMIN1'))).toBe(false);
  });

  it('teams: entries match the Entra object id from an allowed tenant in msteams only', () => {
    expect(list.allows(teams(AAD))).toBe(true);
    expect(list.allows(teams(AAD.toUpperCase(), TENANT.toUpperCase()))).toBe(true);
    expect(list.allows(teams(AAD, OTHER_TENANT))).toBe(false);
    expect(list.allows(teams(AAD, null))).toBe(false);
    expect(list.allows(teams(AAD, TENANT, 'webchat'))).toBe(false);
    expect(list.allows(teams(AAD, TENANT, null))).toBe(false);
    // a Slack user named like the Teams entry is not that Teams user
    expect(list.allows({ platform: 'slack', userId: AAD })).toBe(false);
    expect(list.allows({ platform: 'slack', userId: `teams:${AAD}` })).toBe(false);
  });

  it('a bare entry matches Slack-shaped ids on Slack only; one that is not Slack-shaped matches nobody; both are warned about', () => {
    expect(list.allows({ platform: 'slack', userId: 'ULEGACY1' })).toBe(true);
    expect(list.allows(teams('ULEGACY1'))).toBe(false);
    expect(list.allows({ platform: 'slack', userId: 'not-a-slack-id' })).toBe(false);
    expect(list.bare).toEqual(['ULEGACY1']);
    expect(list.ignored).toEqual(['not-a-slack-id']);
    const warning = allowListWarning(list)!;
    expect(warning).toContain('1 entry has no prefix and matches Slack users only: write them as slack:<id>');
    expect(warning).toContain('1 entry matches nobody');
    expect(warning).not.toContain('ULEGACY1'); // the warning names no ids
    expect(allowListWarning(createAllowList(['slack:U1AB', `teams:${AAD}`], { teamsTenants: [TENANT] }))).toBeNull();
  });

  it('a bare Entra object id (the old way to list a Teams user) no longer lets a Teams user apply', () => {
    const old = createAllowList([AAD], { teamsTenants: [TENANT] });
    expect(old.allows(teams(AAD))).toBe(false);
    expect(old.ignored).toEqual([AAD]);
  });

  it('config: slack:, teams: and bare Slack ids are accepted; malformed prefixed entries and unknown prefixes stop the start', () => {
    expect(allowEntryProblem('slack:W0ENT123')).toBeNull();
    expect(allowEntryProblem(`teams:${AAD}`)).toBeNull();
    expect(allowEntryProblem('U0LEGACY')).toBeNull();
    const ok = loadConfig({ DLT_DOCTOR_APPLY_ALLOWED_USERS: `slack:U0ABC123, teams:${AAD},U0LEGACY` });
    expect(ok.ok && ok.config.applyAllowedUsers).toEqual(['slack:U0ABC123', `teams:${AAD}`, 'U0LEGACY']);
    const bad = loadConfig({ DLT_DOCTOR_APPLY_ALLOWED_USERS: 'slack:ana@example.com,teams:aad-user-1,tems:U0ABC123' });
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? '' : bad.errors.join('\n');
    expect(errors).toContain('"slack:ana@example.com" is not a Slack user id');
    expect(errors).toContain('"teams:aad-user-1" is not a Teams user\'s Entra object id');
    expect(errors).toContain('"tems:U0ABC123" has an unknown prefix');
  });
});
