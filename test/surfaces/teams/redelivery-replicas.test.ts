/**
 * A Bot Connector redelivery that reaches another replica (issue 19 item 3): two Teams surfaces
 * (two bot replicas behind a load balancer, each with its own in-memory list) on one store, on both
 * backends. The same activity delivered to each runs the command once; a new activity runs again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { STATE_MIGRATIONS } from '../../../src/store/open.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSource } from '../slack/helpers.js';
import { storeBackends } from '../../support/store-backends.js';
import { connector, messageActivity, post, quietLogger, startHandler } from './helpers.js';

const backends = storeBackends(STATE_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`Teams redelivery across replicas (${backend.name})`, () => {
    it('the same activity delivered to replica A and then to replica B runs the command once', async () => {
      const { a, b } = await backend.two();
      const api = connector();
      const run = vi.fn(async (_text: string, _ctx: CommandContext): Promise<Reply> => ({ kind: 'text', text: 'usage' }));
      const ra = createTeamsSurface({ config: null, db: a, source: fakeSource, logger: quietLogger(), run });
      const rb = createTeamsSurface({ config: null, db: b, source: fakeSource, logger: quietLogger(), run });
      const [sa, sb] = [await startHandler(ra.handler), await startHandler(rb.handler)];
      try {
        const activity = messageActivity('dlt help', { mention: true });
        expect((await post(sa.url, activity)).status).toBe(200);
        await ra.bot.idle();
        expect((await post(sb.url, activity)).status).toBe(200);
        await rb.bot.idle();
        expect(run).toHaveBeenCalledOnce();
        // a new activity (another id) is a new question, whichever replica gets it
        expect((await post(sb.url, messageActivity('dlt help', { mention: true }))).status).toBe(200);
        await rb.bot.idle();
        expect(run).toHaveBeenCalledTimes(2);
      } finally {
        await sa.close();
        await sb.close();
        api.done();
      }
    });
  });
}
