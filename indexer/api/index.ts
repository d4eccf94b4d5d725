/** The API folder's door: the schema for the server to serve, the per-operation loaders and the context types. */
export { createApiSchema } from "./schema";
export { createLoaders } from "./data/loaders";
export type { Loaders } from "./data/loaders";
export { MAX_PAGE_SIZE } from "./data/connection";
export { ROLES } from "./types";
export type { AccessScope, ApiContext, RoleName, Viewer } from "./types";
