/**
 * The GraphQL endpoint: Yoga over the API schema, with the session check, the query limits, masked errors and
 * one report per operation for the audit log and the metrics. Subscriptions are served over Server-Sent Events
 * (Yoga's own transport); when a client disconnects Yoga returns the stream, which closes the resolver's iterator.
 */
import type { GraphQLSchema } from "graphql";
import { createYoga } from "graphql-yoga";
import type { YogaLogger, YogaServerInstance } from "graphql-yoga";
import type { Logger } from "../../ops";
import type { Database } from "../../store";
import { createSharedRowsByVersion } from "../data/loaders";
import type { Authenticator } from "../auth";
import type { ApiContext } from "../types";
import { createAuditLog } from "./audit-log";
import { maskUnexpectedError, useRequestErrorCodes } from "./errors";
import { graphiqlOptions } from "./graphiql";
import { useQueryLimits } from "./limits";
import type { QueryLimits } from "./limits";
import type { ApiMetrics } from "./metrics";
import { useOperationReports } from "./operation-reports";
import type { OperationReport } from "./operation-reports";
import { useResponseCache } from "./response-cache";
import { createSessionPlugin } from "./sessions";

export const GRAPHQL_PATH = "/graphql";

export interface GraphQLEndpointOptions {
  schema: GraphQLSchema;
  database: Database;
  authenticate: Authenticator;
  limits: QueryLimits;
  /** Bytes of results the response cache keeps; 0 turns it off. */
  responseCacheBytes: number;
  metrics: ApiMetrics;
  logger: Logger;
  isOpen: boolean;
  /** The chain head as the in-process indexer last saw it. */
  indexerHead?: () => number | null;
}

export type GraphQLEndpoint = YogaServerInstance<Record<string, unknown>, ApiContext>;

/** Creates the Yoga instance; `handle(request, response)` serves a `node:http` request. */
export function createGraphQLEndpoint(options: GraphQLEndpointOptions): GraphQLEndpoint {
  const { database, metrics, logger } = options;
  const sessions = createSessionPlugin(options.authenticate);
  const auditLog = createAuditLog(database);
  const sharedRowsAt = createSharedRowsByVersion();
  const onReport = async (report: OperationReport) => {
    metrics.observeOperation({ ...report, isError: report.errorCodes.length > 0 });
    await auditLog.record(report);
  };
  return createYoga<Record<string, unknown>, ApiContext>({
    schema: options.schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: graphiqlOptions(options.isOpen),
    maskedErrors: { maskError: maskUnexpectedError, isDev: false },
    maxRequestBodySize: options.limits.bodyBytes,
    logging: yogaLogger(logger),
    context: ({ request }): ApiContext => {
      // The session plugin resolved it before parsing; a refused request never gets this far.
      const session = sessions.sessionOf(request)!;
      return {
        db: database,
        viewer: session.viewer,
        scope: session.scope,
        sharedRows: sharedRowsAt(session.indexVersion),
        indexerHead: options.indexerHead,
      };
    },
    plugins: [
      sessions.plugin,
      useQueryLimits(options.limits),
      useResponseCache({ maxBytes: options.responseCacheBytes, sessionOf: sessions.sessionOf }),
      useRequestErrorCodes(),
      useOperationReports({ ...sessions, onReport, logger }),
    ],
  });
}

/** Yoga's log calls as pino lines; masked errors arrive here with their stack, for the operator only. */
function yogaLogger(logger: Logger): YogaLogger {
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) logger[level]({ err: first }, "graphql: unexpected error");
      else logger[level]({ details: rest.length > 0 ? rest : undefined }, `graphql: ${String(first)}`);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
