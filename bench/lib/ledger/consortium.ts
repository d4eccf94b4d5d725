/**
 * The synthetic consortium the API bench fills its ledger with: holders of every kind with their stewards and
 * data sources, the public security bureau with its investigators and supervisors, and an oversight office whose
 * auditors (the bench's own signing account among them) read everything. Accounts are derived from labels, so the
 * same consortium comes out on every run.
 */
import { AbiCoder, dataSlice, id, keccak256 } from "ethers";
import { Kind, Role, roleMask } from "../../../scripts/lib/suite-values";
import { hashOf } from "./hashes";

type KindName = keyof typeof Kind;

/** Bits of a member's role mask (`1 << Role`). */
export const ROLE_BIT = {
  ORG_ADMIN: roleMask(Role.ORG_ADMIN),
  DATA_STEWARD: roleMask(Role.DATA_STEWARD),
  INVESTIGATOR: roleMask(Role.INVESTIGATOR),
  SUPERVISOR: roleMask(Role.SUPERVISOR),
  AUDITOR: roleMask(Role.AUDITOR),
} as const;

/** `DataSourceRegistry.ENDORSEMENT_SENSITIVITY`: from this tier on, requests always need a supervisor. */
const ENDORSEMENT_SENSITIVITY = 2;

export interface Member {
  account: string;
  roles: number;
}

export interface DataSource {
  id: string;
  organizationId: number;
  name: string;
  sensitivity: number;
  endorsementRequired: boolean;
  schemaHash: string;
  schemaURI: string;
  steward: string;
}

export interface Organization {
  id: number;
  kind: number;
  name: string;
  metadataURI: string;
  /** The first ORG_ADMIN, added by governance at registration; it adds the others. */
  admin: string;
  /** Every member but the admin. */
  members: Member[];
  sources: DataSource[];
}

export interface Consortium {
  governance: string;
  organizations: Organization[];
  /** Organizations that offer data sources. */
  holders: Organization[];
  /** The public security bureau, whose investigators send every request. */
  bureau: Organization;
  sources: DataSource[];
  investigators: string[];
  supervisors: string[];
  /** The account that relays signed requests and endorsements for the bureau. */
  relayer: string;
}

/** Holders by kind: how many of each kind, and the sources (name, sensitivity tier) each offers. */
const HOLDERS: { kind: KindName; names: string[]; sources: [string, number][] }[] = [
  {
    kind: "TELECOM",
    names: ["Northern Telecom", "Metro Mobile", "Coastal Networks"],
    sources: [
      ["subscribers", 1],
      ["call-records", 2],
      ["cell-locations", 3],
    ],
  },
  {
    kind: "BANK",
    names: ["First City Bank", "Harbour Savings", "Union Credit"],
    sources: [
      ["accounts", 1],
      ["transfers", 2],
    ],
  },
  {
    kind: "WATER_UTILITY",
    names: ["City Water", "Valley Water Works"],
    sources: [
      ["accounts", 0],
      ["usage", 1],
    ],
  },
  {
    kind: "POWER_UTILITY",
    names: ["City Power", "Grid East"],
    sources: [
      ["accounts", 0],
      ["usage", 1],
    ],
  },
  { kind: "MUNICIPAL", names: ["Residents Office", "Vehicle Registry"], sources: [["residents", 1]] },
];

const STEWARDS_PER_HOLDER = 2;
const INVESTIGATORS = 40;
const SUPERVISORS = 6;
const OTHER_AUDITORS = 2;

/** A lower-case address derived from a label: an account nobody holds a key of, which the ledger only names. */
export function accountOf(label: string): string {
  return dataSlice(id(`dxl bench account ${label}`), 12);
}

/** `keccak256(abi.encode(organizationId, name))`, as DataSourceRegistry derives it. */
function sourceIdOf(organizationId: number, name: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "string"], [organizationId, name]));
}

/** The consortium, with `auditor` (the bench's signing account) an AUDITOR of the oversight office. */
export function createConsortium(auditor: string): Consortium {
  const organizations: Organization[] = [];
  const register = (kind: KindName, name: string, members: Member[]) => {
    const organizationId = organizations.length + 1;
    const organization: Organization = {
      id: organizationId,
      kind: Kind[kind],
      name,
      metadataURI: `https://consortium.example/organizations/${organizationId}`,
      admin: accountOf(`admin ${organizationId}`),
      members,
      sources: [],
    };
    organizations.push(organization);
    return organization;
  };
  const holders = HOLDERS.flatMap(({ kind, names, sources }) =>
    names.map((name) => {
      const stewards = labelled(`steward of ${name}`, STEWARDS_PER_HOLDER);
      const holder = register(kind, name, asMembers(stewards, ROLE_BIT.DATA_STEWARD));
      holder.sources = sources.map(([sourceName, sensitivity]) =>
        dataSource(holder.id, sourceName, sensitivity, stewards[0]),
      );
      return holder;
    }),
  );
  const investigators = labelled("investigator", INVESTIGATORS);
  const supervisors = labelled("supervisor", SUPERVISORS);
  const relayer = accountOf("bureau relayer");
  const bureau = register("PUBLIC_SECURITY", "City Public Security Bureau", [
    ...asMembers(investigators, ROLE_BIT.INVESTIGATOR),
    ...asMembers(supervisors, ROLE_BIT.SUPERVISOR),
    { account: relayer, roles: ROLE_BIT.INVESTIGATOR },
  ]);
  const auditors = [auditor.toLowerCase(), ...labelled("auditor", OTHER_AUDITORS)];
  register("OVERSIGHT", "Data Exchange Oversight Office", asMembers(auditors, ROLE_BIT.AUDITOR));
  return {
    governance: accountOf("governance"),
    organizations,
    holders,
    bureau,
    sources: holders.flatMap((holder) => holder.sources),
    investigators,
    supervisors,
    relayer,
  };
}

function labelled(label: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => accountOf(`${label} ${index + 1}`));
}

function asMembers(accounts: string[], roles: number): Member[] {
  return accounts.map((account) => ({ account, roles }));
}

function dataSource(organizationId: number, name: string, sensitivity: number, steward: string): DataSource {
  return {
    id: sourceIdOf(organizationId, name),
    organizationId,
    name,
    sensitivity,
    endorsementRequired: sensitivity >= ENDORSEMENT_SENSITIVITY,
    schemaHash: hashOf(`schema ${name} v1`),
    schemaURI: `https://schemas.consortium.example/${name}/v1.json`,
    steward,
  };
}
