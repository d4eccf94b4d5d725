/**
 * The suite's events as the bench emits them: one builder per event, taking named values and putting them in the
 * order of the event's ABI (contracts/interfaces/I*.sol), so nothing else needs to know that order.
 */
import { id, ZeroHash } from "ethers";
import type { SuiteContractName } from "../../../indexer/decode";
import type { AccessRequestNumbers } from "../../../scripts/lib/access-request";

/** One event to emit: the contract, the event's name and its arguments in ABI order. */
export interface EventSpec {
  contract: SuiteContractName;
  event: string;
  values: readonly unknown[];
}

/** The events one transaction emits, in order. */
export type TransactionSpec = readonly EventSpec[];

/** A block of the ledger and the transactions in it. */
export interface LedgerBlock {
  number: number;
  timestamp: number;
  transactions: TransactionSpec[];
}

/** `RequestStatus` of IAccessGrants, as `GrantRevoked.previousStatus` carries it. */
export const REQUEST_STATUS = { PENDING: 1, APPROVED: 2 } as const;
/** `Acknowledgement` of IAccessGrants. */
export const ACKNOWLEDGEMENT = { ACCEPTED: 1, DISPUTED: 2 } as const;

const DEFAULT_ADMIN_ROLE = ZeroHash;
const PAUSER_ROLE = id("PAUSER_ROLE");

/** `IAccessGrants.AccessRequest`, numbers as JS numbers. */
export type AccessRequestValue = AccessRequestNumbers;

/** `IAttestationRegistry.AttestationRequest`. */
export interface AttestationRequestValue {
  sourceId: string;
  merkleRoot: string;
  recordCount: number;
  periodStart: number;
  periodEnd: number;
  previousAttestationId: bigint;
  dataURI: string;
}

const event = (contract: SuiteContractName, name: string, values: unknown[]): EventSpec => ({
  contract,
  event: name,
  values,
});

/** What the Consortium's constructor emits: governance holds the default admin and pauser roles. */
export function governanceGranted(governance: string): EventSpec[] {
  return [DEFAULT_ADMIN_ROLE, PAUSER_ROLE].map((role) =>
    event("Consortium", "RoleGranted", [role, governance, governance]),
  );
}

export function organizationRegistered(organizationId: number, kind: number, name: string, metadataURI: string) {
  return event("Consortium", "OrganizationRegistered", [organizationId, kind, name, metadataURI]);
}

export function memberAdded(organizationId: number, account: string, roles: number, addedBy: string) {
  return event("Consortium", "MemberAdded", [organizationId, account, roles, addedBy]);
}

export function dataSourceRegistered(source: {
  id: string;
  organizationId: number;
  name: string;
  schemaHash: string;
  schemaURI: string;
  sensitivity: number;
  endorsementRequired: boolean;
  steward: string;
}): EventSpec {
  const { id: sourceId, organizationId, name, schemaHash, schemaURI, sensitivity, endorsementRequired } = source;
  return event("DataSourceRegistry", "DataSourceRegistered", [
    sourceId,
    organizationId,
    name,
    schemaHash,
    schemaURI,
    sensitivity,
    endorsementRequired,
    source.steward,
  ]);
}

export function attestationRecorded(
  attestationId: bigint,
  organizationId: number,
  request: AttestationRequestValue,
  chainDigest: string,
  attester: string,
): EventSpec {
  const tuple = [
    request.sourceId,
    request.merkleRoot,
    request.recordCount,
    request.periodStart,
    request.periodEnd,
    request.previousAttestationId,
    request.dataURI,
  ];
  return event("AttestationRegistry", "AttestationRecorded", [
    attestationId,
    request.sourceId,
    organizationId,
    tuple,
    chainDigest,
    attester,
  ]);
}

export function accessRequested(submitted: {
  requestId: string;
  request: AccessRequestValue;
  requesterOrganizationId: number;
  holderOrganizationId: number;
  endorsementRequired: boolean;
  submitter: string;
}): EventSpec {
  const { request } = submitted;
  const tuple = [
    request.requester,
    request.sourceId,
    request.caseRef,
    request.scopeHash,
    request.purpose,
    request.notBefore,
    request.notAfter,
    request.maxDeliveries,
    request.nonce,
    request.deadline,
  ];
  return event("AccessGrants", "AccessRequested", [
    submitted.requestId,
    request.requester,
    request.caseRef,
    tuple,
    submitted.requesterOrganizationId,
    submitted.holderOrganizationId,
    submitted.endorsementRequired,
    submitted.submitter,
  ]);
}

export function requestEndorsed(requestId: string, supervisor: string, bySignature: boolean, submitter: string) {
  return event("AccessGrants", "RequestEndorsed", [requestId, supervisor, bySignature, submitter]);
}

export function requestApproved(requestId: string, steward: string) {
  return event("AccessGrants", "RequestApproved", [requestId, steward]);
}

export function requestRejected(requestId: string, steward: string, reasonCode: number) {
  return event("AccessGrants", "RequestRejected", [requestId, steward, reasonCode]);
}

export function grantRevoked(requestId: string, revoker: string, reasonCode: number, previousStatus: number) {
  return event("AccessGrants", "GrantRevoked", [requestId, revoker, reasonCode, previousStatus]);
}

export function deliveryRecorded(delivery: {
  deliveryId: bigint;
  requestId: string;
  attestationId: bigint;
  payloadHash: string;
  recordCount: number;
  deliveryNumber: number;
  steward: string;
}): EventSpec {
  return event("AccessGrants", "DeliveryRecorded", [
    delivery.deliveryId,
    delivery.requestId,
    delivery.attestationId,
    delivery.payloadHash,
    delivery.recordCount,
    delivery.deliveryNumber,
    delivery.steward,
  ]);
}

export function deliveryAcknowledged(
  deliveryId: bigint,
  requestId: string,
  requester: string,
  acknowledgement: number,
  reasonCode: number,
) {
  return event("AccessGrants", "DeliveryAcknowledged", [deliveryId, requestId, requester, acknowledgement, reasonCode]);
}
