/**
 * Request statistics per holder organization and calendar month (UTC): each figure is counted in the month its
 * own step happened (a request in the month it was submitted, an approval in the month it was decided).
 */
import type { SqlExecutor } from "../../store";

export interface HolderMonthFigures {
  organizationId: string;
  month: string;
  requests: number;
  approvals: number;
  rejections: number;
  deliveries: number;
}

/** Restricts `r`, an access request, to the holders given; `holderIds` null means every holder. */
function holderCondition(holderIds: readonly string[] | null): { sql: string; params: unknown[] } {
  return holderIds === null
    ? { sql: "true", params: [] }
    : { sql: "r.holder_organization_id = ANY($1::bigint[])", params: [holderIds] };
}

const month = (instant: string) => `to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** Figures per holder and month, oldest month first; `holderIds` null means every holder. */
export async function loadHolderMonthFigures(
  db: SqlExecutor,
  holderIds: readonly string[] | null,
): Promise<HolderMonthFigures[]> {
  const { sql, params } = holderCondition(holderIds);
  return db.query<HolderMonthFigures>(
    `SELECT holder::text AS "organizationId", month, sum(requests)::integer AS requests,
       sum(approvals)::integer AS approvals, sum(rejections)::integer AS rejections,
       sum(deliveries)::integer AS deliveries
     FROM (
       SELECT r.holder_organization_id AS holder, ${month("r.requested_at")} AS month,
         1 AS requests, 0 AS approvals, 0 AS rejections, 0 AS deliveries
       FROM access_requests r WHERE ${sql}
       UNION ALL
       SELECT r.holder_organization_id, ${month("r.decided_at")}, 0,
         CASE WHEN r.rejection_reason IS NULL THEN 1 ELSE 0 END, CASE WHEN r.rejection_reason IS NULL THEN 0 ELSE 1 END, 0
       FROM access_requests r WHERE r.decided_at IS NOT NULL AND ${sql}
       UNION ALL
       SELECT r.holder_organization_id, ${month("d.delivered_at")}, 0, 0, 0, 1
       FROM deliveries d JOIN access_requests r ON r.request_id = d.request_id WHERE ${sql}
     ) steps
     GROUP BY holder, month ORDER BY month, holder`,
    params,
  );
}

/** The median of seconds from submission to decision over decided requests; null when none was decided. */
export async function loadMedianSecondsToDecision(
  db: SqlExecutor,
  holderIds: readonly string[] | null,
): Promise<number | null> {
  const { sql, params } = holderCondition(holderIds);
  const [row] = await db.query<{ median: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.requested_at))
       AS median
     FROM access_requests r WHERE r.decided_at IS NOT NULL AND ${sql}`,
    params,
  );
  return row.median === null ? null : Number(row.median);
}
