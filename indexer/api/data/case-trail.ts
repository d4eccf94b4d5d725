/**
 * A case's custody trail: every step taken on the requests of one case reference and on their deliveries, in
 * chain order, read from the raw events (which carry the block time and transaction of each step) through their
 * subjects (`request:<id>`, `delivery:<id>`). The case's requests are read once, with the parties of each.
 */
import type { SqlExecutor } from "../../store";
import { EVENTS } from "./tables";

/** Each trail event, the step it is, and the argument naming the account that took it. */
const STEPS: Record<string, { step: string; actorArgument: string }> = {
  AccessRequested: { step: "REQUESTED", actorArgument: "requester" },
  RequestEndorsed: { step: "ENDORSED", actorArgument: "supervisor" },
  RequestApproved: { step: "APPROVED", actorArgument: "steward" },
  RequestRejected: { step: "REJECTED", actorArgument: "steward" },
  GrantRevoked: { step: "REVOKED", actorArgument: "revoker" },
  DeliveryRecorded: { step: "DELIVERED", actorArgument: "steward" },
  DeliveryAcknowledged: { step: "ACKNOWLEDGED", actorArgument: "requester" },
};

/** A position in the chain's order of events. */
export interface EventPosition {
  blockNumber: string;
  logIndex: number;
}

/** One step, with the parties of its request so callers can check who may see it. */
export interface CaseTrailEntry {
  step: string;
  actor: string;
  requestId: string;
  deliveryId: string | null;
  requesterOrganizationId: string;
  holderOrganizationId: string;
  event: Record<string, unknown> & EventPosition;
}

interface TrailRow extends Record<string, unknown>, EventPosition {
  args: Record<string, unknown>;
  name: string;
  requestId: string;
  deliveryId: string | null;
  requesterOrganizationId: string;
  holderOrganizationId: string;
}

/** The case's steps after `after` (all of them without it), in chain order. */
export async function loadCaseTrail(
  db: SqlExecutor,
  caseRef: string,
  after: EventPosition | null = null,
): Promise<CaseTrailEntry[]> {
  const position = after ?? { blockNumber: "-1", logIndex: -1 };
  const rows = await db.query<TrailRow>(
    `WITH q AS (
       SELECT request_id, requester_organization_id, holder_organization_id FROM access_requests
       WHERE case_ref = $1::text
     ), s AS (
       SELECT 'request:' || q.request_id AS subject, q.*, NULL::text AS delivery_id FROM q
       UNION ALL
       SELECT 'delivery:' || d.delivery_id, q.*, d.delivery_id::text FROM q JOIN deliveries d ON d.request_id = q.request_id
     )
     SELECT ${EVENTS.columns}, s.request_id AS "requestId", s.requester_organization_id AS "requesterOrganizationId",
       s.holder_organization_id AS "holderOrganizationId", s.delivery_id AS "deliveryId"
     FROM s JOIN events t ON t.subject = s.subject
     WHERE t.event_name = ANY($2::text[]) AND (t.block_number, t.log_index) > ($3::bigint, $4::integer)
     ORDER BY t.block_number, t.log_index`,
    [caseRef, Object.keys(STEPS), position.blockNumber, position.logIndex],
  );
  return rows.map(toEntry);
}

function toEntry(row: TrailRow): CaseTrailEntry {
  const { requestId, deliveryId, requesterOrganizationId, holderOrganizationId, ...event } = row;
  const { step, actorArgument } = STEPS[row.name];
  return {
    step,
    actor: String(row.args[actorArgument]),
    requestId,
    deliveryId,
    requesterOrganizationId,
    holderOrganizationId,
    event,
  };
}
