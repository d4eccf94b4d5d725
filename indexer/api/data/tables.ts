/**
 * What each listed entity is in SQL: its rows (aliased `t`), the columns selected under the GraphQL field names
 * (so default resolvers serve most fields), its primary key, its sort orders and its filters. The connection
 * builder and the loaders both read rows through these, so a node looks the same however it was reached.
 */
import type { SqlType, WhereFilters } from "./sql";
import { accessRequestHasStatusSql, accessRequestStatusSql, INDEXED_HEAD_TIME_SQL } from "./status";

/** One column of a sort key. */
export interface SortColumn {
  sql: string;
  type: SqlType;
}

export type OrderDirection = "ASC" | "DESC";

/** An `orderBy` input: a field of the entity's order enum and a direction. */
export interface Order {
  field: string;
  direction: OrderDirection;
}

/** A listable entity. */
export interface ListSource {
  /** The rows, aliased `t`: a table or a derived table. */
  from: string;
  /** The SELECT list, aliased to the GraphQL field names. */
  columns: string;
  /** The primary key: the tiebreak of every order, so equal sort values still page stably. */
  key: SortColumn[];
  /** The sort key of each order field; the key's columns are appended. */
  orders: Record<string, SortColumn[]>;
  /** The order when the caller gives none. */
  defaultOrder: Order;
  /** The `where` fields. */
  filters: WhereFilters;
}

export const bigint = (sql: string): SortColumn => ({ sql, type: "bigint" });
export const text = (sql: string): SortColumn => ({ sql, type: "text" });
const integer = (sql: string): SortColumn => ({ sql, type: "integer" });
const time = (sql: string): SortColumn => ({ sql, type: "timestamptz" });
/** Names sort by code point ("C"), which PGlite and every PostgreSQL server do alike whatever their locale. */
const byName = (sql: string): SortColumn => ({ sql: `${sql} COLLATE "C"`, type: "text" });

export const ORGANIZATIONS: ListSource = {
  from: "organizations t",
  columns: `t.organization_id AS id, t.kind, t.name, t.metadata_uri AS "metadataURI", t.active,
    t.registered_at AS "registeredAt", t.registered_block AS "registeredBlock"`,
  key: [bigint("t.organization_id")],
  orders: { ID: [], NAME: [byName("t.name")], REGISTERED_AT: [time("t.registered_at")] },
  defaultOrder: { field: "ID", direction: "ASC" },
  filters: {
    id: { kind: "bigint", sql: "t.organization_id" },
    kind: { kind: "oneOf", sql: "t.kind", type: "text" },
    name: { kind: "string", sql: "t.name" },
    active: { kind: "equals", sql: "t.active", type: "boolean" },
  },
};

export const MEMBERS_COLUMNS = `t.account, t.organization_id AS "organizationId", t.roles AS "roleMask",
  t.added_block AS "addedBlock"`;

export const DATA_SOURCES: ListSource = {
  from: "data_sources t",
  columns: `t.source_id AS id, t.organization_id AS "organizationId", t.name, t.sensitivity,
    t.endorsement_required AS "endorsementRequired", t.schema_version AS "schemaVersion", t.retired,
    t.registered_at AS "registeredAt"`,
  key: [text("t.source_id")],
  orders: {
    NAME: [byName("t.name")],
    SENSITIVITY: [integer("t.sensitivity")],
    REGISTERED_AT: [time("t.registered_at")],
  },
  defaultOrder: { field: "NAME", direction: "ASC" },
  filters: {
    id: { kind: "oneOf", sql: "t.source_id", type: "text" },
    organizationId: { kind: "bigint", sql: "t.organization_id" },
    name: { kind: "string", sql: "t.name" },
    sensitivity: { kind: "bigint", sql: "t.sensitivity" },
    retired: { kind: "equals", sql: "t.retired", type: "boolean" },
  },
};

export const SCHEMA_VERSIONS_COLUMNS = `t.source_id AS "sourceId", t.schema_version AS version,
  t.schema_hash AS "schemaHash", t.schema_uri AS "schemaURI", t.published_at AS "publishedAt"`;

export const ATTESTATIONS: ListSource = {
  from: "attestations t",
  columns: `t.attestation_id AS id, t.source_id AS "sourceId", t.organization_id AS "organizationId",
    t.merkle_root AS "merkleRoot", t.record_count AS "recordCount", to_timestamp(t.period_start) AS "periodStart",
    to_timestamp(t.period_end) AS "periodEnd", t.previous_attestation_id AS "previousAttestationId",
    t.data_uri AS "dataURI", t.chain_digest AS "chainDigest", t.attester, t.attested_at AS "attestedAt",
    t.transaction_hash AS "transactionHash", t.revoked`,
  key: [bigint("t.attestation_id")],
  orders: {
    ID: [],
    ATTESTED_AT: [time("t.attested_at")],
    RECORD_COUNT: [bigint("t.record_count")],
    PERIOD_START: [bigint("t.period_start")],
  },
  defaultOrder: { field: "ID", direction: "ASC" },
  filters: {
    id: { kind: "bigint", sql: "t.attestation_id" },
    sourceId: { kind: "oneOf", sql: "t.source_id", type: "text" },
    organizationId: { kind: "bigint", sql: "t.organization_id" },
    merkleRoot: { kind: "equals", sql: "t.merkle_root", type: "text" },
    recordCount: { kind: "bigint", sql: "t.record_count" },
    periodStart: { kind: "time", sql: "to_timestamp(t.period_start)" },
    attestedAt: { kind: "time", sql: "t.attested_at" },
    revoked: { kind: "equals", sql: "t.revoked", type: "boolean" },
  },
};

/** Requests with their delivery count, the head time and current status (see status.ts) as columns. */
const REQUESTS_WITH_STATUS = `(
  SELECT r.*, n.delivery_count, h.head_time,
    ${accessRequestStatusSql("r", "n.delivery_count", "h.head_time")} AS current_status
  FROM access_requests r
  CROSS JOIN (SELECT ${INDEXED_HEAD_TIME_SQL} AS head_time) h
  CROSS JOIN LATERAL (SELECT count(*)::integer AS delivery_count FROM deliveries d
    WHERE d.request_id = r.request_id) n
) t`;

export const ACCESS_REQUESTS: ListSource = {
  from: REQUESTS_WITH_STATUS,
  columns: `t.request_id AS id, t.requester, t.requester_organization_id AS "requesterOrganizationId",
    t.holder_organization_id AS "holderOrganizationId", t.source_id AS "sourceId", t.case_ref AS "caseRef",
    t.scope_hash AS "scopeHash", t.purpose, to_timestamp(t.not_before) AS "notBefore",
    to_timestamp(t.not_after) AS "notAfter", t.max_deliveries AS "maxDeliveries", t.submitter,
    t.endorsement_required AS "endorsementRequired", t.endorsed_by AS "endorsedBy",
    t.endorsed_by_signature AS "endorsedBySignature", t.endorsed_at AS "endorsedAt", t.decided_by AS "decidedBy",
    t.decided_at AS "decidedAt", t.rejection_reason AS "rejectionReason", t.current_status AS status,
    t.delivery_count AS "deliveryCount", t.requested_at AS "requestedAt", t.requested_block AS "requestedBlock"`,
  key: [text("t.request_id")],
  orders: { REQUESTED_AT: [time("t.requested_at")], NOT_AFTER: [bigint("t.not_after")] },
  defaultOrder: { field: "REQUESTED_AT", direction: "ASC" },
  filters: {
    id: { kind: "oneOf", sql: "t.request_id", type: "text" },
    requester: { kind: "oneOf", sql: "t.requester", type: "text" },
    requesterOrganizationId: { kind: "bigint", sql: "t.requester_organization_id" },
    holderOrganizationId: { kind: "bigint", sql: "t.holder_organization_id" },
    sourceId: { kind: "oneOf", sql: "t.source_id", type: "text" },
    caseRef: { kind: "equals", sql: "t.case_ref", type: "text" },
    purpose: { kind: "bigint", sql: "t.purpose" },
    status: {
      kind: "anyOfConditions",
      conditionOf: (status) => accessRequestHasStatusSql("t", "t.delivery_count", "t.head_time", status),
    },
    requestedAt: { kind: "time", sql: "t.requested_at" },
    notAfter: { kind: "time", sql: "to_timestamp(t.not_after)" },
  },
};

/** Deliveries with the parties of their request, which decide who may see them. */
export const DELIVERIES: ListSource = {
  from: `(SELECT d.*, r.requester_organization_id, r.holder_organization_id FROM deliveries d
    JOIN access_requests r ON r.request_id = d.request_id) t`,
  columns: `t.delivery_id AS id, t.request_id AS "requestId", t.attestation_id AS "attestationId",
    t.payload_hash AS "payloadHash", t.record_count AS "recordCount", t.delivery_number AS "deliveryNumber",
    t.steward, t.transaction_hash AS "transactionHash", t.delivered_at AS "deliveredAt", t.acknowledgement,
    t.acknowledgement_reason AS "acknowledgementReason", t.acknowledged_at AS "acknowledgedAt",
    t.requester_organization_id AS "requesterOrganizationId", t.holder_organization_id AS "holderOrganizationId"`,
  key: [bigint("t.delivery_id")],
  orders: { ID: [], DELIVERED_AT: [time("t.delivered_at")] },
  defaultOrder: { field: "ID", direction: "ASC" },
  filters: {
    id: { kind: "bigint", sql: "t.delivery_id" },
    requestId: { kind: "oneOf", sql: "t.request_id", type: "text" },
    attestationId: { kind: "bigint", sql: "t.attestation_id" },
    acknowledgement: { kind: "oneOf", sql: "t.acknowledgement", type: "text" },
    deliveredAt: { kind: "time", sql: "t.delivered_at" },
  },
};

/** An event as listed: its position in the chain's order is what subscriptions resume from. */
export type EventNode = Record<string, unknown> & { blockNumber: string; logIndex: number };

export const EVENTS: ListSource = {
  from: "events t",
  columns: `t.chain_id AS "chainId", t.block_number AS "blockNumber", t.block_hash AS "blockHash",
    to_timestamp(t.block_timestamp) AS "blockTime", t.transaction_hash AS "transactionHash", t.log_index AS "logIndex",
    t.contract_name AS contract, t.contract_address AS "contractAddress", t.event_name AS name, t.args`,
  key: [integer("t.chain_id"), text("t.block_hash"), integer("t.log_index")],
  // Led by the chain id so keyset reads (and every subscription poll) walk the events_by_position index.
  orders: { POSITION: [integer("t.chain_id"), bigint("t.block_number"), integer("t.log_index")] },
  defaultOrder: { field: "POSITION", direction: "ASC" },
  filters: {
    name: { kind: "oneOf", sql: "t.event_name", type: "text" },
    contract: { kind: "oneOf", sql: "t.contract_name", type: "text" },
    blockNumber: { kind: "bigint", sql: "t.block_number" },
    blockTime: { kind: "time", sql: "to_timestamp(t.block_timestamp)" },
    transactionHash: { kind: "equals", sql: "t.transaction_hash", type: "text" },
  },
};

export const QUERY_AUDIT: ListSource = {
  from: "query_audit_log t",
  columns: `t.id, t.account, t.served_at AS "servedAt", t.operation_name AS "operationName",
    t.document_hash AS "documentHash", t.variables_hash AS "variablesHash", t.result_bytes AS "resultBytes",
    t.duration_ms AS "durationMs", t.error_codes AS "errorCodes"`,
  key: [bigint("t.id")],
  orders: { ID: [], SERVED_AT: [time("t.served_at")] },
  defaultOrder: { field: "ID", direction: "DESC" },
  filters: {
    account: { kind: "oneOf", sql: "t.account", type: "text" },
    operationName: { kind: "string", sql: "t.operation_name" },
    servedAt: { kind: "time", sql: "t.served_at" },
  },
};
