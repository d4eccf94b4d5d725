/**
 * The EIP-712 side of the scenario's requests (DESIGN.md, "Wire formats"): the `dxl AccessGrants` version 1
 * domain, the two typed structures, request ids (the request's digest), the struct hash an endorsement names, and
 * the wallet signatures (`eth_signTypedData_v4`, as ethers' `signTypedData` makes them).
 */
import { TypedDataEncoder } from "ethers";
import type { Signer, TypedDataDomain } from "ethers";
import type { IAccessGrants } from "../../../typechain-types";
import type { Suite } from "../deployment";

/** An access request with every field a plain value. */
export interface AccessRequestValues {
  requester: string;
  sourceId: string;
  caseRef: string;
  scopeHash: string;
  purpose: number;
  notBefore: number;
  notAfter: number;
  maxDeliveries: number;
  nonce: number;
  deadline: number;
}

/** The types a wallet is given to sign an `AccessRequest`. */
export const ACCESS_REQUEST_TYPES = {
  AccessRequest: [
    { name: "requester", type: "address" },
    { name: "sourceId", type: "bytes32" },
    { name: "caseRef", type: "bytes32" },
    { name: "scopeHash", type: "bytes32" },
    { name: "purpose", type: "uint8" },
    { name: "notBefore", type: "uint64" },
    { name: "notAfter", type: "uint64" },
    { name: "maxDeliveries", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The types a supervisor's wallet is given to sign an `Endorsement`. */
export const ENDORSEMENT_TYPES = {
  Endorsement: [
    { name: "requestHash", type: "bytes32" },
    { name: "supervisor", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The domain of the suite's AccessGrants on `chainId`. */
export async function accessGrantsDomain(suite: Suite, chainId: number): Promise<TypedDataDomain> {
  return { name: "dxl AccessGrants", version: "1", chainId, verifyingContract: await suite.accessGrants.getAddress() };
}

/** A request's id: its EIP-712 digest under `domain`. */
export function requestIdOf(domain: TypedDataDomain, request: AccessRequestValues): string {
  return TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);
}

/** A request's EIP-712 struct hash: what an endorsement names as `requestHash`. */
export function requestStructHash(request: AccessRequestValues): string {
  return TypedDataEncoder.hashStruct("AccessRequest", ACCESS_REQUEST_TYPES, request);
}

/** The requester's signature of `request`. */
export function signAccessRequest(signer: Signer, domain: TypedDataDomain, request: AccessRequestValues) {
  return signer.signTypedData(domain, ACCESS_REQUEST_TYPES, request);
}

/** A supervisor's endorsement of `request`, valid until `deadline`, and its signature. */
export async function signEndorsement(
  supervisor: Signer,
  domain: TypedDataDomain,
  request: AccessRequestValues,
  deadline: number,
): Promise<{ endorsement: IAccessGrants.EndorsementStruct; signature: string }> {
  const endorsement = { requestHash: requestStructHash(request), supervisor: await supervisor.getAddress(), deadline };
  return { endorsement, signature: await supervisor.signTypedData(domain, ENDORSEMENT_TYPES, endorsement) };
}
