/**
 * The storage layer's errors, typed by whether a retry can help: a database that cannot be reached now may be back
 * later, while a constraint violation or bad SQL fails the same way every time.
 */

/** Thrown when the PostgreSQL server cannot be reached or dropped the connection: worth retrying later. */
export class DatabaseUnavailableError extends Error {
  readonly retryable = true;

  /** `target` is `host:port/database`, never the URL, so the password stays out of logs. */
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(`PostgreSQL at ${target} is unavailable: ${describeCause(cause)}`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

/** Thrown when the server answered but refused us (bad credentials, missing database): retrying will not help. */
export class DatabaseConnectionRejectedError extends Error {
  readonly retryable = false;

  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(`PostgreSQL at ${target} refused the connection: ${describeCause(cause)}`, { cause });
    this.name = "DatabaseConnectionRejectedError";
  }
}

/** Thrown when COMMIT found the transaction already failed (the work swallowed a SQL error), so nothing was saved. */
export class TransactionAbortedError extends Error {
  readonly retryable = false;

  constructor(cause?: unknown) {
    super("the transaction was rolled back at COMMIT because one of its statements had failed", { cause });
    this.name = "TransactionAbortedError";
  }
}

/** Thrown when code inside `transaction` uses the database instead of the transaction's handle: a bug to fix. */
export class DatabaseCalledInsideTransactionError extends Error {
  readonly retryable = false;

  constructor() {
    super("a statement was sent to the database from inside one of its transactions: use the transaction's handle");
    this.name = "DatabaseCalledInsideTransactionError";
  }
}

/** SQLSTATEs and socket codes of a server that is down, restarting or full: the next attempt may succeed. */
const RETRYABLE_CODES = new Set([
  "57P01", // admin_shutdown: the server is stopping or restarting
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the server is starting up
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** `pg` reports a dead socket with plain errors that carry no code, only these messages. */
const RETRYABLE_MESSAGES = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /timeout exceeded when trying to connect/,
];

/** Whether `error` says the database is unreachable for now (retry later), as opposed to a failing statement. */
export function isRetryableDatabaseError(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && isRetryableCode(code)) return true;
  return RETRYABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** Class 08 is "connection exception", except 08P01 (protocol violation), which is a bug on our side. */
function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.has(code) || (code.startsWith("08") && code !== "08P01");
}

/** One line for a message: Node's AggregateError (both address families refused) has an empty message but a code. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  const text = cause.message || (typeof code === "string" ? code : cause.name);
  return text.replace(/\s+/g, " ").trim();
}
