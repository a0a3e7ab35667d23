/** What the `alerts` and `apply` commands need from the running alert service (startAlerts). */
import type { ApplyService } from '../apply/apply-service.js';
import type { AlertStore } from '../store/alerts.js';

export interface AlertsApi {
  store: AlertStore;
  apply: ApplyService;
  /** after a mute: edit the parents of the pipeline's open incidents in this channel */
  onMuted(channel: string, pipelineId: string, untilMs: number, by: string | null): Promise<void>;
  /** acknowledge, resolve or unmute the pipeline's active alerts in this channel ('*': all); returns how many changed */
  onIncidentAction(channel: string, pipelineId: string, action: IncidentAction, by: string | null): Promise<number>;
}

export type IncidentAction = 'acknowledge' | 'resolve' | 'unmute';
