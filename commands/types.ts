/**
 * The shared command layer: every surface (CLI, Slack, Teams, console) parses "/dlt <text>" into a
 * Command with validated args, runs it against a Source, and renders the platform-neutral Reply
 * with templates/. Commands never format for a platform.
 */
import type { z } from 'zod';
import type { Diagnosis } from '../src/diagnosis/types.js';
import type { PipelineSummary, Source } from '../src/source.js';
import type { ClusterSize } from '../src/diagnosis/sizing.js';
import type { SizeAdvice, SizeFlag } from '../src/diagnosis/size-advice.js';
import type { CostBackend, Digest } from '../src/digest/types.js';
import type { SubscriptionRegistry } from '../src/store/subscriptions.js';
import type { AlertsApi } from '../src/schedule/alerts-api.js';
import type { SettingChange } from '../src/apply/apply-change.js';
import type { ApplyActor } from '../src/apply/allow-list.js';
import type { AppliedChange } from '../src/diagnosis/applied-changes.js';
import type { SlackInstallationRef } from '../src/store/slack-installations.js';
import type { ExperimentRequest, ExperimentService } from '../src/experiment/service.js';
import type { ExperimentOutcome, ExperimentPlan, ExperimentProgress } from '../src/experiment/types.js';

export type SurfaceName = 'cli' | 'slack' | 'teams' | 'console';

export interface CommandContext {
  source: Source;
  surface: SurfaceName;
  /** chat channel / conversation id; undefined in the CLI */
  channelId?: string;
  userId?: string;
  /** who `apply` checks against the allow-list when not a Slack user id (Teams: src/surfaces/teams/apply-identity.ts) */
  applyActor?: ApplyActor;
  /**
   * Slack: the installation the command came from (Bolt's context), recorded on subscriptions and
   * watches so their proactive posts use that workspace's token (OAuth, several workspaces)
   */
  slackInstallation?: SlackInstallationRef | null;
  now: () => Date;
  onProgress?: (step: 'resolving' | 'collecting' | 'analysing') => void;
  /** warehouse + pipeline specs for `cost` and `digest now`; else taken from `source.costBackend()` when it has one */
  cost?: CostBackend;
  /** digest subscriptions (the scheduler, which reschedules on change); absent where nothing is scheduled (CLI) */
  subscriptions?: SubscriptionRegistry;
  /** alert watches, mutes and apply (startAlerts in src/schedule/alerts.ts); absent in the CLI */
  alerts?: AlertsApi;
  /**
   * the changes dlt-doctor applied (the apply audit), so no advice undoes one that paid off; else
   * read from `alerts.store`; absent in the CLI, which has no store (nothing is filtered)
   */
  appliedChanges?: () => AppliedChange[] | Promise<AppliedChange[]>;
  /** benchmarks and A/B tests (src/experiment/service.ts); absent where nothing can run them */
  experiments?: ExperimentService;
  /** the terminal's progress line while an experiment runs */
  onExperimentProgress?: (p: ExperimentProgress) => void;
  onExperimentStarted?: (plan: ExperimentPlan, experimentId: string) => void;
}

export interface CommandMeta {
  name: string;
  summary: string;
  /** e.g. "why-slow <pipeline> [--update ID]" */
  usage: string;
  examples: string[];
}

export type Reply =
  /** diagnosedAt: when this diagnosis was made (epoch ms; Re-diagnose says what changed since) */
  | { kind: 'diagnosis'; diagnosis: Diagnosis; pipelineUrl: string | null; durations: { updateId: string; durationS: number; startedAt: number }[]; diagnosedAt?: number }
  | { kind: 'pipelines'; pipelines: PipelineSummary[]; filter: string | null }
  /** basis: which update A is and why ("A is the baseline: …", "A is the previous completed update.") */
  | { kind: 'compare'; pipeline: { id: string; name: string }; a: Diagnosis; b: Diagnosis; flows: CompareFlow[]; settings: SettingDiff[]; basis?: string }
  | { kind: 'rules'; rules: RuleSummary[] }
  | {
      kind: 'size';
      input: { gb: number; complexity: number; pipeline: string | null };
      /** guide §3.2 exactly, for `input.gb` */
      size: ClusterSize;
      partitions: number;
      current: { minWorkers: number | null; maxWorkers: number | null; cpuAvg: number | null } | null;
      /** the formula joined with what the update measured (src/diagnosis/size-advice.ts); null without a pipeline */
      advice?: SizeAdvice | null;
      /** worker counts beyond the current max_workers or the usual size of a cluster */
      flags?: SizeFlag[];
    }
  | { kind: 'help'; commands: CommandMeta[]; command: CommandMeta | null }
  | { kind: 'error'; code: string; message: string; hint: string | null; suggestions: string[]; usage: string | null }
  /**
   * announce: a line for the whole channel where the reply itself goes to the asker alone (Slack's
   * ephemeral replies): `by` (the asker's user id) then `text`, "@x subscribed this channel to …"
   */
  | { kind: 'text'; text: string; announce?: { by: string | null; text: string } }
  | { kind: 'digest'; digest: Digest; note: string | null; subscription: { id: number; schedule: string; tz: string } | null }
  | { kind: 'cost'; digest: Digest; pipeline: { id: string; name: string } | null; days: number }
  /** chat: what a benchmark / A/B test will do and cost, with a Start button carrying `request` */
  | { kind: 'experiment-plan'; plan: ExperimentPlan; request: ExperimentRequest }
  /** a finished (or stopped) experiment */
  | { kind: 'experiment-result'; plan: ExperimentPlan; outcome: ExperimentOutcome }
  | { kind: 'apply-preview'; pipeline: { id: string; name: string }; updateId: string; recommendation: { id: string; title: string; guideSection: string; expectedEffect?: string; risk?: string }; diff: SettingChange[]; lastModified: number | null };

export interface Command<A> {
  meta: CommandMeta;
  args: z.ZodType<A>;
  /** argv after the command name → raw object for `args` (flags as --name value) */
  run(args: A, ctx: CommandContext): Promise<Reply>;
}

/** One flow in both updates of a comparison (null when the flow did not run in that update). */
export interface CompareFlow {
  name: string;
  a: { rows: number; durationS: number | null; rowsPerS: number | null } | null;
  b: { rows: number; durationS: number | null; rowsPerS: number | null } | null;
}

/** A setting or observed cluster fact that differs between the two compared updates. */
export interface SettingDiff {
  key: string;
  a: string;
  b: string;
}

/** A rule of the catalog as `rules` lists it. */
export interface RuleSummary {
  id: string;
  category: string;
  severity: string;
  description: string;
  guideSection: string;
  requires: string[];
  defaults: Record<string, unknown>;
}
