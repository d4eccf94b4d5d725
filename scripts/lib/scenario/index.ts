/**
 * The demo scenario `npm start` seeds: a telecom operator, a bank, a water and a power utility, the public
 * security bureau and an oversight office, their members, sources with JSON schemas, tens of thousands of attested
 * records with their proofs, and cases whose requests go every way a request can. The only door to
 * `scripts/lib/scenario/`.
 */
export {
  DEV_MNEMONIC_PHRASE,
  devWallet,
  SCENARIO_ACCOUNT_INDEXES,
  scenarioAccountAddress,
  scenarioAccounts,
} from "./accounts";
export type { ScenarioAccountName, ScenarioAccounts } from "./accounts";
export { CASES, EXPIRING_WINDOW_DAYS, Purpose, ReasonCode } from "./cases";
export type { ScenarioProgress, ScenarioStage } from "./context";
export { ScenarioError } from "./errors";
export { ORGANIZATIONS } from "./organizations";
export { RECORDS_START } from "./record-batches";
export { DEFAULT_RECORDS_PER_BATCH, DEFAULT_TOTAL_RECORDS, seedScenario } from "./seed";
export type { SeedScenarioOptions } from "./seed";
export { SOURCES } from "./sources";
export { readScenarioSummary, SUMMARY_FILE, SUMMARY_FORMAT, writeScenarioSummary } from "./summary";
export type {
  AttestationSummary,
  CaseSummary,
  DeliverySummary,
  OrganizationSummary,
  RequestSummary,
  ScenarioSummary,
  SourceSummary,
} from "./summary";
