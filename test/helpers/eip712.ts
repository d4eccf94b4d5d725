import type { Signer, TypedDataDomain } from "ethers";
import type { AccessGrants, IAccessGrants } from "../../typechain-types";
import { ACCESS_REQUEST_TYPES, ENDORSEMENT_TYPES } from "../../scripts/lib/access-request";

/** The EIP-712 types of DESIGN.md: the library's, which `dxl request`, `dxl endorse` and the relay use. */
export { ACCESS_REQUEST_TYPES, ENDORSEMENT_TYPES };

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
