/**
 * The entry of the demo scenario: seeds a freshly deployed suite on a development chain with the organizations,
 * sources, attested record batches and cases of a city's data exchange, and writes what it did to
 * `<dataDir>/summary.json`.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { JsonRpcProvider } from "ethers";
import type { Suite } from "../deployment";
import { SCENARIO_ACCOUNT_INDEXES } from "./accounts";
import type { ScenarioAccountName, ScenarioAccounts } from "./accounts";
import { attestBatches } from "./attest-batches";
import { EXPIRING_WINDOW_DAYS } from "./cases";
import { advanceClockPast, latestBlockTime, nextMidnight, startClockAt } from "./clock";
import type { ScenarioContext, ScenarioProgress } from "./context";
import { ScenarioError } from "./errors";
import { withExpectedStatuses } from "./expected-status";
import { fundActors } from "./funding";
import { generateRecordBatches } from "./record-batches";
import type { RecordVolume } from "./record-batches";
import { organizationIdsOf, registerOrganizations } from "./register-organizations";
import { registerSources } from "./register-sources";
import { runCases } from "./run-cases";
import { SOURCES } from "./sources";
import { summarize, writeScenarioSummary } from "./summary";
import type { ScenarioSummary } from "./summary";
import { TransactionSender } from "./transactions";
import { accessGrantsDomain } from "./typed-data";

/** Records seeded when no count is given: tens of thousands, as a city's month of exports would hold. */
export const DEFAULT_TOTAL_RECORDS = 40_000;
/** Records per attested batch when no size is given. */
export const DEFAULT_RECORDS_PER_BATCH = 1_000;

const DAY = 86_400;

/** What {@link seedScenario} needs. */
export interface SeedScenarioOptions {
  /** The development node (Hardhat or Anvil): the scenario sets its clock. */
  provider: JsonRpcProvider;
  /** A freshly deployed suite, governed by the `governance` account (e.g. `connectSuite(record, provider)`). */
  suite: Suite;
  /** The actors' funded dev accounts (see `scenarioAccounts`). */
  accounts: ScenarioAccounts;
  /** The same seed (and start) gives the same records, roots and ids on a fresh chain. */
  seed: number;
  /** How many records all sources hold together (default {@link DEFAULT_TOTAL_RECORDS}). */
  totalRecords?: number;
  /** Records per attested batch (default {@link DEFAULT_RECORDS_PER_BATCH}). */
  recordsPerBatch?: number;
  /**
   * The instant (unix seconds) the scenario's clock starts at: request windows open there, so request ids depend
   * on it. It must lie ahead of the chain's time. Default: the next midnight (UTC) after the chain's latest block,
   * so seedings of fresh chains on the same day agree.
   */
  startTime?: number;
  /** Where schemas, record batches, proofs, delivery payloads and `summary.json` are written. */
  dataDir: string;
  /** Told after each step. */
  onProgress?: (progress: ScenarioProgress) => void;
}

/**
 * Seeds the scenario: organizations and members, sources and their schemas, attested record batches with their
 * files, then the cases with their requests, endorsements, decisions, deliveries, a dispute, a revocation and an
 * expiry (the chain's clock is moved forward: a development chain only).
 * @returns the summary, also written to `<dataDir>/summary.json`.
 * @throws ScenarioError for bad options or a suite that already holds organizations.
 */
export async function seedScenario(options: SeedScenarioOptions): Promise<ScenarioSummary> {
  const startedAt = performance.now();
  const volume = volumeOf(options);
  const context = await createContext(options);
  await checkFreshSuite(context);
  const seeded = await seedChain(context, options, volume);
  const summary = summarize({
    seed: options.seed,
    recordsPerBatch: volume.recordsPerBatch,
    ...seeded,
    transactions: context.sender.count,
    durationMs: Math.round(performance.now() - startedAt),
  });
  const file = writeScenarioSummary(context.dataDir, summary);
  context.report("summary", `seeded in ${(summary.durationMs / 1000).toFixed(1)} s; summary in ${file}`);
  return summary;
}

/** Every step on the chain, in order, from setting the clock to the expiry. */
async function seedChain(context: ScenarioContext, options: SeedScenarioOptions, volume: RecordVolume) {
  const { provider, suite } = options;
  const chainId = Number((await provider.getNetwork()).chainId);
  const start = options.startTime ?? nextMidnight(await latestBlockTime(provider));
  await startClockAt(provider, start);
  await fundActors(context);
  const organizations = await registerOrganizations(context);
  const sources = await registerSources(context, organizationIdsOf(organizations));
  const batches = await generateRecordBatches(context, volume);
  const { attested, attestations } = await attestBatches(context, batches, sources);
  const domain = await accessGrantsDomain(suite, chainId);
  const { cases, deliveries } = await runCases({ context, domain, start, batches: attested, sources });
  const end = await advanceClockPast(provider, start + EXPIRING_WINDOW_DAYS * DAY);
  context.report("expiry", `the chain's clock moved ${Math.round((end - start) / 3600)} hours past the start`);
  await context.sender.settle();
  const contracts = await contractAddresses(suite);
  const clock = { start, end };
  return {
    chainId,
    contracts,
    clock,
    organizations,
    sources,
    attestations,
    deliveries,
    cases: withExpectedStatuses(cases, end),
  };
}

/** The options' record volume, checked. */
function volumeOf(options: SeedScenarioOptions): RecordVolume {
  const volume = {
    totalRecords: options.totalRecords ?? DEFAULT_TOTAL_RECORDS,
    recordsPerBatch: options.recordsPerBatch ?? DEFAULT_RECORDS_PER_BATCH,
  };
  if (!Number.isSafeInteger(options.seed)) throw new ScenarioError(`seed must be a whole number, not ${options.seed}`);
  if (!Number.isSafeInteger(volume.totalRecords) || volume.totalRecords < SOURCES.length * 20) {
    throw new ScenarioError(`totalRecords must be a whole number of at least ${SOURCES.length * 20}`);
  }
  if (!Number.isSafeInteger(volume.recordsPerBatch) || volume.recordsPerBatch < 1) {
    throw new ScenarioError(`recordsPerBatch must be a whole number of at least 1`);
  }
  return volume;
}

async function createContext(options: SeedScenarioOptions): Promise<ScenarioContext> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const names = Object.keys(SCENARIO_ACCOUNT_INDEXES) as ScenarioAccountName[];
  const addresses = await Promise.all(names.map((name) => options.accounts[name].getAddress()));
  return {
    suite: options.suite,
    accounts: options.accounts,
    addresses: Object.fromEntries(names.map((name, index) => [name, addresses[index]])) as ScenarioContext["addresses"],
    sender: await TransactionSender.create(options.provider),
    seed: options.seed,
    dataDir,
    report: (stage, message) => options.onProgress?.({ stage, message }),
  };
}

/** The scenario numbers organizations, sources and attestations from a fresh suite's first ids. */
async function checkFreshSuite(context: ScenarioContext): Promise<void> {
  const organizationCount = await context.suite.consortium.organizationCount();
  if (organizationCount > 0n) {
    throw new ScenarioError(
      `the suite already has ${organizationCount} organizations: the scenario seeds a freshly deployed suite`,
    );
  }
}

async function contractAddresses(suite: Suite): Promise<ScenarioSummary["contracts"]> {
  const [consortium, dataSources, attestations, accessGrants] = await Promise.all([
    suite.consortium.getAddress(),
    suite.dataSources.getAddress(),
    suite.attestations.getAddress(),
    suite.accessGrants.getAddress(),
  ]);
  return { consortium, dataSources, attestations, accessGrants };
}
