import type { SqlExecutor } from "./database";

/**
 * The projections: tables derived from `events` alone. Each is refreshed for the subjects in the temporary table
 * `touched_subjects` (filled by the writer or the rollback): its rows for those subjects are deleted and
 * recomputed from every event of the subject. So applying a batch twice, rolling one back, or indexing from
 * scratch all leave the same rows, and no projection ever needs an undo log.
 */

/**
 * The touched subjects of one kind. Each projection looks up the events of its own kind only: a batch of 2,000
 * attestations then costs the other projections a scan of `touched_subjects`, not 2,000 index probes each.
 */
function touchedOf(kind: string): string {
  return `SELECT subject FROM touched_subjects WHERE subject LIKE '${kind}:%'`;
}

/** The subjects of one kind in `touched_subjects`, as keys of type `keyType`. */
function touchedKeys(kind: string, keyType: "bigint" | "text"): string {
  return `SELECT split_part(subject, ':', 2)::${keyType} FROM touched_subjects WHERE subject LIKE '${kind}:%'`;
}

/** Restricts `e` to the events named `eventName` of touched subjects of `kind`. */
function touchedWhere(kind: string, eventName: string): string {
  return `WHERE e.subject IN (${touchedOf(kind)}) AND e.event_name = '${eventName}'`;
}

/** The latest event of the subject of `e` among `eventNames`, as a lateral join aliased `alias`. */
function latestOf(alias: string, eventNames: string[]): string {
  const names = eventNames.map((name) => `'${name}'`).join(", ");
  return `LEFT JOIN LATERAL (
      SELECT x.event_name, x.args, x.block_number, x.block_timestamp FROM events x
      WHERE x.subject = e.subject AND x.event_name IN (${names})
      ORDER BY x.block_number DESC, x.log_index DESC LIMIT 1
    ) ${alias} ON true`;
}

const at = (alias: string) => `to_timestamp(${alias}.block_timestamp)`;

interface Projection {
  table: string;
  /** The statement that deletes the rows of touched subjects. */
  remove: string;
  /** The statement that recomputes them. */
  insert: string;
}

/** A projection with one row per subject of `kind`, keyed by `keyColumn`. */
function perSubject(table: string, kind: string, keyColumn: string, keyType: "bigint" | "text", insert: string) {
  return { table, remove: `DELETE FROM ${table} WHERE ${keyColumn} IN (${touchedKeys(kind, keyType)})`, insert };
}

const ORGANIZATIONS = perSubject(
  "organizations",
  "organization",
  "organization_id",
  "bigint",
  `INSERT INTO organizations
   SELECT (e.args->>'organizationId')::bigint, dxl_organization_kind((e.args->>'kind')::int), e.args->>'name',
     e.args->>'metadataURI', coalesce(s.event_name <> 'OrganizationSuspended', true), e.block_number, ${at("e")},
     coalesce(s.block_number, e.block_number)
   FROM events e
   ${latestOf("s", ["OrganizationSuspended", "OrganizationReinstated"])}
   ${touchedWhere("organization", "OrganizationRegistered")}`,
);

const MEMBERS = perSubject(
  "members",
  "member",
  "account",
  "text",
  `INSERT INTO members
   SELECT split_part(l.subject, ':', 2), (l.args->>'organizationId')::bigint, (l.args->>'roles')::int,
     a.args->>'addedBy', a.block_number, l.block_number
   FROM (
     SELECT DISTINCT ON (e.subject) e.subject, e.event_name, e.args, e.block_number FROM events e
     WHERE e.subject IN (${touchedOf("member")})
       AND e.event_name IN ('MemberAdded', 'MemberRolesUpdated', 'MemberRemoved')
     ORDER BY e.subject, e.block_number DESC, e.log_index DESC
   ) l
   JOIN LATERAL (
     SELECT x.args, x.block_number FROM events x WHERE x.subject = l.subject AND x.event_name = 'MemberAdded'
     ORDER BY x.block_number DESC, x.log_index DESC LIMIT 1
   ) a ON true
   WHERE l.event_name <> 'MemberRemoved'`,
);

const DATA_SOURCES = perSubject(
  "data_sources",
  "source",
  "source_id",
  "text",
  `INSERT INTO data_sources
   SELECT e.args->>'sourceId', (e.args->>'organizationId')::bigint, e.args->>'name', (e.args->>'sensitivity')::int,
     (e.args->>'endorsementRequired')::boolean, coalesce((u.args->>'schemaVersion')::int, 1),
     coalesce(u.args->>'schemaHash', e.args->>'schemaHash'), coalesce(u.args->>'schemaURI', e.args->>'schemaURI'),
     r.event_name IS NOT NULL, e.args->>'steward', e.block_number, ${at("e")}
   FROM events e
   ${latestOf("u", ["DataSourceSchemaUpdated"])}
   ${latestOf("r", ["DataSourceRetired"])}
   ${touchedWhere("source", "DataSourceRegistered")}`,
);

const DATA_SOURCE_SCHEMAS = perSubject(
  "data_source_schemas",
  "source",
  "source_id",
  "text",
  `INSERT INTO data_source_schemas
   SELECT e.args->>'sourceId', CASE WHEN e.event_name = 'DataSourceRegistered' THEN 1
     ELSE (e.args->>'schemaVersion')::int END, e.args->>'schemaHash', e.args->>'schemaURI', e.args->>'steward',
     e.block_number, ${at("e")}
   FROM events e WHERE e.subject IN (${touchedOf("source")})
     AND e.event_name IN ('DataSourceRegistered', 'DataSourceSchemaUpdated')`,
);

const ATTESTATIONS = perSubject(
  "attestations",
  "attestation",
  "attestation_id",
  "bigint",
  `INSERT INTO attestations
   SELECT (e.args->>'attestationId')::bigint, e.args->>'sourceId', (e.args->>'organizationId')::bigint,
     e.args->'request'->>'merkleRoot', (e.args->'request'->>'recordCount')::bigint,
     (e.args->'request'->>'periodStart')::bigint, (e.args->'request'->>'periodEnd')::bigint,
     (e.args->'request'->>'previousAttestationId')::bigint, e.args->'request'->>'dataURI', e.args->>'chainDigest',
     e.args->>'attester', e.block_number, e.transaction_hash, ${at("e")}, r.event_name IS NOT NULL
   FROM events e
   ${latestOf("r", ["AttestationRevoked"])}
   ${touchedWhere("attestation", "AttestationRecorded")}`,
);

const ACCESS_REQUESTS = perSubject(
  "access_requests",
  "request",
  "request_id",
  "text",
  `INSERT INTO access_requests
   SELECT e.args->>'requestId', e.args->>'requester', (e.args->>'requesterOrganizationId')::bigint,
     (e.args->>'holderOrganizationId')::bigint, e.args->'request'->>'sourceId', e.args->>'caseRef',
     e.args->'request'->>'scopeHash', (e.args->'request'->>'purpose')::int,
     (e.args->'request'->>'notBefore')::bigint, (e.args->'request'->>'notAfter')::bigint,
     (e.args->'request'->>'maxDeliveries')::int, (e.args->'request'->>'nonce')::numeric,
     (e.args->'request'->>'deadline')::numeric, e.args->>'submitter', (e.args->>'endorsementRequired')::boolean,
     n.args->>'supervisor', (n.args->>'bySignature')::boolean, ${at("n")},
     CASE s.event_name WHEN 'RequestApproved' THEN 'APPROVED' WHEN 'RequestRejected' THEN 'REJECTED'
       WHEN 'GrantRevoked' THEN 'REVOKED' ELSE 'PENDING' END,
     d.args->>'steward', ${at("d")}, CASE WHEN d.event_name = 'RequestRejected' THEN (d.args->>'reasonCode')::int END,
     e.block_number, ${at("e")}, greatest(e.block_number, s.block_number, n.block_number)
   FROM events e
   ${latestOf("n", ["RequestEndorsed"])}
   ${latestOf("d", ["RequestApproved", "RequestRejected"])}
   ${latestOf("s", ["RequestApproved", "RequestRejected", "GrantRevoked"])}
   ${touchedWhere("request", "AccessRequested")}`,
);

const DELIVERIES = perSubject(
  "deliveries",
  "delivery",
  "delivery_id",
  "bigint",
  `INSERT INTO deliveries
   SELECT (e.args->>'deliveryId')::bigint, e.args->>'requestId', (e.args->>'attestationId')::bigint,
     e.args->>'payloadHash', (e.args->>'recordCount')::int, (e.args->>'deliveryNumber')::int, e.args->>'steward',
     e.block_number, e.transaction_hash, ${at("e")},
     coalesce(dxl_acknowledgement((k.args->>'acknowledgement')::int), 'NONE'), (k.args->>'reasonCode')::int,
     k.args->>'requester', ${at("k")}
   FROM events e
   ${latestOf("k", ["DeliveryAcknowledged"])}
   ${touchedWhere("delivery", "DeliveryRecorded")}`,
);

const REVOCATIONS: Projection = {
  table: "revocations",
  remove: `DELETE FROM revocations WHERE (kind = 'GRANT' AND subject_id IN (${touchedKeys("request", "text")}))
    OR (kind = 'ATTESTATION' AND subject_id IN (${touchedKeys("attestation", "text")}))`,
  insert: `INSERT INTO revocations
   SELECT e.chain_id, e.block_hash, e.log_index,
     CASE e.event_name WHEN 'GrantRevoked' THEN 'GRANT' ELSE 'ATTESTATION' END,
     split_part(e.subject, ':', 2), e.args->>'revoker', (e.args->>'reasonCode')::int, e.args->>'reason',
     dxl_request_status((e.args->>'previousStatus')::int), e.block_number, e.transaction_hash, ${at("e")}
   FROM events e WHERE (e.subject IN (${touchedOf("request")}) OR e.subject IN (${touchedOf("attestation")}))
     AND e.event_name IN ('GrantRevoked', 'AttestationRevoked')`,
};

/** Every projection, in the order they are refreshed. */
export const PROJECTIONS: readonly Projection[] = [
  ORGANIZATIONS,
  MEMBERS,
  DATA_SOURCES,
  DATA_SOURCE_SCHEMAS,
  ATTESTATIONS,
  ACCESS_REQUESTS,
  DELIVERIES,
  REVOCATIONS,
];

/** The tables the indexer writes, for checksums and status. */
export const INDEXED_TABLES: readonly string[] = ["blocks", "events", ...PROJECTIONS.map(({ table }) => table)];

/** Creates the transaction's `touched_subjects` table, dropped at commit. */
export async function createTouchedSubjects(tx: SqlExecutor): Promise<void> {
  await tx.exec("CREATE TEMPORARY TABLE touched_subjects (subject text PRIMARY KEY) ON COMMIT DROP");
}

/** Recomputes every projection's rows for the subjects in `touched_subjects`. */
export async function refreshProjections(tx: SqlExecutor): Promise<void> {
  for (const projection of PROJECTIONS) {
    await tx.exec(projection.remove);
    await tx.exec(projection.insert);
  }
}
