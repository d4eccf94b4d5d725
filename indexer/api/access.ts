/**
 * Who may read what, enforced in the resolvers from the viewer and the scope the server computed. The rule
 * (also in the SDL's descriptions): anonymous callers get UNAUTHENTICATED for everything but `indexerStatus`;
 * every member sees organizations, members, sources and attestations; access requests, their deliveries and case
 * trails are visible when the viewer sees everything or one of the viewer's organizations is the request's
 * requester or holder; raw events and the audit log need `seesEverything`. A read beyond that is FORBIDDEN.
 */
import { forbidden, unauthenticated } from "./errors";
import type { ApiContext } from "./types";

/** Refuses anonymous callers. */
export function requireSignedIn(context: ApiContext): void {
  if (context.viewer.kind === "anonymous") throw unauthenticated();
}

/** Whether the viewer reads everything: open development mode, auditors and governance. */
export function seesEverything(context: ApiContext): boolean {
  return context.viewer.kind === "open" || context.scope.seesEverything;
}

/** Refuses callers who do not see everything; `what` names the refused read in the message. */
export function requireEverything(context: ApiContext, what: string): void {
  requireSignedIn(context);
  if (!seesEverything(context)) throw forbidden(`${what} are for auditors and governance`);
}

/** The organizations on either side of a request. */
export interface RequestParties {
  requesterOrganizationId: string;
  holderOrganizationId: string;
}

/** Whether the viewer may see a request with these parties. */
export function canSeeRequest(context: ApiContext, parties: RequestParties): boolean {
  if (seesEverything(context)) return true;
  const mine = context.scope.organizationIds;
  return mine.includes(parties.requesterOrganizationId) || mine.includes(parties.holderOrganizationId);
}

/** Refuses a request the viewer may not see. */
export function requireVisibleRequest(context: ApiContext, parties: RequestParties, id: string): void {
  if (!canSeeRequest(context, parties)) throw forbidden(`request ${id} is not one of your organizations' requests`);
}
