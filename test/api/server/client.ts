/** Plain `fetch` calls to a server under test, and what every error response must never contain. */
import { expect } from "chai";
import type { ApiServer } from "../../../indexer/api/server";

/** A response, its body read as text and, when it is JSON, parsed. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
}

/** One GraphQL request: the document, its variables and operation name, and the bearer token if any. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string;
}

/** Fetches `url` and reads the whole body. */
export async function fetchAnswer(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return { status: response.status, headers: response.headers, text, body: isJson ? JSON.parse(text) : null };
}

/** POSTs `body` as JSON. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return fetchAnswer(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** The `Authorization` header of `token`, or none. */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** POSTs a GraphQL request to the server's endpoint. */
export function graphql(server: ApiServer, request: GraphQLRequest): Promise<HttpAnswer> {
  const { token, ...payload } = request;
  return postJson(server.graphqlUrl, payload, bearer(token));
}

/** The `extensions.code` of each error of a GraphQL-shaped body. */
export function errorCodes(answer: HttpAnswer): string[] {
  return (answer.body?.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
}

/** Stack frames, file paths and SQL: what a response must never show a client. */
const INTERNALS = [
  /\bat .+\.[jt]s:\d+/,
  /\bstack\b/i,
  /\bSELECT\b/,
  /\bINSERT\b/,
  /\bFROM\s+\w+/,
  /\/work\/|node_modules/,
];

/** Asserts the response carries none of {@link INTERNALS}. */
export function expectNoInternals(answer: HttpAnswer): void {
  for (const pattern of INTERNALS) expect(answer.text, `${pattern} in ${answer.text}`).not.to.match(pattern);
}

/** Asserts a GraphQL refusal: the status, exactly one error, its code, and no internals. */
export function expectRefusal(answer: HttpAnswer, status: number, code: string, message?: RegExp): void {
  expect(answer.status, answer.text).to.equal(status);
  expect(errorCodes(answer), answer.text).to.deep.equal([code]);
  if (message) expect(answer.body.errors[0].message).to.match(message);
  expectNoInternals(answer);
}
