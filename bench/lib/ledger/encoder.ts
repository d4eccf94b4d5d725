/**
 * Turns the bench's blocks into what the sync loop hands the store: each event is ABI-encoded into a log (topics
 * and data) from the TypeChain interfaces' fragments, then decoded by the indexer's own decoder, so the stored
 * `args`, `subject`, topics and data are exactly what indexing the same chain would store.
 */
import type { Interface } from "ethers";
import type { BlockHeader, RawLog } from "../../../indexer/chain";
import { createDecoder, SUITE_CONTRACT_NAMES } from "../../../indexer/decode";
import type { DecodedLog, SuiteContractName } from "../../../indexer/decode";
import {
  AccessGrants__factory,
  AttestationRegistry__factory,
  Consortium__factory,
  DataSourceRegistry__factory,
} from "../../../typechain-types";
import { compileEventEncoder } from "./abi-encoder";
import type { EventEncoder } from "./abi-encoder";
import { blockHashOf, transactionHashOf } from "./chain";
import type { ContractAddresses } from "./chain";
import type { EventSpec, LedgerBlock } from "./events";

/** A block as the store takes it: its header and its decoded logs. */
export interface EncodedBlock {
  header: BlockHeader;
  events: DecodedLog[];
}

const INTERFACES: Record<SuiteContractName, Interface> = {
  Consortium: Consortium__factory.createInterface(),
  DataSourceRegistry: DataSourceRegistry__factory.createInterface(),
  AttestationRegistry: AttestationRegistry__factory.createInterface(),
  AccessGrants: AccessGrants__factory.createInterface(),
};

/** An encoder of blocks for the suite at `addresses`; a log the decoder cannot read is a bug of the bench. */
export function createBlockEncoder(addresses: ContractAddresses): (block: LedgerBlock) => EncodedBlock {
  const contracts = SUITE_CONTRACT_NAMES.map((name) => ({ name, address: addresses[name] }));
  const decoder = createDecoder(contracts, (log, reason) => {
    throw new Error(`the bench emitted an undecodable log in block ${log.blockNumber}: ${reason}`);
  });
  const encoders = new Map<string, EventEncoder>();
  const encode = (spec: EventSpec) => {
    const key = `${spec.contract}.${spec.event}`;
    let encoder = encoders.get(key);
    if (!encoder) {
      encoder = compileEventEncoder(INTERFACES[spec.contract].getEvent(spec.event)!);
      encoders.set(key, encoder);
    }
    return { address: addresses[spec.contract], ...encoder(spec.values) };
  };
  return (block) => {
    const header = {
      number: block.number,
      hash: blockHashOf(block.number),
      parentHash: blockHashOf(block.number - 1),
      timestamp: block.timestamp,
    };
    let logIndex = 0;
    const events = block.transactions.flatMap((transaction, transactionIndex) => {
      const transactionHash = transactionHashOf(block.number, transactionIndex);
      return transaction.map((spec) => {
        const log: RawLog = {
          blockNumber: block.number,
          blockHash: header.hash,
          transactionHash,
          transactionIndex,
          logIndex: logIndex++,
          ...encode(spec),
        };
        return decoder.decode(log);
      });
    });
    return { header, events };
  };
}
