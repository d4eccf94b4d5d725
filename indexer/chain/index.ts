/** The chain access layer: the only module that speaks JSON-RPC. */
export { createChainReader } from "./chain-reader";
export type { ChainReaderOptions } from "./chain-reader";
export { createLogRangeReader } from "./adaptive-range";
export type { LogRangeOptions } from "./adaptive-range";
export type { RetryOptions } from "./json-rpc";
export { RangeTooLargeError, RpcError } from "./types";
export type { BlockHeader, ChainReader, LogBatch, LogFilter, LogRangeReader, RawLog, RpcObserver } from "./types";
