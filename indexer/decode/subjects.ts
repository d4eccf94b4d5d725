import type { JsonValue } from "./decoder";

/**
 * Which entity each event is about, as `kind:key`: the projections recompute an entity from all the events of
 * its subject. Accounts are lower-cased so one account is one subject whatever checksum casing a node returns.
 */
const SUBJECT_KEYS: Record<string, { kind: string; key: string }> = {
  OrganizationRegistered: { kind: "organization", key: "organizationId" },
  OrganizationSuspended: { kind: "organization", key: "organizationId" },
  OrganizationReinstated: { kind: "organization", key: "organizationId" },
  MemberAdded: { kind: "member", key: "account" },
  MemberRolesUpdated: { kind: "member", key: "account" },
  MemberRemoved: { kind: "member", key: "account" },
  DataSourceRegistered: { kind: "source", key: "sourceId" },
  DataSourceSchemaUpdated: { kind: "source", key: "sourceId" },
  DataSourceRetired: { kind: "source", key: "sourceId" },
  AttestationRecorded: { kind: "attestation", key: "attestationId" },
  AttestationRevoked: { kind: "attestation", key: "attestationId" },
  AccessRequested: { kind: "request", key: "requestId" },
  RequestEndorsed: { kind: "request", key: "requestId" },
  RequestApproved: { kind: "request", key: "requestId" },
  RequestRejected: { kind: "request", key: "requestId" },
  GrantRevoked: { kind: "request", key: "requestId" },
  DeliveryRecorded: { kind: "delivery", key: "deliveryId" },
  DeliveryAcknowledged: { kind: "delivery", key: "deliveryId" },
};

/** The subject of a decoded event, or null for events no projection keeps (roles, pause, settings). */
export function subjectOf(eventName: string, args: Record<string, JsonValue>): string | null {
  const rule = SUBJECT_KEYS[eventName];
  if (!rule) return null;
  return `${rule.kind}:${String(args[rule.key]).toLowerCase()}`;
}
