/** Shared pieces of scenario definitions. */

/** A plain scan plan, for flows whose definition has no telling explain_text. */
export const explainScan = (table: string, cols: string): string =>
  `== Physical Plan ==\n*(1) Project [${cols}]\n+- *(1) Filter isnotnull(${cols.split(',')[0]?.trim() ?? 'id'})\n   +- *(1) ColumnarToRow\n      +- FileScan parquet ${table}[${cols}] Batched: true, DataFilters: [], Format: Parquet, PushedFilters: [IsNotNull], ReadSchema: struct<...>`;
