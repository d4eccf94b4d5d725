/** Raw events, listed and live: for callers who see everything (auditors, governance, open mode). */
import { requireEverything } from "../access";
import { loadConnection } from "../data/connection";
import type { ListArgs } from "../data/connection";
import { pollingIterator } from "../data/polling";
import { EVENTS } from "../data/tables";
import type { EventNode } from "../data/tables";
import type { ApiContext } from "../types";
import type { ResolverMap, Row } from "./shared";

/** How often subscriptions look for new rows when the context does not say. */
export const DEFAULT_POLL_INTERVAL_MS = 200;

/** New events per poll: a burst larger than this is delivered over several polls, in order. */
const EVENTS_PER_POLL = 1000;

/** The newest event indexed so far and its cursor, or undefined before the first: where a subscription starts. */
export async function newestEvent(context: ApiContext) {
  const newest = await loadConnection<EventNode>(context.db, { source: EVENTS }, { last: 1 });
  return newest.edges.at(0);
}

/**
 * Each event indexed after the subscription started that matches `where`, in chain order: the position is the
 * list's own cursor, so a poll is one keyset read of the events list.
 */
async function subscribeToEvents(_: unknown, { where }: { where?: object | null }, context: ApiContext) {
  requireEverything(context, "raw events");
  let after = (await newestEvent(context))?.cursor ?? null;
  return pollingIterator(async () => {
    const page = await loadConnection<Row>(
      context.db,
      { source: EVENTS, where },
      { where, after, first: EVENTS_PER_POLL },
    );
    after = page.pageInfo.endCursor ?? after;
    return page.nodes;
  }, context.subscriptionPollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
}

/**
 * Hands a subscription's item to its selection with new loaders, so each item reads the ledger afresh; a stream
 * outlives the index version its session was admitted at, so it never uses the rows shared at that version.
 */
export function freshlyLoaded<T>(item: T, _: unknown, context: ApiContext): T {
  context.sharedRows = undefined;
  context.loaders = undefined;
  return item;
}

export const eventResolvers: ResolverMap = {
  Query: {
    events: (_: unknown, args: ListArgs, context: ApiContext) => {
      requireEverything(context, "raw events");
      return loadConnection(context.db, { source: EVENTS, where: args.where }, args);
    },
  },
  Subscription: {
    events: { subscribe: subscribeToEvents, resolve: freshlyLoaded },
  },
};
