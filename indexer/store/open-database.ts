/** Picks the engine from the configuration: a PostgreSQL server when a URL is given, embedded PGlite otherwise. */
import type { Database } from "./database";
import { openPgliteDatabase } from "./pglite-database";
import type { PgliteOptions } from "./pglite-database";
import { openPostgresDatabase } from "./postgres-database";
import type { PostgresDatabaseOptions } from "./postgres-database";

export interface DatabaseLocation {
  /** A `postgres://` URL; when set, `dataDir` is not used. */
  url?: string;
  /** PGlite's data folder, created if missing. */
  dataDir: string;
}

/** Options of each engine: each applies only when that engine is the one opened. */
export interface DatabaseOptions {
  postgres?: PostgresDatabaseOptions;
  pglite?: PgliteOptions;
}

/** Opens the configured database. */
export async function openDatabase(
  { url, dataDir }: DatabaseLocation,
  options: DatabaseOptions = {},
): Promise<Database> {
  return url ? openPostgresDatabase(url, options.postgres) : openPgliteDatabase(dataDir, options.pglite);
}
