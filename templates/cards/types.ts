/**
 * The subset of Adaptive Cards 1.5 this project renders for Teams (the highest version Teams
 * renders: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
 * test/fixtures/adaptive-card-1.5.schema.json validates exactly these shapes.
 */
export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  isVisible?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'default' | 'small' | 'medium' | 'large' | 'extraLarge';
  weight?: 'default' | 'lighter' | 'bolder';
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'default' | 'monospace';
  style?: 'default' | 'heading';
  maxLines?: number;
}
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'default' | 'lighter' | 'bolder';
  fontType?: 'default' | 'monospace';
  color?: TextColor;
  isSubtle?: boolean;
  italic?: boolean;
  size?: 'default' | 'small' | 'medium' | 'large' | 'extraLarge';
}
export interface RichTextBlock extends ElementBase { type: 'RichTextBlock'; inlines: (TextRun | string)[] }
export interface Fact { title: string; value: string }
export interface FactSet extends ElementBase { type: 'FactSet'; facts: Fact[] }
export interface Image extends ElementBase { type: 'Image'; url: string; altText?: string; size?: 'auto' | 'stretch' | 'small' | 'medium' | 'large' }
export interface Container extends ElementBase { type: 'Container'; items: CardElement[]; style?: ContainerStyle; bleed?: boolean }
export interface Column { type: 'Column'; items: CardElement[]; width?: 'auto' | 'stretch' | number; spacing?: Spacing; verticalContentAlignment?: 'top' | 'center' | 'bottom' }
export interface ColumnSet extends ElementBase { type: 'ColumnSet'; columns: Column[] }
export interface ActionSet extends ElementBase { type: 'ActionSet'; actions: CardAction[] }

/**
 * Teams' chart extension of Adaptive Cards (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards):
 * a vertical bar per data point; `fallback: 'drop'` where a host has no charts.
 */
export interface VerticalBarChart extends ElementBase {
  type: 'Chart.VerticalBar';
  title?: string;
  xAxisTitle?: string;
  yAxisTitle?: string;
  showBarValues?: boolean;
  data: { x: string; y: number; color?: string }[];
  fallback?: 'drop';
}

export type CardElement = TextBlock | RichTextBlock | FactSet | Image | Container | ColumnSet | ActionSet | VerticalBarChart;

/** What an Action.Submit button carries back (activity.value): the same ids and values as the Slack buttons. */
export type SubmitData =
  | { action: 'dlt_show_fixes' | 'dlt_compare' | 'dlt_rediagnose'; pipeline_id: string; update_id: string | null }
  | { action: 'dlt_apply'; pipeline_id: string; update_id: string | null; recommendation_id: string }
  | { action: 'dlt_apply_confirm'; pipeline_id: string; update_id: string | null; recommendation_id: string; last_modified: number | null }
  /** an alert card's "Mute 1 day": the bot runs `alerts mute <pipeline_id> <duration>` */
  | { action: 'dlt_mute'; pipeline_id: string; duration: string }
  /** an alert card's Acknowledge / Resolve / Unmute: the bot runs `alerts ack|resolve|unmute <pipeline_id>` */
  | { action: 'dlt_ack' | 'dlt_resolve' | 'dlt_unmute'; pipeline_id: string }
  /** a benchmark / A/B test plan's Start: the request, planned again and checked when pressed */
  | { action: 'dlt_experiment_start'; request: unknown }
  /** a running experiment's Cancel */
  | { action: 'dlt_experiment_cancel'; experiment_id: string };

interface ActionBase { title?: string; style?: 'default' | 'positive' | 'destructive'; id?: string }
export interface SubmitAction extends ActionBase { type: 'Action.Submit'; data: SubmitData }
export interface OpenUrlAction extends ActionBase { type: 'Action.OpenUrl'; url: string }
export interface ShowCardAction extends ActionBase { type: 'Action.ShowCard'; card: Omit<AdaptiveCard, 'version' | '$schema'> & { version?: string } }
export interface ToggleVisibilityAction extends ActionBase { type: 'Action.ToggleVisibility'; targetElements: string[] }
export type CardAction = SubmitAction | OpenUrlAction | ShowCardAction | ToggleVisibilityAction;

export interface AdaptiveCard {
  $schema?: string;
  type: 'AdaptiveCard';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  /** shown by clients that cannot render the card, and in notifications */
  fallbackText?: string;
  /** Teams extension: use the full message width */
  msteams?: { width: 'Full' };
}
