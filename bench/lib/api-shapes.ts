/**
 * The three kinds of GraphQL request the API bench drives, as an analyst's screens would send them: one access
 * request with its parts, a holder's requests filtered by status (newest first, a page of 50), and a case's
 * custody trail. Each rotates over a pool of real keys of the filled ledger, so the database cannot answer from one
 * cached row.
 */
import { ACCESS_REQUESTS } from "../../indexer/api/data/tables";
import type { SqlExecutor } from "../../indexer/store";

/** The key each shape's figures carry in the JSON line (`<key>Rps`, `<key>P99Ms`). */
export type ShapeKey = "byId" | "list" | "caseTrail";

export interface Shape {
  key: ShapeKey;
  /** What it asks, for the table. */
  title: string;
  /** The operation's name and its document. */
  operationName: string;
  query: string;
  /** The variables of the next request: the pool's next entry, round and round. */
  nextVariables(): Record<string, unknown>;
  /** Whether a 200 answer's body is the whole answer: no `errors`, and the data not empty. */
  isComplete(body: string): boolean;
  /** How many different variable sets it rotates over. */
  poolSize: number;
}

/** Keys per pool. */
const POOL_SIZE = 1_000;
/** Status filters of the list: open requests, usable grants, refusals and withdrawals, finished grants. */
const STATUS_FILTERS = [["PENDING"], ["ACTIVE"], ["REJECTED", "REVOKED"], ["EXPIRED", "EXHAUSTED"]];
/** A list variant is kept when it fills at least one page. */
const PAGE_SIZE = 50;

const BY_ID = `query RequestById($id: Bytes!) {
  accessRequest(id: $id) {
    id requester caseRef scopeHash purpose notBefore notAfter maxDeliveries submitter endorsementRequired
    status deliveryCount requestedAt requestedBlock
    requesterOrganization { id name kind }
    holderOrganization { id name kind }
    source { id name sensitivity }
    endorsement { supervisor bySignature endorsedAt }
    decision { outcome steward reasonCode decidedAt }
    deliveries { id deliveryNumber recordCount payloadHash deliveredAt acknowledgement acknowledgedAt }
    revocation { revokedBy reasonCode revokedAt }
  }
}`;

const LIST = `query HolderRequests($holder: BigInt!, $status: [AccessRequestStatus!]) {
  accessRequests(
    where: { holderOrganizationId: { eq: $holder }, status: $status }
    orderBy: { field: REQUESTED_AT, direction: DESC }
    first: ${PAGE_SIZE}
  ) {
    nodes {
      id requester caseRef status requestedAt notAfter maxDeliveries deliveryCount
      source { name sensitivity }
      decision { outcome decidedAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CASE_TRAIL = `query CaseTrail($caseRef: Bytes!) {
  caseTrail(caseRef: $caseRef) {
    step actor
    event { blockNumber blockTime transactionHash name }
    request { id status holderOrganization { name } source { name } }
    delivery { id deliveryNumber acknowledgement }
  }
}`;

/** The shapes, their pools drawn from the filled index. */
export async function loadShapes(db: SqlExecutor): Promise<Shape[]> {
  const requestIds = await column(db, "SELECT request_id AS value FROM access_requests ORDER BY random() LIMIT $1");
  const caseRefs = await column(
    db,
    "SELECT case_ref AS value FROM (SELECT DISTINCT case_ref FROM access_requests) c ORDER BY random() LIMIT $1",
  );
  return [
    shape(
      "byId",
      "accessRequest(id) and its parts",
      "RequestById",
      BY_ID,
      '"accessRequest":{',
      requestIds.map((id) => ({ id })),
    ),
    shape(
      "list",
      `accessRequests: a holder's ${PAGE_SIZE} newest of some statuses`,
      "HolderRequests",
      LIST,
      '"nodes":[{',
      await listVariants(db),
    ),
    shape(
      "caseTrail",
      "caseTrail(caseRef)",
      "CaseTrail",
      CASE_TRAIL,
      '"caseTrail":[{',
      caseRefs.map((caseRef) => ({ caseRef })),
    ),
  ];
}

function shape(
  key: ShapeKey,
  title: string,
  operationName: string,
  query: string,
  nonEmptyMark: string,
  pool: Record<string, unknown>[],
): Shape {
  if (pool.length === 0) throw new Error(`no variables for the ${key} shape: is the index empty?`);
  let next = 0;
  return {
    key,
    title,
    operationName,
    query,
    poolSize: pool.length,
    nextVariables: () => pool[next++ % pool.length],
    isComplete: (body) => !body.includes('"errors":') && body.includes(nonEmptyMark),
  };
}

async function column(db: SqlExecutor, sql: string): Promise<string[]> {
  return (await db.query<{ value: string }>(sql, [POOL_SIZE])).map((row) => row.value);
}

/** Each status filter with each holder it fills a page for; consecutive variants differ in holder. */
async function listVariants(db: SqlExecutor): Promise<Record<string, unknown>[]> {
  const holders = await column(
    db,
    "SELECT DISTINCT holder_organization_id::text AS value FROM access_requests ORDER BY 1 LIMIT $1",
  );
  const counts = await db.query<{ holder: string; status: string; count: number }>(
    `SELECT t.holder_organization_id::text AS holder, t.current_status AS status, count(*)::integer AS count
     FROM ${ACCESS_REQUESTS.from} GROUP BY 1, 2`,
  );
  const countOf = (holder: string, statuses: string[]) =>
    counts
      .filter((row) => row.holder === holder && statuses.includes(row.status))
      .reduce((sum, row) => sum + row.count, 0);
  return STATUS_FILTERS.flatMap((status) =>
    holders.filter((holder) => countOf(holder, status) >= PAGE_SIZE).map((holder) => ({ holder, status })),
  );
}
