import { z } from 'zod';
import type { BacklogSample, Evidence, FlowInfo } from '../evidence.js';
import type { EvidenceItem, FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { updateDurationS } from './pipeline-facts.js';
import { strengthPast } from './stats.js';
import { streamSource } from './stream-source.js';
import { formatDuration } from '../format.js';

const options = z.object({
  /** a backlog must hold at least this many files */
  minFiles: z.number().int().positive(),
  /** …with an average size (backlog_bytes / backlog_files) below this many bytes */
  maxAvgFileBytes: z.number().positive(),
  /** an Auto Loader listing of at least this many files… */
  minListingFiles: z.number().int().positive(),
  /** …that takes at least this long (ms) is reported even without sizes */
  minListingMs: z.number().nonnegative(),
  /** listings adding up to this share of the running phase… */
  minListingShare: z.number().min(0).max(1),
  /** …and at least this long in total (ms) make the update listing-bound */
  minListingTotalMs: z.number().nonnegative(),
});
type Options = z.infer<typeof options>;

const MIB = 1024 * 1024;

/** Auto Loader reads the flow (stream-source.ts); without a flow, the update logged Auto Loader listings. */
function readsAutoLoader(evidence: Evidence, flow: FlowInfo | null): boolean {
  return flow === null ? evidence.autoLoader.length > 0 : streamSource(flow, evidence) === 'autoloader';
}

export const rule = defineRule<Options, 'smallFiles' | 'slowListing' | 'listingBound'>({
  meta: {
    id: 'small-files',
    category: 'io',
    severity: 'warning',
    description: "A source hands the pipeline many small files (flow backlog_files with a small average size), or Auto Loader spends long listing a huge directory: per-file overhead dominates the reads.",
    guideSection: '2.2, 7.1, 9.2, 9.3',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['flows'],
    options,
    defaults: { minFiles: 10_000, maxAvgFileBytes: MIB, minListingFiles: 10_000, minListingMs: 60_000, minListingShare: 0.2, minListingTotalMs: 300_000 },
    messages: {
      smallFiles: 'Flow {{flow}} had {{files}} files waiting with an average size of {{avgKb}} KB',
      slowListing: 'Auto Loader listed {{files}} in {{seconds}} s',
      listingBound: 'Auto Loader spent {{minutes}} min listing its source directory ({{percent}}% of the running phase; longest listing {{worst}}): file discovery, not processing, set the pace',
    },
  },
  check(evidence, o) {
    // The backlog sample with the most small files, across flows.
    let worst: { flow: FlowInfo; sample: BacklogSample & { files: number; bytes: number } } | null = null;
    for (const flow of evidence.flows) {
      for (const s of flow.backlog) {
        if (s.files === null || s.bytes === null || s.files < o.minFiles) continue;
        if (s.bytes / s.files >= o.maxAvgFileBytes) continue;
        if (worst === null || s.files > worst.sample.files) worst = { flow, sample: { ...s, files: s.files, bytes: s.bytes } };
      }
    }
    // a long listing counts with many files listed, or when the event does not say how many
    const listing = evidence.autoLoader
      .filter((l) => (l.numFilesListed === null || l.numFilesListed >= o.minListingFiles) && (l.durationMs ?? 0) >= o.minListingMs)
      .sort((a, b) => b.durationMs! - a.durationMs!)[0];
    const listingEvidence: EvidenceItem[] = listing
      ? [
          ...(listing.numFilesListed !== null
            ? [{ metric: 'Auto Loader files listed', value: listing.numFilesListed, unit: 'files', threshold: o.minListingFiles, source: 'event_log:operation_progress' }]
            : []),
          { metric: 'Auto Loader listing duration', value: Math.round(listing.durationMs! / 1000), unit: 's', threshold: o.minListingMs / 1000, source: 'event_log:operation_progress' },
        ]
      : [];

    if (worst !== null) {
      const { flow, sample } = worst;
      const avg = sample.bytes / sample.files;
      const fixes: FixRequest[] = readsAutoLoader(evidence, flow)
        ? [{ id: 'autoloader-max-files', params: { flow: flow.name } }, { id: 'autoloader-notifications', params: { flow: flow.name } }, { id: 'optimize-write' }, { id: 'predictive-optimization' }]
        : [{ id: 'optimize-write' }, { id: 'auto-compact' }, { id: 'predictive-optimization' }];
      return [
        {
          messageId: 'smallFiles',
          data: { flow: flow.name, files: sample.files, avgKb: Math.round(avg / 1024) },
          strength: Math.max(strengthPast(sample.files, o.minFiles, 10 * o.minFiles), strengthPast(avg, o.maxAvgFileBytes, 0) * 0.9),
          evidence: [
            { metric: `${flow.name} backlog_files`, value: sample.files, unit: 'files', threshold: o.minFiles, source: 'event_log:flow_progress' },
            { metric: `${flow.name} average backlog file size`, value: Math.round(avg), unit: 'bytes', threshold: o.maxAvgFileBytes, source: 'event_log:flow_progress' },
            ...listingEvidence,
          ],
          fixes,
        },
      ];
    }
    if (listing) {
      // Directory listing is file discovery: the stream reads nothing new while it lists (§9.2). A
      // listing that takes a good part of the running phase is what the update waits on.
      const runningS = evidence.update.phasesS.running ?? updateDurationS(evidence.update) ?? 0;
      const listedMs = evidence.autoLoader.reduce((sum, l) => sum + (l.durationMs ?? 0), 0);
      const share = runningS > 0 ? Math.min(1, listedMs / 1000 / runningS) : 0;
      const waitsOnListing = share >= o.minListingShare && listedMs >= o.minListingTotalMs;
      return [
        {
          messageId: waitsOnListing ? 'listingBound' : 'slowListing',
          data: {
            worst: `${listing.numFilesListed !== null ? `${listing.numFilesListed.toLocaleString('en-US')} files in ` : ''}${formatDuration(listing.durationMs! / 1000)}`,
            files: listing.numFilesListed !== null ? `${listing.numFilesListed.toLocaleString('en-US')} files` : 'its files',
            seconds: Math.round(listing.durationMs! / 1000),
            minutes: Math.round(listedMs / 60_000),
            percent: Math.round(share * 100),
          },
          severity: waitsOnListing ? (share >= 2 * o.minListingShare ? 'critical' : 'warning') : 'info',
          strength: waitsOnListing ? strengthPast(share, o.minListingShare, 0.6) : strengthPast(listing.durationMs!, o.minListingMs, 10 * o.minListingMs),
          evidence: [
            ...listingEvidence,
            { metric: 'Auto Loader listing time, whole update', value: Math.round(listedMs / 1000), unit: 's', threshold: o.minListingTotalMs / 1000, source: 'event_log:operation_progress' },
            { metric: 'share of the running phase spent listing', value: Math.round(share * 100), unit: '%', threshold: o.minListingShare * 100, source: 'event_log:operation_progress' },
          ],
          fixes: [{ id: 'autoloader-notifications' }],
        },
      ];
    }
    return [];
  },
});
