/**
 * The API's refusals, as GraphQL errors with an `extensions.code` a client can branch on (the codes Apollo and
 * Yoga clients already know).
 */
import { GraphQLError } from "graphql";

export type ApiErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT";

function apiError(code: ApiErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** The caller has no valid session: sign in first. */
export function unauthenticated(): GraphQLError {
  return apiError("UNAUTHENTICATED", "sign in to read the ledger");
}

/** The caller is known but may not read this. */
export function forbidden(message: string): GraphQLError {
  return apiError("FORBIDDEN", message);
}

/** The arguments cannot be served as given (bad page size, malformed cursor, value out of range). */
export function badUserInput(message: string): GraphQLError {
  return apiError("BAD_USER_INPUT", message);
}
