export { createDecoder, SUITE_CONTRACT_NAMES } from "./decoder";
export type { Decoder, DecodedLog, JsonValue, SuiteContractName, UndecodableHandler, WatchedContract } from "./decoder";
export { subjectOf } from "./subjects";
