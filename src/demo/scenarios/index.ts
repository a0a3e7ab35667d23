/** Every demo scenario, in generation order (a pipeline's PRNG seed derives from its index here). */
import type { ScenarioDef } from '../generate/model.js';
import { ordersSilver, clickstreamEnrich } from './cpu.js';
import { customer360, billingFailed } from './memory.js';
import { iotIngest, ledgerNightly } from './io.js';
import { paymentsJoin } from './network.js';
import { inventoryMv, financeMonolith } from './planning.js';
import { marketingDaily } from './startup.js';
import { eventsBronze, legacySales, warehouseSync } from './scaling.js';
import { telemetryStream } from './backlog.js';
import { reportsGold, webSessionsServerless } from './none.js';

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
];
