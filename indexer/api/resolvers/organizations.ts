/** Organizations and their members: visible to every signed-in caller. */
import { loadConnection } from "../data/connection";
import type { ListArgs } from "../data/connection";
import { int64 } from "../data/sql";
import { ORGANIZATIONS } from "../data/tables";
import { ROLES } from "../types";
import type { ApiContext } from "../types";
import { loadersOf } from "./shared";
import type { ResolverMap, Row } from "./shared";

export const organizationResolvers: ResolverMap = {
  Query: {
    viewer: (_: unknown, __: unknown, context: ApiContext) =>
      context.viewer.kind === "member" ? loadersOf(context).member.load(context.viewer.account.toLowerCase()) : null,
    organization: (_: unknown, { id }: { id: string }, context: ApiContext) =>
      loadersOf(context).organization.load(int64(id)),
    organizations: (_: unknown, args: ListArgs, context: ApiContext) =>
      loadConnection(context.db, { source: ORGANIZATIONS, where: args.where }, args),
  },
  Organization: {
    members: (organization: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).membersOfOrganization.load(organization.id as string),
    dataSources: (organization: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).dataSourcesOfOrganization.load(organization.id as string),
  },
  Member: {
    organization: (member: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).organization.load(member.organizationId as string),
    /** `members.roles` is a mask: bit i set means the account holds ROLES[i]. */
    roles: (member: Row) => ROLES.filter((_, bit) => ((member.roleMask as number) & (1 << bit)) !== 0),
  },
};
