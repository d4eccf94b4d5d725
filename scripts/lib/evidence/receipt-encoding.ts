/**
 * A receipt's consensus encoding (EIP-2718): the transaction type byte, unless legacy, then the RLP list of
 * status, cumulative gas used, logs bloom and logs. It is what a block's `receiptsRoot` commits to.
 */
import { concat, encodeRlp, toBeArray } from "ethers";
import type { RpcReceipt } from "./bundle-format";

/** The consensus encoding of `receipt` (JSON-RPC form), as 0x-hex. */
export function encodeReceipt(receipt: RpcReceipt): string {
  const fields = encodeRlp([
    toBeArray(BigInt(receipt.status)),
    toBeArray(BigInt(receipt.cumulativeGasUsed)),
    receipt.logsBloom,
    receipt.logs.map((log) => [log.address, log.topics, log.data]),
  ]);
  const type = Number(receipt.type ?? 0);
  return type === 0 ? fields : concat([Uint8Array.of(type), fields]);
}
