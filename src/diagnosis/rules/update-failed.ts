import { z } from 'zod';
import type { ErrorInfo } from '../evidence.js';
import { defineRule } from '../types.js';
import { errorText } from './error-text.js';

const options = z.object({
  /** longest exception message quoted in a finding, characters */
  maxMessageChars: z.number().int().positive(),
});
type Options = z.infer<typeof options>;

export type FailureKind = 'permission' | 'missing' | 'schema' | 'analysis' | 'expectation' | 'other';

/**
 * Failures that no compute or Spark setting fixes, by the wording of Databricks / Unity Catalog /
 * Spark error classes (docs.databricks.com/aws/en/error-messages/): permissions, a missing
 * table/schema/path, a schema change, an analysis/compile error, a failed expectation.
 */
const KINDS: { kind: Exclude<FailureKind, 'other'>; re: RegExp; words: string }[] = [
  {
    kind: 'permission',
    re: /PERMISSION_DENIED|INSUFFICIENT_PERMISSIONS|UNAUTHORIZED_ACCESS|does not have [A-Z_ ]*(privileges?|permissions?)\b|User does not have|AccessDenied|Access Denied|403 Forbidden|is not authorized|not permitted to/i,
    words: 'a permission error',
  },
  {
    kind: 'missing',
    re: /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|CATALOG_NOT_FOUND|PATH_NOT_FOUND|VOLUME_NOT_FOUND|Table or view not found|FileNotFoundException|cannot be found|does not exist/i,
    words: 'a missing table, schema or path',
  },
  {
    kind: 'schema',
    re: /DELTA_FAILED_TO_MERGE_FIELDS|DELTA_SCHEMA_CHANGED|DELTA_METADATA_CHANGED|schema mismatch|A schema mismatch detected|UNKNOWN_FIELD_EXCEPTION|CANNOT_UP_CAST|DATATYPE_MISMATCH|CAST_INVALID_INPUT|UnknownFieldException|incompatible (data )?types?/i,
    words: 'a schema change',
  },
  {
    kind: 'expectation',
    re: /EXPECTATION_VIOLATION|violated expectation|expectations? (failed|violated)|DLT_EXPECTATIONS_VIOLATION/i,
    words: 'a failed expectation',
  },
  {
    kind: 'analysis',
    re: /AnalysisException|UNRESOLVED_COLUMN|UNRESOLVED_ROUTINE|UNRESOLVED_FIELD|PARSE_SYNTAX_ERROR|ParseException|NameError|SyntaxError|ModuleNotFoundError|ImportError|TypeError:|INVALID_PARAMETER_VALUE|AMBIGUOUS_REFERENCE/i,
    words: 'an analysis error in the pipeline code',
  },
];

/** Memory, executor and driver failures are performance problems (the memory rules read them). */
const PERFORMANCE = /OutOfMemoryError|GC overhead|exit code (is |: ?)?137|exited with code 137|OOMKilled|exceeding (physical )?memory limits|Container killed|ExecutorLostFailure|maxResultSize|not responsive|FetchFailed|heartbeat timed out|stopped unexpectedly/i;

/**
 * The kind of the failure that ended the update: read from the fatal error (else the first ERROR)
 * — an unrelated earlier warning (a retried task, a lost spot node) does not decide it; only when
 * that error's own text says nothing are the other errors read.
 */
export function failureKind(errors: ErrorInfo[], flows: FlowRef[] = []): FailureKind {
  const cause = firstCause(errors, flows);
  const own = cause ? errorText(cause.error) : '';
  const kindOf = (text: string): FailureKind | null => (PERFORMANCE.test(text) ? 'other' : (KINDS.find((k) => k.re.test(text))?.kind ?? null));
  return kindOf(own) ?? kindOf(errors.filter((e) => e.level === 'ERROR').map(errorText).join('\n')) ?? 'other';
}

type FlowRef = { name: string; finalStatus: string | null };

/**
 * A flow's own failure: the flow_progress event whose status is FAILED (level ERROR) with an
 * exception — `error.exceptions[0]` is the first exception of the chain, the one the pipeline UI
 * shows (event log schema: `error { fatal, exceptions[{ class_name, message, stack }] }`). A flow
 * that failed and was retried (its last status is not FAILED) did not end the update.
 */
function flowFailure(sorted: ErrorInfo[], flows: FlowRef[], before: number): ErrorInfo | null {
  const finalStatus = new Map(flows.map((f) => [f.name, f.finalStatus] as const));
  const failed = sorted.filter(
    (e) => e.eventType === 'flow_progress' && e.flowName && e.flowStatus === 'FAILED' && e.level === 'ERROR' && e.exceptions.length > 0 && e.t <= before,
  );
  // flows whose failure was final first (the last FAILED of each), earliest such flow first
  const final = failed.filter((e) => (finalStatus.get(e.flowName!) ?? 'FAILED') === 'FAILED');
  const pick = final.length ? final : failed;
  if (pick.length === 0) return null;
  const lastOf = new Map<string, ErrorInfo>();
  for (const e of pick) lastOf.set(e.flowName!, e);
  return [...lastOf.values()].sort((a, b) => a.t - b.t)[0] ?? null;
}

/**
 * What ended the update: a fatal error that names its flow; else the failing flow's own FAILED
 * flow_progress event (the update-level update_progress FAILED error names no flow and often only
 * wraps the flow's exception); else the first fatal error; else the first ERROR.
 */
function firstCause(errors: ErrorInfo[], flows: FlowRef[] = []): { error: ErrorInfo; className: string; message: string } | null {
  const sorted = [...errors].sort((a, b) => a.t - b.t);
  const fatal = sorted.find((e) => e.fatal) ?? null;
  const pick =
    sorted.find((e) => e.fatal && e.flowName) ??
    flowFailure(sorted, flows, fatal?.t ?? Number.POSITIVE_INFINITY) ??
    flowFailure(sorted, flows, Number.POSITIVE_INFINITY) ??
    fatal ??
    sorted.find((e) => e.level === 'ERROR') ??
    null;
  if (pick === null) return null;
  const exception = pick.exceptions[0];
  return { error: pick, className: exception?.className || pick.eventType, message: exception?.message || pick.message };
}

/** a stack frame or what introduces one: never quoted to the user */
const STACK_LINE = /^\s*(at\s+[\w$.<>]+\(|\.\.\. \d+ more|Caused by:|Driver stacktrace:|Traceback \(most recent call last\):|File "[^"]*", line \d+)/;

/**
 * The first line of an exception message — Spark and Databricks put the error on it and a plan,
 * hints or a stack trace on the lines after — continued while it ends with ":" ("Job aborted due to
 * stage failure:" then the cause), never into a stack frame; whitespace collapsed, cut to `max`.
 */
export function firstLine(text: string, max: number): string {
  const lines = text.split(/\r?\n/);
  let i = lines.findIndex((l) => l.trim() !== '' && !STACK_LINE.test(l));
  if (i < 0) return '';
  let out = lines[i]!.trim();
  while (out.endsWith(':') && i + 1 < lines.length && lines[i + 1]!.trim() !== '' && !STACK_LINE.test(lines[i + 1]!)) out += ` ${lines[++i]!.trim()}`;
  const oneLine = out.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/**
 * The flow that failed: the cause's own flow, else the flow whose last status is FAILED, else the
 * first flow_progress FAILED event's flow, else the first error naming a flow.
 */
function failingFlow(cause: ErrorInfo | null, errors: ErrorInfo[], flows: FlowRef[]): string | null {
  return (
    cause?.flowName ??
    flows.find((f) => f.finalStatus === 'FAILED')?.name ??
    errors.find((e) => e.flowName && e.flowStatus === 'FAILED')?.flowName ??
    errors.find((e) => e.flowName)?.flowName ??
    null
  );
}

export const rule = defineRule<Options, 'failedWith' | 'failed' | 'notPerformance'>({
  meta: {
    id: 'update-failed',
    category: 'none',
    severity: 'critical',
    description:
      'The update ended FAILED; names the failing flow and the first fatal exception. A failure on permissions, a missing table, a schema change, an analysis error or an expectation is not a performance problem: the diagnosis says so and proposes no compute or Spark change.',
    guideSection: 'docs',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-logs',
    requires: [],
    options,
    defaults: { maxMessageChars: 300 },
    messages: {
      failedWith: 'The update failed{{inFlow}}: {{exception}}: {{message}}',
      failed: 'The update failed; the event log holds no error event explaining why',
      notPerformance: 'The update failed on {{what}}{{inFlow}}: {{exception}}: {{message}}; not a performance problem',
    },
  },
  check(evidence, o) {
    if (evidence.update.state !== 'FAILED') return [];
    const state = { metric: 'update state', value: 'FAILED', unit: '', threshold: null, source: 'event_log:update_progress' };
    const cause = firstCause(evidence.errors, evidence.flows);
    if (cause === null) return [{ messageId: 'failed', strength: 1, evidence: [state], fixes: [] }];
    const message = firstLine(cause.message, o.maxMessageChars);
    const flow = failingFlow(cause.error, evidence.errors, evidence.flows);
    const inFlow = flow ? ` in flow ${flow}` : '';
    const kind = failureKind(evidence.errors, evidence.flows);
    const items = [
      state,
      { metric: 'first fatal exception', value: cause.className, unit: '', threshold: null, source: `event_log:${cause.error.eventType}` },
      ...(flow ? [{ metric: 'failing flow', value: flow, unit: '', threshold: null, source: 'event_log:flow_progress' }] : []),
    ];
    if (kind !== 'other') {
      const words = KINDS.find((k) => k.kind === kind)!.words;
      return [
        {
          messageId: 'notPerformance',
          data: { what: words, inFlow, exception: cause.className, message: message.replace(/[.;:\s]+$/, '') },
          strength: 1,
          evidence: [...items, { metric: 'failure kind', value: kind, unit: '', threshold: null, source: 'event_log:errors' }],
          fixes: [],
          rulesOut: ['compute'],
        },
      ];
    }
    return [
      {
        messageId: 'failedWith',
        data: { inFlow, exception: cause.className, message, ...(cause.error.fatal ? {} : { fatal: 'no' }) },
        strength: 1,
        evidence: items,
        fixes: [],
      },
    ];
  },
});
