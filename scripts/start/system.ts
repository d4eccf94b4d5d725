/**
 * The whole system on one machine, as `npm start` runs it: a chain (the local Anvil, or DXL_RPC_URL), the suite
 * deployed once and its record kept, the demo scenario seeded once, and the indexer and the GraphQL API in this
 * process on the embedded database. Everything kept lives in the state folder, so the next start resumes.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { JsonRpcProvider } from "ethers";
import { startApiServer } from "../../indexer/api/server";
import type { ApiServer } from "../../indexer/api/server";
import { loadIndexerConfig } from "../../indexer/config";
import { startIndexer } from "../../indexer/indexer";
import type { RunningIndexer } from "../../indexer/indexer";
import type { Logger } from "../../indexer/ops";
import { DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS, deploySuite, readDeployment, writeDeployment } from "../lib/deployment";
import type { DeploymentRecord } from "../lib/deployment";
import { scenarioAccounts } from "../lib/scenario";
import { connectProvider } from "../lib/signer";
import { shownPath } from "./banner";
import { answersJsonRpc, startLocalChain } from "./local-chain";
import type { StartOptions } from "./options";

/** Where each kept thing lives in the state folder. */
export interface StatePaths {
  chainState: string;
  deploymentsDir: string;
  scenarioDir: string;
  database: string;
  sessionSecret: string;
}

export function statePaths(stateDir: string): StatePaths {
  return {
    chainState: path.join(stateDir, "chain-state.json"),
    deploymentsDir: path.join(stateDir, "deployments"),
    scenarioDir: path.join(stateDir, "scenario"),
    database: path.join(stateDir, "db"),
    sessionSecret: path.join(stateDir, "session-secret"),
  };
}

/** What seeding needs: the chain, the suite's record and the folder for the scenario's files. */
export interface SeedContext {
  provider: JsonRpcProvider;
  deployment: DeploymentRecord;
  scenarioDir: string;
  options: StartOptions;
  progress(message: string): void;
}

/** Seeds the scenario on a fresh deployment, or reads what an earlier start seeded; returns its summary. */
export type ScenarioSeeder<Summary> = (context: SeedContext) => Promise<Summary>;

/** A started system. */
export interface RunningSystem<Summary> {
  chainUrl: string;
  /** Whether this start launched the local chain (rather than using DXL_RPC_URL). */
  startedChain: boolean;
  deployment: DeploymentRecord;
  deploymentFile: string;
  summary: Summary;
  api: ApiServer;
  indexer: RunningIndexer;
  sessionSecret: string;
  /** Stops the API, the indexer (after its open batch), the database and the local chain, in that order. */
  stop(): Promise<void>;
}

/** A reason `npm start` cannot go on, worth one line. */
export class StartError extends Error {
  override name = "StartError";
}

/** Starts everything; undoes what started if a later step fails. */
export async function startSystem<Summary>(
  options: StartOptions,
  seedScenario: ScenarioSeeder<Summary>,
  io: { logger: Logger; progress(message: string): void },
): Promise<RunningSystem<Summary>> {
  const paths = statePaths(options.stateDir);
  if (options.fresh) fs.rmSync(options.stateDir, { recursive: true, force: true });
  fs.mkdirSync(options.stateDir, { recursive: true });
  const undo: (() => Promise<void>)[] = [];
  try {
    const chain = await startChain(options, paths, io.progress);
    undo.unshift(chain.stop);
    const provider = await connectProvider(chain.url);
    undo.unshift(async () => provider.destroy());
    const { deployment, file } = await deployOrReuse(provider, paths, io.progress);
    const summary = await seedScenario({
      provider,
      deployment,
      scenarioDir: paths.scenarioDir,
      options,
      progress: io.progress,
    });
    io.progress(`indexing the chain into the embedded database (${shownPath(paths.database)}) and starting the API`);
    const indexer = await startIndexer(indexerConfig(chain.url, file, paths), { logger: io.logger, isTTY: false });
    undo.unshift(() => indexer.stop());
    const sessionSecret = keptSessionSecret(paths.sessionSecret);
    const api = await startApiServer({
      database: indexer.database,
      indexerStatus: () => indexer.sync.status(),
      host: "127.0.0.1",
      port: options.apiPort,
      sessionSecret,
      rpcUrl: chain.url,
      logger: io.logger,
    });
    undo.unshift(() => api.close());
    await caughtUp(indexer, provider);
    const stop = () => runAll(undo);
    return {
      chainUrl: chain.url,
      startedChain: chain.started,
      deployment,
      deploymentFile: file,
      summary,
      api,
      indexer,
      sessionSecret,
      stop,
    };
  } catch (error) {
    await runAll(undo);
    throw error;
  }
}

async function startChain(options: StartOptions, paths: StatePaths, progress: (message: string) => void) {
  if (options.rpcUrl) {
    progress(`using the node at DXL_RPC_URL`);
    return { url: options.rpcUrl, started: false, stop: async () => undefined };
  }
  const url = `http://127.0.0.1:${options.chainPort}`;
  if (await answersJsonRpc(url)) {
    throw new StartError(
      `a node already answers on ${url}: stop it, pick another port with --chain-port, or use it with DXL_RPC_URL`,
    );
  }
  const resumes = fs.existsSync(paths.chainState);
  progress(`${resumes ? "resuming" : "starting"} the local chain (Anvil, chain 31337) on ${url}`);
  const chain = await startLocalChain(options.chainPort, paths.chainState);
  return { url, started: true, stop: chain.stop };
}

/** The recorded deployment when its contracts are on this chain; a new one when there is no record. */
async function deployOrReuse(provider: JsonRpcProvider, paths: StatePaths, progress: (message: string) => void) {
  const chainId = Number((await provider.getNetwork()).chainId);
  const file = path.join(paths.deploymentsDir, `${chainId}.json`);
  const recorded = readDeployment(file);
  if (recorded?.contracts.AccessGrants) {
    const address = recorded.contracts.AccessGrants?.address;
    if (!address || (await provider.getCode(address)) === "0x") {
      throw new StartError(
        `the deployment recorded in ${file} is not on the chain at this URL: start over with npm start -- --fresh`,
      );
    }
    progress(`the suite is deployed (${file})`);
    return { deployment: recorded, file };
  }
  progress("deploying the contract suite");
  // The scenario's governance account (dev account 0): it registers the organizations after deploying.
  const governance = scenarioAccounts(provider).governance;
  fs.mkdirSync(paths.deploymentsDir, { recursive: true });
  const { record } = await deploySuite(governance, {
    adminTransferDelaySeconds: DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS,
    existing: recorded,
    onProgress: (partial) => writeDeployment(file, partial),
  });
  writeDeployment(file, record);
  return { deployment: record, file };
}

/** The in-process indexer: instant finality (a dev chain does not reorganize), no ops port of its own. */
function indexerConfig(rpcUrl: string, deploymentsFile: string, paths: StatePaths) {
  return loadIndexerConfig(
    [
      "--rpc-url",
      rpcUrl,
      "--deployments",
      deploymentsFile,
      "--data-dir",
      paths.database,
      "--finality",
      "instant",
      "--ops-port",
      "off",
      "--poll-interval",
      "250",
    ],
    {},
  );
}

/** The API's session key, kept so tokens survive a restart; created once, readable by its owner only. */
function keptSessionSecret(file: string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** Resolves once the indexer has indexed the block that was the head when called. */
async function caughtUp(indexer: RunningIndexer, provider: JsonRpcProvider, timeoutMs = 120_000): Promise<void> {
  const head = await provider.getBlockNumber();
  const deadline = Date.now() + timeoutMs;
  while ((indexer.sync.status().indexedBlock ?? -1) < head) {
    if (Date.now() > deadline) throw new StartError(`the indexer did not reach block ${head} within 2 minutes`);
    await Promise.race([indexer.done, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

async function runAll(steps: (() => Promise<void>)[]): Promise<void> {
  for (const step of steps) await step().catch(() => undefined);
}
