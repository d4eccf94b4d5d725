/** The service's own state: where the indexer stands (public) and the audit log of served operations. */
import { requireEverything } from "../access";
import { loadConnection } from "../data/connection";
import type { ListArgs } from "../data/connection";
import { loadIndexerStatus } from "../data/indexer-status";
import { QUERY_AUDIT } from "../data/tables";
import type { ApiContext } from "../types";
import type { ResolverMap } from "./shared";

export const operationResolvers: ResolverMap = {
  Query: {
    indexerStatus: (_: unknown, __: unknown, context: ApiContext) =>
      loadIndexerStatus(context.db, context.indexerHead?.() ?? null),
    queryAudit: (_: unknown, args: ListArgs, context: ApiContext) => {
      requireEverything(context, "the audit log's entries");
      return loadConnection(context.db, { source: QUERY_AUDIT, where: args.where }, args);
    },
  },
};
