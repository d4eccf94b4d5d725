/**
 * Case trails, as a list and live. A trail is all or nothing: a caller who may not see one of the case's
 * requests gets FORBIDDEN, never the part of the trail they may see presented as the whole.
 */
import { requireSignedIn, requireVisibleRequest } from "../access";
import { loadCaseTrail } from "../data/case-trail";
import type { CaseTrailEntry, EventPosition } from "../data/case-trail";
import { pollingIterator } from "../data/polling";
import type { ApiContext } from "../types";
import { DEFAULT_POLL_INTERVAL_MS, freshlyLoaded, newestEvent } from "./events";
import { loadersOf } from "./shared";
import type { ResolverMap } from "./shared";

/** The entries, once every one of them was checked visible. */
function visibleEntries(context: ApiContext, entries: CaseTrailEntry[]): CaseTrailEntry[] {
  for (const entry of entries) requireVisibleRequest(context, entry, entry.requestId);
  return entries;
}

async function caseTrail(_: unknown, { caseRef }: { caseRef: string }, context: ApiContext) {
  return visibleEntries(context, await loadCaseTrail(context.db, caseRef));
}

/** Each step of the case indexed after the subscription started; FORBIDDEN ends it if a step is not visible. */
async function subscribeToCaseTrail(_: unknown, { caseRef }: { caseRef: string }, context: ApiContext) {
  requireSignedIn(context);
  visibleEntries(context, await loadCaseTrail(context.db, caseRef));
  let after: EventPosition | null = (await newestEvent(context))?.node ?? null;
  return pollingIterator(async () => {
    const entries = visibleEntries(context, await loadCaseTrail(context.db, caseRef, after));
    after = entries.at(-1)?.event ?? after;
    return entries;
  }, context.subscriptionPollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
}

export const caseTrailResolvers: ResolverMap = {
  Query: { caseTrail },
  Subscription: {
    caseTrail: { subscribe: subscribeToCaseTrail, resolve: freshlyLoaded },
  },
  CaseTrailEntry: {
    request: (entry: CaseTrailEntry, _: unknown, context: ApiContext) =>
      loadersOf(context).accessRequest.load(entry.requestId),
    delivery: (entry: CaseTrailEntry, _: unknown, context: ApiContext) =>
      entry.deliveryId === null ? null : loadersOf(context).delivery.load(entry.deliveryId),
  },
};
