import { id, TypedDataEncoder } from "ethers";
import type { Database } from "../../indexer/store";
import { attestInBulk, deployOnNode, driveEveryEvent } from "./activity";
import type { Activity, Deployment } from "./activity";
import type { DatabaseTarget, TestDatabase } from "./databases";
import { ACCESS_REQUEST_TYPES, accessGrantsDomain } from "./eip712";
import { indexedUpTo, startTestIndexer } from "./indexer";
import { recordDigest, recordTree } from "./merkle";
import type { RecordTree } from "./merkle";
import { startHardhatNode } from "./node";
import type { NodeProcess } from "./node";

const DAY = 86_400;

/** How far the scenario moves the chain's clock between its two phases: past every first-phase window, and a month. */
export const TIME_JUMP_SECONDS = 40 * DAY;

/** Requests added to {driveEveryEvent}'s, one per status the API computes, by the status it ends in. */
export interface ScenarioRequests {
  /** Submitted with a one-day window and never decided: EXPIRED after the time jump. */
  pendingExpired: string;
  /** Approved with a one-day window: EXPIRED after the time jump. */
  approvedExpired: string;
  /** Submitted after the jump, undecided: PENDING. */
  pending: string;
  /** Approved, window opening ten days after the last block: APPROVED. */
  approvedFuture: string;
  /** One delivery allowed and made (acknowledged ACCEPTED): EXHAUSTED. */
  exhausted: string;
  /** A case with a telecom request and a bank request, each delivered once of three: both ACTIVE. */
  mixedCaseTelecom: string;
  mixedCaseBank: string;
  /** 50 requests for call records, one case each; the first five approved and delivered once (ACTIVE). */
  bulk: string[];
}

/** A batch attested with a real StandardMerkleTree of record digests. */
export interface TreeBatch {
  attestationId: bigint;
  tree: RecordTree;
  digests: string[];
}

/** The chain every API test reads: {driveEveryEvent}'s activity, then the scenario's own. */
export interface ApiChain {
  node: NodeProcess;
  deployment: Deployment;
  activity: Activity;
  requests: ScenarioRequests;
  /** Case labels, as hashed into caseRef with `id("case:" + label)`. */
  cases: { mixed: string };
  /** Eight records of call records, standing. */
  records: TreeBatch;
  /** Four records of call records, revoked. */
  revokedRecords: TreeBatch;
  /** A batch of the bank's transfers, for the bank's delivery. */
  transfersAttestationId: bigint;
}

/** An indexed copy of the chain in one database engine; the indexer has stopped. */
export interface ApiFixture extends ApiChain {
  handle: TestDatabase;
  db: Database;
  /** The last block indexed. */
  head: number;
}

/** The window and limit of a request to submit. */
interface RequestSpec {
  sourceId: string;
  caseLabel: string;
  notBefore: number;
  notAfter: number;
  maxDeliveries: number;
}

/**
 * Sends a transaction. The hardhat node mines each transaction as it arrives (automine) and answers a reverted one
 * with an error, so once it is sent its effects are in the chain: not polling for every receipt keeps the
 * scenario fast.
 */
async function sent(transaction: Promise<unknown>): Promise<void> {
  await transaction;
}

async function latestTimestamp(deployment: Deployment): Promise<number> {
  return (await deployment.provider.getBlock("latest"))!.timestamp;
}

/** Gas and fees given up front, so sending a transaction skips the estimates: a third of the calls to the node. */
type Overrides = { gasLimit: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

async function transactionOverrides(deployment: Deployment): Promise<Overrides> {
  const fees = await deployment.provider.getFeeData();
  return {
    gasLimit: 3_000_000n,
    maxFeePerGas: fees.maxFeePerGas! * 4n,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas!,
  };
}

/**
 * Submits the investigator's requests, the request nonces counted and the request ids (EIP-712 digests)
 * computed here. Returns the request ids in order.
 */
export async function submitRequests(deployment: Deployment, specs: readonly RequestSpec[]): Promise<string[]> {
  const { accessGrants } = deployment.suite;
  const requester = deployment.addresses.investigator;
  const [firstNonce, now, domain, overrides] = await Promise.all([
    accessGrants.nonces(requester),
    latestTimestamp(deployment),
    accessGrantsDomain(accessGrants),
    transactionOverrides(deployment),
  ]);
  const requestIds: string[] = [];
  for (const [offset, spec] of specs.entries()) {
    const request = {
      requester,
      sourceId: spec.sourceId,
      caseRef: id(`case:${spec.caseLabel}`),
      scopeHash: id(`scope:${spec.caseLabel}`),
      purpose: 1 + (offset % 3),
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      maxDeliveries: spec.maxDeliveries,
      nonce: firstNonce + BigInt(offset),
      deadline: now + 3_600,
    };
    requestIds.push(TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request));
    await sent(accessGrants.connect(deployment.signers.investigator).submitRequest(request, overrides));
  }
  return requestIds;
}

/** Attests `digests` as one batch of `sourceId` (its steward signs) and returns the batch with its tree. */
async function attestTree(
  deployment: Deployment,
  sourceId: string,
  digests: string[],
  overrides: Overrides,
): Promise<TreeBatch> {
  const { attestations, dataSources } = deployment.suite;
  const source = await dataSources.getSource(sourceId);
  const steward = source.organizationId === 1n ? deployment.signers.telecomSteward : deployment.signers.bankSteward;
  const chain = await attestations.getSourceChain(sourceId);
  const tree = recordTree(digests);
  // A source's first batch starts on 2025-01-01; later ones continue its chain's period.
  const periodStart = chain.chainLength === 0n ? 1_735_689_600n : chain.lastPeriodEnd;
  await sent(
    attestations.connect(steward).attest(
      {
        sourceId,
        merkleRoot: tree.root,
        recordCount: digests.length,
        periodStart,
        periodEnd: periodStart + 3_600n,
        previousAttestationId: chain.headAttestationId,
        dataURI: `ipfs://batches/${sourceId}/${chain.chainLength}`,
      },
      overrides,
    ),
  );
  return { attestationId: await attestations.attestationCount(), tree, digests };
}

/** Call records of `count` subscribers, as JSON records. */
function callRecordDigests(count: number, label: string): string[] {
  return Array.from({ length: count }, (_, index) =>
    recordDigest({ batch: label, msisdn: `+86138000000${index}`, calls: index * 7 }),
  );
}

/** Approves, records one delivery from `attestationId` and (optionally) accepts it. */
async function approveAndDeliver(
  deployment: Deployment,
  requestId: string,
  attestationId: bigint,
  steward: "telecomSteward" | "bankSteward",
  isAcknowledged: boolean,
  overrides: Overrides,
) {
  const { accessGrants } = deployment.suite;
  const { signers } = deployment;
  await sent(accessGrants.connect(signers[steward]).approve(requestId, overrides));
  await sent(
    accessGrants.connect(signers[steward]).recordDelivery(requestId, attestationId, id(requestId), 2, overrides),
  );
  if (isAcknowledged) {
    const deliveryId = await accessGrants.deliveryCount();
    await sent(accessGrants.connect(signers.investigator).acknowledgeDelivery(deliveryId, 1, 0, overrides));
  }
}

/** Moves the chain's clock forward and mines a block at the new time. */
async function jumpTime(deployment: Deployment, seconds: number): Promise<void> {
  await deployment.provider.send("evm_increaseTime", [seconds]);
  await deployment.provider.send("evm_mine", []);
}

/**
 * Builds the scenario on a new hardhat node: every event type ({driveEveryEvent}), requests that end in each
 * status, real Merkle batches (one revoked), a case spanning two holders, 50 more requests, and 120 bulk
 * attestations, in two phases 40 days apart, so the statistics span two months.
 */
export async function buildApiChain(): Promise<ApiChain> {
  const node = await startHardhatNode();
  const deployment = await deployOnNode(node.url);
  const activity = await driveEveryEvent(deployment);
  const { callRecords, transfers } = activity.sources;
  const { accessGrants } = deployment.suite;
  const { signers } = deployment;

  const overrides = await transactionOverrides(deployment);
  const before = await latestTimestamp(deployment);
  const shortWindow = (caseLabel: string) => ({
    sourceId: callRecords,
    caseLabel,
    notBefore: before,
    notAfter: before + DAY,
    maxDeliveries: 3,
  });
  const [pendingExpired, approvedExpired] = await submitRequests(deployment, [
    shortWindow("2024-HZ-0201"),
    shortWindow("2024-HZ-0202"),
  ]);
  await sent(accessGrants.connect(signers.telecomSteward).approve(approvedExpired, overrides));

  await jumpTime(deployment, TIME_JUMP_SECONDS);

  const records = await attestTree(deployment, callRecords, callRecordDigests(8, "standing"), overrides);
  const revokedRecords = await attestTree(deployment, callRecords, callRecordDigests(4, "revoked"), overrides);
  await sent(
    deployment.suite.attestations
      .connect(signers.telecomSteward)
      .revokeAttestation(revokedRecords.attestationId, "records of the wrong cell", overrides),
  );
  const transfersBatch = await attestTree(deployment, transfers, callRecordDigests(3, "transfers"), overrides);
  await attestInBulk(deployment, callRecords, 2, 60);

  const after = await latestTimestamp(deployment);
  const window = (sourceId: string, caseLabel: string, maxDeliveries = 3, opensInDays = 0) => ({
    sourceId,
    caseLabel,
    notBefore: after + opensInDays * DAY,
    notAfter: after + (opensInDays + 30) * DAY,
    maxDeliveries,
  });
  const mixed = "2025-HZ-0301";
  const [pending, approvedFuture, exhausted, mixedCaseTelecom, mixedCaseBank, ...bulk] = await submitRequests(
    deployment,
    [
      window(callRecords, "2025-HZ-0300"),
      window(callRecords, "2025-HZ-0302", 3, 10),
      window(callRecords, "2025-HZ-0303", 1),
      window(callRecords, mixed),
      window(transfers, mixed),
      ...Array.from({ length: 50 }, (_, index) => window(callRecords, `2025-BULK-${index}`)),
    ],
  );
  await sent(accessGrants.connect(signers.telecomSteward).approve(approvedFuture, overrides));
  await approveAndDeliver(deployment, exhausted, records.attestationId, "telecomSteward", true, overrides);
  await approveAndDeliver(deployment, mixedCaseTelecom, records.attestationId, "telecomSteward", true, overrides);
  await sent(accessGrants.connect(signers.supervisor).endorse(mixedCaseBank, overrides));
  await approveAndDeliver(deployment, mixedCaseBank, transfersBatch.attestationId, "bankSteward", false, overrides);
  for (const requestId of bulk.slice(0, 5)) {
    await approveAndDeliver(deployment, requestId, records.attestationId, "telecomSteward", false, overrides);
  }
  return {
    node,
    deployment,
    activity,
    requests: {
      pendingExpired,
      approvedExpired,
      pending,
      approvedFuture,
      exhausted,
      mixedCaseTelecom,
      mixedCaseBank,
      bulk,
    },
    cases: { mixed },
    records,
    revokedRecords,
    transfersAttestationId: transfersBatch.attestationId,
  };
}

/** Indexes the chain into `handle`, a new database, with the real indexer, then stops the indexer. */
export async function indexChain(chain: ApiChain, handle: TestDatabase): Promise<ApiFixture> {
  const head = await chain.deployment.provider.getBlockNumber();
  const indexer = await startTestIndexer(chain.node.url, chain.deployment.deploymentsFile, handle.database);
  try {
    await indexedUpTo(indexer, head);
  } finally {
    await indexer.stop();
  }
  return { ...chain, handle, db: handle.database, head };
}

let sharedChain: Promise<ApiChain> | undefined;
const sharedFixtures = new Map<string, Promise<ApiFixture>>();

/**
 * The scenario indexed into `target`, built once per test process and shared by every API suite: the chain
 * takes the longest to build, and the suites only read it. Torn down after the whole run (see below).
 */
export function apiFixture(target: DatabaseTarget): Promise<ApiFixture> {
  sharedChain ??= buildApiChain();
  let fixture = sharedFixtures.get(target.name);
  if (!fixture) {
    // Opening a database (PGlite's first initdb above all) overlaps with building the chain.
    const opened = target.open();
    fixture = Promise.all([sharedChain, opened]).then(([chain, handle]) => indexChain(chain, handle));
    sharedFixtures.set(target.name, fixture);
  }
  return fixture;
}

// A root hook: runs once after every suite of the run, whichever files used the fixture.
after(async function () {
  for (const fixture of sharedFixtures.values()) await (await fixture).handle.close();
  if (sharedChain) {
    const chain = await sharedChain;
    chain.deployment.provider.destroy();
    await chain.node.stop();
  }
});
