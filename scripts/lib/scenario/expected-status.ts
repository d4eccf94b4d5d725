/**
 * How each request should stand once the scenario is seeded: its stored status (`AccessGrants.getGrant`), its
 * status as the API computes it at the chain's time, and whether a delivery could still be recorded
 * (`AccessGrants.isGrantUsable`). The rules are those of `indexer/api/data/status.ts`.
 */
import type {
  CaseOutcome,
  CaseSummary,
  ComputedRequestStatus,
  RequestOutcome,
  RequestSummary,
  StoredRequestStatus,
} from "./summary";

/** The cases with every request's `expected` filled in for the chain's time `now`. */
export function withExpectedStatuses(cases: readonly CaseOutcome[], now: number): CaseSummary[] {
  return cases.map((each) => ({
    ...each,
    requests: each.requests.map((request) => ({ ...request, expected: expectedStatus(request, now) })),
  }));
}

function expectedStatus(request: RequestOutcome, now: number): RequestSummary["expected"] {
  const storedStatus = storedStatusOf(request);
  const status = computedStatusOf(request, storedStatus, now);
  return { storedStatus, status, isUsable: status === "ACTIVE" };
}

function storedStatusOf(request: RequestOutcome): StoredRequestStatus {
  if (request.revokedBy !== null) return "REVOKED";
  if (request.decision === "rejected") return "REJECTED";
  return request.decision === "approved" ? "APPROVED" : "PENDING";
}

function computedStatusOf(request: RequestOutcome, stored: StoredRequestStatus, now: number): ComputedRequestStatus {
  const isClosed = now >= request.notAfter;
  if (stored === "REJECTED" || stored === "REVOKED") return stored;
  if (stored === "PENDING") return isClosed ? "EXPIRED" : "PENDING";
  if (request.deliveryIds.length >= request.maxDeliveries) return "EXHAUSTED";
  if (isClosed) return "EXPIRED";
  return now < request.notBefore ? "APPROVED" : "ACTIVE";
}
