/**
 * Building an evidence bundle from the chain: the subject's requests and their steps from the suite's logs, the
 * attestations they drew from, and every transaction involved with its receipt and its block's header.
 */
import type { JsonRpcApiProvider } from "ethers";
import type { DeploymentRecord } from "../deployment";
import { EVIDENCE_FORMAT } from "./bundle-format";
import type {
  BlockEvidence,
  EvidenceBundle,
  EvidenceSubject,
  RequestEvidence,
  RpcReceipt,
  TransactionEvidence,
} from "./bundle-format";
import { readBlockHeader, readReceipt, readSignedTransaction } from "./chain-reader";
import type { DeliveryPackage } from "./delivery-package";
import { encodeReceipt } from "./receipt-encoding";
import type { EvidenceContract } from "./suite-events";
import { readAttestationLogs, readRequestSteps, readSubmissions } from "./suite-logs";
import type { SuiteLogSource } from "./suite-logs";
import { attestationEvidenceOf, requestEvidenceOf } from "./trail";
import type { SuiteLog } from "./trail";

/** What {@link buildEvidenceBundle} needs. */
export interface BuildEvidenceOptions {
  /** A JSON-RPC provider of the deployment's chain. */
  provider: JsonRpcApiProvider;
  deployment: DeploymentRecord;
  /** Every request of a case (by its caseRef hash), or one request (by its id). */
  subject: EvidenceSubject;
  /** Packages of deliveries of the subject's requests, whose records the bundle then proves. */
  deliveryPackages?: readonly DeliveryPackage[];
}

/** Thrown when no bundle can be built for the subject; the message says why. */
export class EvidenceError extends Error {
  override name = "EvidenceError";
}

/** Thrown when the chain holds no access request for the subject. */
export class EvidenceSubjectNotFoundError extends EvidenceError {
  override name = "EvidenceSubjectNotFoundError";
}

/**
 * Reads the subject's trail from the chain (eth_getLogs on the suite's contracts from the deployment's first
 * block) and returns its evidence bundle, JSON-serializable (format `dxl-evidence-v1`, see bundle-format.ts).
 * @throws EvidenceSubjectNotFoundError when the subject has no request; EvidenceError when the node is on another
 * chain or a delivery package names a delivery that is not in the subject's trail.
 */
export async function buildEvidenceBundle(options: BuildEvidenceOptions): Promise<EvidenceBundle> {
  const { provider, deployment, subject } = options;
  const deliveryPackages = options.deliveryPackages ?? [];
  await checkChain(provider, deployment.chainId);
  const source: SuiteLogSource = { provider, addresses: suiteAddresses(deployment), fromBlock: deployment.startBlock };

  const submissions = await readSubmissions(source, subject);
  if (submissions.length === 0) {
    throw new EvidenceSubjectNotFoundError(`no access request on chain ${deployment.chainId} for ${describe(subject)}`);
  }
  const steps = await readRequestSteps(
    source,
    submissions.map((log) => log.event.args.requestId as string),
  );
  const attestationLogs = await readAttestationLogs(source, attestationIdsOf(steps, deliveryPackages));
  const { transactions, blocks } = await readTransactions(provider, [...submissions, ...steps, ...attestationLogs]);

  const context = {
    accessGrants: source.addresses.AccessGrants,
    signedTransactionOf: (hash: string) => transactions[hash].signed,
  };
  const requests = submissions.map((submitted) => requestEvidenceOf(submitted, steps, context));
  checkPackagesBelong(deliveryPackages, requests);
  return {
    format: EVIDENCE_FORMAT,
    chainId: deployment.chainId,
    contracts: source.addresses,
    startBlock: deployment.startBlock,
    subject,
    attestations: attestationLogs
      .filter((log) => log.event.name === "AttestationRecorded")
      .map((recorded) => attestationEvidenceOf(recorded, attestationLogs)),
    requests,
    deliveryPackages: [...deliveryPackages],
    transactions,
    blocks,
  };
}

async function checkChain(provider: JsonRpcApiProvider, chainId: number): Promise<void> {
  const nodeChainId = Number((await provider.getNetwork()).chainId);
  if (nodeChainId !== chainId) {
    throw new EvidenceError(`the deployment record is for chain ${chainId}, but the node reports chain ${nodeChainId}`);
  }
}

function suiteAddresses(deployment: DeploymentRecord): Record<EvidenceContract, string> {
  const address = (name: EvidenceContract) => {
    const entry = deployment.contracts[name];
    if (!entry) throw new EvidenceError(`the deployment of chain ${deployment.chainId} has no ${name}`);
    return entry.address.toLowerCase();
  };
  return { AccessGrants: address("AccessGrants"), AttestationRegistry: address("AttestationRegistry") };
}

function describe(subject: EvidenceSubject): string {
  return "caseRef" in subject ? `case ${subject.caseRef}` : `request ${subject.requestId}`;
}

/** The attestations deliveries drew from, and those the packages name. */
function attestationIdsOf(steps: readonly SuiteLog[], packages: readonly DeliveryPackage[]): string[] {
  const delivered = steps
    .filter((log) => log.event.name === "DeliveryRecorded")
    .map((log) => log.event.args.attestationId as string);
  return [...new Set([...delivered, ...packages.map((deliveryPackage) => deliveryPackage.attestationId)])];
}

/**
 * Each transaction that logged one of `logs`, signed, with its receipt; and each of their blocks with its header
 * and all its transactions and receipts (each read once, whether the bundle names it or not).
 */
async function readTransactions(provider: JsonRpcApiProvider, logs: readonly SuiteLog[]) {
  const hashes = [...new Set(logs.map((log) => log.logged.transactionHash))];
  const receipts = new Map(
    await Promise.all(hashes.map(async (hash) => [hash, await readReceipt(provider, hash)] as const)),
  );
  const blockHashes = [...new Set([...receipts.values()].map((receipt) => receipt.blockHash.toLowerCase()))];
  const read = new Map<string, TransactionEvidence>();
  const blocks = await Promise.all(blockHashes.map((blockHash) => readBlock(provider, blockHash, receipts, read)));
  return {
    transactions: Object.fromEntries(hashes.map((hash) => [hash, read.get(hash)!])),
    blocks: Object.fromEntries(blockHashes.map((blockHash, position) => [blockHash, blocks[position]])),
  };
}

/** A block's header, transactions and receipts; each transaction read lands in `read`. */
async function readBlock(
  provider: JsonRpcApiProvider,
  blockHash: string,
  knownReceipts: ReadonlyMap<string, RpcReceipt>,
  read: Map<string, TransactionEvidence>,
): Promise<BlockEvidence> {
  const { header, transactionHashes } = await readBlockHeader(provider, blockHash);
  const transactions = await Promise.all(
    transactionHashes.map(async (hash) => {
      const [signed, receipt] = await Promise.all([
        readSignedTransaction(provider, hash),
        knownReceipts.get(hash) ?? readReceipt(provider, hash),
      ]);
      read.set(hash, { ...signed, receipt });
      return read.get(hash)!;
    }),
  );
  return {
    header,
    transactions: transactions.map((transaction) => transaction.signed),
    receipts: transactions.map((transaction) => encodeReceipt(transaction.receipt)),
  };
}

function checkPackagesBelong(packages: readonly DeliveryPackage[], requests: readonly RequestEvidence[]): void {
  for (const deliveryPackage of packages) {
    const request = requests.find((candidate) => candidate.requestId === deliveryPackage.requestId.toLowerCase());
    const isDelivered = request?.deliveries.some((delivery) => delivery.deliveryId === deliveryPackage.deliveryId);
    if (!isDelivered) {
      throw new EvidenceError(
        `the delivery package of delivery ${deliveryPackage.deliveryId} of request ${deliveryPackage.requestId} ` +
          "is not part of this trail",
      );
    }
  }
}
