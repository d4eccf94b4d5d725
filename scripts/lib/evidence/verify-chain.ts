/**
 * Checks of a bundle against a node: the same chain, every block still canonical (the same hash at its number),
 * every receipt as the node returns it, and no step of the subject's requests left out.
 */
import type { JsonRpcApiProvider } from "ethers";
import type { EvidenceBundle, LogReference, RpcReceipt } from "./bundle-format";
import { canonicalBlockHash, readReceipt } from "./chain-reader";
import { checkAsync, sameHex, short } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";
import { stepClaimsOf } from "./step-claims";
import { readRequestSteps, readSubmissions } from "./suite-logs";

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
  return [sameChain, ...(await Promise.all([...blocks, ...receipts, checkComplete(bundle, provider)]))];
}

/** The chain has no request of the subject, nor step of its requests, that the bundle leaves out. */
function checkComplete(bundle: EvidenceBundle, provider: JsonRpcApiProvider): Promise<EvidenceCheck> {
  return checkAsync("the bundle holds every request of its subject and every step of them on the chain", async () => {
    const source = { provider, addresses: bundle.contracts, fromBlock: bundle.startBlock };
    const submissions = await readSubmissions(source, bundle.subject);
    const requestIds = submissions.map((log) => log.event.args.requestId as string);
    const onChain = [...submissions, ...(await readRequestSteps(source, requestIds))];
    const bundled = new Set(bundledSteps(bundle).map(referenceKey));
    const missing = onChain.filter((log) => !bundled.has(referenceKey(log.logged)));
    if (missing.length === 0) return undefined;
    const named = missing.map(
      (log) => `${log.event.name} (log ${log.logged.logIndex} of ${log.logged.transactionHash})`,
    );
    return `the bundle leaves out ${named.join(", ")}`;
  });
}

function bundledSteps(bundle: EvidenceBundle): LogReference[] {
  return bundle.requests.flatMap((request) => stepClaimsOf(request).map((claim) => claim.logged));
}

function referenceKey(logged: LogReference): string {
  return `${logged.transactionHash.toLowerCase()}:${logged.logIndex}`;
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
