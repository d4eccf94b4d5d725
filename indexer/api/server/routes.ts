/**
 * The routes beside GraphQL: sign-in (`POST /auth/nonce`, `POST /auth/verify`) and the probes an orchestrator
 * and Prometheus read (`GET /healthz`, `/readyz`, `/metrics`).
 */
import type http from "node:http";
import type { Logger } from "../../ops";
import type { IndexerStatus } from "../../ops";
import type { SqlExecutor } from "../../store";
import { listMigrations } from "../../store/migrate";
import { AuthError } from "../auth";
import type { SignInService } from "../auth";
import { BodyError, errorReply, json, readJsonBody } from "./http";
import type { Reply } from "./http";
import type { ApiMetrics } from "./metrics";

/** What the routes read. */
export interface RouteContext {
  db: SqlExecutor;
  signIn: SignInService;
  metrics: ApiMetrics;
  logger: Logger;
  indexerStatus?: () => IndexerStatus;
}

/** A route: the one method it answers and how. */
interface Route {
  method: "GET" | "POST";
  answer(context: RouteContext, request: http.IncomingMessage): Promise<Reply>;
}

/** A sign-in body is one short message and a signature: 16 kB is plenty. */
const SIGN_IN_BODY_LIMIT = 16_384;

export const ROUTES = new Map<string, Route>([
  ["/auth/nonce", { method: "POST", answer: answerNonce }],
  ["/auth/verify", { method: "POST", answer: answerVerify }],
  ["/healthz", { method: "GET", answer: async (context) => healthOf(context.indexerStatus?.()) }],
  ["/readyz", { method: "GET", answer: answerReadiness }],
  ["/metrics", { method: "GET", answer: answerMetrics }],
]);

/** Answers a request on one of {@link ROUTES}: 405 for another method, the route's refusal or answer otherwise. */
export async function answerRoute(route: Route, context: RouteContext, request: http.IncomingMessage): Promise<Reply> {
  if (request.method !== route.method) {
    return errorReply(405, "METHOD_NOT_ALLOWED", `use ${route.method}`, { allow: route.method });
  }
  try {
    return await route.answer(context, request);
  } catch (error) {
    if (error instanceof AuthError) return errorReply(error.status, error.code, error.message);
    if (error instanceof BodyError) return errorReply(error.status, error.code, error.message);
    throw error;
  }
}

async function answerNonce(context: RouteContext): Promise<Reply> {
  return json(200, await context.signIn.issueNonce());
}

/** Counts every attempt by outcome, so a burst of refusals shows on a dashboard. */
async function answerVerify(context: RouteContext, request: http.IncomingMessage): Promise<Reply> {
  try {
    const signedIn = await context.signIn.verify(await readJsonBody(request, SIGN_IN_BODY_LIMIT));
    context.metrics.observeSignIn("ok");
    context.logger.info({ account: signedIn.account }, "signed in");
    return json(200, signedIn);
  } catch (error) {
    const outcome = error instanceof AuthError || error instanceof BodyError ? error.code : "error";
    context.metrics.observeSignIn(outcome);
    if (error instanceof AuthError) {
      context.logger.info({ code: error.code, reason: error.message, cause: causeOf(error) }, "sign-in refused");
    }
    throw error;
  }
}

/** Alive unless the indexer running in this process stopped on a fatal error: only a restart helps then. */
function healthOf(status: IndexerStatus | undefined): Reply {
  if (status?.stoppedBy) return json(503, { status: "stopped", reason: "the in-process indexer stopped" });
  return json(200, { status: "ok" });
}

/** Ready when the database answers with every migration applied and an in-process indexer follows the head. */
async function answerReadiness(context: RouteContext): Promise<Reply> {
  const reason = await notReadyReason(context);
  return reason === null ? json(200, { status: "ready" }) : json(503, { status: "not ready", reason });
}

async function answerMetrics({ metrics }: RouteContext): Promise<Reply> {
  return { status: 200, contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** Why the API cannot serve yet, or null; the database's own error goes to the log, not to whoever probes. */
async function notReadyReason(context: RouteContext): Promise<string | null> {
  let applied: Set<number>;
  try {
    applied = await appliedMigrations(context.db);
  } catch (error) {
    context.logger.warn({ err: (error as Error).message }, "readiness: the database did not answer");
    return "the database is unreachable";
  }
  const missing = shippedMigrationVersions().filter((version) => !applied.has(version));
  if (missing.length > 0) return `migrations not applied: ${missing.join(", ")}`;
  const status = context.indexerStatus?.();
  if (status?.stoppedBy) return "the in-process indexer stopped";
  if (status && !status.following) return "the in-process indexer is still catching up with the chain";
  return null;
}

/** The versions applied to the database; none when it was never migrated (no `schema_migrations` table). */
async function appliedMigrations(db: SqlExecutor): Promise<Set<number>> {
  const [{ isMigrated }] = await db.query<{ isMigrated: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS "isMigrated"`,
  );
  if (!isMigrated) return new Set();
  const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
  return new Set(rows.map((row) => Number(row.version)));
}

let shippedVersions: number[] | undefined;

/** The versions of the migrations shipped with this code, read once: probes come every few seconds. */
function shippedMigrationVersions(): number[] {
  shippedVersions ??= listMigrations().map((migration) => migration.version);
  return shippedVersions;
}

function causeOf(error: Error): string | undefined {
  return error.cause instanceof Error ? error.cause.message : undefined;
}
