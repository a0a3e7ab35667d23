/** Reply → Block Kit, one renderer per Reply kind. */
import type { Reply } from '../../commands/types.js';
import type { SlackPayload } from './types.js';
import { renderDiagnosis, type DiagnosisRenderOptions } from './diagnosis.js';
import { renderPipelines } from './pipelines.js';
import { renderCompare } from './compare.js';
import { renderSize } from './size.js';
import { renderHelp } from './help.js';
import { renderError } from './error.js';
import { renderText } from './text.js';
import { renderRules } from './rules.js';
import { renderCost, renderDigest } from './digest.js';
import { renderApplyPreview } from './alerts.js';
import { renderExperimentPlan, renderExperimentResult } from './experiment.js';

export function toBlocks(reply: Reply, options: DiagnosisRenderOptions = {}): SlackPayload {
  switch (reply.kind) {
    case 'diagnosis':
      return renderDiagnosis(reply, options);
    case 'pipelines':
      return renderPipelines(reply);
    case 'compare':
      return renderCompare(reply);
    case 'size':
      return renderSize(reply);
    case 'help':
      return renderHelp(reply);
    case 'error':
      return renderError(reply);
    case 'text':
      return renderText(reply);
    case 'rules':
      return renderRules(reply);
    case 'digest':
      return renderDigest(reply);
    case 'cost':
      return renderCost(reply);
    case 'apply-preview':
      return renderApplyPreview({ pipelineId: reply.pipeline.id, pipelineName: reply.pipeline.name, updateId: reply.updateId, recommendationId: reply.recommendation.id, title: reply.recommendation.title, guideSection: reply.recommendation.guideSection, diff: reply.diff, lastModified: reply.lastModified, expectedEffect: reply.recommendation.expectedEffect, risk: reply.recommendation.risk });
    case 'experiment-plan':
      return renderExperimentPlan(reply);
    case 'experiment-result':
      return renderExperimentResult(reply);
  }
}

export { splitForSlack, limitViolations, messageTextLength } from './split.js';
export type { Block, SlackPayload, ButtonValue } from './types.js';
export { SLACK_LIMITS } from './limits.js';
