/** Step 1: governance registers the organizations, and each organization's admin adds its members. */
import { Kind } from "../suite-values";
import type { ScenarioContext } from "./context";
import { membersOf, ORGANIZATIONS, roleMaskOf } from "./organizations";
import type { OrganizationKey, OrganizationPlan } from "./organizations";
import { countMembers } from "./summary";
import type { MemberSummary, OrganizationSummary } from "./summary";

/** Organization ids by key, as registered. */
export type OrganizationIds = Record<OrganizationKey, number>;

/**
 * Registers every organization of the scenario (governance signs), then adds their members (each admin signs
 * for its own organization, the organizations side by side).
 * @returns the organizations as registered, in registration order.
 */
export async function registerOrganizations(context: ScenarioContext): Promise<OrganizationSummary[]> {
  const { consortium } = context.suite;
  const firstId = Number(await consortium.organizationCount()) + 1;
  for (const organization of ORGANIZATIONS) {
    await context.sender.send(
      consortium
        .connect(context.accounts.governance)
        .registerOrganization(
          Kind[organization.kind],
          organization.name,
          organization.metadataURI,
          context.addresses[organization.admin],
          context.sender.call,
        ),
    );
  }
  const summaries = ORGANIZATIONS.map((organization, index) => summarize(context, organization, firstId + index));
  await Promise.all(summaries.map((summary, index) => addMembers(context, ORGANIZATIONS[index], summary.id)));
  context.report("organizations", `${summaries.length} organizations, ${countMembers(summaries)} members`);
  return summaries;
}

/** Organization ids by key. */
export function organizationIdsOf(organizations: readonly OrganizationSummary[]): OrganizationIds {
  return Object.fromEntries(organizations.map(({ key, id }) => [key, id])) as OrganizationIds;
}

/** The admin adds the organization's other members, one after the other. */
async function addMembers(context: ScenarioContext, organization: OrganizationPlan, organizationId: number) {
  const consortium = context.suite.consortium.connect(context.accounts[organization.admin]);
  for (const member of organization.members) {
    const roles = roleMaskOf(member.roles);
    await context.sender.send(
      consortium.addMember(organizationId, context.addresses[member.account], roles, context.sender.call),
    );
  }
}

function summarize(context: ScenarioContext, organization: OrganizationPlan, id: number): OrganizationSummary {
  const members: MemberSummary[] = membersOf(organization).map((member) => ({
    account: member.account,
    address: context.addresses[member.account],
    roles: [...member.roles],
    roleMask: roleMaskOf(member.roles),
  }));
  return {
    key: organization.key,
    id,
    kind: organization.kind,
    name: organization.name,
    metadataURI: organization.metadataURI,
    members,
  };
}
