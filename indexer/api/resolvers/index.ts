/**
 * Every resolver, merged by type, with the sign-in check put in front of each root field: nested fields are only
 * reachable through a root field, so this one gate covers the whole graph.
 */
import { requireSignedIn } from "../access";
import type { ApiContext } from "../types";
import { attestationResolvers } from "./attestations";
import { caseTrailResolvers } from "./case-trail";
import { eventResolvers } from "./events";
import { operationResolvers } from "./operations";
import { organizationResolvers } from "./organizations";
import { requestResolvers } from "./requests";
import type { ResolverMap } from "./shared";
import { sourceResolvers } from "./sources";
import { statisticsResolvers } from "./statistics";

/** Root fields anonymous callers may read. */
const PUBLIC_QUERY_FIELDS = new Set(["indexerStatus"]);

type RootResolver = (root: unknown, args: unknown, context: ApiContext, info: unknown) => unknown;

function signedInOnly(resolve: RootResolver): RootResolver {
  return (root, args, context, info) => {
    requireSignedIn(context);
    return resolve(root, args, context, info);
  };
}

function mergeResolvers(maps: readonly ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  }
  return merged;
}

/** Query fields behind the gate; subscriptions check in their `subscribe`, which runs before any polling. */
function gateQueryFields(resolvers: ResolverMap): ResolverMap {
  const query = Object.entries(resolvers.Query).map(([field, resolve]) => [
    field,
    PUBLIC_QUERY_FIELDS.has(field) ? resolve : signedInOnly(resolve as RootResolver),
  ]);
  return { ...resolvers, Query: Object.fromEntries(query) };
}

export const resolvers: ResolverMap = gateQueryFields(
  mergeResolvers([
    organizationResolvers,
    sourceResolvers,
    attestationResolvers,
    requestResolvers,
    eventResolvers,
    caseTrailResolvers,
    statisticsResolvers,
    operationResolvers,
  ]),
);
