/**
 * From the suite's decoded logs to the bundle's steps: each request with its endorsements, decision, deliveries
 * and their acknowledgements, revocations; each attestation with its revocation. Pure: the chain was read before.
 */
import { Acknowledgement, RequestStatus } from "../suite-values";
import type {
  AccessRequestValues,
  AttestationEvidence,
  DecisionEvidence,
  DeliveryEvidence,
  EndorsementEvidence,
  LogReference,
  RequestEvidence,
  RevocationEvidence,
} from "./bundle-format";
import { endorsementIn, requestSignatureIn } from "./calldata";
import type { DecodedEvent, EvidenceContract } from "./suite-events";

/** A suite log, decoded, and where it was logged. */
export interface SuiteLog {
  contract: EvidenceContract;
  event: DecodedEvent;
  logged: LogReference;
  /** The log's block, to merge the results of several queries in chain order. */
  blockNumber: number;
}

/** What assembling a request needs besides its logs: the AccessGrants address and each transaction, signed. */
export interface TrailContext {
  accessGrants: string;
  signedTransactionOf(transactionHash: string): string;
}

/** The request that `submitted` (an AccessRequested log) records, with its steps found in `trail`. */
export function requestEvidenceOf(
  submitted: SuiteLog,
  trail: readonly SuiteLog[],
  context: TrailContext,
): RequestEvidence {
  const { args } = submitted.event;
  const requestId = args.requestId as string;
  const steps = trail.filter((log) => log.event.args.requestId === requestId);
  const signedTransaction = context.signedTransactionOf(submitted.logged.transactionHash);
  const request: RequestEvidence = {
    requestId,
    values: args.request as unknown as AccessRequestValues,
    submitter: args.submitter as string,
    signature: requestSignatureIn(signedTransaction, context.accessGrants) ?? null,
    submitted: submitted.logged,
    endorsements: logsNamed(steps, "RequestEndorsed").map((log) => endorsementOf(log, context)),
    deliveries: logsNamed(steps, "DeliveryRecorded").map((log) => deliveryOf(log, steps)),
    revocations: logsNamed(steps, "GrantRevoked").map(revocationOf),
  };
  const decision = decisionOf(steps);
  return decision ? { ...request, decision } : request;
}

/** The attestation `recorded` (an AttestationRecorded log) records, with its revocation if `trail` has one. */
export function attestationEvidenceOf(recorded: SuiteLog, trail: readonly SuiteLog[]): AttestationEvidence {
  const { args } = recorded.event;
  const request = args.request as Record<string, string>;
  const attestationId = args.attestationId as string;
  const attestation: AttestationEvidence = {
    attestationId,
    sourceId: args.sourceId as string,
    root: request.merkleRoot,
    recordCount: request.recordCount,
    attester: args.attester as string,
    recorded: recorded.logged,
  };
  const revoked = trail.find(
    (log) => log.event.name === "AttestationRevoked" && log.event.args.attestationId === attestationId,
  );
  if (!revoked) return attestation;
  const { reason, revoker } = revoked.event.args as Record<string, string>;
  return { ...attestation, revocation: { reason, revoker, logged: revoked.logged } };
}

function logsNamed(logs: readonly SuiteLog[], name: string): SuiteLog[] {
  return logs.filter((log) => log.event.name === name);
}

function endorsementOf(log: SuiteLog, context: TrailContext): EndorsementEvidence {
  const { supervisor, bySignature, submitter } = log.event.args as {
    supervisor: string;
    bySignature: boolean;
    submitter: string;
  };
  const endorsement: EndorsementEvidence = { supervisor, bySignature, submitter, logged: log.logged };
  if (!bySignature) return endorsement;
  const signed = endorsementIn(context.signedTransactionOf(log.logged.transactionHash), context.accessGrants);
  return signed ? { ...endorsement, signed } : endorsement;
}

function decisionOf(steps: readonly SuiteLog[]): DecisionEvidence | undefined {
  const log = steps.find((step) => step.event.name === "RequestApproved" || step.event.name === "RequestRejected");
  if (!log) return undefined;
  const { steward, reasonCode } = log.event.args as Record<string, string>;
  if (log.event.name === "RequestApproved") return { outcome: "approved", steward, logged: log.logged };
  return { outcome: "rejected", steward, reasonCode, logged: log.logged };
}

function deliveryOf(log: SuiteLog, steps: readonly SuiteLog[]): DeliveryEvidence {
  const { deliveryId, attestationId, payloadHash, recordCount, deliveryNumber, steward } = log.event.args as Record<
    string,
    string
  >;
  const delivery: DeliveryEvidence = {
    deliveryId,
    attestationId,
    payloadHash,
    recordCount,
    deliveryNumber,
    steward,
    logged: log.logged,
  };
  const acknowledged = steps.find(
    (step) => step.event.name === "DeliveryAcknowledged" && step.event.args.deliveryId === deliveryId,
  );
  if (!acknowledged) return delivery;
  const { requester, acknowledgement, reasonCode } = acknowledged.event.args as Record<string, string>;
  const outcome = Number(acknowledgement) === Acknowledgement.ACCEPTED ? "accepted" : "disputed";
  return { ...delivery, acknowledgement: { outcome, requester, reasonCode, logged: acknowledged.logged } };
}

function revocationOf(log: SuiteLog): RevocationEvidence {
  const { revoker, reasonCode, previousStatus } = log.event.args as Record<string, string>;
  return { revoker, reasonCode, previousStatus: statusName(previousStatus), logged: log.logged };
}

/** The name of a `RequestStatus` number, as the contracts declare it. */
function statusName(status: string): string {
  const entry = Object.entries(RequestStatus).find(([, value]) => String(value) === status);
  return entry ? entry[0] : `UNKNOWN(${status})`;
}
