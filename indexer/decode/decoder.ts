import type { Interface } from "ethers";
import {
  AccessGrants__factory,
  AttestationRegistry__factory,
  Consortium__factory,
  DataSourceRegistry__factory,
} from "../../typechain-types";
import type { RawLog } from "../chain";
import { AbiDecodingError, compileEventDecoder } from "./event-decoder";
import type { EventDecoder } from "./event-decoder";
import { subjectOf } from "./subjects";

/** The suite's contracts, by the names the deployment record uses. */
export const SUITE_CONTRACT_NAMES = [
  "Consortium",
  "DataSourceRegistry",
  "AttestationRegistry",
  "AccessGrants",
] as const;
export type SuiteContractName = (typeof SUITE_CONTRACT_NAMES)[number];

/** The TypeChain-generated ABI of each contract. */
const INTERFACES: Record<SuiteContractName, () => Interface> = {
  Consortium: () => Consortium__factory.createInterface(),
  DataSourceRegistry: () => DataSourceRegistry__factory.createInterface(),
  AttestationRegistry: () => AttestationRegistry__factory.createInterface(),
  AccessGrants: () => AccessGrants__factory.createInterface(),
};

/** A JSON value: what decoded arguments become (integers as decimal strings, structs as objects). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A log with what the decoder made of it. `eventName` and `args` are null for a log no ABI event matches. */
export interface DecodedLog {
  log: RawLog;
  contractName: SuiteContractName;
  eventName: string | null;
  args: Record<string, JsonValue> | null;
  /** The entity the event is about (`request:0x…`); null for suite-wide settings and undecodable logs. */
  subject: string | null;
}

/** A deployed contract to decode logs of. */
export interface WatchedContract {
  name: SuiteContractName;
  address: string;
}

export interface Decoder {
  decode(log: RawLog): DecodedLog;
}

/** Called for each log that could not be decoded: it is kept raw, and someone should hear of it. */
export type UndecodableHandler = (log: RawLog, reason: string) => void;

/** A decoder for the logs of `contracts`; a log of any other address is a programming error. */
export function createDecoder(contracts: readonly WatchedContract[], onUndecodable: UndecodableHandler): Decoder {
  const byAddress = new Map(
    contracts.map(({ name, address }) => [address.toLowerCase(), { name, events: eventsByTopic(INTERFACES[name]()) }]),
  );
  return {
    decode(log) {
      const contract = byAddress.get(log.address.toLowerCase());
      if (!contract)
        throw new Error(`log ${log.transactionHash}#${log.logIndex} is of an unwatched address ${log.address}`);
      const decoded = parseEvent(contract.events, log);
      if ("reason" in decoded) {
        onUndecodable(log, decoded.reason);
        return { log, contractName: contract.name, eventName: null, args: null, subject: null };
      }
      return { log, contractName: contract.name, ...decoded, subject: subjectOf(decoded.eventName, decoded.args) };
    },
  };
}

/** A compiled decoder for each event of `abi`, by its topic. */
function eventsByTopic(abi: Interface): Map<string, EventDecoder> {
  const events = new Map<string, EventDecoder>();
  abi.forEachEvent((fragment) => events.set(fragment.topicHash, compileEventDecoder(fragment)));
  return events;
}

type ParsedEvent = { eventName: string; args: Record<string, JsonValue> } | { reason: string };

function parseEvent(events: Map<string, EventDecoder>, log: RawLog): ParsedEvent {
  const event = events.get(log.topics[0]?.toLowerCase());
  if (!event) return { reason: `no event of the ABI has topic ${log.topics[0] ?? "(none)"}` };
  try {
    return { eventName: event.name, args: event.decode(log.topics, log.data) };
  } catch (error) {
    if (error instanceof AbiDecodingError) return { reason: `${event.name}: ${error.message}` };
    throw error;
  }
}
