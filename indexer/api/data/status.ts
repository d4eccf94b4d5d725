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
