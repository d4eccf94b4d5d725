import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "./database";

const MIGRATIONS_DIR = path.join(__dirname, "migrations");

/** A released migration's file was changed: the database and the code no longer agree on the schema. */
export class MigrationChangedError extends Error {
  constructor(readonly version: number) {
    super(`migration ${version} was edited after it was applied to this database; add a new migration instead`);
    this.name = "MigrationChangedError";
  }
}

interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations shipped with the code: `NNNN_name.sql`, in version order. */
export function listMigrations(directory = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(directory)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(directory, file), "utf8");
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
}

/**
 * Applies the migrations this database lacks, all in one transaction, after checking that the applied ones
 * are unchanged. Concurrent indexers on one PostgreSQL serialize on an advisory lock.
 */
export async function migrate(database: Database, migrations = listMigrations()): Promise<number[]> {
  return database.transaction(async (tx) => {
    if (database.engine === "postgres") await tx.query("SELECT pg_advisory_xact_lock(7202611)");
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await tx.query<{ version: number; checksum: string }>(
      "SELECT version, checksum FROM schema_migrations",
    );
    const checksums = new Map(applied.map((row) => [Number(row.version), row.checksum]));
    const pending: number[] = [];
    for (const migration of migrations) {
      const checksum = checksums.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new MigrationChangedError(migration.version);
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      pending.push(migration.version);
    }
    return pending;
  });
}
