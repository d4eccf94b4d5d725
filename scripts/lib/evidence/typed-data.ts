/**
 * The EIP-712 typed data of AccessGrants (DESIGN.md, "Wire formats"): the `dxl AccessGrants` version 1 domain,
 * AccessRequest and Endorsement, their digests and who signed them.
 */
import { recoverAddress, TypedDataEncoder } from "ethers";
import type { TypedDataDomain } from "ethers";
import type { AccessRequestValues, SignedEndorsement } from "./bundle-format";

/** The AccessRequest type, as a wallet receives it for `eth_signTypedData_v4`. */
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

/** The Endorsement type a supervisor signs. */
export const ENDORSEMENT_TYPES = {
  Endorsement: [
    { name: "requestHash", type: "bytes32" },
    { name: "supervisor", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The domain of the AccessGrants contract at `verifyingContract` on chain `chainId`. */
export function accessGrantsDomain(chainId: number | bigint, verifyingContract: string): TypedDataDomain {
  return { name: "dxl AccessGrants", version: "1", chainId, verifyingContract };
}

/** A request's id: its EIP-712 digest under `domain`. */
export function requestIdOf(domain: TypedDataDomain, request: AccessRequestValues): string {
  return TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);
}

/** A request's EIP-712 struct hash: what an Endorsement names as `requestHash`. */
export function accessRequestStructHash(request: AccessRequestValues): string {
  return TypedDataEncoder.from(ACCESS_REQUEST_TYPES).hash(request);
}

/** The EIP-712 digest a supervisor signs to endorse. */
export function endorsementDigestOf(domain: TypedDataDomain, endorsement: Omit<SignedEndorsement, "signature">) {
  const { requestHash, supervisor, deadline } = endorsement;
  return TypedDataEncoder.hash(domain, ENDORSEMENT_TYPES, { requestHash, supervisor, deadline });
}

/** The address that signed `digest`, or undefined when the signature is not a valid ECDSA signature. */
export function recoverSigner(digest: string, signature: string): string | undefined {
  try {
    return recoverAddress(digest, signature);
  } catch {
    return undefined;
  }
}
