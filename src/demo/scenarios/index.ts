/** Every demo scenario, in generation order (a pipeline's PRNG seed derives from its index here). */
import type { ScenarioDef } from '../generate/model.js';
import { ordersSilver, clickstreamEnrich } from './cpu.js';
import { customer360, billingFailed, claimsAdjudication, portfolioRiskDaily } from './memory.js';
import { iotIngest, ledgerNightly } from './io.js';
import { paymentsJoin, marketplaceSellerStats } from './network.js';
import { inventoryMv, financeMonolith } from './planning.js';
import { marketingDaily, parcelGeocoding } from './startup.js';
import { eventsBronze, legacySales, warehouseSync, storePosIngest } from './scaling.js';
import { telemetryStream } from './backlog.js';
import { reportsGold, webSessionsServerless, factSalesDaily, subscriptionsSilver, revenueRecognition } from './none.js';

export const SCENARIOS: readonly ScenarioDef[] = [
  ordersSilver,
  clickstreamEnrich,
  customer360,
  iotIngest,
  paymentsJoin,
  inventoryMv,
  financeMonolith,
  marketingDaily,
  eventsBronze,
  legacySales,
  telemetryStream,
  reportsGold,
  webSessionsServerless,
  ledgerNightly,
  warehouseSync,
  billingFailed,
  // issue 12: the classes the engine must generalize to (appended, so the pipelines above keep their seeds)
  factSalesDaily,
  subscriptionsSilver,
  claimsAdjudication,
  portfolioRiskDaily,
  parcelGeocoding,
  storePosIngest,
  revenueRecognition,
  marketplaceSellerStats,
];
