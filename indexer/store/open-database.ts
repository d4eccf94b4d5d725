/** Picks the engine from the configuration: a PostgreSQL server when a URL is given, embedded PGlite otherwise. */
import type { Database } from "./database";
import { openPgliteDatabase } from "./pglite-database";
import { openPostgresDatabase } from "./postgres-database";
import type { PostgresDatabaseOptions } from "./postgres-database";

export interface DatabaseLocation {
  /** A `postgres://` URL; when set, `dataDir` is not used. */
  url?: string;
  /** PGlite's data folder, created if missing. */
  dataDir: string;
}

/** Opens the configured database; `postgres` options apply only to the server engine. */
export async function openDatabase(
  { url, dataDir }: DatabaseLocation,
  postgres?: PostgresDatabaseOptions,
): Promise<Database> {
  return url ? openPostgresDatabase(url, postgres) : openPgliteDatabase(dataDir);
}
