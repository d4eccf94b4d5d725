/**
 * Checks of a bundle against a node: the same chain, every block still canonical (the same hash at its number),
 * and every receipt as the node returns it.
 */
import type { JsonRpcApiProvider } from "ethers";
import type { EvidenceBundle, RpcReceipt } from "./bundle-format";
import { canonicalBlockHash, readReceipt } from "./chain-reader";
import { checkAsync, sameHex, short } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";

/** Receipt fields compared with the node's: those every node returns, whatever else it adds. */
const RECEIPT_FIELDS = [
  "transactionHash",
  "transactionIndex",
  "blockHash",
  "blockNumber",
  "from",
  "to",
  "status",
  "cumulativeGasUsed",
  "gasUsed",
  "logsBloom",
] as const;
const LOG_FIELDS = ["address", "topics", "data", "logIndex"] as const;

/** Every check of `bundle` against the chain `provider` reads. */
export async function verifyAgainstChain(
  bundle: EvidenceBundle,
  provider: JsonRpcApiProvider,
): Promise<EvidenceCheck[]> {
  const sameChain = await checkAsync(`the node is on chain ${bundle.chainId}`, async () => {
    const chainId = Number((await provider.getNetwork()).chainId);
    return chainId === bundle.chainId ? undefined : `the node is on chain ${chainId}`;
  });
  if (sameChain.status === "failed") return [sameChain];
  const blocks = Object.entries(bundle.blocks).map(([hash, { header }]) =>
    checkAsync(`block ${BigInt(header.number)} (${short(hash)}) is on the node's canonical chain`, async () => {
      const canonical = await canonicalBlockHash(provider, header.number);
      return sameHex(canonical, hash)
        ? undefined
        : `the node's block ${BigInt(header.number)} is ${canonical ?? "missing"}`;
    }),
  );
  const receipts = Object.entries(bundle.transactions).map(([hash, { receipt }]) =>
    checkAsync(`transaction ${short(hash)}: the receipt is the node's`, async () =>
      receiptDifference(receipt, await readReceipt(provider, hash)),
    ),
  );
  return [sameChain, ...(await Promise.all([...blocks, ...receipts]))];
}

function receiptDifference(bundled: RpcReceipt, onChain: RpcReceipt): Outcome {
  const field = RECEIPT_FIELDS.find((name) => !sameJson(bundled[name], onChain[name]));
  if (field)
    return `the receipt's ${field} is ${JSON.stringify(bundled[field])}, the node's ${JSON.stringify(onChain[field])}`;
  if (bundled.logs.length !== onChain.logs.length) {
    return `the receipt has ${bundled.logs.length} logs, the node's ${onChain.logs.length}`;
  }
  for (const [position, log] of bundled.logs.entries()) {
    const logField = LOG_FIELDS.find((name) => !sameJson(log[name], onChain.logs[position][name]));
    if (logField) return `log ${Number(log.logIndex)}'s ${logField} differs from the node's`;
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null).toLowerCase() === JSON.stringify(b ?? null).toLowerCase();
}
