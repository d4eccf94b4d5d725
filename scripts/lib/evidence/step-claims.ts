/**
 * What each step of a request claims its log holds: the AccessGrants event and its arguments, derived from the
 * bundle's step alone, so the verifier can decode the log and compare.
 */
import { Acknowledgement, RequestStatus } from "../suite-values";
import type { DecisionEvidence, DeliveryEvidence, LogReference, RequestEvidence } from "./bundle-format";
import type { PlainValue } from "./suite-events";
import type { ClaimedEvent } from "./verify-logs";

/** A step, the log it names, and what that log must be. */
export interface StepClaim {
  /** The step's name in check names (`submission`, `delivery 2 acknowledgement`…). */
  step: string;
  logged: LogReference;
  claimed: ClaimedEvent;
}

/** Makes the claim of one step of the request at hand: its event and arguments besides the request id. */
type Claim = (step: string, logged: LogReference, name: string, args: Record<string, PlainValue>) => StepClaim;

/** Every step of `request` with its claim, in the order of the request's life. */
export function stepClaimsOf(request: RequestEvidence): StepClaim[] {
  const claim: Claim = (step, logged, name, args) => ({
    step,
    logged,
    claimed: { contract: "AccessGrants", name, args: { requestId: request.requestId, ...args } },
  });
  const { values, submitter, decision } = request;
  return [
    claim("submission", request.submitted, "AccessRequested", {
      requester: values.requester,
      caseRef: values.caseRef,
      request: { ...values },
      submitter,
    }),
    ...request.endorsements.map(({ supervisor, bySignature, submitter, logged }) =>
      claim("endorsement", logged, "RequestEndorsed", { supervisor, bySignature, submitter }),
    ),
    ...(decision ? [decisionClaim(decision, claim)] : []),
    ...request.deliveries.flatMap((delivery) => deliveryClaims(delivery, claim)),
    ...request.revocations.map(({ revoker, reasonCode, previousStatus, logged }) =>
      claim("revocation", logged, "GrantRevoked", {
        revoker,
        reasonCode,
        previousStatus: String(RequestStatus[previousStatus as keyof typeof RequestStatus] ?? previousStatus),
      }),
    ),
  ];
}

function decisionClaim({ outcome, steward, reasonCode, logged }: DecisionEvidence, claim: Claim): StepClaim {
  const step = `decision (${outcome})`;
  if (outcome === "approved") return claim(step, logged, "RequestApproved", { steward });
  return claim(step, logged, "RequestRejected", { steward, reasonCode: reasonCode ?? "" });
}

function deliveryClaims(delivery: DeliveryEvidence, claim: Claim): StepClaim[] {
  const { deliveryId, attestationId, payloadHash, recordCount, deliveryNumber, steward, acknowledgement } = delivery;
  const recorded = claim(`delivery ${deliveryId}`, delivery.logged, "DeliveryRecorded", {
    deliveryId,
    attestationId,
    payloadHash,
    recordCount,
    deliveryNumber,
    steward,
  });
  if (!acknowledgement) return [recorded];
  const acknowledged = claim(`delivery ${deliveryId} acknowledgement`, acknowledgement.logged, "DeliveryAcknowledged", {
    deliveryId,
    requester: acknowledgement.requester,
    acknowledgement: String(Acknowledgement[acknowledgement.outcome === "accepted" ? "ACCEPTED" : "DISPUTED"]),
    reasonCode: acknowledgement.reasonCode,
  });
  return [recorded, acknowledged];
}
