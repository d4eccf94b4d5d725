export type { Database, SqlExecutor } from "./database";
export { createIndexStore } from "./index-store";
export type { BlockRef, Checkpoint, IndexedBatch, IndexStore } from "./index-store";
export { migrate, MigrationChangedError } from "./migrate";
export { INDEXED_TABLES } from "./projections";
export { openDatabase } from "./open-database";
export type { DatabaseLocation, DatabaseOptions } from "./open-database";
export type { PgliteCreation, PgliteOptions } from "./pglite-database";
export { DatabaseUnavailableError, isRetryableDatabaseError } from "./errors";
