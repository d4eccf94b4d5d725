/**
 * Verifying an evidence bundle: offline, everything the bundle holds is checked against everything else it holds
 * (EIP-712 digests, signatures, transaction hashes, logs, block hashes, Merkle proofs, payload hashes); with a
 * node, the blocks and receipts are also checked against the chain.
 */
import type { JsonRpcApiProvider } from "ethers";
import { EVIDENCE_FORMAT } from "./bundle-format";
import type { EvidenceBundle } from "./bundle-format";
import { check } from "./checks";
import type { EvidenceCheck } from "./checks";
import { checkSignatureOffline, checkSignatureOnChain } from "./signatures";
import { verifyAttestations } from "./verify-attestations";
import { verifyAgainstChain } from "./verify-chain";
import { verifyDeliveryPackages } from "./verify-deliveries";
import { verifyRequests } from "./verify-requests";
import { verifyTransactions } from "./verify-transactions";

/** Options of {@link verifyEvidenceBundle}. */
export interface VerifyEvidenceOptions {
  /** A node of the bundle's chain: blocks must be canonical and receipts the node's; contract wallets' signatures are checked. */
  provider?: JsonRpcApiProvider;
}

/** The collections of a bundle, which every check walks. */
const BUNDLE_COLLECTIONS = ["attestations", "requests", "deliveryPackages", "transactions", "blocks"] as const;

/**
 * Re-checks `bundle` (parsed JSON of format `dxl-evidence-v1`) and returns every check, each passed, failed with
 * the reason naming what failed, or skipped with why (a signature nobody relayed, for instance). The bundle holds
 * up when no check failed (see `failedChecks`).
 */
export async function verifyEvidenceBundle(
  bundle: EvidenceBundle,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceCheck[]> {
  const shape = check(`the bundle is in format ${EVIDENCE_FORMAT}`, () => shapeProblem(bundle));
  if (shape.status === "failed") return [shape];
  const { provider } = options;
  const checkSignature = provider ? checkSignatureOnChain(provider) : checkSignatureOffline;
  return [
    shape,
    ...(await verifyRequests(bundle, checkSignature)),
    ...verifyAttestations(bundle),
    ...(await verifyDeliveryPackages(bundle)),
    ...verifyTransactions(bundle),
    ...(provider ? await verifyAgainstChain(bundle, provider) : []),
  ];
}

function shapeProblem(bundle: EvidenceBundle): string | undefined {
  if (typeof bundle !== "object" || bundle === null) return "the bundle is not a JSON object";
  if (bundle.format !== EVIDENCE_FORMAT) return `the bundle's format is ${JSON.stringify(bundle.format)}`;
  if (!Number.isSafeInteger(bundle.chainId)) return "the bundle has no chain id";
  if (!Number.isSafeInteger(bundle.startBlock)) return "the bundle has no start block";
  if (typeof bundle.contracts?.AccessGrants !== "string" || typeof bundle.contracts?.AttestationRegistry !== "string") {
    return "the bundle does not name its AccessGrants and AttestationRegistry contracts";
  }
  const missing = BUNDLE_COLLECTIONS.filter((name) => typeof bundle[name] !== "object" || bundle[name] === null);
  return missing.length > 0 ? `the bundle has no ${missing.join(", ")}` : undefined;
}
