/**
 * The Teams surface: what src/main.ts mounts.
 *
 *   const teams = createTeamsSurface({ config: config.teams, db, source, apply, experiments });
 *   // on the main node:http server: POST /api/messages → teams.handler(req, res)
 *   // digests / alerts: await teams.sendProactive(conversationId | reference, card, { threadRootId })
 *   // alert roots edited in place: await teams.updateProactive(conversationId, activityId, card)
 *
 * `config` null (no TEAMS_APP_ID) = test mode: no Bot Framework authentication, for local tries with
 * the Bot Framework Emulator or tests; never expose it publicly (docs/teams.md).
 */
import { runCommandText } from '../../../commands/index.js';
import type { ExperimentService } from '../../experiment/service.js';
import type { Source } from '../../source.js';
import type { Db } from '../../store/db.js';
import type { SqlDb } from '../../store/sql/types.js';
import { createTeamsConversationStore, type TeamsConversationStore } from '../../store/teams-conversations.js';
import { createTeamsAdapter, type TeamsAuth } from './adapter.js';
import { DEDUPE_MS, DoctorTeamsBot, type TeamsBotDeps } from './bot.js';
import { createSeenKeyStore } from '../../store/seen-keys.js';
import { asSqlDb } from '../../store/sql/sqlite.js';
import { createContinueIn, createSendProactive, createUpdateProactive, type SendProactive, type UpdateProactive } from './proactive.js';
import { createTeamsHandler, type NodeHandler } from './routes.js';
import { consoleTeamsLogger, type RunCommand, type TeamsLogger } from './types.js';

export interface CreateTeamsSurfaceOptions {
  /** Config['teams'] of src/config.ts; null → test mode (auth disabled) */
  config: TeamsAuth | null;
  /** SQLite store for conversation references; without it nothing can be posted proactively by id */
  db: SqlDb | Db | null;
  source: Source;
  run?: RunCommand;
  logger?: TeamsLogger;
  now?: () => Date;
  progressAfterMs?: number;
  context?: TeamsBotDeps['context'];
  /** one-click apply; null/absent → the Confirm button answers that apply is off */
  apply?: TeamsBotDeps['apply'];
  /**
   * benchmarks and A/B tests (src/experiment/service.ts): put on the CommandContext of the commands
   * the bot runs (`benchmark` / `ab-test` answer with the plan card) and behind its Start and Cancel;
   * absent → those buttons answer that benchmarks are not enabled
   */
  experiments?: ExperimentService | null;
  /** the progress card of a running experiment is edited at most this often (default 2 s) */
  progressUpdateMs?: number;
}

export interface TeamsSurface {
  /** node:http handler for POST /api/messages */
  handler: NodeHandler;
  sendProactive: SendProactive;
  /** edits a card the bot posted (an alert's root when it recovers, is muted or fixed) */
  updateProactive: UpdateProactive;
  store: TeamsConversationStore | null;
  testMode: boolean;
  bot: DoctorTeamsBot;
}

export function createTeamsSurface(o: CreateTeamsSurfaceOptions): TeamsSurface {
  const logger = o.logger ?? consoleTeamsLogger;
  const { adapter, identity, testMode, tenants } = createTeamsAdapter(o.config, logger);
  if (testMode) logger.warn('TEAMS_APP_ID is not set: Teams runs in test mode (no Bot Framework authentication).');
  const store = o.db ? createTeamsConversationStore(o.db) : null;
  const bot = new DoctorTeamsBot({
    run: o.run ?? runCommandText,
    source: o.source,
    store,
    // the Bot Connector's redeliveries, whichever replica they reach (src/store/seen-keys.ts)
    seen: o.db ? createSeenKeyStore(asSqlDb(o.db), { scope: 'teams-activity', ttlMs: DEDUPE_MS }) : null,
    logger,
    now: o.now ?? (() => new Date()),
    ...(o.progressAfterMs !== undefined ? { progressAfterMs: o.progressAfterMs } : {}),
    ...(o.context ? { context: o.context } : {}),
    apply: o.apply ?? null,
    experiments: o.experiments ?? null,
    ...(o.progressUpdateMs !== undefined ? { progressUpdateMs: o.progressUpdateMs } : {}),
    // slow commands finish after /api/messages was answered, in a new turn of the same conversation
    continueIn: createContinueIn({ adapter, identity }),
  });
  return {
    handler: createTeamsHandler({ adapter, bot, logger, tenants }),
    sendProactive: createSendProactive({ adapter, identity, store }),
    updateProactive: createUpdateProactive({ adapter, identity, store }),
    store,
    testMode,
    bot,
  };
}

export type { TeamsAuth } from './adapter.js';
export type { SendProactive, UpdateProactive, ProactiveOptions, ProactiveResult } from './proactive.js';
