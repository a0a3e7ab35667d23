/**
 * Slack installations (OAuth, several workspaces) on both store backends (issue 19): an install
 * made through one replica is what every other replica answers requests with.
 */
import type { Installation } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createSlackInstallationStore } from '../../src/store/slack-installations.js';
import { teamInstall } from '../support/slack-install.js';
import { storeBackends } from '../support/store-backends.js';

const backends = storeBackends(MIGRATIONS.filter((m) => m.id === '001-slack-installations'));
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`Slack installations (${backend.name})`, () => {
    it('installed through one replica, served by the other; reinstall replaces; org-wide; delete; sole', async () => {
      const { a, b } = await backend.two();
      const sa = createSlackInstallationStore(a);
      const sb = createSlackInstallationStore(b);
      await sa.storeInstallation(teamInstall('T1', 'xoxb-1'));
      expect(await sb.sole()).toEqual({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false });
      await sb.storeInstallation(teamInstall('T2', 'xoxb-2'));
      await sa.storeInstallation(teamInstall('T1', 'xoxb-1b'));
      expect(await sb.count()).toBe(2);
      expect(await sb.sole()).toBeNull();
      expect((await sb.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-1b');
      const org = { ...teamInstall('T9', 'xoxb-org'), team: undefined, enterprise: { id: 'E1', name: 'Acme' }, isEnterpriseInstall: true } as unknown as Installation<'v2', true>;
      await sb.storeInstallation(org);
      expect((await sa.fetchInstallation({ teamId: 'T-any', enterpriseId: 'E1', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-org');
      await sa.deleteInstallation!({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false });
      await expect(sb.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow('no Slack installation');
    });
  });
}
