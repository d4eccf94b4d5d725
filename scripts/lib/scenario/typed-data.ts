/**
 * The EIP-712 side of the scenario's requests (DESIGN.md, "Wire formats"): the `dxl AccessGrants` version 1
 * domain, the two typed structures, request ids (the request's digest), the struct hash an endorsement names, and
 * the wallet signatures (`eth_signTypedData_v4`, as ethers' `signTypedData` makes them).
 */
import type { Signer, TypedDataDomain } from "ethers";
import { accessGrantsDomain as accessGrantsDomainAt, accessRequestHash, ENDORSEMENT_TYPES } from "../access-request";
import type { IAccessGrants } from "../../../typechain-types";
import type { AccessRequestNumbers } from "../access-request";
import type { Suite } from "../deployment";

/** An access request with every field a plain value. */
export type AccessRequestValues = AccessRequestNumbers;

/** The domain of the suite's AccessGrants on `chainId`. */
export async function accessGrantsDomain(suite: Suite, chainId: number): Promise<TypedDataDomain> {
  return accessGrantsDomainAt(chainId, await suite.accessGrants.getAddress());
}

export { accessRequestId as requestIdOf, signAccessRequest } from "../access-request";

/** A supervisor's endorsement of `request`, valid until `deadline`, and its signature. */
export async function signEndorsement(
  supervisor: Signer,
  domain: TypedDataDomain,
  request: AccessRequestValues,
  deadline: number,
): Promise<{ endorsement: IAccessGrants.EndorsementStruct; signature: string }> {
  const endorsement = { requestHash: accessRequestHash(request), supervisor: await supervisor.getAddress(), deadline };
  return { endorsement, signature: await supervisor.signTypedData(domain, ENDORSEMENT_TYPES, endorsement) };
}
