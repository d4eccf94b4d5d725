/**
 * Why a sign-in or a request was refused, typed so the HTTP layer maps each reason to one status code and the
 * GraphQL error code clients branch on. Messages say what to fix; they never carry secrets or internals.
 */

/** The codes a refusal carries, shared with GraphQL errors' `extensions.code`. */
export type AuthErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "SERVICE_UNAVAILABLE";

/** The HTTP status of each code. */
const STATUS_OF: Record<AuthErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SERVICE_UNAVAILABLE: 503,
};

/** A refused sign-in or session: a client error (bad input, bad credentials, no access) or a service not ready. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "AuthError";
  }

  /** The HTTP status that answers this refusal. */
  get status(): number {
    return STATUS_OF[this.code];
  }
}
