/**
 * Turns a request's `Authorization` header into the viewer and scope its operation runs with. No header is an
 * anonymous caller (the resolvers decide what that may read); a header that does not hold a valid token is refused
 * outright, so a client with a broken or expired session learns it instead of silently seeing less.
 */
import type { AccessScope, Viewer } from "../types";
import { AuthError } from "./errors";
import type { SessionTokens } from "./session-tokens";
import { scopeOf } from "./viewer";
import type { IndexedStateReader } from "./viewer";

/** Who asks, what they may read, and the version of the index they were admitted at. */
export interface Session {
  viewer: Viewer;
  scope: AccessScope;
  /** The index's version when the session was resolved (see `IndexedState.version`). */
  indexVersion: string;
}

/** Resolves a request's `Authorization` header (null when absent) to its session, or throws an AuthError. */
export type Authenticator = (authorization: string | null) => Promise<Session>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The authenticator of signed-in sessions. */
export function createAuthenticator(readState: IndexedStateReader, tokens: SessionTokens): Authenticator {
  return async (authorization) => {
    if (authorization === null) return sessionOf({ kind: "anonymous" }, (await readState(null)).version);
    const match = BEARER.exec(authorization);
    if (!match) throw new AuthError("UNAUTHENTICATED", "expected the header Authorization: Bearer <token>");
    const { account } = tokens.verify(match[1]);
    const { viewer, version } = await readState(account);
    if (viewer === null) {
      throw new AuthError("FORBIDDEN", `${account} is no longer an active member of an active organization`);
    }
    return sessionOf(viewer, version);
  };
}

/** `--open` development mode: every request sees everything, whatever it sends. */
export function createOpenAuthenticator(readState: IndexedStateReader): Authenticator {
  return async () => sessionOf({ kind: "open" }, (await readState(null)).version);
}

function sessionOf(viewer: Viewer, indexVersion: string): Session {
  return { viewer, scope: scopeOf(viewer), indexVersion };
}
