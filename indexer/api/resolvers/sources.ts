/** Data sources and their schema versions: visible to every signed-in caller. */
import { loadConnection } from "../data/connection";
import type { ListArgs } from "../data/connection";
import { DATA_SOURCES } from "../data/tables";
import type { ApiContext } from "../types";
import { loadersOf } from "./shared";
import type { ResolverMap, Row } from "./shared";

/** A source's attestations list newest first unless the caller orders them. */
const NEWEST_FIRST = { field: "ID", direction: "DESC" } as const;

export const sourceResolvers: ResolverMap = {
  Query: {
    dataSource: (_: unknown, { id }: { id: string }, context: ApiContext) => loadersOf(context).dataSource.load(id),
    dataSources: (_: unknown, args: ListArgs, context: ApiContext) =>
      loadConnection(context.db, { source: DATA_SOURCES, where: args.where }, args),
  },
  DataSource: {
    organization: (source: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).organization.load(source.organizationId as string),
    schemaVersions: (source: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).schemaVersionsOfSource.load(source.id as string),
    attestations: (source: Row, args: ListArgs, context: ApiContext) =>
      loadersOf(context)
        .attestationsOfSource({ ...args, orderBy: args.orderBy ?? NEWEST_FIRST })
        .load(source.id as string),
  },
};
