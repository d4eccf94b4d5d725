/**
 * The plain `node:http` side of the server: JSON replies and bounded JSON bodies for the routes Yoga does not
 * serve (`/auth/*`, `/healthz`, `/readyz`, `/metrics`).
 */
import type http from "node:http";

/** A response before it is written. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A request body that cannot be served: too large, not JSON. Answered with its status and code. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

/** A JSON reply. */
export function json(status: number, body: object, headers?: Record<string, string>): Reply {
  return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(body), headers };
}

/** A refusal in the shape GraphQL clients already parse: `{ errors: [{ message, extensions: { code } }] }`. */
export function errorReply(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return json(status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** Writes `reply`; answers are never cached, since they depend on the moment (health) or the caller (tokens). */
export function send(response: http.ServerResponse, reply: Reply): void {
  response
    .writeHead(reply.status, { "content-type": reply.contentType, "cache-control": "no-store", ...reply.headers })
    .end(reply.body);
}

/**
 * The request's body parsed as JSON, refused early when it declares or turns out to exceed `limit` bytes (413),
 * or is not `application/json` (415: a browser form cannot send it without a CORS preflight) or not JSON (400).
 */
export async function readJsonBody(request: http.IncomingMessage, limit: number): Promise<unknown> {
  const contentType = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new BodyError(415, "BAD_REQUEST", "send the body as application/json");
  }
  if (Number(request.headers["content-length"] ?? 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BodyError(400, "BAD_USER_INPUT", "the body is not valid JSON");
  }
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, "REQUEST_ENTITY_TOO_LARGE", `the body exceeds ${limit} bytes`);
}
