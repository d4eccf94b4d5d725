import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { consortiumScenario, DAY, now } from "./suite";
import type { ConsortiumScenario } from "./suite";

export const HOUR = 3_600;

/** Records in the batch that {attestedScenario} attests for `callRecords`. */
export const ATTESTED_RECORD_COUNT = 100;

/** An access request with every field resolved: what the tests build, sign, submit and compare. */
export type AccessRequestValues = {
  requester: string;
  sourceId: string;
  caseRef: string;
  scopeHash: string;
  purpose: number;
  notBefore: number;
  notAfter: number;
  maxDeliveries: number;
  nonce: bigint;
  deadline: number;
};

/** The ABI of {IAccessGrants.AccessRequest}, to compare a decoded event argument with an expected request. */
const ACCESS_REQUEST_TUPLE =
  "tuple(address requester,bytes32 sourceId,bytes32 caseRef,bytes32 scopeHash,uint8 purpose,uint64 notBefore," +
  "uint64 notAfter,uint32 maxDeliveries,uint256 nonce,uint256 deadline)";

/**
 * A valid request of the scenario's investigator for call records, open from now for 30 days, three deliveries,
 * at the requester's current nonce and submittable for an hour. `overrides` replace any field; the nonce is read
 * for the overridden requester.
 */
export async function buildAccessRequest(
  scenario: ConsortiumScenario,
  overrides: Partial<AccessRequestValues> = {},
): Promise<AccessRequestValues> {
  const requester = overrides.requester ?? scenario.signers.investigator.address;
  const start = await now();
  return {
    requester,
    sourceId: scenario.sources.callRecords,
    caseRef: ethers.id("case:2024-HZ-0117"),
    scopeHash: ethers.id("scope:msisdn=+8613800000000;from=2024-01-01;to=2024-03-31"),
    purpose: 1,
    notBefore: start,
    notAfter: start + 30 * DAY,
    maxDeliveries: 3,
    nonce: await scenario.accessGrants.nonces(requester),
    deadline: start + HOUR,
    ...overrides,
  };
}

/** Builds a request (see {buildAccessRequest}) and submits it directly as `requester`. */
export async function submitAccessRequest(
  scenario: ConsortiumScenario,
  overrides: Partial<AccessRequestValues> = {},
  requester: HardhatEthersSigner = scenario.signers.investigator,
): Promise<{ request: AccessRequestValues; requestId: string }> {
  const request = await buildAccessRequest(scenario, { requester: requester.address, ...overrides });
  const requestId = await scenario.accessGrants.requestIdOf(request);
  await scenario.accessGrants.connect(requester).submitRequest(request);
  return { request, requestId };
}

/**
 * A predicate for `withArgs` that holds when a decoded `AccessRequest` event argument is exactly `expected`,
 * field by field (both are ABI-encoded the same way and compared).
 */
export function isAccessRequest(expected: AccessRequestValues): (actual: unknown) => boolean {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const wanted = coder.encode([ACCESS_REQUEST_TUPLE], [expected]);
  return (actual) => {
    try {
      return coder.encode([ACCESS_REQUEST_TUPLE], [actual]) === wanted;
    } catch {
      return false;
    }
  };
}

/**
 * The consortium scenario with one batch of 100 call records attested by the telecom's steward (attestation 1),
 * so grants for call records can record deliveries.
 */
export async function attestedScenario() {
  const scenario = await consortiumScenario();
  const start = await now();
  const batch = {
    sourceId: scenario.sources.callRecords,
    merkleRoot: ethers.id("merkle-root:call-records:2024-Q1"),
    recordCount: ATTESTED_RECORD_COUNT,
    periodStart: start - 90 * DAY,
    periodEnd: start - DAY,
    previousAttestationId: 0,
    dataURI: "ipfs://dxl/attestations/call-records/2024-Q1",
  };
  const attestations = scenario.attestations.connect(scenario.signers.telecomSteward);
  const attestationId = await attestations.attest.staticCall(batch);
  await attestations.attest(batch);
  return { ...scenario, attestation: { id: attestationId, batch } };
}

export type AttestedScenario = Awaited<ReturnType<typeof attestedScenario>>;
