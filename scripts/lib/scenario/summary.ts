/**
 * What a seeding produced, as written to `<dataDir>/summary.json`: enough for a second start to print the
 * scenario without seeding it again, and for tests to check the chain against. Ids are numbers (they are small),
 * hashes and addresses 0x-hex, times unix seconds, files relative to the data folder.
 */
import fs from "node:fs";
import path from "node:path";
import type { OrganizationKey, RoleName } from "./organizations";

/** The summary's format name. */
export const SUMMARY_FORMAT = "dxl-scenario-summary-v1";
/** The summary's file name inside the data folder. */
export const SUMMARY_FILE = "summary.json";

/** A request's status as `AccessGrants.getGrant` stores it. */
export type StoredRequestStatus = "PENDING" | "APPROVED" | "REJECTED" | "REVOKED";
/** A request's status as the API computes it at the chain's time (see `AccessRequestStatus` in the schema). */
export type ComputedRequestStatus = StoredRequestStatus | "ACTIVE" | "EXHAUSTED" | "EXPIRED";
/** A delivery's acknowledgement. */
export type AcknowledgementName = "NONE" | "ACCEPTED" | "DISPUTED";

/** An account of an organization. */
export interface MemberSummary {
  /** The scenario's name for the account (`leadInvestigator`); see `accounts.ts`. */
  account: string;
  address: string;
  roles: RoleName[];
  roleMask: number;
}

/** A registered organization. */
export interface OrganizationSummary {
  key: string;
  id: number;
  kind: string;
  name: string;
  metadataURI: string;
  members: MemberSummary[];
}

/** A registered data source and its attested batches. */
export interface SourceSummary {
  name: string;
  sourceId: string;
  holder: OrganizationKey;
  organizationId: number;
  sensitivity: number;
  endorsementRequired: boolean;
  schemaHash: string;
  schemaURI: string;
  schemaFile: string;
  recordCount: number;
  attestationIds: number[];
}

/** An attested batch and where its records and proofs are. */
export interface AttestationSummary {
  id: number;
  source: string;
  sourceId: string;
  merkleRoot: string;
  recordCount: number;
  periodStart: number;
  periodEnd: number;
  previousAttestationId: number;
  recordsFile: string;
  proofsFile: string;
}

/** What a request asks for, off chain: the keccak256 of its RFC 8785 canonical JSON is the request's `scopeHash`. */
export interface RequestScope {
  source: string;
  /** The records asked for are those whose `field` is `value`, from `from` to `to` (RFC 3339). */
  field: string;
  value: string;
  from: string;
  to: string;
}

/** An access request, how it went, and how it should stand at the end. */
export interface RequestSummary {
  key: string;
  requestId: string;
  source: string;
  requester: string;
  /** `direct`: sent by the requester; `relayed`: signed by the requester, sent by the relayer. */
  submission: "direct" | "relayed";
  /** `none`, or the supervisor's endorsement: sent by the supervisor, or signed and relayed. */
  endorsement: "none" | "direct" | "relayed";
  /** The holder's decision. */
  decision: "approved" | "rejected" | "none";
  /** Who revoked the request (a scenario account), or null. */
  revokedBy: string | null;
  purpose: number;
  scope: RequestScope;
  scopeHash: string;
  notBefore: number;
  notAfter: number;
  maxDeliveries: number;
  deliveryIds: number[];
  expected: { storedStatus: StoredRequestStatus; status: ComputedRequestStatus; isUsable: boolean };
}

/** A request as it ran, before the chain's clock moved and its expected status could be told. */
export type RequestOutcome = Omit<RequestSummary, "expected">;

/** A case as it ran, its requests without their expected status. */
export type CaseOutcome = Omit<CaseSummary, "requests"> & { requests: RequestOutcome[] };

/** A case and its requests. */
export interface CaseSummary {
  caseNumber: string;
  /** `keccak256("case:" + caseNumber)`: all the chain knows of the case. */
  caseRef: string;
  title: string;
  requests: RequestSummary[];
}

/** A recorded delivery, its payload files and its acknowledgement. */
export interface DeliverySummary {
  id: number;
  requestId: string;
  attestationId: number;
  recordCount: number;
  payloadHash: string;
  recordsFile: string;
  proofsFile: string;
  acknowledgement: AcknowledgementName;
  reasonCode: number;
}

/** Everything a seeding produced. */
export interface ScenarioSummary {
  format: typeof SUMMARY_FORMAT;
  seed: number;
  chainId: number;
  contracts: { consortium: string; dataSources: string; attestations: string; accessGrants: string };
  /** The scenario's start, and the chain's time once it was seeded (after the expiry). */
  clock: { start: number; end: number };
  recordsPerBatch: number;
  organizations: OrganizationSummary[];
  sources: SourceSummary[];
  attestations: AttestationSummary[];
  cases: CaseSummary[];
  deliveries: DeliverySummary[];
  counts: {
    organizations: number;
    members: number;
    sources: number;
    attestations: number;
    records: number;
    cases: number;
    requests: number;
    deliveries: number;
    transactions: number;
  };
  /** How long the seeding took, in milliseconds (the only field that differs between two seedings). */
  durationMs: number;
}

/** What a seeding did, before it is counted and summarized. */
export type SeedingResult = Omit<ScenarioSummary, "format" | "counts"> & { transactions: number };

/** The summary of a seeding: its result, with its format and counts. */
export function summarize(result: SeedingResult): ScenarioSummary {
  const { transactions, ...rest } = result;
  const requests = result.cases.flatMap((each) => each.requests);
  return {
    format: SUMMARY_FORMAT,
    ...rest,
    counts: {
      organizations: result.organizations.length,
      members: countMembers(result.organizations),
      sources: result.sources.length,
      attestations: result.attestations.length,
      records: result.attestations.reduce((total, attestation) => total + attestation.recordCount, 0),
      cases: result.cases.length,
      requests: requests.length,
      deliveries: result.deliveries.length,
      transactions,
    },
  };
}

/** How many accounts the organizations have together. */
export function countMembers(organizations: readonly OrganizationSummary[]): number {
  return organizations.reduce((total, organization) => total + organization.members.length, 0);
}

/** The summary of the source named `name`. */
export function sourceSummaryNamed(sources: readonly SourceSummary[], name: string): SourceSummary {
  const source = sources.find((candidate) => candidate.name === name);
  if (!source) throw new Error(`the scenario has no source named "${name}"`);
  return source;
}

/** Writes `summary` to `<dataDir>/summary.json` (atomically: a temporary file, then a rename). */
export function writeScenarioSummary(dataDir: string, summary: ScenarioSummary): string {
  const file = path.join(dataDir, SUMMARY_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(summary, null, 2)}\n`);
  fs.renameSync(temporary, file);
  return file;
}

/** The summary a seeding wrote into `dataDir`, or undefined when there is none (or it is of another format). */
export function readScenarioSummary(dataDir: string): ScenarioSummary | undefined {
  const file = path.join(dataDir, SUMMARY_FILE);
  if (!fs.existsSync(file)) return undefined;
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as ScenarioSummary;
  return summary.format === SUMMARY_FORMAT ? summary : undefined;
}
