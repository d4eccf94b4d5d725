/**
 * Reading a case's or a request's logs from the suite's contracts with `eth_getLogs`, filtered by indexed topics:
 * the chain is the only source, never the indexer's database.
 */
import { toBeHex, zeroPadValue } from "ethers";
import type { JsonRpcApiProvider } from "ethers";
import type { EvidenceSubject, RpcLog } from "./bundle-format";
import { readLogs } from "./chain-reader";
import { decodeLog, eventTopics } from "./suite-events";
import type { EvidenceContract } from "./suite-events";
import type { SuiteLog } from "./trail";

/** Where to read: the two contracts' addresses and the first block of the deployment. */
export interface SuiteLogSource {
  provider: JsonRpcApiProvider;
  addresses: Record<EvidenceContract, string>;
  fromBlock: number;
}

/** Events keyed by request id in their first indexed topic. */
const REQUEST_STEP_EVENTS = ["RequestEndorsed", "RequestApproved", "RequestRejected", "GrantRevoked"];
/** Events keyed by request id in their second indexed topic (the first is the delivery id). */
const DELIVERY_STEP_EVENTS = ["DeliveryRecorded", "DeliveryAcknowledged"];
const ATTESTATION_EVENTS = ["AttestationRecorded", "AttestationRevoked"];

/** The AccessRequested logs of the subject: every request of a case, or the one request. */
export async function readSubmissions(source: SuiteLogSource, subject: EvidenceSubject): Promise<SuiteLog[]> {
  const [accessRequested] = eventTopics("AccessGrants", ["AccessRequested"]);
  const topics =
    "caseRef" in subject ? [accessRequested, null, null, subject.caseRef] : [accessRequested, subject.requestId];
  return readDecoded(source, "AccessGrants", topics);
}

/** Every endorsement, decision, revocation, delivery and acknowledgement of the requests, in chain order. */
export async function readRequestSteps(source: SuiteLogSource, requestIds: readonly string[]): Promise<SuiteLog[]> {
  const [byRequest, byDelivery] = await Promise.all([
    readDecoded(source, "AccessGrants", [eventTopics("AccessGrants", REQUEST_STEP_EVENTS), [...requestIds]]),
    readDecoded(source, "AccessGrants", [eventTopics("AccessGrants", DELIVERY_STEP_EVENTS), null, [...requestIds]]),
  ]);
  return inChainOrder([...byRequest, ...byDelivery]);
}

/** The recording and any revocation of each attestation. */
export async function readAttestationLogs(
  source: SuiteLogSource,
  attestationIds: readonly string[],
): Promise<SuiteLog[]> {
  if (attestationIds.length === 0) return [];
  const idTopics = attestationIds.map((attestationId) => zeroPadValue(toBeHex(BigInt(attestationId)), 32));
  return readDecoded(source, "AttestationRegistry", [eventTopics("AttestationRegistry", ATTESTATION_EVENTS), idTopics]);
}

async function readDecoded(
  source: SuiteLogSource,
  contract: EvidenceContract,
  topics: (string | string[] | null)[],
): Promise<SuiteLog[]> {
  const logs = await readLogs(source.provider, {
    address: source.addresses[contract],
    topics,
    fromBlock: source.fromBlock,
  });
  return logs.flatMap((log) => {
    const event = decodeLog(contract, log);
    return event ? [{ contract, event, logged: referenceOf(log), blockNumber: Number(log.blockNumber) }] : [];
  });
}

function referenceOf(log: RpcLog) {
  return { transactionHash: log.transactionHash.toLowerCase(), logIndex: Number(log.logIndex) };
}

/** Merges the results of several queries in chain order. */
function inChainOrder(logs: SuiteLog[]): SuiteLog[] {
  return [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.logged.logIndex - b.logged.logIndex);
}
