/**
 * The EIP-712 typed data of AccessGrants (DESIGN.md, "Wire formats"): the `dxl AccessGrants` version 1 domain,
 * AccessRequest and Endorsement, their digests and who signed them.
 */
import { recoverAddress, TypedDataEncoder } from "ethers";
import type { TypedDataDomain } from "ethers";
import { ENDORSEMENT_TYPES } from "../access-request";
import type { SignedEndorsement } from "./bundle-format";

export {
  ACCESS_REQUEST_TYPES,
  ENDORSEMENT_TYPES,
  accessGrantsDomain,
  accessRequestHash as accessRequestStructHash,
  accessRequestId as requestIdOf,
} from "../access-request";

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
