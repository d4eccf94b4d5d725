/**
 * The GraphQL errors the server itself raises, and the masking of everything else. A GraphQLError raised on
 * purpose (by a resolver, a limit or the sign-in check) reaches the client with its code; any other error (a SQL
 * failure, a bug) is logged and replaced by a generic one, so no stack trace, SQL text or path leaves the server.
 */
import { GraphQLError } from "graphql";
import type { ExecutionResult } from "graphql";
import { isAsyncIterable } from "graphql-yoga";
import type { Plugin } from "graphql-yoga";
import type { AuthError } from "../auth";

/** The codes the server's own errors carry; resolvers add FORBIDDEN and BAD_USER_INPUT. */
export type ServerErrorCode =
  | "QUERY_TOO_COMPLEX"
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

/** What replaces an unexpected error's message. */
export const INTERNAL_ERROR_MESSAGE = "internal error: the operator's log has the details";

/**
 * A GraphQL error with its code and the HTTP status of a response that carries it. `spec: false` keeps the status
 * even for validation errors, which Yoga otherwise answers with 200 to clients that accept plain JSON.
 */
export function serverError(
  code: ServerErrorCode,
  message: string,
  status: number,
  headers?: Record<string, string>,
): GraphQLError {
  const http = { status, spec: false, ...(headers && { headers }) };
  return new GraphQLError(message, { extensions: { code, http } });
}

/** A refused session, as the GraphQL error that answers the request; 401s say how to authenticate. */
export function sessionRefusal(error: AuthError): GraphQLError {
  const challenge = error.status === 401 ? { "www-authenticate": 'Bearer realm="dxl"' } : undefined;
  return serverError(error.code, error.message, error.status, challenge);
}

/**
 * Yoga's `maskError`: intended GraphQL errors pass, anything else becomes INTERNAL_SERVER_ERROR with no detail.
 * Unlike Yoga's default it never adds the original error, whatever NODE_ENV says.
 */
export function maskUnexpectedError(error: unknown): Error {
  if (isIntendedError(error)) return error;
  const located = error instanceof GraphQLError ? error : null;
  return new GraphQLError(INTERNAL_ERROR_MESSAGE, {
    nodes: located?.nodes,
    path: located?.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  });
}

/**
 * Gives BAD_USER_INPUT to the errors of an operation that could not start (a variable of the wrong type, an
 * unknown operation name), which graphql-js leaves without a code. By the time results get here, parse and
 * validation errors have theirs (from Yoga) and unexpected ones have been masked, so those are the only ones left.
 */
export function useRequestErrorCodes(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || isAsyncIterable(result) || "data" in result || !result.errors?.some(hasNoCode)) return;
      setResult({ ...result, errors: result.errors.map(withBadUserInput) } as ExecutionResult);
    },
  };
}

function hasNoCode(error: GraphQLError): boolean {
  return typeof error.extensions?.code !== "string";
}

function withBadUserInput(error: GraphQLError): GraphQLError {
  if (!hasNoCode(error)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: "BAD_USER_INPUT" },
  });
}

/** A GraphQLError raised on purpose: one that wraps nothing, or only other GraphQL errors (a resolver's, located). */
function isIntendedError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isIntendedError(error.originalError);
}

/** The distinct codes of a result's errors, in order; an error without one counts as INTERNAL_SERVER_ERROR. */
export function errorCodesOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] {
  const codes = (errors ?? []).map((error) => {
    const code = error.extensions?.code;
    return typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
  });
  return [...new Set(codes)];
}
