/**
 * A JSON-RPC 2.0 client over HTTP with the retry policy of the whole indexer: every transient fault (network,
 * timeout, 429, 5xx, garbled body, "try later" errors) is retried with exponential backoff and full jitter; errors
 * that retrying cannot fix are thrown at once, a refused log range as {@link RangeTooLargeError} so the caller can
 * shrink it.
 */
import { RangeTooLargeError, RpcError } from "./types";
import type { RpcObserver } from "./types";

/** How hard to try before giving up. */
export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** The backoff ceiling of the first retry; it doubles with each further retry. */
  baseDelayMs?: number;
  /** The backoff ceiling never grows beyond this. */
  maxDelayMs?: number;
  /** A server's `Retry-After` is honoured up to this. */
  maxRetryAfterMs?: number;
  /** One HTTP request, body included, is abandoned after this. */
  timeoutMs?: number;
}

export interface JsonRpcClientOptions extends RetryOptions {
  /** May carry `user:password@` (sent as HTTP Basic authentication) and an API key; neither is ever printed. */
  url: string;
  observer?: RpcObserver;
  /** A number in [0, 1), as `Math.random`; injected so tests can predict the jitter. */
  random?: () => number;
  /** Waits between attempts; injected so tests need not wait. */
  sleep?: (milliseconds: number) => Promise<void>;
}

export interface JsonRpcCall {
  method: string;
  params: unknown[];
}

export interface JsonRpcClient {
  /** The endpoint without credentials, path or query: safe to log. */
  readonly endpoint: string;
  call<T = unknown>(method: string, params: unknown[]): Promise<T>;
  /** All calls in one HTTP request; results in the order of `calls`. Any failed element fails the whole batch. */
  batch<T = unknown>(calls: JsonRpcCall[]): Promise<T[]>;
}

const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 8,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 10_000,
};

/**
 * JSON-RPC codes that mean "the server is busy" whatever the message says: limit exceeded, and internal error, which
 * hosted providers return for an overloaded backend far more often than for a bad request.
 */
const TRANSIENT_CODES = new Set([-32005, -32603, 429]);

/**
 * Messages that mean "try later". "Unknown block" and kin come from a node behind a load balancer that has not yet
 * seen a block just announced; Anvil words it "BlockOutOfRangeError: block height is 9 but requested was 12".
 */
const TRANSIENT_MESSAGE = anyOf([
  "rate limit",
  "too many requests",
  "limit exceeded",
  "header not found",
  "unknown block",
  "block not found",
  "BlockOutOfRange",
  "block height is \\d+ but requested",
  "try again",
  "timed? ?out",
  "temporarily unavailable",
  "busy",
]);

/** Messages of nodes and providers refusing an `eth_getLogs` range as too wide or its result as too large. */
const RANGE_MESSAGE = anyOf([
  "more than \\d[\\d,]* results",
  "block range is too (wide|large)",
  "range too large",
  "exceeds? (the )?maximum block range",
  "log response size exceeded",
  "limited to an? [\\d,]+k? (block )?range",
  "block range (limit|too)",
  "too many (logs|results)",
  "query timeout exceeded",
]);

function anyOf(patterns: string[]): RegExp {
  return new RegExp(patterns.join("|"), "i");
}

/** Whether a JSON-RPC error of `method` means its block range should shrink. */
function isRangeRefusal(method: string, message: string): boolean {
  return method === "eth_getLogs" && RANGE_MESSAGE.test(message);
}

/** A failed attempt, classified by what the caller should do about it. */
class Fault extends Error {
  constructor(
    message: string,
    readonly kind: "transient" | "fatal" | "range",
    readonly method?: string,
    readonly code?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

interface JsonRpcResponse {
  id?: unknown;
  result?: unknown;
  error?: unknown;
}

interface Endpoint {
  href: string;
  headers: Record<string, string>;
  printable: string;
  secrets: string[];
}

/** Creates a client for one endpoint; see {@link JsonRpcClientOptions} for the defaults. */
export function createJsonRpcClient(options: JsonRpcClientOptions): JsonRpcClient {
  const retry = retrySettings(options);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((r) => setTimeout(r, milliseconds)));
  const endpoint = parseEndpoint(options.url);
  let nextId = 1;

  async function send(calls: JsonRpcCall[]): Promise<unknown[]> {
    const requests = calls.map((call) => ({ jsonrpc: "2.0", id: nextId++, method: call.method, params: call.params }));
    const label = describeCalls(calls);
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await post(endpoint, JSON.stringify(requests.length === 1 ? requests[0] : requests), retry);
        return unpack(requests, label, body);
      } catch (caught) {
        const fault = classify(caught);
        const willRetry = fault.kind === "transient" && attempt < retry.maxAttempts;
        const method = fault.method ?? label;
        const error = toPublicError(fault, method, calls, `attempt ${attempt} of ${retry.maxAttempts}`, endpoint);
        options.observer?.onRpcError(method, error, willRetry);
        if (!willRetry) throw error;
        await sleep(fault.retryAfterMs ?? backoffDelay(attempt, retry, random));
      }
    }
  }

  return {
    endpoint: endpoint.printable,
    async call<T>(method: string, params: unknown[]) {
      const [result] = await send([{ method, params }]);
      return result as T;
    },
    async batch<T>(calls: JsonRpcCall[]) {
      return calls.length === 0 ? [] : ((await send(calls)) as T[]);
    },
  };
}

/** The defaults, overridden by what the caller set (an explicit `undefined` keeps the default). */
function retrySettings(options: RetryOptions): Required<RetryOptions> {
  const keys = Object.keys(DEFAULT_RETRY) as (keyof RetryOptions)[];
  return Object.fromEntries(keys.map((key) => [key, options[key] ?? DEFAULT_RETRY[key]])) as Required<RetryOptions>;
}

/** Full jitter: a uniform delay below an exponentially growing ceiling, so that many clients do not retry in step. */
function backoffDelay(attempt: number, retry: Required<RetryOptions>, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `fetch` refuses URLs with userinfo, so credentials move into a header. Only the origin is ever printed: a path or a
 * query may hold an API key (Infura, Alchemy); every secret part is also kept to be scrubbed from foreign messages.
 */
function parseEndpoint(url: string): Endpoint {
  const parsed = parseUrl(url);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const secrets = [url, parsed.search, parsed.pathname.length > 1 ? parsed.pathname : ""];
  if (parsed.username || parsed.password) {
    const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    secrets.push(parsed.username, parsed.password);
    parsed.username = "";
    parsed.password = "";
  }
  return { href: parsed.href, headers, printable: parsed.origin, secrets: secrets.filter((s) => s.length > 1) };
}

/** `new URL` puts the input in its error, where a logger would print it with its secrets. */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new TypeError("the JSON-RPC URL is not a valid URL");
  }
}

/** One HTTP round trip; throws a {@link Fault} for any HTTP-level problem and returns the parsed body otherwise. */
async function post(endpoint: Endpoint, body: string, retry: Required<RetryOptions>): Promise<unknown> {
  const response = await fetch(endpoint.href, {
    method: "POST",
    headers: endpoint.headers,
    body,
    signal: AbortSignal.timeout(retry.timeoutMs),
  });
  const text = await response.text();
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), retry.maxRetryAfterMs);
    throw new Fault(`HTTP ${response.status}`, "transient", undefined, undefined, retryAfterMs);
  }
  if (response.status === 413) throw new Fault("HTTP 413 (payload too large)", "range");
  const parsed = parseJson(text);
  // Some providers send JSON-RPC errors with a 4xx status; any other 4xx (401, 403, 404) will not heal by itself.
  if (!response.ok && !isResponseShaped(parsed)) throw new Fault(`HTTP ${response.status}`, "fatal");
  if (parsed === undefined) throw new Fault(`malformed JSON body (${text.length} characters)`, "transient");
  return parsed;
}

/** The body as JSON, or undefined if it is not (cut short, an HTML error page). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` in seconds or as an HTTP date, capped; undefined when absent or unreadable. */
function parseRetryAfter(header: string | null, capMs: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  const milliseconds = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(milliseconds) ? undefined : Math.min(capMs, Math.max(0, Math.ceil(milliseconds)));
}

function isResponseShaped(value: unknown): boolean {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return isObject(first) && ("result" in first || "error" in first);
}

/** Matches responses to requests by id (servers may answer a batch in any order) and surfaces the worst error. */
function unpack(requests: { id: number; method: string }[], label: string, body: unknown): unknown[] {
  // A lone error object answers the whole request, often with a null id (parse error, invalid batch).
  if (!Array.isArray(body) && isObject(body) && "error" in body) throw errorFault(label, body.error);
  const responses = (Array.isArray(body) ? body : [body]) as JsonRpcResponse[];
  const byId = new Map(responses.filter(isObject).map((r) => [r.id, r]));
  const matched = requests.map((request) => byId.get(request.id));
  const faults = matched.flatMap((response, index) =>
    response?.error ? [errorFault(requests[index].method, response.error)] : [],
  );
  const worst = ["fatal", "range", "transient"].map((kind) => faults.find((f) => f.kind === kind)).find(Boolean);
  if (worst) throw worst;
  const missing = matched.findIndex((response) => response === undefined || !("result" in response));
  if (missing >= 0) throw new Fault(`no result for request id ${requests[missing].id}`, "transient");
  return matched.map((response) => response!.result);
}

/** Classifies a JSON-RPC error object: range refusal, "try later", or a request the node will never accept. */
function errorFault(method: string, error: unknown): Fault {
  const code = isObject(error) && typeof error.code === "number" ? error.code : undefined;
  const message = isObject(error) && typeof error.message === "string" ? error.message : JSON.stringify(error);
  const text = `JSON-RPC error ${code ?? "without code"}: ${message}`;
  if (isRangeRefusal(method, message)) return new Fault(message, "range", method, code);
  const transient = (code !== undefined && TRANSIENT_CODES.has(code)) || TRANSIENT_MESSAGE.test(message);
  return new Fault(text, transient ? "transient" : "fatal", method, code);
}

/** Anything thrown that is not already a {@link Fault} comes from `fetch`: a network error, a timeout, a cut body. */
function classify(caught: unknown): Fault {
  if (caught instanceof Fault) return caught;
  const name = isObject(caught) ? caught.name : undefined;
  if (name === "TimeoutError" || name === "AbortError") return new Fault("request timed out", "transient");
  return new Fault(networkMessage(caught), "transient");
}

/** undici hides the useful part ("ECONNRESET", "other side closed") in `cause`. */
function networkMessage(caught: unknown): string {
  if (!(caught instanceof Error)) return String(caught);
  const cause = caught.cause instanceof Error ? `: ${caught.cause.message}` : "";
  return `network error: ${caught.message}${cause}`;
}

/** The error the caller sees: a {@link RangeTooLargeError} for a refused range, an {@link RpcError} otherwise. */
function toPublicError(fault: Fault, method: string, calls: JsonRpcCall[], attempt: string, endpoint: Endpoint) {
  const logQuery = calls.find((call) => call.method === "eth_getLogs");
  const message = scrub(fault.message, endpoint);
  if (fault.kind === "range" && logQuery) {
    const { fromBlock, toBlock } = blockRangeOf(logQuery);
    return new RangeTooLargeError(fromBlock, toBlock, message);
  }
  return new RpcError(method, `${message} from ${endpoint.printable} (${attempt})`, fault.code);
}

function blockRangeOf(call: JsonRpcCall): { fromBlock: number; toBlock: number } {
  const filter = isObject(call.params[0]) ? call.params[0] : {};
  return { fromBlock: Number(filter.fromBlock), toBlock: Number(filter.toBlock) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Server and network messages may echo the URL; none of its secret parts may reach a log. */
function scrub(message: string, endpoint: Endpoint): string {
  return endpoint.secrets.reduce((text, secret) => text.split(secret).join("<redacted>"), message);
}

function describeCalls(calls: JsonRpcCall[]): string {
  return [...new Set(calls.map((call) => call.method))].join(",");
}
