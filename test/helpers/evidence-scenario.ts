import path from "node:path";
import { id } from "ethers";
import { caseRefOf } from "../../scripts/lib/access-request";
import { createDeliveryPackage, deliveryPayloadHash } from "../../scripts/lib/evidence";
import type { AccessRequestValues, DeliveryPackage } from "../../scripts/lib/evidence";
import {
  accessGrantsDomain,
  accessRequestStructHash,
  ACCESS_REQUEST_TYPES,
  ENDORSEMENT_TYPES,
} from "../../scripts/lib/evidence/typed-data";
import { buildRecordTree, recordDigestHex } from "../../scripts/lib/merkle";
import type { Json, RecordMerkleTree } from "../../scripts/lib/merkle";
import { Acknowledgement, Role, roleMask } from "../../scripts/lib/suite-values";
import { ERC1271WalletMock__factory } from "../../typechain-types";
import { deployOnNode, driveEveryEvent, mined } from "./activity";
import type { Activity, Deployment } from "./activity";
import { startHardhatNode } from "./node";
import type { NodeProcess } from "./node";

/** The case number the scenario's requests share; its caseRef is `caseRefOf` it: keccak256 of `case:<number>`. */
export const EVIDENCE_CASE = "2025-EV-0001";

/** A second case, whose one request a contract wallet (ERC-1271) signed. */
export const CONTRACT_WALLET_CASE = "2025-EV-0002";

/** Call records of the attested batch the case's deliveries draw from. */
export const CALL_RECORDS: Json[] = Array.from({ length: 6 }, (_, index) => ({
  msisdn: `+8613800000${index}`,
  calls: [{ to: `+8613900000${index}`, seconds: 30 + index, at: `2025-01-0${index + 1}T10:00:00Z` }],
}));

/** A case driven through every kind of step, on a real node. */
export interface EvidenceScenario {
  node: NodeProcess;
  deployment: Deployment;
  activity: Activity;
  /** The directory holding the deployment record, as `dxl evidence --deployments` takes it. */
  deploymentsDirectory: string;
  caseRef: string;
  attestationId: string;
  tree: RecordMerkleTree;
  requests: {
    /** Submitted by signature (relayed by governance), approved, two deliveries: one accepted, one disputed. */
    signed: string;
    /** Submitted directly for an endorsed source, endorsed by signature, approved, then revoked by an auditor. */
    endorsed: string;
    /** Submitted directly, rejected. */
    rejected: string;
    /** {CONTRACT_WALLET_CASE}'s request, signed by an ERC-1271 wallet that later stops accepting signatures. */
    byContractWallet: string;
  };
  deliveryPackages: DeliveryPackage[];
}

/**
 * Starts a hardhat node, deploys, runs {driveEveryEvent} for organizations, members and sources, then drives the
 * evidence case: a real record tree attested, requests by signature and directly, an endorsement by signature, an
 * approval, a rejection, two deliveries (accepted, disputed) and a revocation.
 */
export async function buildEvidenceScenario(): Promise<EvidenceScenario> {
  const node = await startHardhatNode();
  const deployment = await deployOnNode(node.url);
  const activity = await driveEveryEvent(deployment);
  const { attestationId, tree } = await attestRecords(deployment, activity.sources.callRecords);
  const caseRef = caseRefOf(EVIDENCE_CASE);
  const requests = await submitCaseRequests(deployment, activity, caseRef);
  await endorseBySignature(deployment, requests.endorsed.values);
  const { accessGrants } = deployment.suite;
  const { signers } = deployment;
  await mined(accessGrants.connect(signers.telecomSteward).approve(requests.signed.requestId));
  await mined(accessGrants.connect(signers.telecomSteward).reject(requests.rejected.requestId, 4));
  await mined(accessGrants.connect(signers.bankSteward).approve(requests.endorsed.requestId));
  await mined(accessGrants.connect(signers.auditor).revoke(requests.endorsed.requestId, 11));
  const deliver = (indexes: number[]) =>
    deliverRecords(deployment, { requestId: requests.signed.requestId, attestationId, tree, indexes });
  const deliveryPackages = [await deliver([0, 2, 3]), await deliver([5])];
  await acknowledgeInOneBlock(deployment, [
    { deliveryId: deliveryPackages[0].deliveryId, acknowledgement: Acknowledgement.ACCEPTED, reasonCode: 0 },
    { deliveryId: deliveryPackages[1].deliveryId, acknowledgement: Acknowledgement.DISPUTED, reasonCode: 7 },
  ]);
  const byContractWallet = await submitByContractWallet(deployment, activity);
  return {
    node,
    deployment,
    activity,
    deploymentsDirectory: path.dirname(deployment.deploymentsFile),
    caseRef,
    attestationId,
    tree,
    requests: {
      signed: requests.signed.requestId,
      endorsed: requests.endorsed.requestId,
      rejected: requests.rejected.requestId,
      byContractWallet,
    },
    deliveryPackages,
  };
}

/** Attests {CALL_RECORDS} as the call-records source's next batch, with the library's tree. */
async function attestRecords(deployment: Deployment, sourceId: string) {
  const attestations = deployment.suite.attestations.connect(deployment.signers.telecomSteward);
  const digests = await Promise.all(CALL_RECORDS.map((record) => recordDigestHex(record)));
  const tree = await buildRecordTree(digests);
  const chain = await attestations.getSourceChain(sourceId);
  await mined(
    attestations.attest({
      sourceId,
      merkleRoot: tree.root,
      recordCount: CALL_RECORDS.length,
      periodStart: chain.lastPeriodEnd,
      periodEnd: chain.lastPeriodEnd + 86_400n,
      previousAttestationId: chain.headAttestationId,
      dataURI: "ipfs://batches/call-records/evidence",
    }),
  );
  return { attestationId: String(await attestations.attestationCount()), tree };
}

/**
 * An ERC-1271 wallet (owned by the visitor account) joins the bureau as an investigator; its owner signs a request
 * of {CONTRACT_WALLET_CASE}, governance relays it, then the wallet stops accepting signatures.
 */
async function submitByContractWallet(deployment: Deployment, activity: Activity): Promise<string> {
  const { accessGrants, consortium } = deployment.suite;
  const { signers, addresses, provider } = deployment;
  const wallet = await new ERC1271WalletMock__factory(signers.visitor).deploy(addresses.visitor, true);
  await wallet.waitForDeployment();
  const requester = (await wallet.getAddress()).toLowerCase();
  await mined(
    consortium
      .connect(signers.bureauAdmin)
      .addMember(activity.organizations.bureau, requester, roleMask(Role.INVESTIGATOR)),
  );
  const now = (await provider.getBlock("latest"))!.timestamp;
  const values: AccessRequestValues = {
    requester,
    sourceId: activity.sources.callRecords,
    caseRef: caseRefOf(CONTRACT_WALLET_CASE),
    scopeHash: id(`scope:${CONTRACT_WALLET_CASE}`),
    purpose: "2",
    notBefore: String(now),
    notAfter: String(now + 10 * 86_400),
    maxDeliveries: "1",
    nonce: "0",
    deadline: String(now + 3_600),
  };
  const signature = await signers.visitor.signTypedData(await domainOf(deployment), ACCESS_REQUEST_TYPES, values);
  await mined(accessGrants.connect(signers.governance).submitSignedRequest(values, signature));
  await mined(wallet.setApproves(false));
  return accessGrants.requestIdOf(values);
}

/** The investigator's three requests of the case, in nonce order: by signature, then two directly. */
async function submitCaseRequests(deployment: Deployment, activity: Activity, caseRef: string) {
  const { accessGrants } = deployment.suite;
  const { signers, addresses, provider } = deployment;
  const now = (await provider.getBlock("latest"))!.timestamp;
  const firstNonce = await accessGrants.nonces(addresses.investigator);
  const domain = await domainOf(deployment);
  const request = (sourceId: string, offset: number): AccessRequestValues => ({
    requester: addresses.investigator,
    sourceId,
    caseRef,
    scopeHash: id(`scope:${EVIDENCE_CASE}:${offset}`),
    purpose: "1",
    notBefore: String(now),
    notAfter: String(now + 30 * 86_400),
    maxDeliveries: "3",
    nonce: String(firstNonce + BigInt(offset)),
    deadline: String(now + 3_600),
  });
  const withId = async (values: AccessRequestValues) => ({ values, requestId: await accessGrants.requestIdOf(values) });
  const signed = await withId(request(activity.sources.callRecords, 0));
  const signature = await signers.investigator.signTypedData(domain, ACCESS_REQUEST_TYPES, signed.values);
  await mined(accessGrants.connect(signers.governance).submitSignedRequest(signed.values, signature));
  const endorsed = await withId(request(activity.sources.transfers, 1));
  await mined(accessGrants.connect(signers.investigator).submitRequest(endorsed.values));
  const rejected = await withId(request(activity.sources.callRecords, 2));
  await mined(accessGrants.connect(signers.investigator).submitRequest(rejected.values));
  return { signed, endorsed, rejected };
}

/** The supervisor signs an Endorsement of `values`; the investigator relays it. */
async function endorseBySignature(deployment: Deployment, values: AccessRequestValues): Promise<void> {
  const { accessGrants } = deployment.suite;
  const { signers, addresses, provider } = deployment;
  const deadline = (await provider.getBlock("latest"))!.timestamp + 3_600;
  const endorsement = { requestHash: accessRequestStructHash(values), supervisor: addresses.supervisor, deadline };
  const signature = await signers.supervisor.signTypedData(await domainOf(deployment), ENDORSEMENT_TYPES, endorsement);
  await mined(accessGrants.connect(signers.investigator).endorseBySignature(endorsement, signature));
}

/** Records a delivery of the records at `indexes` and returns its package. */
async function deliverRecords(
  deployment: Deployment,
  delivery: { requestId: string; attestationId: string; tree: RecordMerkleTree; indexes: number[] },
): Promise<DeliveryPackage> {
  const { accessGrants } = deployment.suite;
  const records = delivery.indexes.map((index) => ({ index, record: CALL_RECORDS[index] }));
  const payloadHash = deliveryPayloadHash(records.map(({ record }) => record));
  await mined(
    accessGrants
      .connect(deployment.signers.telecomSteward)
      .recordDelivery(delivery.requestId, delivery.attestationId, payloadHash, records.length),
  );
  return createDeliveryPackage({ ...delivery, deliveryId: await accessGrants.deliveryCount(), records });
}

/**
 * The investigator acknowledges the deliveries in one block (automine off meanwhile), so the bundle holds a block
 * of several transactions, whose tries have more than one leaf.
 */
async function acknowledgeInOneBlock(
  deployment: Deployment,
  acknowledgements: { deliveryId: string; acknowledgement: number; reasonCode: number }[],
): Promise<void> {
  const accessGrants = deployment.suite.accessGrants.connect(deployment.signers.investigator);
  const { provider } = deployment;
  await provider.send("evm_setAutomine", [false]);
  try {
    const sent = [];
    for (const { deliveryId, acknowledgement, reasonCode } of acknowledgements) {
      sent.push(await accessGrants.acknowledgeDelivery(deliveryId, acknowledgement, reasonCode));
    }
    await provider.send("evm_mine", []);
    await Promise.all(sent.map((transaction) => transaction.wait()));
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
}

async function domainOf(deployment: Deployment) {
  const accessGrants = deployment.suite.accessGrants;
  return accessGrantsDomain((await deployment.provider.getNetwork()).chainId, await accessGrants.getAddress());
}

let sharedScenario: Promise<EvidenceScenario> | undefined;

/** The evidence scenario, built once per test process and shared by the evidence suites, which only read it. */
export function evidenceScenario(): Promise<EvidenceScenario> {
  sharedScenario ??= buildEvidenceScenario();
  return sharedScenario;
}

// A root hook: stops the node after every suite of the run, whichever files used the scenario.
after(async function () {
  if (!sharedScenario) return;
  const scenario = await sharedScenario;
  scenario.deployment.provider.destroy();
  await scenario.node.stop();
});
