/**
 * Access requests and endorsements as EIP-712 typed data (DESIGN.md, "Wire formats"): the types, the
 * `dxl AccessGrants` version 1 domain, signing, hashing, recovering the signer, and the JSON documents a signed
 * request or endorsement travels in to a relayer. No Hardhat here: the CLI, the relay, the seeder and the tests
 * share it.
 */
import { concat, getAddress, id, keccak256, TypedDataEncoder, verifyTypedData } from "ethers";
import type { Signer, TypedDataDomain } from "ethers";
import { jsonText } from "./json-text";

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

/** The Endorsement type: a supervisor's co-signature of a request's struct hash. */
export const ENDORSEMENT_TYPES = {
  Endorsement: [
    { name: "requestHash", type: "bytes32" },
    { name: "supervisor", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
};

/** An `IAccessGrants.AccessRequest` with every field resolved. */
export interface AccessRequest {
  requester: string;
  sourceId: string;
  caseRef: string;
  scopeHash: string;
  purpose: number;
  notBefore: bigint;
  notAfter: bigint;
  maxDeliveries: number;
  nonce: bigint;
  deadline: bigint;
}

/** An `IAccessGrants.Endorsement`. */
/** A request with every number a JS number (each fits: uint8/64/32 fields, small nonces and unix-time deadlines). */
export type AccessRequestNumbers = {
  [Field in keyof AccessRequest]: AccessRequest[Field] extends bigint ? number : AccessRequest[Field];
};

/** Any spelling of a request's values a wallet or ethers accepts: numbers as bigint, number or decimal string. */
export type AccessRequestValuesLike = { [Field in keyof AccessRequest]: AccessRequest[Field] | number | string };

export interface Endorsement {
  requestHash: string;
  supervisor: string;
  deadline: bigint;
}

/** The domain every dxl signature is made under. */
export interface AccessGrantsDomain {
  name: "dxl AccessGrants";
  version: "1";
  chainId: number;
  verifyingContract: string;
}

/** Format names of the two JSON documents a relayer accepts. */
export const SIGNED_REQUEST_FORMAT = "dxl-signed-access-request-v1";
export const SIGNED_ENDORSEMENT_FORMAT = "dxl-signed-endorsement-v1";

/** A signed access request, as a relayer receives it (its JSON writes numbers as decimal strings). */
export interface SignedAccessRequest {
  domain: AccessGrantsDomain;
  request: AccessRequest;
  signature: string;
}

/** A signed endorsement as a relayer receives it. */
export interface SignedEndorsement {
  domain: AccessGrantsDomain;
  endorsement: Endorsement;
  signature: string;
}

/** Thrown for a signed document that is not well formed; the message names the field. */
export class SignedDocumentError extends Error {
  override name = "SignedDocumentError";
}

/** The `dxl AccessGrants` version 1 domain of the AccessGrants at `verifyingContract` on chain `chainId`. */
export function accessGrantsDomain(chainId: number | bigint, verifyingContract: string): AccessGrantsDomain {
  return { name: "dxl AccessGrants", version: "1", chainId: Number(chainId), verifyingContract };
}

/**
 * The `caseRef` on chain for a case number: keccak256 of the UTF-8 text `case:<number>` (the case number itself
 * stays off chain). The indexer, the API's examples, the demo scenario and every dxl command use this one rule.
 */
export function caseRefOf(caseNumber: string): string {
  return id(`case:${caseNumber}`);
}

/** keccak256 of a query scope's UTF-8 text: the `scopeHash` on chain. */
export function scopeHashOf(scope: string): string {
  return id(scope);
}

/** Signs `request` as its requester would in a wallet (`eth_signTypedData_v4`). */
export async function signAccessRequest(
  signer: Signer,
  domain: TypedDataDomain,
  request: AccessRequestValuesLike,
): Promise<string> {
  return signer.signTypedData(domain, ACCESS_REQUEST_TYPES, request);
}

/** Signs `endorsement` as its supervisor would in a wallet. */
export async function signEndorsement(
  signer: Signer,
  domain: TypedDataDomain,
  endorsement: Endorsement,
): Promise<string> {
  return signer.signTypedData(domain, ENDORSEMENT_TYPES, endorsement);
}

/** The request's EIP-712 struct hash: what an endorsement names as `requestHash`. */
export function accessRequestHash(request: AccessRequestValuesLike): string {
  return TypedDataEncoder.hashStruct("AccessRequest", ACCESS_REQUEST_TYPES, request);
}

/** The request's EIP-712 digest under `domain`: its request id on chain. */
export function accessRequestId(domain: TypedDataDomain, request: AccessRequestValuesLike): string {
  return TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);
}

/** The request id an endorsement's `requestHash` stands for under `domain`. */
export function requestIdOfHash(domain: TypedDataDomain, requestHash: string): string {
  // `_hashTypedDataV4`: keccak256("\x19\x01" ‖ domain separator ‖ struct hash).
  return keccak256(concat(["0x1901", TypedDataEncoder.hashDomain(domain), requestHash]));
}

/** The address that signed `request` (an EOA; contract wallets are checked on chain). */
export function recoverRequester(signed: SignedAccessRequest): string {
  return verifyTypedData(signed.domain, ACCESS_REQUEST_TYPES, signed.request, signed.signature);
}

/** The address that signed `endorsement`. */
export function recoverSupervisor(signed: SignedEndorsement): string {
  return verifyTypedData(signed.domain, ENDORSEMENT_TYPES, signed.endorsement, signed.signature);
}

/** A signed request as JSON text (numbers as decimal strings, so any JSON reader keeps them exact). */
export function signedRequestJson(signed: SignedAccessRequest): string {
  return `${jsonText({ format: SIGNED_REQUEST_FORMAT, ...signed }, 2)}\n`;
}

/** A signed endorsement as JSON text. */
export function signedEndorsementJson(signed: SignedEndorsement): string {
  return `${jsonText({ format: SIGNED_ENDORSEMENT_FORMAT, ...signed }, 2)}\n`;
}

/** Parses and checks a signed request document. @throws SignedDocumentError naming the bad field. */
export function parseSignedRequest(document: unknown): SignedAccessRequest {
  const fields = objectField(document, "the document");
  checkFormat(fields, SIGNED_REQUEST_FORMAT);
  const request = objectField(fields.request, "request");
  return {
    domain: parseDomain(fields.domain),
    request: {
      requester: addressField(request.requester, "request.requester"),
      sourceId: bytes32Field(request.sourceId, "request.sourceId"),
      caseRef: bytes32Field(request.caseRef, "request.caseRef"),
      scopeHash: bytes32Field(request.scopeHash, "request.scopeHash"),
      purpose: Number(uintField(request.purpose, "request.purpose", 8)),
      notBefore: uintField(request.notBefore, "request.notBefore", 64),
      notAfter: uintField(request.notAfter, "request.notAfter", 64),
      maxDeliveries: Number(uintField(request.maxDeliveries, "request.maxDeliveries", 32)),
      nonce: uintField(request.nonce, "request.nonce", 256),
      deadline: uintField(request.deadline, "request.deadline", 256),
    },
    signature: signatureField(fields.signature),
  };
}

/** Parses and checks a signed endorsement document. @throws SignedDocumentError naming the bad field. */
export function parseSignedEndorsement(document: unknown): SignedEndorsement {
  const fields = objectField(document, "the document");
  checkFormat(fields, SIGNED_ENDORSEMENT_FORMAT);
  const endorsement = objectField(fields.endorsement, "endorsement");
  return {
    domain: parseDomain(fields.domain),
    endorsement: {
      requestHash: bytes32Field(endorsement.requestHash, "endorsement.requestHash"),
      supervisor: addressField(endorsement.supervisor, "endorsement.supervisor"),
      deadline: uintField(endorsement.deadline, "endorsement.deadline", 256),
    },
    signature: signatureField(fields.signature),
  };
}

function parseDomain(value: unknown): AccessGrantsDomain {
  const domain = objectField(value, "domain");
  if (domain.name !== "dxl AccessGrants" || domain.version !== "1") {
    throw new SignedDocumentError('domain must be {name: "dxl AccessGrants", version: "1", …}');
  }
  const chainId = uintField(domain.chainId, "domain.chainId", 64);
  return accessGrantsDomain(chainId, addressField(domain.verifyingContract, "domain.verifyingContract"));
}

function checkFormat(fields: Record<string, unknown>, format: string): void {
  if (fields.format !== format) throw new SignedDocumentError(`format must be "${format}"`);
}

function objectField(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SignedDocumentError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function addressField(value: unknown, name: string): string {
  try {
    return getAddress(value as string);
  } catch {
    throw new SignedDocumentError(`${name} must be an address`);
  }
}

function bytes32Field(value: unknown, name: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new SignedDocumentError(`${name} must be 0x and 64 hex digits`);
  }
  return value.toLowerCase();
}

function uintField(value: unknown, name: string, bits: number): bigint {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text) || BigInt(text) >= 2n ** BigInt(bits)) {
    throw new SignedDocumentError(`${name} must be a whole number below 2^${bits}, as a decimal string`);
  }
  return BigInt(text);
}

function signatureField(value: unknown): string {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(value)) {
    throw new SignedDocumentError("signature must be 0x-hex bytes");
  }
  return value;
}
