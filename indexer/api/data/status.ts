/**
 * An access request's status as the API reports it. The chain stores PENDING, APPROVED, REJECTED or REVOKED;
 * whether an approved grant is usable depends on time and on its deliveries, so the rest is derived here, as of
 * the indexed head's block time (not the wall clock: the answer describes the ledger as indexed, and two
 * replicas at the same block agree). The rules follow `AccessGrants.isGrantUsable`: usable from `notBefore`,
 * unusable from `notAfter` on, and only below `maxDeliveries`. Written in SQL so `where: { status }` filters on
 * the very value the API returns.
 */

/** The indexed head's block time, in seconds since the epoch; 0 before the first batch. */
export const INDEXED_HEAD_TIME_SQL = `(SELECT coalesce(max(b.block_timestamp), 0) FROM checkpoint c
  JOIN blocks b ON b.chain_id = c.chain_id AND b.block_number = c.block_number)`;

/**
 * The status of the `access_requests` row `r`, given an expression for its delivery count and one for the head
 * time. A pending request past its window can no longer be approved, so it is EXPIRED; a grant that used every
 * delivery is EXHAUSTED even once its window closed, as that is what ended it.
 */
export function accessRequestStatusSql(request: string, deliveryCount: string, headTime: string): string {
  return `CASE
    WHEN ${request}.status IN ('REJECTED', 'REVOKED') THEN ${request}.status
    WHEN ${request}.status = 'PENDING' THEN
      CASE WHEN ${headTime} >= ${request}.not_after THEN 'EXPIRED' ELSE 'PENDING' END
    WHEN ${deliveryCount} >= ${request}.max_deliveries THEN 'EXHAUSTED'
    WHEN ${headTime} >= ${request}.not_after THEN 'EXPIRED'
    WHEN ${headTime} < ${request}.not_before THEN 'APPROVED'
    ELSE 'ACTIVE'
  END`;
}

/** Stored statuses of an approved grant: every one but the final ones and PENDING (see the CASE above). */
const APPROVED_STORED = "NOT IN ('REJECTED', 'REVOKED', 'PENDING')";

/**
 * The condition "the status of `request` is `status`", written on stored columns so the planner estimates it
 * from their statistics (a condition on the CASE above it cannot estimate, and picks plans hundreds of times
 * slower). Holds for exactly the rows whose `accessRequestStatusSql` is `status`: each branch of the CASE,
 * with the conditions of the branches before it negated.
 */
export function accessRequestHasStatusSql(
  request: string,
  deliveryCount: string,
  headTime: string,
  status: string,
): string {
  const stored = `${request}.status`;
  const approved = `${stored} ${APPROVED_STORED}`;
  const withDeliveriesLeft = `${approved} AND ${deliveryCount} < ${request}.max_deliveries`;
  const open = `${headTime} < ${request}.not_after`;
  switch (status) {
    case "REJECTED":
    case "REVOKED":
      return `${stored} = '${status}'`;
    case "PENDING":
      return `${stored} = 'PENDING' AND ${open}`;
    case "EXPIRED":
      return `(${stored} = 'PENDING' OR (${withDeliveriesLeft})) AND NOT (${open})`;
    case "EXHAUSTED":
      return `${approved} AND ${deliveryCount} >= ${request}.max_deliveries`;
    case "APPROVED":
      return `${withDeliveriesLeft} AND ${open} AND ${headTime} < ${request}.not_before`;
    case "ACTIVE":
      return `${withDeliveriesLeft} AND ${open} AND ${headTime} >= ${request}.not_before`;
    default:
      throw new Error(`unknown access request status ${status}`);
  }
}
