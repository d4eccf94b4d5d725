/**
 * The {@link ChainReader} over JSON-RPC: turns the node's hex quantities into numbers and checks the shape of what
 * comes back, so the layers above can trust every field.
 */
import { createJsonRpcClient } from "./json-rpc";
import type { JsonRpcClient, JsonRpcClientOptions } from "./json-rpc";
import { RpcError } from "./types";
import type { BlockHeader, ChainReader, LogFilter, RawLog } from "./types";

export interface ChainReaderOptions extends JsonRpcClientOptions {
  /** Header requests per HTTP request: providers cap batches (often at 100 to 1000 calls). */
  headersPerBatch?: number;
}

/**
 * Creates a reader for one endpoint. Addresses and hashes are kept as the node returns them (Hardhat and Anvil: lower
 * case); logs keep the node's order (block, then log index). An empty `addresses` list asks nothing and yields no logs,
 * where a node would read it as "every contract".
 */
export function createChainReader(options: ChainReaderOptions): ChainReader {
  const client = createJsonRpcClient(options);
  const headersPerBatch = options.headersPerBatch ?? 100;
  return {
    chainId: async () => quantity(await client.call("eth_chainId", []), "eth_chainId", "result"),
    headNumber: async () => quantity(await client.call("eth_blockNumber", []), "eth_blockNumber", "result"),
    headers: (numbers) => readHeaders(client, numbers, headersPerBatch),
    logs: (filter) => readLogs(client, filter),
  };
}

/** Batches of `eth_getBlockByNumber`, one after the other to spare the node. */
async function readHeaders(client: JsonRpcClient, numbers: number[], headersPerBatch: number): Promise<BlockHeader[]> {
  const headers: BlockHeader[] = [];
  for (let start = 0; start < numbers.length; start += headersPerBatch) {
    const chunk = numbers.slice(start, start + headersPerBatch);
    const blocks = await client.batch(chunk.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), false] })));
    headers.push(...blocks.map((block, index) => toHeader(block, chunk[index])));
  }
  return headers;
}

async function readLogs(client: JsonRpcClient, filter: LogFilter): Promise<RawLog[]> {
  if (filter.addresses.length === 0) return [];
  const query = { fromBlock: hex(filter.fromBlock), toBlock: hex(filter.toBlock), address: filter.addresses };
  const logs = await client.call("eth_getLogs", [query]);
  if (!Array.isArray(logs)) throw malformed("eth_getLogs", "result", logs);
  return logs.map(toLog);
}

function toHeader(block: unknown, requested: number): BlockHeader {
  const method = "eth_getBlockByNumber";
  if (!isRecord(block)) throw new RpcError(method, `block ${requested} not found`);
  const header = {
    number: quantity(block.number, method, "number"),
    hash: data(block.hash, method, "hash"),
    parentHash: data(block.parentHash, method, "parentHash"),
    timestamp: quantity(block.timestamp, method, "timestamp"),
  };
  if (header.number !== requested) throw new RpcError(method, `asked for block ${requested}, got ${header.number}`);
  return header;
}

function toLog(log: unknown): RawLog {
  const method = "eth_getLogs";
  if (!isRecord(log)) throw malformed(method, "log", log);
  if (!Array.isArray(log.topics)) throw malformed(method, "topics", log.topics);
  return {
    blockNumber: quantity(log.blockNumber, method, "blockNumber"),
    blockHash: data(log.blockHash, method, "blockHash"),
    transactionHash: data(log.transactionHash, method, "transactionHash"),
    transactionIndex: quantity(log.transactionIndex, method, "transactionIndex"),
    logIndex: quantity(log.logIndex, method, "logIndex"),
    address: data(log.address, method, "address"),
    topics: log.topics.map((topic) => data(topic, method, "topics")),
    data: data(log.data, method, "data"),
  };
}

/** A JSON-RPC quantity ("0x1a") as a number; block numbers and indexes stay far below 2^53. */
function quantity(value: unknown, method: string, field: string): number {
  if (typeof value !== "string" || !/^0x[0-9a-f]+$/i.test(value)) throw malformed(method, field, value);
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw malformed(method, field, value);
  return number;
}

/** JSON-RPC data ("0x…", any even length, hashes and addresses included). */
function data(value: unknown, method: string, field: string): string {
  if (typeof value !== "string" || !/^0x([0-9a-f]{2})*$/i.test(value)) throw malformed(method, field, value);
  return value;
}

function hex(number: number): string {
  return `0x${number.toString(16)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A node that answers with the wrong shape is broken, not busy: retrying will not help. */
function malformed(method: string, field: string, value: unknown): RpcError {
  return new RpcError(method, `malformed ${field} in the response: ${JSON.stringify(value)?.slice(0, 80)}`);
}
