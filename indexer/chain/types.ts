/**
 * The chain access layer's contract with the rest of the indexer: block headers, logs and the head, read over
 * JSON-RPC. Nothing above this layer sees HTTP, retries or provider quirks.
 */

/** The parts of a block header the indexer keeps. */
export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** One log as `eth_getLogs` returns it, with quantities as numbers. */
export interface RawLog {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
  address: string;
  topics: string[];
  data: string;
}

/** An inclusive block range and the contracts whose logs are wanted. */
export interface LogFilter {
  fromBlock: number;
  toBlock: number;
  addresses: string[];
}

/** The logs of an inclusive block range. */
export interface LogBatch {
  fromBlock: number;
  toBlock: number;
  logs: RawLog[];
}

/** Reads the chain. Every method retries transient faults itself and throws only once it gives up. */
export interface ChainReader {
  /** `eth_chainId`. */
  chainId(): Promise<number>;
  /** `eth_blockNumber`. */
  headNumber(): Promise<number>;
  /** Headers of the given blocks, in the order asked, fetched in one JSON-RPC batch; throws if one is missing. */
  headers(numbers: number[]): Promise<BlockHeader[]>;
  /** One `eth_getLogs`; throws {@link RangeTooLargeError} when the provider refuses the range. */
  logs(filter: LogFilter): Promise<RawLog[]>;
}

/** Reads logs in block ranges sized to what the provider accepts and how dense the logs are. */
export interface LogRangeReader {
  /** Logs of `[fromBlock, end]` for the largest `end ≤ toBlock` the current range size allows. */
  next(filter: LogFilter): Promise<LogBatch>;
  /** The number of blocks the next call asks for at most. */
  readonly rangeSize: number;
}

/** Told of every RPC fault, retried or not, so it can be counted and logged. */
export interface RpcObserver {
  onRpcError(method: string, error: Error, willRetry: boolean): void;
}

/** The provider refused a log query as too large (block range or result count). */
export class RangeTooLargeError extends Error {
  constructor(
    readonly fromBlock: number,
    readonly toBlock: number,
    message: string,
  ) {
    super(`eth_getLogs of blocks ${fromBlock}–${toBlock} refused as too large: ${message}`);
    this.name = "RangeTooLargeError";
  }
}

/** A JSON-RPC call failed for good (after its retries, or at once for an error retrying cannot fix). */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${method} failed: ${message}`);
    this.name = "RpcError";
  }
}
