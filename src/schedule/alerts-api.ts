/** What the `alerts` and `apply` commands need from the running alert service (startAlerts). */
import type { ApplyService } from '../apply/apply-service.js';
import type { AlertStore } from '../store/alerts.js';

export interface AlertsApi {
  store: AlertStore;
  apply: ApplyService;
  /** after a mute: edit the parents of the pipeline's open incidents in this channel */
  onMuted(channel: string, pipelineId: string, untilMs: number, by: string | null): Promise<void>;
}
