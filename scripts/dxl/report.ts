/** Reporting a mined transaction the same way in every command. */
import type { ContractTransactionReceipt } from "ethers";
import type { Output } from "./output";

/** Prints a mined transaction: `summary`, then its hash and block; `data` (plus both) for `--json`. */
export function reportTransaction(
  output: Output,
  receipt: ContractTransactionReceipt,
  summary: string,
  data: Record<string, unknown> = {},
): void {
  output.result({ ...data, transactionHash: receipt.hash, blockNumber: receipt.blockNumber }, [
    summary,
    `transaction ${receipt.hash} (block ${receipt.blockNumber})`,
  ]);
}
