/**
 * The terminal surface: `dlt-doctor <command> [args] [--bundle PATH] [--json] [--no-color]`.
 * Exit codes (CONTRACT.md §2): 0 printed; 2 bad usage; 3 unreadable or unusable input (reason on
 * stderr); 4 workspace unreachable. Never prints a stack trace.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCommand, runParsed } from '../../../commands/index.js';
import { parseCommandTokens, type ParsedCommand } from '../../../commands/parse.js';
import { errorToReply } from '../../../commands/reply.js';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { BundleSource } from '../../bundle/source.js';
import { toDiagnosisJson } from '../../diagnosis/diagnosis-schema.js';
import { badUsage, sourceUnavailable } from '../../errors.js';
import type { CollectOptions, ExportableSource, Source } from '../../source.js';
import { bundleLimitsFromEnv, loadConfig, type Config } from '../../config.js';
import { openSource, type OpenedSource } from '../../sources.js';
import { redactionSecretsOf, redactText, registerSecrets } from '../../redact.js';
import { paint } from '../../../templates/format.js';
import { replyToText } from '../../../templates/text.js';
import { stripControls } from '../../../templates/plain-safe.js';
import { progressLine } from '../../../templates/experiment.js';
import { openStore } from '../../store/open.js';
import { createExperimentStore } from '../../store/experiments.js';
import { createExperimentService } from '../../experiment/service.js';
import { parseScratchTarget } from '../../experiment/clone-spec.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  columns: number | undefined;
  env: { NO_COLOR?: string | undefined };
}

/**
 * Without --bundle: the workspace the configuration names (DATABRICKS_HOST), else the embedded demo
 * workspace, opened on first use so `size --gb`, `rules` and `help` stay instant.
 */
export class LazyWorkspaceSource implements Source {
  readonly kind: 'workspace' | 'demo';
  private opened: Promise<OpenedSource> | null = null;
  private current: OpenedSource | null = null;
  constructor(private readonly config: Config) {
    this.kind = config.databricks ? 'workspace' : 'demo';
  }
  private async inner(): Promise<Source> {
    this.opened ??= openSource(this.config).then((o) => (this.current = o));
    return (await this.opened).source;
  }
  pipelineUrl(pipelineId: string, updateId?: string): string | null {
    return this.current?.source.pipelineUrl(pipelineId, updateId) ?? null;
  }
  async listPipelines(filter?: string) {
    return (await this.inner()).listPipelines(filter);
  }
  async resolvePipeline(ref: string) {
    return (await this.inner()).resolvePipeline(ref);
  }
  async collect(ref: string, options?: CollectOptions) {
    return (await this.inner()).collect(ref, options);
  }
  async exportBundle(ref: string, options: { updateId?: string; outDir: string }) {
    const inner = (await this.inner()) as Partial<ExportableSource>;
    if (!inner.exportBundle) throw sourceUnavailable('This workspace source cannot export bundles.');
    return inner.exportBundle(ref, options);
  }
  /** the opened workspace (REST client, demo handle) behind this source */
  async workspace(): Promise<OpenedSource> {
    await this.inner();
    return this.opened!;
  }
  async costBackend() {
    const inner = await this.inner();
    if (!inner.costBackend) {
      throw sourceUnavailable('Cost and digests read the billing tables through a SQL warehouse, and none is configured.', undefined, 'Set DATABRICKS_WAREHOUSE_HTTP_PATH.');
    }
    return inner.costBackend();
  }
  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

const EXPERIMENT_COMMANDS = new Set(['benchmark', 'ab-test']);

/**
 * The experiment service of a terminal run: the bot's database (clones are recorded there, so one
 * a killed run left behind is deleted by the next), orphans of earlier runs cleaned up first. The
 * terminal runs on its own Databricks credentials, so no allow-list applies.
 */
async function cliExperiments(source: LazyWorkspaceSource, config: Config) {
  const opened = await source.workspace();
  const store = await openStore({ databaseUrl: config.databaseUrl, dbPath: config.dbPath });
  const service = createExperimentService({
    rest: opened.rest,
    source: opened.source,
    store: createExperimentStore(store.sql),
    canRun: () => true,
    scratch: parseScratchTarget(config.scratchSchema),
    ...(opened.demo ? { pollMs: 100, progressEveryMs: 1000, settle: opened.demo.settled } : {}),
    logger: { warn: () => undefined },
  });
  await service.cleanupOrphans().catch(() => undefined);
  return { service, close: () => void store.close() };
}

/** CONTRACT.md §2 exit code for a reply. */
export function exitCodeForReply(reply: Reply): number {
  if (reply.kind !== 'error') return 0;
  switch (reply.code) {
    case 'BAD_USAGE':
      return 2;
    case 'SOURCE_UNAVAILABLE':
    case 'PERMISSION_DENIED':
      return 4;
    case 'INTERNAL':
      return 1;
    default:
      return 3;
  }
}

/** The JSON a reply prints with --json: the diagnosis contract for diagnoses, the reply otherwise. */
export function replyToJson(reply: Reply): unknown {
  switch (reply.kind) {
    case 'diagnosis':
      return toDiagnosisJson(reply.diagnosis);
    case 'compare':
      return { ...reply, a: toDiagnosisJson(reply.a), b: toDiagnosisJson(reply.b) };
    case 'experiment-result':
      // the guide's own shape (docs/contract.md §6), with how the run ended and what cleanup did
      return { ...reply.outcome.result, experiment: { id: reply.outcome.experimentId, state: reply.outcome.state, message: reply.outcome.message, cleanup: reply.outcome.cleanup } };
    default:
      return reply;
  }
}

/** `start`: the bot (src/main.ts) until SIGINT/SIGTERM. */
async function start(io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { startBot, ConfigError, StartupError } = await import('../../main.js');
  let bot;
  try {
    bot = await startBot({ env, log: (line) => io.stdout(`${line}\n`) });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\nSee .env.example for every variable.\n`);
      return 2;
    }
    if (err instanceof StartupError) {
      // e.g. "Slack rejected SLACK_BOT_TOKEN (invalid_auth): reinstall the app or fix the token."
      io.stderr(`${err.message}\n`);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      io.stderr(`The port is already in use: stop the other process or set PORT to a free port.\n`);
      return 1;
    }
    throw err;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stdout('Shutting down…\n');
  await bot.close();
  return 0;
}

function takeCliFlags(parsed: ParsedCommand): { bundle: string | true | null; noColor: boolean; parsed: ParsedCommand } {
  const { bundle, 'no-color': noColor, ...rest } = parsed.args;
  return {
    bundle: bundle === undefined ? null : (bundle as string | true),
    noColor: noColor !== undefined,
    parsed: { ...parsed, args: rest as ParsedCommand['args'] },
  };
}

export async function runCli(argv: readonly string[], rawIo: CliIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  // everything printed, text and --json, goes through the outward redaction (src/redact.ts)
  const io: CliIo = { ...rawIo, stdout: (s) => rawIo.stdout(redactText(s)), stderr: (s) => rawIo.stderr(redactText(s)) };
  const now = () => new Date();
  const ctxFor = (source: Source): CommandContext => ({ source, surface: 'cli', now });
  const print = (reply: Reply, json: boolean, color: boolean): number => {
    const code = exitCodeForReply(reply);
    if (reply.kind === 'error' && code !== 0) {
      // the reason on stderr, one line first and never wrapped (CONTRACT.md §2); hint and usage below it
      const [, ...below] = replyToText({ ...reply, message: '' }, { width: Math.min(io.columns ?? 80, 100), color }).split('\n');
      io.stderr(`${[`${paint('error:', 'red', color)} ${stripControls(reply.message).replace(/\s*\n\s*/g, ' ')}`, ...below].join('\n')}\n`);
      if (json) io.stdout(`${JSON.stringify(replyToJson(reply), null, 2)}\n`);
      return code;
    }
    io.stdout(json ? `${JSON.stringify(replyToJson(reply), null, 2)}\n` : `${replyToText(reply, { width: Math.min(io.columns ?? 80, 100), color })}\n`);
    return code;
  };

  try {
    const first = parseCommandTokens(argv);
    if (!first.ok) return print(errorToReply(badUsage(first.message), null), false, false);
    const { bundle, noColor, parsed } = takeCliFlags(first.value);
    const color = io.isTTY && !noColor && !io.env.NO_COLOR && !parsed.json;
    if (bundle === true) {
      return print({ kind: 'error', code: 'BAD_USAGE', message: '--bundle needs a path.', hint: 'e.g. --bundle ./orders_silver-bundle.zip', suggestions: [], usage: null }, parsed.json, color);
    }
    if (parsed.name === 'start') {
      if (parsed.help) {
        io.stdout('dlt-doctor start\n  Run the bot: the demo workspace (or DATABRICKS_HOST) behind Slack, Teams or the local console on PORT.\n');
        return 0;
      }
      return await start(io, env);
    }
    if (bundle) {
      const limits = bundleLimitsFromEnv(env);
      if (!limits.ok) {
        io.stderr(`Configuration problems (see .env.example):\n${limits.errors.map((e) => `  - ${e}`).join('\n')}\n`);
        return 2;
      }
      return print(await runParsed(parsed, ctxFor(new BundleSource(bundle, limits.limits))), parsed.json, color);
    }
    const loaded = loadConfig(env);
    if (!loaded.ok) {
      io.stderr(`Configuration problems (see .env.example):\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
      return 2;
    }
    registerSecrets(redactionSecretsOf(loaded.config));
    const source = new LazyWorkspaceSource(loaded.config);
    let experiments: Awaited<ReturnType<typeof cliExperiments>> | null = null;
    try {
      const ctx = ctxFor(source);
      // opened only for a command line that parses (a usage error answers at once)
      if (EXPERIMENT_COMMANDS.has(parsed.name ?? '') && !parsed.help && findCommand(parsed.name!)?.args.safeParse(parsed.args).success) {
        experiments = await cliExperiments(source, loaded.config);
        ctx.experiments = experiments.service;
        ctx.onExperimentProgress = (p) => io.stderr(`${progressLine(p)}\n`);
      }
      return print(await runParsed(parsed, ctx), parsed.json, color);
    } finally {
      experiments?.close();
      await source.close();
    }
  } catch (err) {
    return print(errorToReply(err, null), false, false);
  }
}

const isMain = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  return /dlt-doctor(\.js)?$/.test(entry) || resolve(entry) === fileURLToPath(import.meta.url);
})();

if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns,
    env: { NO_COLOR: process.env.NO_COLOR },
  });
  process.exitCode = code;
}
