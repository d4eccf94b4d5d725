/**
 * What the evidence builder and verifier ask the node, in JSON-RPC form exactly as the node answers (so receipts
 * and headers keep every field the node returns, and compare field by field later).
 */
import { Transaction, toQuantity } from "ethers";
import type { JsonRpcApiProvider } from "ethers";
import type { BlockHeader, RpcLog, RpcReceipt } from "./bundle-format";

/** A filter of `eth_getLogs`: one contract, topics by position (null: any; a list: any of them). */
export interface LogFilter {
  address: string;
  topics: (string | string[] | null)[];
  fromBlock: number;
}

/** Fields of `eth_getBlockByHash` that list the block's body, not its header. */
const BLOCK_BODY_FIELDS = ["transactions", "uncles", "withdrawals", "size", "totalDifficulty"];

/** Every log matching `filter` from its first block to the head, in chain order. */
export async function readLogs(provider: JsonRpcApiProvider, filter: LogFilter): Promise<RpcLog[]> {
  return provider.send("eth_getLogs", [
    { address: filter.address, topics: filter.topics, fromBlock: toQuantity(filter.fromBlock), toBlock: "latest" },
  ]);
}

/** A transaction's receipt, as the node returns it. */
export async function readReceipt(provider: JsonRpcApiProvider, transactionHash: string): Promise<RpcReceipt> {
  const receipt = (await provider.send("eth_getTransactionReceipt", [transactionHash])) as RpcReceipt | null;
  if (!receipt) throw new Error(`the node has no receipt for transaction ${transactionHash}`);
  return receipt;
}

/** A block's header fields, as the node returns them, without its body, and the hashes of its transactions. */
export async function readBlockHeader(
  provider: JsonRpcApiProvider,
  blockHash: string,
): Promise<{ header: BlockHeader; transactionHashes: string[] }> {
  const block = (await provider.send("eth_getBlockByHash", [blockHash, false])) as
    (Record<string, string> & { transactions: string[] }) | null;
  if (!block) throw new Error(`the node has no block ${blockHash}`);
  return { header: withoutBody(block), transactionHashes: block.transactions.map((hash) => hash.toLowerCase()) };
}

/** The hash of the block at `blockNumber` on the node's canonical chain, or undefined when it has none. */
export async function canonicalBlockHash(
  provider: JsonRpcApiProvider,
  blockNumber: string,
): Promise<string | undefined> {
  const block = (await provider.send("eth_getBlockByNumber", [blockNumber, false])) as { hash: string } | null;
  return block?.hash.toLowerCase();
}

/**
 * A transaction's signed serialization (EIP-2718 bytes), rebuilt from the node's fields and signature; throws
 * when it does not hash to the transaction's hash (the node left out a field this build does not know).
 */
export async function readSignedTransaction(
  provider: JsonRpcApiProvider,
  transactionHash: string,
): Promise<{ from: string; signed: string }> {
  const response = await provider.getTransaction(transactionHash);
  if (!response) throw new Error(`the node has no transaction ${transactionHash}`);
  const transaction = Transaction.from(response);
  if (transaction.hash !== response.hash) {
    throw new Error(`transaction ${transactionHash} re-serialized hashes to ${transaction.hash}`);
  }
  return { from: transaction.from!.toLowerCase(), signed: transaction.serialized };
}

function withoutBody(block: Record<string, string>): BlockHeader {
  return Object.fromEntries(Object.entries(block).filter(([field]) => !BLOCK_BODY_FIELDS.includes(field)));
}
