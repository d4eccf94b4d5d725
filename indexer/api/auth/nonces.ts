/**
 * Sign-in nonces in `auth_nonces`: each is issued with an expiry and accepted once. Checking and marking a nonce
 * used happen in one transaction, with the row locked, so two sign-ins racing on one nonce cannot both pass, even
 * from two API processes on one PostgreSQL.
 */
import { generateNonce } from "siwe";
import type { Database } from "../../store";
import { AuthError } from "./errors";

/** Issues and consumes nonces. */
export interface NonceStore {
  /** A fresh nonce, stored with its expiry. */
  issue(): Promise<{ nonce: string; expiresAt: Date }>;
  /** Marks `nonce` used; an UNAUTHENTICATED AuthError if it is unknown, already used or expired. */
  consume(nonce: string): Promise<void>;
}

export interface NonceStoreOptions {
  lifetimeSeconds: number;
  /** The clock in milliseconds: timestamps are computed here rather than by the database, so tests control them. */
  now?: () => number;
}

/** Expired nonces are kept this long (a day) before issuing deletes them, so a late replay still reads "expired". */
const EXPIRED_NONCE_RETENTION_MS = 86_400_000;

/** Creates the store over the index's database. */
export function createNonceStore(database: Database, options: NonceStoreOptions): NonceStore {
  const now = options.now ?? Date.now;

  async function issue(): Promise<{ nonce: string; expiresAt: Date }> {
    const issuedAt = now();
    const nonce = generateNonce();
    const expiresAt = new Date(issuedAt + options.lifetimeSeconds * 1000);
    await database.query("DELETE FROM auth_nonces WHERE expires_at < $1::timestamptz", [
      new Date(issuedAt - EXPIRED_NONCE_RETENTION_MS).toISOString(),
    ]);
    await database.query(
      "INSERT INTO auth_nonces (nonce, issued_at, expires_at) VALUES ($1, $2::timestamptz, $3::timestamptz)",
      [nonce, new Date(issuedAt).toISOString(), expiresAt.toISOString()],
    );
    return { nonce, expiresAt };
  }

  async function consume(nonce: string): Promise<void> {
    const at = new Date(now()).toISOString();
    await database.transaction(async (tx) => {
      const [row] = await tx.query<{ used: boolean; expired: boolean }>(
        `SELECT used_at IS NOT NULL AS used, expires_at <= $2::timestamptz AS expired
         FROM auth_nonces WHERE nonce = $1 FOR UPDATE`,
        [nonce, at],
      );
      if (!row) throw refused("the message's nonce was not issued by this service: ask POST /auth/nonce for one");
      if (row.used) throw refused("the message's nonce was already used: ask POST /auth/nonce for a new one");
      if (row.expired) throw refused("the message's nonce expired: ask POST /auth/nonce for a new one");
      await tx.query("UPDATE auth_nonces SET used_at = $2::timestamptz WHERE nonce = $1", [nonce, at]);
    });
  }

  return { issue, consume };
}

function refused(message: string): AuthError {
  return new AuthError("UNAUTHENTICATED", message);
}
