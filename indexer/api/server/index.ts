/** The API server: GraphQL over HTTP with sign-in, limits, audit log and metrics, plus health and readiness. */
export { createApiServer, startApiServer } from "./api-server";
export type { ApiHandler, ApiHandlerOptions, ApiServer, ApiServerOptions } from "./api-server";
export { EXAMPLE_OPERATIONS } from "./graphiql";
export type { ExampleOperation } from "./graphiql";
export { GRAPHQL_PATH } from "./graphql";
export { DEFAULT_QUERY_LIMITS } from "./limits";
export type { QueryLimits } from "./limits";
export type { ApiMetrics } from "./metrics";
