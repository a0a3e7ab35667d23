import { describe, expect, it } from 'vitest';
import { diagnosisToText } from '../../templates/diagnosis.js';
import { gapLines } from '../../templates/gaps.js';
import { renderDiagnosis } from '../../templates/blocks/diagnosis.js';
import { fakeDiagnosis, fakeDiagnosisReply } from '../support/fake-diagnosis.js';

describe('gaps in words (issue 17 item 9)', () => {
  const classic = fakeDiagnosis({ gaps: ['cost', 'node_metrics'] });
  const serverless = fakeDiagnosis({ pipeline: { id: 'p', name: 'events_serverless', serverless: true }, gaps: ['cluster_resources', 'node_metrics', 'cost'] });

  it('a classic pipeline names what was not read', () => {
    expect(gapLines(classic)).toEqual(['Not read: cost (system.billing), node metrics (system.compute.node_timeline)']);
  });

  it('a serverless pipeline has no cluster_resources or node metrics by design: not "missing"', () => {
    expect(gapLines(serverless)).toEqual(['Not read: cost (system.billing)', 'Not available on serverless: cluster_resources events, node metrics (system.compute.node_timeline)']);
  });

  it('no renderer says "missing:" any more', () => {
    expect(diagnosisToText(serverless)).toContain('Not available on serverless: cluster_resources events');
    expect(diagnosisToText(serverless)).not.toMatch(/missing/);
    expect(JSON.stringify(renderDiagnosis(fakeDiagnosisReply({ pipeline: serverless.pipeline, gaps: serverless.gaps })))).not.toMatch(/missing: /);
  });
});
