/**
 * Relaying signed access requests and endorsements: the checks a relayer makes before it pays for a transaction
 * (a well-formed document, the relay's own domain, a signature that recovers to the requester or supervisor, a
 * deadline still ahead, a static call that succeeds), then the submission with the relayer's key. Every refusal
 * is a {@link RelayRejection} with the HTTP status that fits it.
 */
import type { Provider } from "ethers";
import type { AccessGrants } from "../../typechain-types";
import {
  parseSignedEndorsement,
  parseSignedRequest,
  recoverRequester,
  recoverSupervisor,
  requestIdOfHash,
  SignedDocumentError,
} from "./access-request";
import type { AccessGrantsDomain } from "./access-request";
import { latestBlockTime } from "./chain-time";
import { ContractRevertError, sendChecked } from "./transactions";

/** A refusal to relay: `status` is the HTTP status, `message` says why, `contractError` names a revert. */
export class RelayRejection extends Error {
  override name = "RelayRejection";

  constructor(
    readonly status: number,
    message: string,
    readonly contractError?: string,
  ) {
    super(message);
  }
}

/** What a relay submits to: the AccessGrants contract connected to the relayer's wallet, and its domain. */
export interface RelayTarget {
  accessGrants: AccessGrants;
  domain: AccessGrantsDomain;
  provider: Provider;
}

/** What a relayed submission produced. */
export interface RelayReceipt {
  requestId: string;
  transactionHash: string;
}

/** Checks a signed access request document and submits it with `submitSignedRequest`. */
export async function relaySignedRequest(target: RelayTarget, document: unknown): Promise<RelayReceipt> {
  const signed = parseOrReject(() => parseSignedRequest(document));
  checkDomain(target.domain, signed.domain);
  await checkSigner(target.provider, signed.request.requester, () => recoverRequester(signed), "requester");
  await checkDeadline(target.provider, signed.request.deadline);
  const { result, receipt } = await submitOrReject(() =>
    sendChecked(target.accessGrants.submitSignedRequest, signed.request, signed.signature),
  );
  return { requestId: result, transactionHash: receipt.hash };
}

/** Checks a signed endorsement document and submits it with `endorseBySignature`. */
export async function relaySignedEndorsement(target: RelayTarget, document: unknown): Promise<RelayReceipt> {
  const signed = parseOrReject(() => parseSignedEndorsement(document));
  checkDomain(target.domain, signed.domain);
  await checkSigner(target.provider, signed.endorsement.supervisor, () => recoverSupervisor(signed), "supervisor");
  await checkDeadline(target.provider, signed.endorsement.deadline);
  const { receipt } = await submitOrReject(() =>
    sendChecked(target.accessGrants.endorseBySignature, signed.endorsement, signed.signature),
  );
  return { requestId: requestIdOfHash(signed.domain, signed.endorsement.requestHash), transactionHash: receipt.hash };
}

function parseOrReject<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SignedDocumentError) throw new RelayRejection(400, error.message);
    throw error;
  }
}

function checkDomain(relayDomain: AccessGrantsDomain, signedDomain: AccessGrantsDomain): void {
  const same =
    relayDomain.chainId === signedDomain.chainId &&
    relayDomain.verifyingContract.toLowerCase() === signedDomain.verifyingContract.toLowerCase();
  if (!same) {
    throw new RelayRejection(
      422,
      `signed for AccessGrants ${signedDomain.verifyingContract} on chain ${signedDomain.chainId}; this relay ` +
        `submits to ${relayDomain.verifyingContract} on chain ${relayDomain.chainId}`,
    );
  }
}

/** The signature must recover to `claimed`; a contract wallet (ERC-1271) is left to the static call. */
async function checkSigner(provider: Provider, claimed: string, recover: () => string, role: string): Promise<void> {
  if ((await provider.getCode(claimed)) !== "0x") return;
  let recovered: string;
  try {
    recovered = recover();
  } catch {
    throw new RelayRejection(401, "the signature is not a valid secp256k1 signature");
  }
  if (recovered.toLowerCase() !== claimed.toLowerCase()) {
    throw new RelayRejection(401, `the signature recovers to ${recovered}, not to the ${role} ${claimed}`);
  }
}

async function checkDeadline(provider: Provider, deadline: bigint): Promise<void> {
  const now = await latestBlockTime(provider);
  if (now > deadline) throw new RelayRejection(422, `the deadline ${deadline} has passed (the chain is at ${now})`);
}

async function submitOrReject<T>(submit: () => Promise<T>): Promise<T> {
  try {
    return await submit();
  } catch (error) {
    if (error instanceof ContractRevertError) {
      throw new RelayRejection(422, error.message, error.decoded?.text);
    }
    throw error;
  }
}
