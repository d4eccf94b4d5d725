/** The scenario's data sources, in registration order. The only door to `sources/`. */
import type { SourcePlan } from "../source-plan";
import { accounts, transfers } from "./bank";
import { callRecords, cellLocations, subscribers } from "./telecom";
import { powerSources, waterSources } from "./utilities";

/** Every source of the scenario; their shares of the records add up to 1. */
export const SOURCES: readonly SourcePlan[] = [
  subscribers,
  callRecords,
  cellLocations,
  accounts,
  transfers,
  ...waterSources,
  ...powerSources,
];
