/**
 * The DataLoaders of one operation: every lookup by key that resolvers make is collected over a tick and sent as
 * one statement (`WHERE key = ANY($1)`), so a page of 50 requests with their sources, organizations and
 * deliveries costs a handful of statements, not hundreds. A loader caches for the life of its operation only:
 * create a new set per operation (subscriptions create new ones for each event).
 */
import DataLoader from "dataloader";
import type { SqlExecutor } from "../../store";
import { loadConnectionsByParent } from "./connection";
import type { Connection, ListArgs } from "./connection";
import {
  ACCESS_REQUESTS,
  ATTESTATIONS,
  DATA_SOURCES,
  DELIVERIES,
  MEMBERS_COLUMNS,
  ORGANIZATIONS,
  SCHEMA_VERSIONS_COLUMNS,
  bigint,
  text,
} from "./tables";
import type { SortColumn } from "./tables";

/** A row as the tables' column lists name it. */
export type Row = Record<string, unknown>;

export interface Loaders {
  organization: DataLoader<string, Row | null>;
  /** A member by account (lower-case). */
  member: DataLoader<string, Row | null>;
  membersOfOrganization: DataLoader<string, Row[]>;
  dataSource: DataLoader<string, Row | null>;
  dataSourcesOfOrganization: DataLoader<string, Row[]>;
  schemaVersionsOfSource: DataLoader<string, Row[]>;
  attestation: DataLoader<string, Row | null>;
  /** The attestation whose previous one is the key, an attestation id. */
  nextAttestation: DataLoader<string, Row | null>;
  /** The page of each source's attestations for the given arguments. */
  attestationsOfSource(args: ListArgs): DataLoader<string, Connection<Row>>;
  accessRequest: DataLoader<string, Row | null>;
  deliveriesOfRequest: DataLoader<string, Row[]>;
  delivery: DataLoader<string, Row | null>;
  /** The latest revocation of a subject, keyed `GRANT:<request id>` or `ATTESTATION:<attestation id>`. */
  revocation: DataLoader<string, Row | null>;
}

/**
 * Rows of the small tables every answer names (organizations, data sources), kept across operations for one
 * version of the index (see `IndexedState.version`): at the same version they cannot have changed.
 */
export interface SharedRows {
  organization: Map<string, Promise<Row | null>>;
  dataSource: Map<string, Promise<Row | null>>;
}

/** The shared rows of an index version; a new version gets new, empty ones (operations still running keep theirs). */
export function createSharedRowsByVersion(): (version: string) => SharedRows {
  let current: { version: string; rows: SharedRows } | null = null;
  return (version) => {
    if (current?.version !== version) current = { version, rows: { organization: new Map(), dataSource: new Map() } };
    return current.rows;
  };
}

/** How to find rows by key: the statement, the key column (with its type) and the field of a row holding the key. */
interface KeyedRows {
  select: string;
  key: SortColumn;
  keyField: string;
  /** For lists per key: their order. */
  order?: string;
}

/** The rows whose key is one of `keys`, in one statement. */
async function rowsWithKeys(db: SqlExecutor, rows: KeyedRows, keys: readonly string[]): Promise<Row[]> {
  const orderBy = rows.order ? ` ORDER BY ${rows.order}` : "";
  return db.query<Row>(`${rows.select} WHERE ${rows.key.sql} = ANY($1::${rows.key.type}[])${orderBy}`, [keys]);
}

/** A loader of one row per key; a key without a row loads null. Caches in `cacheMap` when given. */
function rowLoader(
  db: SqlExecutor,
  rows: KeyedRows,
  cacheMap?: Map<string, Promise<Row | null>>,
): DataLoader<string, Row | null> {
  return new DataLoader(
    async (keys) => {
      const byKey = new Map((await rowsWithKeys(db, rows, keys)).map((row) => [String(row[rows.keyField]), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { cacheMap },
  );
}

/** A loader of every row per key, in `rows.order`; a key without rows loads an empty list. */
function groupLoader(db: SqlExecutor, rows: KeyedRows): DataLoader<string, Row[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
    for (const row of await rowsWithKeys(db, rows, keys)) groups.get(String(row[rows.keyField]))?.push(row);
    return keys.map((key) => groups.get(key)!);
  });
}

const selectFrom = ({ columns, from }: { columns: string; from: string }) => `SELECT ${columns} FROM ${from}`;

const MEMBERS = selectFrom({ columns: MEMBERS_COLUMNS, from: "members t" });
const SOURCES_BY_ORGANIZATION: KeyedRows = {
  select: selectFrom(DATA_SOURCES),
  key: bigint("t.organization_id"),
  keyField: "organizationId",
  order: 't.name COLLATE "C"',
};
const SCHEMA_VERSIONS: KeyedRows = {
  select: selectFrom({ columns: SCHEMA_VERSIONS_COLUMNS, from: "data_source_schemas t" }),
  key: text("t.source_id"),
  keyField: "sourceId",
  order: "t.schema_version",
};
const DELIVERIES_BY_REQUEST: KeyedRows = {
  select: selectFrom(DELIVERIES),
  key: text("t.request_id"),
  keyField: "requestId",
  order: "t.delivery_number",
};

/** What a source's attestations are grouped by. */
const SOURCE_COLUMN = text("t.source_id");

/** Creates the loaders of one operation; organizations and sources come from `shared` when given. */
export function createLoaders(db: SqlExecutor, shared?: SharedRows): Loaders {
  const attestationPages = new Map<string, DataLoader<string, Connection<Row>>>();
  return {
    organization: rowLoader(
      db,
      { select: selectFrom(ORGANIZATIONS), key: bigint("t.organization_id"), keyField: "id" },
      shared?.organization,
    ),
    member: rowLoader(db, { select: MEMBERS, key: text("t.account"), keyField: "account" }),
    membersOfOrganization: groupLoader(db, {
      select: MEMBERS,
      key: bigint("t.organization_id"),
      keyField: "organizationId",
      order: "t.account",
    }),
    dataSource: rowLoader(
      db,
      { select: selectFrom(DATA_SOURCES), key: text("t.source_id"), keyField: "id" },
      shared?.dataSource,
    ),
    dataSourcesOfOrganization: groupLoader(db, SOURCES_BY_ORGANIZATION),
    schemaVersionsOfSource: groupLoader(db, SCHEMA_VERSIONS),
    attestation: rowLoader(db, {
      select: selectFrom(ATTESTATIONS),
      key: bigint("t.attestation_id"),
      keyField: "id",
    }),
    // Ids are unique across sources, so the previous id alone finds the next link of a source's chain.
    nextAttestation: rowLoader(db, {
      select: selectFrom(ATTESTATIONS),
      key: bigint("t.previous_attestation_id"),
      keyField: "previousAttestationId",
    }),
    attestationsOfSource(args) {
      const cacheKey = JSON.stringify(args);
      let loader = attestationPages.get(cacheKey);
      if (!loader) {
        const query = { source: ATTESTATIONS, where: args.where };
        loader = new DataLoader((keys) =>
          loadConnectionsByParent<Row>(db, query, args, { column: SOURCE_COLUMN, keys }),
        );
        attestationPages.set(cacheKey, loader);
      }
      return loader;
    },
    accessRequest: rowLoader(db, { select: selectFrom(ACCESS_REQUESTS), key: text("t.request_id"), keyField: "id" }),
    deliveriesOfRequest: groupLoader(db, DELIVERIES_BY_REQUEST),
    delivery: rowLoader(db, { select: selectFrom(DELIVERIES), key: bigint("t.delivery_id"), keyField: "id" }),
    revocation: createRevocationLoader(db),
  };
}

/** Revocations by `KIND:subject`, the latest of each subject (an attestation is revoked once; a grant too). */
function createRevocationLoader(db: SqlExecutor): DataLoader<string, Row | null> {
  return new DataLoader(async (keys) => {
    const subjects = keys.map((key) => key.split(":"));
    const rows = await db.query<Row>(
      `SELECT DISTINCT ON (kind, subject_id) kind || ':' || subject_id AS key, kind, revoked_by AS "revokedBy",
         reason_code AS "reasonCode", reason, revoked_at AS "revokedAt", transaction_hash AS "transactionHash"
       FROM revocations WHERE (kind, subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       ORDER BY kind, subject_id, block_number DESC, log_index DESC`,
      [subjects.map(([kind]) => kind), subjects.map(([, subject]) => subject)],
    );
    const byKey = new Map(rows.map((row) => [row.key as string, row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
