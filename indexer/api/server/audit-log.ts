/**
 * The query audit log: one `query_audit_log` row per operation served, for oversight to read through `queryAudit`.
 * Rows hold hashes, not the documents or variables themselves, which may name people under investigation.
 *
 * Rows are written by group commit (see `groupStatements`): while one INSERT is in flight, the reports that arrive
 * wait and go together in the next one. Each caller still waits for its own row to be written (a query's data is
 * not sent before its row is stored) and sees the INSERT's error if it fails; under load, 32 concurrent operations
 * cost a few statements instead of 32.
 */
import { groupStatements } from "../../store";
import type { SqlExecutor } from "../../store";
import type { OperationReport } from "./operation-reports";

/** Writes audit rows. */
export interface AuditLog {
  /** Resolves once the row of `report` is stored; an operation refused at its session was not served: no row. */
  record(report: OperationReport): Promise<void>;
}

/** One statement for any number of rows: one array parameter a column. */
const INSERT_ROWS = `INSERT INTO query_audit_log
    (account, served_at, operation_name, document_hash, variables_hash, result_bytes, duration_ms, error_codes)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::integer[],
    $7::double precision[], $8::jsonb[])`;
const COLUMN_COUNT = 8;

/** The audit log of `db`. */
export function createAuditLog(db: SqlExecutor): AuditLog {
  const store = groupStatements<unknown[], void>(async (rows) => {
    await db.query(INSERT_ROWS, columnsOf(rows));
    return rows.map(() => undefined);
  });
  return {
    record: (report) => (report.session === null ? Promise.resolve() : store(rowOf(report))),
  };
}

function rowOf(report: OperationReport): unknown[] {
  const { viewer } = report.session!;
  return [
    viewer.kind === "member" ? viewer.account : null,
    report.servedAt.toISOString(),
    report.operationName,
    report.documentHash,
    report.variablesHash,
    report.resultBytes,
    report.durationMs,
    JSON.stringify(report.errorCodes),
  ];
}

/** Rows turned into one array a column. */
function columnsOf(rows: unknown[][]): unknown[][] {
  return Array.from({ length: COLUMN_COUNT }, (_, column) => rows.map((row) => row[column]));
}
