/**
 * Access requests and deliveries, under the visibility rule of access.ts. A caller who does not see everything
 * gets lists restricted to requests of their organizations (as requester or holder); a `where` that names
 * particular requests (ids, case, requester, source, organizations, attestation) must match none outside that
 * scope, or the list is FORBIDDEN: such a filter asks about those requests, and a silently shortened answer
 * would read as "there are none".
 */
import { requireVisibleRequest, seesEverything } from "../access";
import type { RequestParties } from "../access";
import { loadConnection, matchesBeyondRestriction } from "../data/connection";
import type { ListArgs, ListQuery, Restriction } from "../data/connection";
import { ACCESS_REQUESTS, DELIVERIES } from "../data/tables";
import type { ListSource } from "../data/tables";
import { forbidden } from "../errors";
import type { ApiContext } from "../types";
import { loadersOf } from "./shared";
import type { ResolverMap, Row } from "./shared";

/** Requests and deliveries whose requester or holder organization is one of the viewer's. */
function ownRequests(context: ApiContext): Restriction | undefined {
  if (seesEverything(context)) return undefined;
  const organizationIds = context.scope.organizationIds;
  return (params) => {
    const mine = params.addList(organizationIds, "bigint");
    return `t.requester_organization_id = ANY(${mine}) OR t.holder_organization_id = ANY(${mine})`;
  };
}

/** The `where` fields of each list that pick out particular requests rather than describe them. */
const NAMING_FIELDS = new Map<ListSource, readonly string[]>([
  [ACCESS_REQUESTS, ["id", "requester", "requesterOrganizationId", "holderOrganizationId", "sourceId", "caseRef"]],
  [DELIVERIES, ["id", "requestId", "attestationId"]],
]);

/** A list of requests or deliveries in the viewer's scope; FORBIDDEN when its filter names what lies beyond. */
async function scopedList(source: ListSource, args: ListArgs, context: ApiContext) {
  const query: ListQuery = { source, where: args.where, restriction: ownRequests(context) };
  const where = (args.where ?? {}) as Record<string, unknown>;
  const namesRequests = NAMING_FIELDS.get(source)!.some((field) => where[field] != null);
  if (
    query.restriction &&
    namesRequests &&
    (await matchesBeyondRestriction(context.db, query as Required<ListQuery>))
  ) {
    throw forbidden("the filter matches requests of organizations other than yours");
  }
  return loadConnection(context.db, query, args);
}

async function accessRequest(_: unknown, { id }: { id: string }, context: ApiContext) {
  const request = await loadersOf(context).accessRequest.load(id);
  if (request) requireVisibleRequest(context, request as unknown as RequestParties, id);
  return request;
}

/** Reads of a request's parts; its visibility was checked where it was reached. */
const AccessRequest = {
  requesterOrganization: (request: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).organization.load(request.requesterOrganizationId as string),
  holderOrganization: (request: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).organization.load(request.holderOrganizationId as string),
  source: (request: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).dataSource.load(request.sourceId as string),
  endorsement: (request: Row) =>
    request.endorsedBy == null
      ? null
      : { supervisor: request.endorsedBy, bySignature: request.endorsedBySignature, endorsedAt: request.endorsedAt },
  decision: (request: Row) =>
    request.decidedAt == null
      ? null
      : {
          outcome: request.rejectionReason == null ? "APPROVED" : "REJECTED",
          steward: request.decidedBy,
          reasonCode: request.rejectionReason,
          decidedAt: request.decidedAt,
        },
  deliveries: (request: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).deliveriesOfRequest.load(request.id as string),
  revocation: (request: Row, _: unknown, context: ApiContext) =>
    request.status === "REVOKED" ? loadersOf(context).revocation.load(`GRANT:${request.id}`) : null,
};

const Delivery = {
  request: (delivery: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).accessRequest.load(delivery.requestId as string),
  attestation: (delivery: Row, _: unknown, context: ApiContext) =>
    loadersOf(context).attestation.load(delivery.attestationId as string),
};

export const requestResolvers: ResolverMap = {
  Query: {
    accessRequest,
    accessRequests: (_: unknown, args: ListArgs, context: ApiContext) => scopedList(ACCESS_REQUESTS, args, context),
    deliveries: (_: unknown, args: ListArgs, context: ApiContext) => scopedList(DELIVERIES, args, context),
  },
  AccessRequest,
  Delivery,
};
