/**
 * The investigations of the scenario: three cases of the public security bureau, with requests that between them
 * go every way a request can go: submitted directly or signed and relayed, endorsed directly or by a relayed
 * signature, approved or rejected, delivered (accepted, disputed) up to their limit, revoked by the oversight
 * office, left pending, or left to expire.
 */
import type { ScenarioAccountName } from "./accounts";
import type { AcknowledgementName } from "./summary";

/** Purpose codes of the scenario's requests (the contracts leave their meaning to the consortium). */
export const Purpose = { CRIMINAL_INVESTIGATION: 1, FRAUD_INVESTIGATION: 2, MISSING_PERSON: 3 } as const;

/** Reason codes of the scenario's rejections, disputes and revocations. */
export const ReasonCode = {
  NONE: 0,
  SCOPE_TOO_BROAD: 2,
  DELIVERY_INCOMPLETE: 3,
  OVERSIGHT_FINDING: 9,
} as const;

/** Windows up to this many days close during the scenario: its clock is moved past them at the end. */
export const EXPIRING_WINDOW_DAYS = 2;
/** The window of every other request. */
const WINDOW_DAYS = 30;

/** A delivery under a grant, and how the requester answers it. */
export interface DeliveryPlan {
  acknowledgement: AcknowledgementName;
  reasonCode: number;
}

/** One access request and what happens to it, in this order: submission, endorsement, decision, deliveries, revocation. */
export interface RequestPlan {
  key: string;
  source: string;
  requester: ScenarioAccountName;
  submission: "direct" | "relayed";
  endorsement?: { supervisor: ScenarioAccountName; submission: "direct" | "relayed" };
  decision: "approved" | "rejected" | "none";
  /** The holder's reason, when it rejects. */
  rejectionReasonCode?: number;
  purpose: number;
  windowDays: number;
  maxDeliveries: number;
  deliveries: readonly DeliveryPlan[];
  revocation?: { by: ScenarioAccountName; reasonCode: number };
}

/** A case and its requests. */
export interface CasePlan {
  title: string;
  requests: readonly RequestPlan[];
}

const accepted: DeliveryPlan = { acknowledgement: "ACCEPTED", reasonCode: ReasonCode.NONE };

/** The cases, in the order they are run. */
export const CASES: readonly CasePlan[] = [
  {
    title: "SIM-swap fraud ring",
    requests: [
      {
        key: "fraud-ring-calls",
        source: "call-records",
        requester: "leadInvestigator",
        submission: "relayed",
        endorsement: { supervisor: "dutySupervisor", submission: "relayed" },
        decision: "approved",
        purpose: Purpose.FRAUD_INVESTIGATION,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 3,
        // The first hand-over missed a day; the second was complete.
        deliveries: [{ acknowledgement: "DISPUTED", reasonCode: ReasonCode.DELIVERY_INCOMPLETE }, accepted],
      },
      {
        key: "fraud-ring-transfers",
        source: "transfers",
        requester: "leadInvestigator",
        submission: "direct",
        endorsement: { supervisor: "chiefSupervisor", submission: "direct" },
        decision: "approved",
        purpose: Purpose.FRAUD_INVESTIGATION,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 2,
        deliveries: [accepted],
      },
      {
        key: "fraud-ring-accounts",
        source: "accounts",
        requester: "fraudInvestigator",
        submission: "direct",
        endorsement: { supervisor: "dutySupervisor", submission: "direct" },
        decision: "rejected",
        rejectionReasonCode: ReasonCode.SCOPE_TOO_BROAD,
        purpose: Purpose.FRAUD_INVESTIGATION,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 1,
        deliveries: [],
      },
    ],
  },
  {
    title: "Missing person",
    requests: [
      {
        key: "missing-person-locations",
        source: "cell-locations",
        requester: "chiefSupervisor",
        submission: "relayed",
        endorsement: { supervisor: "dutySupervisor", submission: "direct" },
        decision: "approved",
        purpose: Purpose.MISSING_PERSON,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 1,
        deliveries: [accepted],
      },
      {
        key: "missing-person-subscriber",
        source: "subscribers",
        requester: "fraudInvestigator",
        submission: "direct",
        decision: "approved",
        purpose: Purpose.MISSING_PERSON,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 2,
        deliveries: [],
        revocation: { by: "auditor", reasonCode: ReasonCode.OVERSIGHT_FINDING },
      },
    ],
  },
  {
    title: "Meter tampering",
    requests: [
      {
        key: "meter-tampering-power",
        source: "power-readings",
        requester: "fraudInvestigator",
        submission: "direct",
        decision: "approved",
        purpose: Purpose.CRIMINAL_INVESTIGATION,
        windowDays: EXPIRING_WINDOW_DAYS,
        maxDeliveries: 3,
        deliveries: [accepted],
      },
      {
        key: "meter-tampering-water",
        source: "water-readings",
        requester: "leadInvestigator",
        submission: "relayed",
        decision: "none",
        purpose: Purpose.CRIMINAL_INVESTIGATION,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 3,
        deliveries: [],
      },
      {
        key: "meter-tampering-water-account",
        source: "water-accounts",
        requester: "leadInvestigator",
        submission: "relayed",
        decision: "approved",
        purpose: Purpose.CRIMINAL_INVESTIGATION,
        windowDays: WINDOW_DAYS,
        maxDeliveries: 2,
        deliveries: [],
      },
    ],
  },
];
