/**
 * What every command that talks to the chain shares: the node (`--rpc-url` / `DXL_RPC_URL`), the deployment record
 * (`--deployments` / `DXL_DEPLOYMENTS_DIR`, default `deployments/<chainId>.json`, checked against the node's chain
 * id) and the signing key (`DXL_PRIVATE_KEY`, or `--keystore FILE` / `DXL_KEYSTORE` unlocked with
 * `DXL_KEYSTORE_PASSWORD` or a password typed at a terminal prompt). Key and password are never printed, logged or
 * put in an error.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Writable } from "node:stream";
import type { Command } from "commander";
import type { JsonRpcProvider, Wallet } from "ethers";
import { accessGrantsDomain } from "../lib/access-request";
import type { AccessGrantsDomain } from "../lib/access-request";
import { connectSuite, deploymentPath, readDeployment } from "../lib/deployment";
import type { DeploymentRecord, Suite } from "../lib/deployment";
import { latestBlockTime } from "../lib/chain-time";
import { connectProvider, loadSigner } from "../lib/signer";
import { DxlError, registerSecret } from "./errors";
import { createOutput } from "./output";
import type { Output } from "./output";

/** The node dxl talks to when neither `--rpc-url` nor `DXL_RPC_URL` says otherwise. */
export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** The options {@link withConnectionOptions} and {@link withSignerOptions} add. */
export interface ConnectionOptions {
  rpcUrl?: string;
  deployments?: string;
  keystore?: string;
  json?: boolean;
}

/** A reachable node and its chain id. */
export interface Network {
  provider: JsonRpcProvider;
  chainId: number;
}

/** A command's view of the deployed suite, read-only. */
export interface SuiteContext {
  network: Network;
  record: DeploymentRecord;
  suite: Suite;
  output: Output;
}

/** A command's view of the deployed suite with a signing key: `suite` sends as `signer`. */
export interface SigningContext extends SuiteContext {
  signer: Wallet;
}

/** Adds `--rpc-url`, `--deployments` and `--json` to a command that reads the chain. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--rpc-url <url>", `JSON-RPC URL of the node (DXL_RPC_URL; default ${DEFAULT_RPC_URL})`)
    .option(
      "--deployments <path>",
      "the deployment record, or the folder of records (DXL_DEPLOYMENTS_DIR; default deployments/<chainId>.json)",
    )
    .option("--json", "print the result as one JSON object");
}

/** Adds the connection options and `--keystore` to a command that sends transactions or signs. */
export function withSignerOptions(command: Command): Command {
  return withConnectionOptions(command).option(
    "--keystore <file>",
    "encrypted JSON keystore of the signing key (DXL_KEYSTORE; password from DXL_KEYSTORE_PASSWORD or a prompt); " +
      "otherwise the key is DXL_PRIVATE_KEY",
  );
}

/** Connects to the node of `--rpc-url` / `DXL_RPC_URL` and reads its chain id. */
export async function connectNetwork(options: ConnectionOptions, env = process.env): Promise<Network> {
  const provider = await connectProvider(options.rpcUrl ?? env.DXL_RPC_URL ?? DEFAULT_RPC_URL);
  return { provider, chainId: Number(await provider.send("eth_chainId", [])) };
}

/** Where the deployment record of `chainId` is: `--deployments` (a file, or a folder of records), or the default. */
export function deploymentFileFor(chainId: number, options: ConnectionOptions, env = process.env): string {
  const given = options.deployments;
  if (given === undefined) return deploymentPath(chainId, env.DXL_DEPLOYMENTS_DIR || undefined);
  const isFolder = fs.existsSync(given) ? fs.statSync(given).isDirectory() : path.extname(given) !== ".json";
  return isFolder ? path.join(given, `${chainId}.json`) : given;
}

/** The deployment record for the node's chain. @throws DxlError when it is missing or of another chain. */
export function loadDeploymentRecord(network: Network, options: ConnectionOptions): DeploymentRecord {
  const file = deploymentFileFor(network.chainId, options);
  const record = readDeployment(file);
  if (!record) {
    throw new DxlError(
      `no deployment record for chain ${network.chainId}: ${file} does not exist (run dxl deploy, or name the ` +
        "record with --deployments)",
    );
  }
  if (record.chainId !== network.chainId) {
    throw new DxlError(
      `wrong network: the node is chain ${network.chainId}, the deployment is chain ${record.chainId}`,
    );
  }
  return record;
}

/** Connects to the node and the recorded suite, read-only. */
export async function openSuite(options: ConnectionOptions): Promise<SuiteContext> {
  const network = await connectNetwork(options);
  const record = loadDeploymentRecord(network, options);
  return {
    network,
    record,
    suite: connectSuite(record, network.provider),
    output: createOutput(Boolean(options.json)),
  };
}

/** Connects to the node and the recorded suite, with the signing key unlocked. */
export async function openSigningSuite(options: ConnectionOptions): Promise<SigningContext> {
  const context = await openSuite(options);
  const signer = await unlockSigner(context.network, options);
  return { ...context, signer, suite: connectSuite(context.record, signer) };
}

/** The EIP-712 domain of the recorded AccessGrants: what requests and endorsements are signed under. */
export async function accessGrantsDomainOf(context: SuiteContext): Promise<AccessGrantsDomain> {
  return accessGrantsDomain(context.network.chainId, await context.suite.accessGrants.getAddress());
}

/** The latest block's timestamp: "now" as the contracts see it (deadlines, windows). */
export async function chainTime(context: SuiteContext): Promise<bigint> {
  return latestBlockTime(context.network.provider);
}

/** The signing key of `--keystore` / `DXL_KEYSTORE`, or `DXL_PRIVATE_KEY`, connected to the node. */
export async function unlockSigner(network: Network, options: ConnectionOptions, env = process.env): Promise<Wallet> {
  const keystorePath = options.keystore ?? (env.DXL_KEYSTORE || undefined);
  // A --keystore flag wins over a key in the environment (flags over environment, as everywhere).
  const privateKey = options.keystore ? undefined : env.DXL_PRIVATE_KEY || undefined;
  const keystorePassword = keystorePath ? await keystorePasswordFor(keystorePath, env) : undefined;
  registerSecret(privateKey);
  registerSecret(keystorePassword);
  return loadSigner({ privateKey, keystorePath, keystorePassword }, network.provider);
}

async function keystorePasswordFor(keystorePath: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.DXL_KEYSTORE_PASSWORD !== undefined) return env.DXL_KEYSTORE_PASSWORD;
  if (!process.stdin.isTTY) return undefined;
  return promptHidden(`password for ${keystorePath}: `);
}

/** Asks on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const prompt = readline.createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => prompt.question(question, resolve));
  muted = true;
  const password = await answer;
  prompt.close();
  process.stderr.write("\n");
  return password;
}
