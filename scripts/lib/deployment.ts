import fs from "node:fs";
import path from "node:path";
import type { BaseContract, ContractRunner, Provider, Signer } from "ethers";
// One module a factory, not the typechain-types index: the index loads every artifact (mocks, OpenZeppelin's), about
// half a second of start-up for each command of the CLI.
import { AccessGrants__factory } from "../../typechain-types/factories/contracts/AccessGrants__factory";
import { AttestationRegistry__factory } from "../../typechain-types/factories/contracts/AttestationRegistry__factory";
import { Consortium__factory } from "../../typechain-types/factories/contracts/Consortium__factory";
import { DataSourceRegistry__factory } from "../../typechain-types/factories/contracts/DataSourceRegistry__factory";
import { IVersioned__factory } from "../../typechain-types/factories/contracts/interfaces/IVersioned__factory";
import type { AccessGrants, AttestationRegistry, Consortium, DataSourceRegistry } from "../../typechain-types";

/** The four contracts of the suite, in deployment order (each needs the ones before it). */
export const SUITE_CONTRACTS = ["Consortium", "DataSourceRegistry", "AttestationRegistry", "AccessGrants"] as const;
export type SuiteContractName = (typeof SUITE_CONTRACTS)[number];

/** One deployed contract, as recorded. */
export interface ContractRecord {
  address: string;
  version: string;
  blockNumber: number;
  transactionHash: string;
}

/** `deployments/<chainId>.json`: what the indexer, the CLI and the tests read to find the suite. */
export interface DeploymentRecord {
  chainId: number;
  deployer: string;
  /** First block holding a suite contract: where an indexer starts. */
  startBlock: number;
  adminTransferDelaySeconds: number;
  governance: { current: string; pending: string | null };
  contracts: Partial<Record<SuiteContractName, ContractRecord>>;
}

export interface Suite {
  consortium: Consortium;
  dataSources: DataSourceRegistry;
  attestations: AttestationRegistry;
  accessGrants: AccessGrants;
}

export interface DeployOptions {
  /** Seconds a governance handover waits between its two steps (OpenZeppelin default admin rules). */
  adminTransferDelaySeconds: number;
  /** Address to hand governance to (multisig, TimelockController); it accepts after the delay. */
  governance?: string;
  /** Record of an earlier run: contracts it holds are reused, not redeployed. */
  existing?: DeploymentRecord;
  /** Called after every contract, so an interrupted run resumes where it stopped. */
  onProgress?: (record: DeploymentRecord) => void;
}

/** Thrown when a deployment cannot go ahead; the message says why and what to do. */
export class DeploymentError extends Error {
  override name = "DeploymentError";
}

export const DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS = 86_400;

/** Path of the deployment record of a chain: `deployments/<chainId>.json`, or under `DXL_DEPLOYMENTS_DIR`. */
export function deploymentPath(
  chainId: number,
  directory = process.env.DXL_DEPLOYMENTS_DIR || path.resolve(__dirname, "../../deployments"),
): string {
  return path.join(directory, `${chainId}.json`);
}

/** Reads a deployment record, or returns undefined when there is none. */
export function readDeployment(file: string): DeploymentRecord | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecord;
  } catch (error) {
    throw new DeploymentError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Writes a deployment record atomically (temporary file, then rename). */
export function writeDeployment(file: string, record: DeploymentRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/**
 * Deploys and wires the suite with `deployer`, reusing every contract `options.existing` records, then
 * optionally starts the handover of governance. Returns the contract handles and the complete record.
 */
export async function deploySuite(
  deployer: Signer,
  options: DeployOptions,
): Promise<{ suite: Suite; record: DeploymentRecord }> {
  const provider = requireProvider(deployer);
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployerAddress = await deployer.getAddress();
  const record = options.existing ?? newRecord(chainId, deployerAddress, options.adminTransferDelaySeconds);
  if (record.chainId !== chainId) {
    throw new DeploymentError(
      `the deployment record is for chain ${record.chainId}, but the node reports chain ${chainId}`,
    );
  }
  await checkRecordedCode(provider, record);

  const deployOne = async (name: SuiteContractName, send: () => Promise<BaseContract>): Promise<string> => {
    const recorded = record.contracts[name];
    if (recorded) return recorded.address;
    const contract = await send();
    const transaction = contract.deploymentTransaction();
    const receipt = await transaction?.wait();
    if (!transaction || !receipt) throw new DeploymentError(`the ${name} deployment sent no transaction`);
    const address = await contract.getAddress();
    const version = await IVersioned__factory.connect(address, provider).version();
    record.contracts[name] = { address, version, blockNumber: receipt.blockNumber, transactionHash: transaction.hash };
    record.startBlock = Math.min(...Object.values(record.contracts).map((entry) => entry.blockNumber));
    options.onProgress?.(record);
    return address;
  };

  const consortium = await deployOne("Consortium", () =>
    new Consortium__factory(deployer).deploy(record.adminTransferDelaySeconds, deployerAddress),
  );
  const dataSources = await deployOne("DataSourceRegistry", () =>
    new DataSourceRegistry__factory(deployer).deploy(consortium),
  );
  const attestations = await deployOne("AttestationRegistry", () =>
    new AttestationRegistry__factory(deployer).deploy(consortium, dataSources),
  );
  await deployOne("AccessGrants", () =>
    new AccessGrants__factory(deployer).deploy(consortium, dataSources, attestations),
  );

  const suite = connectSuite(record, deployer);
  if (options.governance && record.governance.pending === null) {
    await handOverGovernance(suite.consortium, deployerAddress, options.governance);
    record.governance.pending = options.governance;
    options.onProgress?.(record);
  }
  return { suite, record };
}

/** Contract handles for a recorded deployment. */
export function connectSuite(record: DeploymentRecord, runner: ContractRunner): Suite {
  const address = (name: SuiteContractName) => {
    const entry = record.contracts[name];
    if (!entry) throw new DeploymentError(`the deployment of chain ${record.chainId} has no ${name}`);
    return entry.address;
  };
  return {
    consortium: Consortium__factory.connect(address("Consortium"), runner),
    dataSources: DataSourceRegistry__factory.connect(address("DataSourceRegistry"), runner),
    attestations: AttestationRegistry__factory.connect(address("AttestationRegistry"), runner),
    accessGrants: AccessGrants__factory.connect(address("AccessGrants"), runner),
  };
}

/**
 * Moves the pauser role from the deployer to the new governance and starts the delayed two-step admin transfer.
 * Each step is idempotent, so an interrupted handover is finished by running it again.
 */
async function handOverGovernance(consortium: Consortium, deployer: string, governance: string): Promise<void> {
  const pauserRole = await consortium.PAUSER_ROLE();
  await (await consortium.grantRole(pauserRole, governance)).wait();
  if (governance.toLowerCase() !== deployer.toLowerCase()) {
    await (await consortium.renounceRole(pauserRole, deployer)).wait();
  }
  await (await consortium.beginDefaultAdminTransfer(governance)).wait();
}

function newRecord(chainId: number, deployer: string, adminTransferDelaySeconds: number): DeploymentRecord {
  return {
    chainId,
    deployer,
    startBlock: 0,
    adminTransferDelaySeconds,
    governance: { current: deployer, pending: null },
    contracts: {},
  };
}

function requireProvider(signer: Signer): Provider {
  if (!signer.provider) throw new DeploymentError("the deployer signer is not connected to a provider");
  return signer.provider;
}

/** A record whose contracts are gone (the chain was reset) must not be silently reused or overwritten. */
async function checkRecordedCode(provider: Provider, record: DeploymentRecord): Promise<void> {
  for (const [name, entry] of Object.entries(record.contracts)) {
    if ((await provider.getCode(entry.address)) === "0x") {
      throw new DeploymentError(
        `${name} is recorded at ${entry.address} on chain ${record.chainId}, but the node has no code there ` +
          "(was the chain reset?); deploy again with DXL_REDEPLOY=1 to replace the record",
      );
    }
  }
}
