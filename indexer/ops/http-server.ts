/**
 * The operations endpoints an orchestrator probes: `/healthz` (restart me if failing), `/readyz` (route traffic to
 * me only if succeeding) and `/metrics` for Prometheus. Plain `node:http`: three read-only routes need no framework.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./logger";
import { redactUrlsInText } from "./logger";
import { close, listen, urlOf } from "./listening";
import type { IndexerStatus } from "./types";

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port; the chosen one is in {@link OpsServer.url}. */
  port: number;
  /** Read on every probe, so the answers are never stale. */
  status: () => IndexerStatus;
  metrics: { readonly registry: Registry };
  logger: Logger;
}

export interface OpsServer {
  /** The base URL, with the port actually bound. */
  readonly url: string;
  /** Stops listening and drops open connections (probes keep them alive), so shutdown does not wait on them. */
  close(): Promise<void>;
}

/** A response before it is written: the status code, the body and its content type. */
interface Reply {
  statusCode: number;
  contentType: string;
  body: string;
}

type Route = (options: OpsServerOptions) => Reply | Promise<Reply>;

/** The routes by exact path; query strings are ignored. */
const ROUTES = new Map<string, Route>([
  ["/healthz", (options) => healthOf(options.status())],
  ["/readyz", (options) => readinessOf(options.status())],
  ["/metrics", metricsOf],
]);

/** Starts listening; rejects if the address cannot be bound (a port in use, a host not of this machine). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((request, response) => {
    void handle(options, request, response);
  });
  await listen(server, options.host, options.port);
  const url = urlOf(server.address() as AddressInfo);
  options.logger.info({ url }, "operations endpoints listening");
  return { url, close: () => close(server) };
}

/** Alive unless the sync loop stopped on a fatal error: only a restart can help then. */
function healthOf(status: IndexerStatus): Reply {
  if (status.stoppedBy !== null) {
    return json(503, { status: "stopped", error: redactUrlsInText(status.stoppedBy) });
  }
  return json(200, { status: "ok" });
}

/** Ready once following the head with no more lag than the blocks still in doubt; otherwise says why not. */
function readinessOf(status: IndexerStatus): Reply {
  const { headBlock, indexedBlock } = status;
  const lag = headBlock !== null && indexedBlock !== null ? headBlock - indexedBlock : null;
  const position = { head_block: headBlock, indexed_block: indexedBlock, lag_blocks: lag };
  const reason = notReadyReason(status, lag);
  if (reason !== null) return json(503, { status: "not ready", reason, ...position });
  return json(200, { status: "ready", ...position });
}

/** The registry in Prometheus' text format. */
async function metricsOf({ metrics }: OpsServerOptions): Promise<Reply> {
  return { statusCode: 200, contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** Why the indexer is not ready, or null if it is. */
function notReadyReason(status: IndexerStatus, lag: number | null): string | null {
  if (status.stoppedBy !== null) return `stopped: ${redactUrlsInText(status.stoppedBy)}`;
  if (!status.following) return "backfilling";
  if (lag === null) return "no block indexed yet";
  if (lag > status.confirmations) return `${lag} blocks behind the head, more than the ${status.confirmations} allowed`;
  return null;
}

/** Every failure becomes a 500 with a generic body: details go to the log, not to whoever probes. */
async function handle(
  options: OpsServerOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  try {
    send(response, await route(options, request));
  } catch (error) {
    options.logger.error({ err: error, path: request.url }, "operations endpoint failed");
    send(response, json(500, { status: "error", error: "internal error" }));
  }
}

/** 404 for an unknown path whatever the method, then 405 for anything but GET on a known one. */
async function route(options: OpsServerOptions, request: http.IncomingMessage): Promise<Reply> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const target = ROUTES.get(path);
  if (!target) return json(404, { status: "not found", path });
  if (request.method !== "GET") return json(405, { status: "method not allowed", method: request.method });
  return target(options);
}

/** Probes and humans both read JSON bodies. */
function json(statusCode: number, body: object): Reply {
  return { statusCode, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
}

/** Probes must see the current state, never a cached one. */
function send(response: http.ServerResponse, reply: Reply): void {
  const headers: http.OutgoingHttpHeaders = { "content-type": reply.contentType, "cache-control": "no-store" };
  if (reply.statusCode === 405) headers.allow = "GET";
  response.writeHead(reply.statusCode, headers).end(reply.body);
}
