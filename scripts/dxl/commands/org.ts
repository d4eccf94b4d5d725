/** `dxl org add|suspend|reinstate`: governance manages the member organizations. */
import type { Command } from "commander";
import { Kind } from "../../lib/suite-values";
import { eventsIn, sendChecked } from "../../lib/transactions";
import { openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { parseAddress, parseKind, wholeNumber } from "../parse";
import { reportTransaction } from "../report";

interface AddOptions extends ConnectionOptions {
  kind: number;
  name: string;
  admin: string;
  metadataUri: string;
}

const KIND_NAMES = Object.fromEntries(Object.entries(Kind).map(([name, value]) => [value, name]));

/** Registers `dxl org …`. */
export function registerOrgCommands(program: Command): void {
  const org = program.command("org").description("member organizations (governance only)");
  withSignerOptions(
    org
      .command("add")
      .description("register an organization and its first ORG_ADMIN")
      .requiredOption("--kind <kind>", `what it is: ${Object.keys(Kind).join(", ")}`, parseKind)
      .requiredOption("--name <name>", "display name")
      .requiredOption("--admin <address>", "its first ORG_ADMIN", parseAddress)
      .option("--metadata-uri <uri>", "where its public description lives", ""),
  ).action(addOrganization);
  withSignerOptions(
    org
      .command("suspend")
      .description("suspend an organization: none of its members can act")
      .argument("<organizationId>", "the organization", wholeNumber(64)),
  ).action((organizationId: bigint, options: ConnectionOptions) =>
    setOrganizationActive(organizationId, false, options),
  );
  withSignerOptions(
    org
      .command("reinstate")
      .description("reinstate a suspended organization")
      .argument("<organizationId>", "the organization", wholeNumber(64)),
  ).action((organizationId: bigint, options: ConnectionOptions) =>
    setOrganizationActive(organizationId, true, options),
  );
}

async function addOrganization(options: AddOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { consortium } = suite;
  const { receipt } = await sendChecked(
    consortium.registerOrganization,
    options.kind,
    options.name,
    options.metadataUri,
    options.admin,
  );
  const [event] = eventsIn(receipt, consortium, "OrganizationRegistered");
  const organizationId = event.args.organizationId as bigint;
  reportTransaction(
    output,
    receipt,
    `organization ${organizationId} registered: ${options.name} (${KIND_NAMES[options.kind]}), admin ${options.admin}`,
    { organizationId },
  );
}

async function setOrganizationActive(organizationId: bigint, active: boolean, options: ConnectionOptions) {
  const { suite, output } = await openSigningSuite(options);
  const { consortium } = suite;
  const method = active ? consortium.reinstateOrganization : consortium.suspendOrganization;
  const { receipt } = await sendChecked(method, organizationId);
  reportTransaction(output, receipt, `organization ${organizationId} ${active ? "reinstated" : "suspended"}`, {
    organizationId,
  });
}
