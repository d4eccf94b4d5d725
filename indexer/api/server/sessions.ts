/**
 * Resolves each GraphQL request's session before its document is even parsed, so a request with a bad token
 * learns nothing (not even validation hints about the schema) and gets one clear refusal with its HTTP status.
 * Anonymous requests go on to the resolvers, which decide what they may read, but may not introspect the schema.
 */
import { GraphQLError } from "graphql";
import type { ASTVisitor, ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import { AuthError } from "../auth";
import type { Authenticator, Session } from "../auth";
import { serverError, sessionRefusal } from "./errors";

/** The sessions of requests in flight, and the plugin that resolves them. */
export interface SessionPlugin {
  plugin: Plugin;
  /** The session of `request`; null when it was refused (or never resolved). */
  sessionOf(request: Request): Session | null;
}

/** Sessions keyed by the request, so they go when the request does. */
export function createSessionPlugin(authenticate: Authenticator): SessionPlugin {
  const sessions = new WeakMap<Request, Session>();
  const sessionOf = (request: Request) => sessions.get(request) ?? null;
  const plugin: Plugin = {
    async onParams({ request, setResult }) {
      try {
        sessions.set(request, await authenticate(request.headers.get("authorization")));
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        setResult({ errors: [sessionRefusal(error)] });
      }
    },
    onValidate({ context, addValidationRule }) {
      const request = (context as { request?: Request }).request;
      if (request && sessionOf(request)?.viewer.kind === "anonymous") addValidationRule(IntrospectionNeedsSignIn);
    },
  };
  return { plugin, sessionOf };
}

/**
 * Refuses `__schema` and `__type` to anonymous callers. A named function: Yoga caches validation per set of rule
 * names, so a member's cached "valid" never answers an anonymous caller's identical document.
 */
function IntrospectionNeedsSignIn(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== "__schema" && node.name.value !== "__type") return;
      const refusal = serverError("UNAUTHENTICATED", "sign in to introspect the schema", 401);
      context.reportError(new GraphQLError(refusal.message, { nodes: node, extensions: refusal.extensions }));
    },
  };
}
