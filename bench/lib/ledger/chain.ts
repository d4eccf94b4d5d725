/**
 * The synthetic chain the bench's ledger lives on: its id, the suite's addresses (as the governance account's
 * first four deployments would have them), block times and the hashes of blocks and transactions, derived from
 * their numbers so they are stable and a block's parent hash is its predecessor's hash.
 */
import { getCreateAddress } from "ethers";
import { SUITE_CONTRACT_NAMES } from "../../../indexer/decode";
import type { SuiteContractName } from "../../../indexer/decode";
import { hashOf } from "./hashes";

/** Hardhat's and Anvil's chain id. */
export const CHAIN_ID = 31337;
/** Block time of a QBFT network. */
export const BLOCK_SECONDS = 2;
/** 2024-01-01T00:00:00Z: the ledger's first block. */
const GENESIS_TIME = 1_704_067_200;

/** The suite's contract addresses, lower-case, by name. */
export type ContractAddresses = Record<SuiteContractName, string>;

/** The suite as `deployer`'s first four contract creations, in the deployment script's order. */
export function suiteAddresses(deployer: string): ContractAddresses {
  const entries = SUITE_CONTRACT_NAMES.map((name, nonce) => [name, getCreateAddress({ from: deployer, nonce })]);
  return Object.fromEntries(entries.map(([name, address]) => [name, address.toLowerCase()])) as ContractAddresses;
}

/** Seconds since the epoch of block `number`. */
export function timestampOf(number: number): number {
  return GENESIS_TIME + number * BLOCK_SECONDS;
}

export function blockHashOf(number: number): string {
  return hashOf(`block ${number}`);
}

export function transactionHashOf(blockNumber: number, index: number): string {
  return hashOf(`transaction ${blockNumber}.${index}`);
}
