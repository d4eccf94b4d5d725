import http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../scripts/lib/scenario/random";

/** Per-request probabilities of each fault; they are drawn from one number, so their sum should stay below 1. */
export interface FaultRates {
  http429: number;
  http500: number;
  /** Never answer: the client's timeout ends the request. */
  timeout: number;
  /** Cut the connection halfway through the response body. */
  drop: number;
  /** Answer half of the JSON body, with a matching content-length. */
  truncated: number;
  /** Refuse an `eth_getLogs` of more than one block as too large (drawn separately, per query). */
  rangeLimit: number;
}

export type FaultKind = keyof FaultRates;

export type FaultStats = Record<FaultKind, number> & { requests: number; forwarded: number };

export interface FaultProxyOptions {
  /** The JSON-RPC node to forward to. */
  target: string;
  /** Same seed, same requests: same faults. */
  seed: number;
  rates?: Partial<FaultRates>;
  /** `eth_getLogs` spanning more blocks than this is always refused, as hosted providers do. */
  maxLogRange?: number;
}

export interface FaultProxy {
  url: string;
  /** Counts by fault kind, live. */
  stats: FaultStats;
  setRates(rates: Partial<FaultRates>): void;
  stop(): Promise<void>;
}

interface JsonRpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** The faults that replace a whole HTTP answer, in the order their rates are laid out on [0, 1). */
const HTTP_FAULTS = ["http429", "http500", "timeout", "drop", "truncated"] as const;

const NO_FAULTS: FaultRates = { http429: 0, http500: 0, timeout: 0, drop: 0, truncated: 0, rangeLimit: 0 };

/** A hung request is cut after this even if the client never gives up, so no test can hang on it. */
const HANG_LIMIT_MS = 30_000;

/** mulberry32, the scenario's seeded PRNG, so a failing run can be replayed with its seed. */
export { mulberry32 };

/** Starts a JSON-RPC proxy on a free loopback port that forwards to `target` and injects seeded faults. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(options.seed);
  let rates: FaultRates = { ...NO_FAULTS, ...options.rates };
  const stats: FaultStats = { ...NO_FAULTS, requests: 0, forwarded: 0 };

  /** One draw per request picks at most one HTTP-level fault. */
  function pickFault(): (typeof HTTP_FAULTS)[number] | undefined {
    let draw = random();
    for (const kind of HTTP_FAULTS) {
      if (draw < rates[kind]) return kind;
      draw -= rates[kind];
    }
    return undefined;
  }

  /** The refusal a provider would send for this call, if it is an `eth_getLogs` over the limit or unlucky. */
  function refusalFor(call: JsonRpcRequest): object | undefined {
    if (call.method !== "eth_getLogs") return undefined;
    const { fromBlock, toBlock } = blockRange(call);
    const span = toBlock - fromBlock + 1;
    const overLimit = options.maxLogRange !== undefined && span > options.maxLogRange;
    const unlucky = span > 1 && random() < rates.rangeLimit;
    if (!overLimit && !unlucky) return undefined;
    stats.rangeLimit++;
    const error = overLimit ? capRefusal(fromBlock, options.maxLogRange!, random()) : sizeRefusal(random());
    return { jsonrpc: "2.0", id: call.id, error };
  }

  /** Forwards what is not refused, in one request, and answers in the shape the client sent. */
  async function answer(body: string): Promise<string> {
    const parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const refusals = calls.map(refusalFor);
    const passed = calls.filter((_, index) => !refusals[index]);
    const replies = passed.length > 0 ? await forward(Array.isArray(parsed) ? passed : passed[0]) : [];
    const merged = calls.map((call, index) => refusals[index] ?? replies.find((reply) => reply.id === call.id));
    return JSON.stringify(Array.isArray(parsed) ? merged : merged[0]);
  }

  async function forward(payload: JsonRpcRequest | JsonRpcRequest[]): Promise<JsonRpcRequest[]> {
    stats.forwarded++;
    const response = await fetch(options.target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    const reply = (await response.json()) as JsonRpcRequest | JsonRpcRequest[];
    return Array.isArray(reply) ? reply : [reply];
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request);
    stats.requests++;
    const fault = pickFault();
    if (fault) stats[fault]++;
    if (fault === "http429") return void response.writeHead(429, { "content-type": "text/plain" }).end("slow down");
    if (fault === "http500") return void response.writeHead(500, { "content-type": "text/plain" }).end("oops");
    if (fault === "timeout") return void setTimeout(() => response.destroy(), HANG_LIMIT_MS).unref();
    const json = await answer(body);
    if (fault === "drop") return sendHalfThenCut(response, json);
    const sent = fault === "truncated" ? json.slice(0, Math.floor(json.length / 2)) : json;
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(sent) });
    response.end(sent);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`proxy failed: ${error.message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setRates: (changes) => (rates = { ...rates, ...changes }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A refusal by a provider with a fixed cap, worded as different providers word it. */
function capRefusal(fromBlock: number, maxLogRange: number, draw: number): object {
  const suggestion = `[0x${fromBlock.toString(16)}, 0x${(fromBlock + maxLogRange - 1).toString(16)}]`;
  const wordings = [
    { code: -32602, message: `exceed maximum block range: ${maxLogRange}` },
    { code: -32005, message: `query returned more than 10000 results. Try with this block range ${suggestion}.` },
    { code: -32614, message: `eth_getLogs is limited to a ${maxLogRange.toLocaleString("en-US")} range` },
    { code: -32000, message: "block range is too wide" },
  ];
  return wordings[Math.floor(draw * wordings.length)];
}

/** A refusal because of the result's size, which names no block limit. */
function sizeRefusal(draw: number): object {
  const wordings = [
    { code: -32005, message: "query returned more than 10000 results" },
    { code: -32602, message: "Log response size exceeded." },
  ];
  return wordings[Math.floor(draw * wordings.length)];
}

function blockRange(call: JsonRpcRequest): { fromBlock: number; toBlock: number } {
  const [filter] = (Array.isArray(call.params) ? call.params : []) as { fromBlock?: string; toBlock?: string }[];
  return { fromBlock: Number(filter?.fromBlock ?? 0), toBlock: Number(filter?.toBlock ?? 0) };
}

/** Headers and half the body, then a reset: what a crashing server or a broken link looks like. */
function sendHalfThenCut(response: http.ServerResponse, json: string): void {
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  response.write(json.slice(0, Math.floor(json.length / 2)), () => response.destroy());
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
