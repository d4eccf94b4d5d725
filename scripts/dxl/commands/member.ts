/** `dxl member add|remove|roles`: an organization's ORG_ADMIN (or governance) manages its accounts and roles. */
import type { Command } from "commander";
import { sendChecked } from "../../lib/transactions";
import { openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { parseAddress, parseRoles, roleNames, wholeNumber } from "../parse";
import { reportTransaction } from "../report";

interface RolesOptions extends ConnectionOptions {
  roles: number;
}

interface AddOptions extends RolesOptions {
  org: bigint;
}

const ROLES_HELP = "comma-separated roles: ORG_ADMIN, DATA_STEWARD, INVESTIGATOR, SUPERVISOR, AUDITOR";

/** Registers `dxl member …`. */
export function registerMemberCommands(program: Command): void {
  const member = program.command("member").description("accounts of an organization and their roles");
  withSignerOptions(
    member
      .command("add")
      .description("add an account to an organization with roles")
      .argument("<account>", "the account", parseAddress)
      .requiredOption("--org <organizationId>", "the organization", wholeNumber(64))
      .requiredOption("--roles <roles>", ROLES_HELP, parseRoles),
  ).action(addMember);
  withSignerOptions(
    member
      .command("remove")
      .description("remove an account from its organization")
      .argument("<account>", "the account", parseAddress),
  ).action(removeMember);
  withSignerOptions(
    member
      .command("roles")
      .description("replace a member's roles")
      .argument("<account>", "the account", parseAddress)
      .requiredOption("--roles <roles>", ROLES_HELP, parseRoles),
  ).action(setRoles);
}

async function addMember(account: string, options: AddOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { receipt } = await sendChecked(suite.consortium.addMember, options.org, account, options.roles);
  const roles = roleNames(options.roles);
  reportTransaction(output, receipt, `${account} added to organization ${options.org} as ${roles.join(", ")}`, {
    account,
    organizationId: options.org,
    roles,
  });
}

async function removeMember(account: string, options: ConnectionOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { receipt } = await sendChecked(suite.consortium.removeMember, account);
  reportTransaction(output, receipt, `${account} removed from its organization`, { account });
}

async function setRoles(account: string, options: RolesOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { receipt } = await sendChecked(suite.consortium.setMemberRoles, account, options.roles);
  const roles = roleNames(options.roles);
  reportTransaction(output, receipt, `${account} now holds ${roles.join(", ")}`, { account, roles });
}
