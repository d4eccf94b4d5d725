/**
 * The scenario's member organizations and their people: three kinds of data holders (a telecom operator, a bank,
 * a water and a power utility), the public security bureau that investigates, and the oversight office that
 * audits. Each organization's first account is its ORG_ADMIN, registered by governance; the others are added by
 * that admin.
 */
import { Kind, Role, roleMask } from "../suite-values";
import type { ScenarioAccountName } from "./accounts";

/** A role's name, as `Role` of suite-values spells it. */
export type RoleName = keyof typeof Role;

/** An account of an organization and the roles it holds there. */
export interface MemberPlan {
  account: ScenarioAccountName;
  roles: readonly RoleName[];
}

/** An organization as the scenario registers it. */
export interface OrganizationPlan {
  /** How the scenario refers to it (`telecom`, `bureau`…). */
  key: OrganizationKey;
  kind: keyof typeof Kind;
  name: string;
  metadataURI: string;
  /** Its ORG_ADMIN, named at registration. */
  admin: ScenarioAccountName;
  /** Everyone else, added by the admin. */
  members: readonly MemberPlan[];
}

/** The keys of the scenario's organizations. */
export type OrganizationKey = "telecom" | "bank" | "water" | "power" | "bureau" | "oversight";

/** The organizations in registration order: organization `i` of a fresh suite gets id `i + 1`. */
export const ORGANIZATIONS: readonly OrganizationPlan[] = [
  {
    key: "telecom",
    kind: "TELECOM",
    name: "Metro Telecom",
    metadataURI: "https://metro-telecom.example/dxl.json",
    admin: "telecomAdmin",
    members: [{ account: "telecomSteward", roles: ["DATA_STEWARD"] }],
  },
  {
    key: "bank",
    kind: "BANK",
    name: "City Commercial Bank",
    metadataURI: "https://city-bank.example/dxl.json",
    admin: "bankAdmin",
    members: [{ account: "bankSteward", roles: ["DATA_STEWARD"] }],
  },
  {
    key: "water",
    kind: "WATER_UTILITY",
    name: "Municipal Water Works",
    metadataURI: "https://water.city.example/dxl.json",
    admin: "waterAdmin",
    members: [{ account: "waterSteward", roles: ["DATA_STEWARD"] }],
  },
  {
    key: "power",
    kind: "POWER_UTILITY",
    name: "City Power Grid",
    metadataURI: "https://power.city.example/dxl.json",
    admin: "powerAdmin",
    members: [{ account: "powerSteward", roles: ["DATA_STEWARD"] }],
  },
  {
    key: "bureau",
    kind: "PUBLIC_SECURITY",
    name: "Public Security Bureau",
    metadataURI: "https://psb.city.example/dxl.json",
    admin: "bureauAdmin",
    members: [
      { account: "leadInvestigator", roles: ["INVESTIGATOR"] },
      { account: "fraudInvestigator", roles: ["INVESTIGATOR"] },
      { account: "dutySupervisor", roles: ["SUPERVISOR"] },
      // A senior officer who both investigates and supervises (never endorsing a request of their own).
      { account: "chiefSupervisor", roles: ["SUPERVISOR", "INVESTIGATOR"] },
    ],
  },
  {
    key: "oversight",
    kind: "OVERSIGHT",
    name: "Data Oversight Office",
    metadataURI: "https://oversight.city.example/dxl.json",
    admin: "oversightAdmin",
    members: [{ account: "auditor", roles: ["AUDITOR"] }],
  },
];

/** Every account of `organization` with its roles, the admin first. */
export function membersOf(organization: OrganizationPlan): MemberPlan[] {
  return [{ account: organization.admin, roles: ["ORG_ADMIN"] }, ...organization.members];
}

/** The DATA_STEWARD of the holder `key`: who registers its sources, attests, decides and delivers. */
export function stewardOf(key: OrganizationKey): ScenarioAccountName {
  const organization = ORGANIZATIONS.find((candidate) => candidate.key === key);
  const steward = organization && membersOf(organization).find((member) => member.roles.includes("DATA_STEWARD"));
  if (!steward) throw new Error(`the scenario's organization "${key}" has no DATA_STEWARD`);
  return steward.account;
}

/** The contracts' bit mask of `roles`. */
export function roleMaskOf(roles: readonly RoleName[]): number {
  return roleMask(...roles.map((role) => Role[role]));
}
