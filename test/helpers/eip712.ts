import type { Signer, TypedDataDomain } from "ethers";
import type { AccessGrants, IAccessGrants } from "../../typechain-types";

/** The EIP-712 types of DESIGN.md, as a wallet receives them for `eth_signTypedData_v4`. */
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

export const ENDORSEMENT_TYPES = {
  Endorsement: [
    { name: "requestHash", type: "bytes32" },
    { name: "supervisor", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
};

export type AccessRequest = IAccessGrants.AccessRequestStruct;
export type Endorsement = IAccessGrants.EndorsementStruct;

/** The `dxl AccessGrants` version 1 domain of a deployed AccessGrants. */
export async function accessGrantsDomain(accessGrants: AccessGrants): Promise<TypedDataDomain> {
  const provider = accessGrants.runner!.provider!;
  return {
    name: "dxl AccessGrants",
    version: "1",
    chainId: (await provider.getNetwork()).chainId,
    verifyingContract: await accessGrants.getAddress(),
  };
}

export async function signAccessRequest(
  signer: Signer,
  domain: TypedDataDomain,
  request: AccessRequest,
): Promise<string> {
  return signer.signTypedData(domain, ACCESS_REQUEST_TYPES, request);
}

export async function signEndorsement(
  signer: Signer,
  domain: TypedDataDomain,
  endorsement: Endorsement,
): Promise<string> {
  return signer.signTypedData(domain, ENDORSEMENT_TYPES, endorsement);
}
