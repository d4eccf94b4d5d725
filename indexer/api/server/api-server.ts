/**
 * The API server: one `node:http` server that routes `/auth/*`, `/healthz`, `/readyz` and `/metrics` itself and
 * hands everything else to Yoga (`/graphql`, GraphiQL, and 404s). It reads the index's database and never the
 * chain, except to ask a contract wallet about its signature at sign-in.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLSchema } from "graphql";
import { close, createLogger, listen, urlOf } from "../../ops";
import type { IndexerStatus, Logger } from "../../ops";
import type { Database } from "../../store";
import {
  createAuthenticator,
  createIndexedStateReader,
  createContractWalletVerifier,
  createNonceStore,
  createOpenAuthenticator,
  createSessionTokens,
  createSignInService,
} from "../auth";
import { createApiSchema } from "../schema";
import { INTERNAL_ERROR_MESSAGE } from "./errors";
import { createGraphQLEndpoint, GRAPHQL_PATH } from "./graphql";
import { errorReply, send } from "./http";
import { DEFAULT_QUERY_LIMITS } from "./limits";
import type { QueryLimits } from "./limits";
import { createApiMetrics } from "./metrics";
import type { ApiMetrics } from "./metrics";
import { answerRoute, ROUTES } from "./routes";
import type { RouteContext } from "./routes";

export interface ApiServerOptions {
  /** The index's database; the in-process indexer's own when there is one (PGlite admits one process). */
  database: Database;
  /** The in-process indexer's position: readiness waits until it follows the head; `indexerStatus` shows it. */
  indexerStatus?: () => IndexerStatus;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 4000; 0 picks a free port. */
  port?: number;
  /** The EIP-4361 domain sign-in messages must name; defaults to `host:port` as bound. */
  domain?: string | null;
  /** No sign-in, everything visible: development only, announced by a warning at every start. */
  open?: boolean;
  /** HMAC key of session tokens (at least 32 bytes); defaults to a random one, with a warning. */
  sessionSecret?: string | null;
  /** Defaults to 3,600. */
  tokenLifetimeSeconds?: number;
  /** Defaults to 300. */
  nonceLifetimeSeconds?: number;
  /** The node that checks contract wallets' signatures (ERC-1271); null or absent: only EOAs sign in. */
  rpcUrl?: string | null;
  /** Defaults to JSON lines on stdout at level info. */
  logger?: Logger;
  /** Defaults to the API's schema. */
  schema?: GraphQLSchema;
  /** Overrides of {@link DEFAULT_QUERY_LIMITS}. */
  limits?: Partial<QueryLimits>;
  /** Bytes of query results kept for the current index version (see response-cache.ts); 0 keeps none. */
  responseCacheBytes?: number;
}

/** What {@link createApiServer} needs settled: the domain and the secret are known by then. */
export type ApiHandlerOptions = ApiServerOptions & { domain: string; sessionSecret: string; logger: Logger };

/** The server's request handling, for any `node:http` server to mount. */
export interface ApiHandler {
  handle: http.RequestListener;
  metrics: ApiMetrics;
  /** Releases what the GraphQL endpoint holds. */
  dispose(): Promise<void>;
}

/** A listening API server. */
export interface ApiServer {
  /** The base URL, with the port actually bound. */
  readonly url: string;
  readonly graphqlUrl: string;
  /** The EIP-4361 domain sign-in messages must name. */
  readonly domain: string;
  /** Stops listening and drops open connections (subscriptions end, their iterators close). */
  close(): Promise<void>;
}

const DEFAULT_PORT = 4000;
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3_600;
const DEFAULT_NONCE_LIFETIME_SECONDS = 300;
export const DEFAULT_RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;
/** The labels HTTP responses are counted under; any other path counts as "other", so scanners add no series. */
const ROUTE_LABELS = new Set([...ROUTES.keys(), GRAPHQL_PATH]);

/** Builds the request handler. */
export function createApiServer(options: ApiHandlerOptions): ApiHandler {
  const { database, logger } = options;
  const metrics = createApiMetrics();
  const tokens = createSessionTokens({
    secret: options.sessionSecret,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
  });
  const signIn = createSignInService({
    database,
    tokens,
    nonces: createNonceStore(database, {
      lifetimeSeconds: options.nonceLifetimeSeconds ?? DEFAULT_NONCE_LIFETIME_SECONDS,
    }),
    contractWallets: options.rpcUrl ? createContractWalletVerifier(options.rpcUrl) : null,
    domain: options.domain,
  });
  const indexerStatus = options.indexerStatus;
  const readState = createIndexedStateReader(database);
  const graphql = createGraphQLEndpoint({
    schema: options.schema ?? createApiSchema(),
    database,
    authenticate: options.open ? createOpenAuthenticator(readState) : createAuthenticator(readState, tokens),
    limits: { ...DEFAULT_QUERY_LIMITS, ...options.limits },
    responseCacheBytes: options.responseCacheBytes ?? DEFAULT_RESPONSE_CACHE_BYTES,
    metrics,
    logger,
    isOpen: options.open === true,
    indexerHead: indexerStatus && (() => indexerStatus().headBlock),
  });
  const context: RouteContext = { db: database, signIn, metrics, logger, indexerStatus };

  function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    response.once("finish", () =>
      metrics.observeHttpResponse(ROUTE_LABELS.has(path) ? path : "other", response.statusCode),
    );
    const route = ROUTES.get(path);
    const answered = route
      ? answerRoute(route, context, request).then((reply) => send(response, reply))
      : Promise.resolve().then(() => graphql.handle(request, response));
    answered.catch((error: unknown) => {
      logger.error({ err: error, path }, "request failed");
      if (!response.headersSent) send(response, errorReply(500, "INTERNAL_SERVER_ERROR", INTERNAL_ERROR_MESSAGE));
    });
  }

  return { handle, metrics, dispose: async () => void (await graphql.dispose()) };
}

/** Listens, then serves; the domain defaults to the address actually bound (port 0 included). */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const logger = options.logger ?? createLogger({ level: "info" });
  if (options.open) {
    logger.warn("open development mode: no sign-in, every request sees everything; never serve real data like this");
  }
  const server = http.createServer();
  await listen(server, options.host ?? "127.0.0.1", options.port ?? DEFAULT_PORT);
  const url = urlOf(server.address() as AddressInfo);
  const domain = options.domain ?? new URL(url).host;
  const api = createApiServer({ ...options, logger, domain, sessionSecret: sessionSecretOf(options, logger) });
  server.on("request", api.handle);
  const graphqlUrl = `${url}${GRAPHQL_PATH}`;
  logger.info({ url, graphql_url: graphqlUrl, domain, mode: options.open ? "open" : "sign-in" }, "api listening");
  return {
    url,
    graphqlUrl,
    domain,
    close: async () => {
      await close(server);
      await api.dispose();
    },
  };
}

/** The configured secret, or a random one: sessions then end with the process, which the warning says. */
function sessionSecretOf(options: ApiServerOptions, logger: Logger): string {
  if (options.sessionSecret) return options.sessionSecret;
  logger.warn(
    "DXL_API_SESSION_SECRET is not set: using a random session secret, so sessions end when this process does " +
      "and other API processes reject them",
  );
  return randomBytes(32).toString("base64url");
}
