/**
 * The query audit log: one `query_audit_log` row per operation served, for oversight to read through `queryAudit`.
 * Rows hold hashes, not the documents or variables themselves, which may name people under investigation.
 */
import type { SqlExecutor } from "../../store";
import type { OperationReport } from "./operation-reports";

/** Writes the row of an operation that was served; one refused at its session was not, and leaves none. */
export async function recordInAuditLog(db: SqlExecutor, report: OperationReport): Promise<void> {
  if (report.session === null) return;
  const { viewer } = report.session;
  await db.query(
    `INSERT INTO query_audit_log
       (account, served_at, operation_name, document_hash, variables_hash, result_bytes, duration_ms, error_codes)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8::jsonb)`,
    [
      viewer.kind === "member" ? viewer.account : null,
      report.servedAt.toISOString(),
      report.operationName,
      report.documentHash,
      report.variablesHash,
      report.resultBytes,
      report.durationMs,
      JSON.stringify(report.errorCodes),
    ],
  );
}
